import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { type BridgeConfig, type Connection, getConnection, targetEndpoint } from '../src/config.js';
import { emptyTargetState, fillBody, fillPath, planWrites, type PlannedWrite, type TargetState } from '../src/canonical/plan.js';
import type { Loss } from '../src/canonical/product.js';
import { ruleCapacities, withInventory } from '../src/canonical/availability.js';
import { withAllocations } from '../src/canonical/allocation.js';
import { blindChannels } from '../src/connectors/registry.js';
import { driftedFields, type VerifyEntry, type VerifyResult, verifyEntries } from '../src/canonical/drift.js';
import { validateProduct } from '../src/canonical/validate.js';
import type { RuleCapacity } from '../src/canonical/ledger.js';
import { CONNECTORS, sourceFor, targetFor } from '../src/connectors/registry.js';
import type { RejectedRow } from '../src/connectors/rows.js';
import { BridgeError, CreateOutcomeUnknownError, InvalidRequestError, TransientError } from '../src/errors.js';
import { logger } from '../src/logger.js';
import { targetWrites } from '../src/metrics/registry.js';
import { bridgeQueue, prefixOf, productWorkflowId, SEARCH_ATTRIBUTES } from '../src/temporal/ids.js';
import { lastResultKey, productSyncSearchAttributes, sourceProductIdKey } from '../src/temporal/search-attributes.js';
import type { SyncRequest } from '../workflows/messages.js';

/** Heartbeat marks of a look-up create (see applyWrite). */
const SENT = 'sent';
const NOT_CREATED = 'not-created';
/** bridge_target_writes_total's outcome for each kind of write. */
const WRITE_OUTCOME = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export interface CatalogDeps {
  config: BridgeConfig;
  client: Client;
}

/** The routing facts of a connection, safe to keep in workflow history. */
export interface ConnectionRoute {
  source: string;
  locales: string[];
  defaultLocale: string;
  targets: string[];
  /** Targets that also report bookings (read back by webhooks and the sweep). */
  channels: string[];
}

export interface TargetPlan {
  writes: PlannedWrite[];
  losses: Loss[];
  error?: string;
}

export interface ProductPlan {
  name: string | null;
  status: string | null;
  targets: Record<string, TargetPlan>;
  /** The source's periods and seats, for the entity's inventory ledger. */
  rules: RuleCapacity[];
  durationMinutes: number;
  /** Asked with `verify`: per target, the records to read back and what to do about drift. */
  verify?: { onDrift: 'repair' | 'report'; targets: Record<string, VerifyEntry[]> };
}

