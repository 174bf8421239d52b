import {
  ActivityFailure, ApplicationFailure, condition, continueAsNew, getExternalWorkflowHandle, proxyActivities,
  setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { CatalogActivities, ConnectionRoute } from '../activities/catalog.js';
import type { PlannedWrite, TargetState } from '../src/canonical/plan.js';
import { apiQueue, bridgeQueue, prefixOf } from '../src/temporal/ids.js';
import { lastResultKey, targetIdsKey } from '../src/temporal/search-attributes.js';
import {
  type ProductReport, type ProductState, type SyncRequest, type TargetResult, productState, productSynced, syncRequested, targetChanged,
} from './messages.js';
import { externalCall, internalCall } from './retry-policies.js';

export interface ProductSyncInput {
  connection: string;
  sourceProductId: string;
  state?: ProductState;
  pending?: SyncRequest[];
}

/** Syncs after this many runs of history even when the SDK has not suggested continue-as-new yet. */
const SYNCS_PER_RUN = 100;
/** Clock slack for "created since": platform clocks and workflow time may differ a little. */
const CREATE_LOOKUP_SLACK_MS = 5 * 60_000;

const prefix = () => prefixOf(workflowInfo().taskQueue);
const bridge = () => proxyActivities<CatalogActivities>({ ...internalCall, taskQueue: bridgeQueue(prefix()) });
const api = (platform: string) => proxyActivities<CatalogActivities>({ ...externalCall, taskQueue: apiQueue(platform, prefix()) });

function failureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

const isType = (err: unknown, type: string) => err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;

/**
 * The entity workflow of one (connection, source product): the single writer of its target ids,
 * fingerprints and (later) inventory ledger. Each `syncRequested` signal runs one sync.
 */
export async function productSyncWorkflow(input: ProductSyncInput): Promise<void> {
  const state: ProductState = input.state ?? {
    connection: input.connection, sourceProductId: input.sourceProductId, name: null, targets: {}, pendingCreates: {}, syncs: 0, last: null, gone: false,
  };
  const pending: SyncRequest[] = [...(input.pending ?? [])];
  setHandler(syncRequested, (r) => { pending.push(r); });
  setHandler(productState, () => state);
  setHandler(targetChanged, ({ platform, resourceKey }) => {
    // Forget the fingerprint so the next sync rewrites that record from the source.
    const t = state.targets[platform];
    if (t?.ids[resourceKey] === undefined) return;
    delete t.fingerprints[resourceKey];
    pending.push({ requestId: `target-changed/${platform}/${resourceKey}/${workflowInfo().historyLength}` });
  });

  for (;;) {
    await condition(() => pending.length > 0);
    const batch = pending.splice(0);
    const route = await bridge().describeConnection({ connection: state.connection });
    const report = await syncOnce(state, route, batch[0]!.requestId);
    state.syncs += 1;
    state.last = report;
    const failed = report.targets.some((t) => t.outcome === 'failed');
    const result = failed ? 'failed' : state.gone ? 'gone' : 'ok';
    const targetIds = Object.entries(state.targets).flatMap(([p, t]) => (t.ids.experience ? [`${p}:${t.ids.experience}`] : []));
    upsertSearchAttributes([{ key: lastResultKey, value: result }, { key: targetIdsKey, value: targetIds }]);
    for (const r of batch) {
      if (!r.replyTo) continue;
      // The catalog run may have ended (timeout, terminate); its summary then simply lacks us.
      await getExternalWorkflowHandle(r.replyTo.workflowId, r.replyTo.runId).signal(productSynced, { ...report, requestId: r.requestId }).catch(() => undefined);
    }
    if (pending.length === 0 && (workflowInfo().continueAsNewSuggested || state.syncs % SYNCS_PER_RUN === 0)) {
      await continueAsNew<typeof productSyncWorkflow>({ connection: state.connection, sourceProductId: state.sourceProductId, state, pending });
    }
  }
}

async function syncOnce(state: ProductState, route: ConnectionRoute, requestId: string): Promise<ProductReport> {
  const report: ProductReport = { requestId, sourceProductId: state.sourceProductId, name: state.name, targets: [] };
  const source = api(route.source);
  let records: Record<string, unknown> | null = {};
  try {
    for (const locale of [route.defaultLocale, ...route.locales.filter((l) => l !== route.defaultLocale)]) {
      const rec = await source.fetchSourceRecord({ connection: state.connection, sourceProductId: state.sourceProductId, locale });
      if (rec === null) {
        if (locale === route.defaultLocale) { records = null; break; }
        continue;
      }
      records[locale] = rec;
    }
    const plan = await bridge().planProduct({ connection: state.connection, records, targets: state.targets });
    state.name = plan.name ?? state.name;
    report.name = state.name;
    // Gone at the source, or stand_by there: whatever we write now takes it off sale.
    const unpublishing = records === null || plan.status === 'inactive';
    for (const platform of route.targets) {
      const tp = plan.targets[platform] ?? { writes: [], losses: [] };
      report.targets.push(tp.error
        ? { platform, outcome: 'failed', writes: 0, error: tp.error, losses: tp.losses.length }
        : await applyTarget(state, platform, tp.writes, tp.losses.length, unpublishing));
    }
    state.gone = records === null && report.targets.every((t) => t.outcome !== 'failed');
  } catch (err) {
    // The source record itself could not be read or mapped: every target fails with that reason.
    const error = failureText(err);
    for (const platform of route.targets) report.targets.push({ platform, outcome: 'failed', writes: 0, error, losses: 0 });
  }
  return report;
}

async function applyTarget(state: ProductState, platform: string, writes: PlannedWrite[], losses: number, gone: boolean): Promise<TargetResult> {
  const t: TargetState = (state.targets[platform] ??= { ids: {}, fingerprints: {}, removals: {} });
  let created = false;
  let done = 0;
  try {
    for (const w of writes) {
      if (w.op === 'create') {
        t.ids[w.key] = await createOnce(state, platform, w);
        created ||= w.key === 'experience';
      } else {
        await api(platform).applyWrite({ connection: state.connection, platform, write: w, ids: t.ids, idempotencyKey: idempotencyKey(state, platform, w) });
      }
      done += 1;
      if (w.op === 'delete') {
        delete t.ids[w.key];
        delete t.fingerprints[w.key];
        delete t.removals[w.key];
      } else if (w.fingerprint !== null) {
        t.fingerprints[w.key] = w.fingerprint;
        if (w.remove) t.removals[w.key] = w.remove;
      } else {
        delete t.fingerprints[w.key];
      }
    }
  } catch (err) {
    return { platform, outcome: 'failed', writes: done, error: failureText(err), losses };
  }
  const outcome = done === 0 ? 'unchanged' : gone ? 'unpublished' : created ? 'created' : 'updated';
  return { platform, outcome, writes: done, losses };
}

/**
 * Stable across every retry of one create (it includes the time of its first attempt, kept in the
 * workflow's state), new for a later re-creation of the same resource.
 */
function idempotencyKey(state: ProductState, platform: string, w: PlannedWrite): string {
  const since = w.op === 'create' ? state.pendingCreates[platform]?.[w.key] ?? '' : '';
  return `${state.connection}:${state.sourceProductId}:${platform}:${w.key}:${since}`;
}

/**
 * A create that never makes a second record: the first time it is simply sent; when an attempt
 * ends without an answer (or the worker died), the record is looked up before sending again.
 */
async function createOnce(state: ProductState, platform: string, w: PlannedWrite): Promise<string> {
  const pend = (state.pendingCreates[platform] ??= {});
  const ids = state.targets[platform]!.ids;
  const args = { connection: state.connection, platform, write: w, ids };
  for (let attempt = 1; ; attempt += 1) {
    if (pend[w.key]) {
      const found = await api(platform).findCreated({ ...args, since: pend[w.key]! });
      if (found) { delete pend[w.key]; return found; }
    } else {
      pend[w.key] = new Date(Date.now() - CREATE_LOOKUP_SLACK_MS).toISOString();
    }
    try {
      const { id } = await api(platform).applyWrite({ ...args, idempotencyKey: idempotencyKey(state, platform, w) });
      if (!id) throw ApplicationFailure.nonRetryable(`${platform} ${w.key}: create answered without an id`, 'SchemaDriftError');
      delete pend[w.key];
      return id;
    } catch (err) {
      if (!isType(err, 'CreateOutcomeUnknownError') || attempt >= 5) throw err;
    }
  }
}
