import { allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, getExternalWorkflowHandle, patched, setHandler, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import { productWorkflowId } from '../src/temporal/ids.js';
import { bridge } from './calls.js';
import type { ProductState } from './messages.js';

/** One channel record a product created: `platform:targetId` → the product's source id. */
export interface Route { platform: string; targetId: string; sourceProductId: string }
/** A webhook no route matched yet, kept for the product that will record its route. */
export interface HeldEvent { platform: string; targetId: string; signal: string; arg: unknown; heldAt?: string }

export interface RouteTableInput {
  connection: string;
  routes?: Record<string, string>;
  held?: HeldEvent[];
}

/** Products record the records they create (sent with signal-with-start by recordRoutes). */
export const routeRecorded = defineSignal<[{ routes: Route[] }]>('routeRecorded');
/** The receiver hands over a webhook that matched no route (a signal: durable even with no worker up). */
export const eventHeld = defineSignal<[HeldEvent]>('eventHeld');
/** The product holding a channel record, or null. */
export const routeOf = defineQuery<string | null, [{ platform: string; targetId: string }]>('routeOf');

/** How long an unmatched webhook waits for its route before it is reported as never matched. */
const HOLD_MS = 15 * 60_000;
/** Held events beyond this are reported at once (the oldest first): memory and history stay bounded. */
const MAX_HELD = 1000;
/** Signals per run before continue-as-new, even when the SDK has not suggested it yet. */
const SIGNALS_PER_RUN = 2000;

const keyOf = (platform: string, targetId: string) => `${platform}:${targetId}`;

/**
 * The route table of one connection (`routes/<connection>`): the durable map from each channel
 * record a product created to that product, written when the record is created (never through
 * eventually consistent visibility). Webhooks that match no route wait here and are delivered when
 * the route appears, or reported after HOLD_MS (bridge_webhook_never_matched_total).
 */
export async function routeTableWorkflow(input: RouteTableInput): Promise<void> {
  const routes: Record<string, string> = { ...input.routes };
  const held: HeldEvent[] = [...(input.held ?? [])];
  let signals = 0;
  setHandler(routeRecorded, ({ routes: add }) => {
    signals += 1;
    for (const r of add) routes[keyOf(r.platform, r.targetId)] = r.sourceProductId;
  });
  setHandler(eventHeld, (e) => {
    signals += 1;
    held.push({ ...e, heldAt: e.heldAt ?? new Date().toISOString() });
  });
  setHandler(routeOf, ({ platform, targetId }) => {
    const id = routes[keyOf(platform, targetId)];
    return id === undefined ? null : productWorkflowId(input.connection, id);
  });

  for (;;) {
    const expiry = held.length ? Math.min(...held.map((h) => Date.parse(h.heldAt!))) + HOLD_MS : null;
    const ready = () => held.some((h) => routes[keyOf(h.platform, h.targetId)] !== undefined) || held.length > MAX_HELD
      || signals >= SIGNALS_PER_RUN || workflowInfo().continueAsNewSuggested;
    if (expiry === null) await condition(ready);
    else await condition(ready, Math.max(1, expiry - Date.now()));
    const now = Date.now();
    const expired: HeldEvent[] = [];
    for (const h of held.splice(0)) {
      const owner = routes[keyOf(h.platform, h.targetId)];
      if (owner !== undefined) {
        // The product may be gone (terminated by hand): nothing else holds the record then.
        await getExternalWorkflowHandle(productWorkflowId(input.connection, owner)).signal(h.signal, h.arg).catch(() => undefined);
      } else if (Date.parse(h.heldAt!) + HOLD_MS <= now) {
        expired.push(h);
      } else {
        held.push(h);
      }
    }
    while (held.length > MAX_HELD) expired.push(held.shift()!);
    if (expired.length) {
      const platforms = expired.map((h) => h.platform);
      await bridge().reportUnmatched({ connection: input.connection, platforms }).catch(() => undefined);
    }
    if (signals >= SIGNALS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof routeTableWorkflow>({ connection: input.connection, routes, held });
    }
  }
}

/** The record keys a channel's webhooks name: Xola/Gomry/Fanfare experiences, Whop's product. */
const ROUTED_KEYS = ['experience', 'product'];

/**
 * Records in the route table every webhook-named record the product holds and has not recorded
 * yet: called right after such a record is created (before it can be published and sold) and after
 * each sync (products created before route tables existed). A failure is retried next time.
 */
export async function recordNewRoutes(state: ProductState): Promise<void> {
  const fresh: Route[] = [];
  for (const [platform, t] of Object.entries(state.targets)) {
    for (const k of ROUTED_KEYS) {
      const id = t.ids[k];
      if (id && !(state.routed ?? []).includes(`${platform}:${id}`)) fresh.push({ platform, targetId: id, sourceProductId: state.sourceProductId });
    }
  }
  if (!fresh.length || !patched('route-table')) return;
  try {
    await bridge().recordRoutes({ connection: state.connection, routes: fresh });
    (state.routed ??= []).push(...fresh.map((r) => `${r.platform}:${r.targetId}`));
  } catch {
    // The table is unreachable for now: visibility still finds the product, and the next turn records it.
  }
}

// Like the product entities, the route table never ends: on versioned workers it follows each new
// current version (a Pinned one would keep the old version from ever draining). Code changes go
// behind patched(). Unversioned workers declare nothing (the server rejects a behaviour there).
setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'AUTO_UPGRADE' } : {}), routeTableWorkflow);