/** Activities of the catalog flow; each external one makes a single HTTP call. */
export function createCatalogActivities({ config, client }: CatalogDeps) {
  const conn = (name: string): Connection => getConnection(config, name);
  const target = (c: Connection, platform: string) => targetFor(targetEndpoint(c, platform));

  return {
    /** What a workflow needs to route its calls: platforms and locales, never keys (queue bridge). */
    async describeConnection(input: { connection: string }): Promise<ConnectionRoute> {
      const c = conn(input.connection);
      return {
        source: c.source.platform, locales: c.source.locales, defaultLocale: c.source.defaultLocale,
        targets: c.targets.map((t) => t.platform), channels: c.targets.filter((t) => CONNECTORS[t.platform]?.channel).map((t) => t.platform),
      };
    },

    /** One page of source product ids (queue api-<source>). */
    async listSourcePage(input: { connection: string; cursor: string | null }): Promise<{ ids: string[]; next: string | null; rejected: RejectedRow[] }> {
      const c = conn(input.connection);
      const page = await sourceFor(c.source).listPage(input.cursor, c.source.pageSize);
      for (const r of page.rejected ?? []) logger.warn({ platform: c.source.platform, id: r.id, field: r.field, reason: r.reason }, 'source list row rejected');
      return { ...page, rejected: page.rejected ?? [] };
    },

    /** One locale of one source record, or null when it is gone (queue api-<source>). */
    async fetchSourceRecord(input: { connection: string; sourceProductId: string; locale: string }): Promise<unknown | null> {
      return sourceFor(conn(input.connection).source).fetchRecord(input.sourceProductId, input.locale);
    },

    /**
     * Source records → canonical → each target's minimal writes (queue bridge; no I/O). A product
     * that cannot be mapped throws MappingError; a target that cannot take it fails alone.
     */
    async planProduct(input: {
      connection: string;
      records: Record<string, unknown> | null;
      targets: Record<string, TargetState>;
      /** Seats the ledger holds beyond the source's count, and periods to close (oversold, sold out). */
      adjustments?: Record<string, { extraUsed: number; close: boolean }>;
      /** Seats each channel sold per departure date, from the ledger. */
      channelSeats?: Record<string, Record<string, number>>;
      /** A drift check: also list, per target, the records to read back (README, "Drift repair"). */
      verify?: boolean;
    }): Promise<ProductPlan> {
      const c = conn(input.connection);
      const plan: ProductPlan = { name: null, status: null, targets: {}, rules: [], durationMinutes: 0 };
      if (input.records === null) {
        // Gone at the source: hide what we published, never hard-delete (DESIGN.md).
        for (const t of c.targets) {
          const state = input.targets[t.platform];
          const how = state?.removals.experience;
          plan.targets[t.platform] = { writes: state?.ids.experience && how ? [{ key: 'experience', op: 'update', ...how, fingerprint: null }] : [], losses: [] };
        }
        return plan;
      }
      const read = sourceFor(c.source).toCanonical(input.records, c.source.defaultLocale);
      const { losses } = read;
      // Nothing of a product that fails the canonical checks is written anywhere (MappingError).
      const valid = validateProduct(read.product);
      plan.rules = ruleCapacities(valid);
      plan.durationMinutes = valid.durationMinutes;
      const product = withInventory(valid, input.adjustments ?? {}, input.channelSeats ?? {});
      plan.name = product.texts[product.defaultLocale]?.name ?? null;
      plan.status = product.status;
      if (input.verify) plan.verify = { onDrift: c.verify.onDrift, targets: {} };
      for (const t of c.targets) {
        try {
          const connector = targetFor(t);
          // Targets that cannot report their sales sell from an allocation (src/canonical/allocation.ts).
          const desired = connector.desired(withAllocations(product, t.platform, blindChannels(c)));
          const state = input.targets[t.platform] ?? emptyTargetState();
          if (plan.verify && connector.readBack) plan.verify.targets[t.platform] = verifyEntries(desired.resources, state, connector.readBackKeys ?? []);
          // A product no longer offered (stand_by) is hidden where we published it, never created anew.
          const neverPublished = product.status === 'inactive' && state.ids.experience === undefined;
          plan.targets[t.platform] = { writes: neverPublished ? [] : planWrites(desired.resources, state), losses: [...losses, ...desired.losses] };
        } catch (err) {
          if (!(err instanceof BridgeError)) throw err;
          plan.targets[t.platform] = { writes: [], losses, error: `${err.kind}: ${err.message}` };
        }
      }
      return plan;
    },

    /** Sends one write to a target (queue api-<target>). A create is never blindly retried. */
    async applyWrite(input: { connection: string; platform: string; write: PlannedWrite; ids: Record<string, string>; idempotencyKey: string }): Promise<{ id: string | null }> {
      const t = target(conn(input.connection), input.platform);
      const path = fillPath(input.write.path, input.ids);
      if (/\{[^}]+Id\}/.test(path)) throw new InvalidRequestError(`${input.platform} ${input.write.key}: path ${path} needs an id not assigned yet`);
      const lookupCreate = input.write.op === 'create' && input.write.createSafety === 'lookup-before-create';
      const ctx = Context.current();
      // Heartbeat details travel to the next attempt: `sent` means the request may have gone out,
      // `not-created` that the platform answered without creating (e.g. 429), so a retry may send.
      if (lookupCreate && ctx.info.attempt > 1 && ctx.info.heartbeatDetails !== NOT_CREATED) {
        // An earlier attempt may have created the record before its worker died: look first.
        throw new CreateOutcomeUnknownError(`${input.platform} ${input.write.key}: earlier create attempt ended without an answer`);
      }
      if (lookupCreate) ctx.heartbeat(SENT);
      try {
        const result = await t.apply({ ...input.write, path, body: fillBody(input.write.body, input.ids) }, input.idempotencyKey);
        targetWrites.inc({ connection: input.connection, platform: input.platform, outcome: WRITE_OUTCOME[input.write.op] });
        logger.info({ platform: input.platform, op: input.write.op, key: input.write.key, path }, 'write applied');
        return result;
      } catch (err) {
        targetWrites.inc({ connection: input.connection, platform: input.platform, outcome: 'failed' });
        if (lookupCreate && err instanceof TransientError) {
          throw new CreateOutcomeUnknownError(`${input.platform} ${input.write.key}: ${err.message}`, err.details);
        }
        if (lookupCreate && err instanceof BridgeError) ctx.heartbeat(NOT_CREATED);
        throw err;
      }
    },

    /**
     * Reads one of our records back from a target and compares it with the body we want (queue
     * api-<target>, one GET): gone, changed (which top-level fields) or ok.
     */
    async verifyResource(input: { connection: string; platform: string; key: string; ids: Record<string, string>; desired: Record<string, unknown>; path?: string }): Promise<VerifyResult> {
      const t = target(conn(input.connection), input.platform);
      if (!t.readBack) throw new InvalidRequestError(`${input.platform} cannot read records back`);
      const actual = await t.readBack(input.key, input.ids, input.path);
      const result: VerifyResult = actual === null ? { result: 'missing' } : { result: 'changed', fields: driftedFields(input.desired, actual) };
      if (result.result === 'changed' && result.fields.length === 0) return { result: 'ok' };
      logger.warn({ platform: input.platform, key: input.key, id: input.ids[input.key], ...result }, 'drift found');
      return result;
    },

    /** Looks for a record an unanswered create may have made (queue api-<target>). */
    async findCreated(input: { connection: string; platform: string; write: PlannedWrite; ids: Record<string, string>; since: string }): Promise<string | null> {
      const t = target(conn(input.connection), input.platform);
      return t.findCreated({ ...input.write, path: fillPath(input.write.path, input.ids), body: fillBody(input.write.body, input.ids) }, input.since);
    },

    /**
     * Source product ids that have a running entity workflow for this connection and were not
     * found gone already (queue bridge): the catalog run asks the ones the source no longer lists.
     */
    async listKnownProducts(input: { connection: string }): Promise<string[]> {
      const ids: string[] = [];
      const query = `WorkflowType = 'productSyncWorkflow' AND ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.connection} = '${input.connection.replace(/'/g, '')}'`;
      for await (const wf of client.workflow.list({ query })) {
        if (wf.typedSearchAttributes.get(lastResultKey) === 'gone') continue;
        const id = wf.typedSearchAttributes.get(sourceProductIdKey);
        if (id) ids.push(id);
      }
      return ids;
    },

    /** Signal-with-start of each product's entity workflow (queue bridge). */
    async dispatchProducts(input: { connection: string; ids: string[]; request: SyncRequest }): Promise<number> {
      const prefix = prefixOf(Context.current().info.taskQueue);
      for (const id of input.ids) {
        await client.workflow.signalWithStart('productSyncWorkflow', {
          workflowId: productWorkflowId(input.connection, id),
          taskQueue: bridgeQueue(prefix),
          args: [{ connection: input.connection, sourceProductId: id }],
          signal: 'syncRequested',
          signalArgs: [input.request],
          typedSearchAttributes: productSyncSearchAttributes(input.connection, id),
        });
      }
      return input.ids.length;
    },
  };
}
export type CatalogActivities = ReturnType<typeof createCatalogActivities>;
