import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, setHandler, setWorkflowOptions, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { emptyLedger, prune } from '../src/canonical/ledger.js';
import { lastResultKey, targetIdsKey, targetRoutingIds } from '../src/temporal/search-attributes.js';
import { bookingsToRetry, checkSourceCancellations, handleBookings } from './bookings.js';
import { bridge } from './calls.js';
import {
  type BookingEvent, type ProductState, type SyncRequest, bookingEvent, productState, productSynced, syncRequested, targetChanged,
} from './messages.js';
import type { ConnectionRoute } from '../activities/catalog.js';
import { recordNewRoutes } from './route-table.js';
import { syncOnce, type Turn } from './sync-once.js';

export interface ProductSyncInput {
  connection: string;
  sourceProductId: string;
  state?: ProductState;
  pending?: SyncRequest[];
  bookings?: BookingEvent[];
  /** Continue-as-new after this many syncs (default SYNCS_PER_RUN; tests force it low). */
  syncsPerRun?: number;
}

/** Syncs after this many runs of history even when the SDK has not suggested continue-as-new yet. */
const SYNCS_PER_RUN = 100;

/**
 * The entity workflow of one (connection, source product): the single writer of its target ids,
 * fingerprints and inventory ledger. A `syncRequested` signal runs one sync; a `bookingEvent`
 * records the channel's booking, writes it back to the source, then syncs so every channel gets
 * the new seats.
 */
export async function productSyncWorkflow(input: ProductSyncInput): Promise<void> {
  const state: ProductState = input.state ?? {
    connection: input.connection, sourceProductId: input.sourceProductId, name: null, targets: {}, pendingCreates: {}, syncs: 0, last: null, gone: false, ledger: emptyLedger(), problems: {},
  };
  // States carried over from before the ledger existed get an empty one.
  state.ledger ??= emptyLedger();
  state.problems ??= {};
  const syncsAtStart = state.syncs;
  const pending: SyncRequest[] = [...(input.pending ?? [])];
  const bookings: BookingEvent[] = [...(input.bookings ?? [])];
  setHandler(syncRequested, (r) => { pending.push(r); });
  setHandler(bookingEvent, (e) => { bookings.push(e); });
  setHandler(productState, () => state);
  setHandler(targetChanged, ({ platform, resourceKey }) => {
    // Forget the fingerprint so the next sync rewrites that record from the source.
    const t = state.targets[platform];
    if (t?.ids[resourceKey] === undefined) return;
    delete t.fingerprints[resourceKey];
    pending.push({ requestId: `target-changed/${platform}/${resourceKey}/${workflowInfo().historyLength}` });
  });

  // Seats moved by bookings taken in the middle of a sync: the next turn pushes them (booking lane).
  const carried: BookingEvent[] = [];
  // The connection's routing facts are read on each sync turn and reused by the booking turns that
  // follow: one activity less between a sale and its write-back (release 0.2.0; histories of 0.1.0
  // read them on every turn, hence the patch).
  let known: ConnectionRoute | null = null;
  for (;;) {
    await condition(() => pending.length > 0 || bookings.length > 0 || carried.length > 0);
    const route: ConnectionRoute = (pending.length === 0 && known) || await bridge().describeConnection({ connection: state.connection });
    if (patched('route-on-sync-turns')) known = route;
    const events = bookings.splice(0);
    // Write-backs that failed before are tried again with every turn (never lost with their webhook).
    for (const r of bookingsToRetry(state)) {
      if (!events.some((x) => x.channel === r.channel && x.bookingId === r.bookingId)) events.push({ ...r, via: 'retry' });
    }
    const moved = [...carried.splice(0), ...(events.length ? await handleBookings(state, route, events) : [])];
    await checkSourceCancellations(state, route);
    prune(state.ledger, new Date().toISOString().slice(0, 10));
    const batch = pending.splice(0);
    const requestId = batch[0]?.requestId ?? `booking/${moved[0]?.channel}/${moved[0]?.bookingId}`;
    // A turn without a sync request pushes seats: the booking lane. A catalog sync takes bookings
    // that arrive between its writes (written back at once), and the next turn pushes their seats.
    const lane = batch.length === 0 && patched('booking-lane') ? 'booking' : 'catalog';
    const turn: Turn = lane === 'booking' || !patched('booking-lane') ? { lane } : {
      lane,
      between: async () => { if (bookings.length) carried.push(...await handleBookings(state, route, bookings.splice(0))); },
    };
    // The source listed this product in a row that failed its schema: nothing is read or written.
    const rejected = batch.length > 0 && batch.every((r) => r.rejected) ? batch[0]!.rejected! : null;
    const report = rejected !== null
      ? { requestId, sourceProductId: state.sourceProductId, name: state.name, targets: route.targets.map((platform) => ({ platform, outcome: 'failed' as const, writes: 0, error: rejected, losses: 0 })) }
      : await syncOnce(state, route, requestId, batch.some((r) => r.verify), turn);
    await recordNewRoutes(state);
    state.syncs += 1;
    state.last = report;
    report.problems = Object.values(state.problems);
    const failed = report.targets.some((t) => t.outcome === 'failed') || report.problems.length > 0;
    const result = failed ? 'failed' : state.gone ? 'gone' : 'ok';
    const targetIds = targetRoutingIds(state.targets);
    upsertSearchAttributes([{ key: lastResultKey, value: result }, { key: targetIdsKey, value: targetIds }]);
    // Seats a booking moved have reached every target: an activity turns the times into a metric.
    const sales = moved.flatMap((e) => (e.at ? [{ channel: e.channel, at: e.at }] : []));
    if (sales.length && report.targets.every((t) => t.outcome !== 'failed') && patched('sale-to-channels-metric')) {
      await bridge().observeSaleToChannels({ connection: state.connection, sales, doneAt: new Date().toISOString() }).catch(() => undefined);
    }
    for (const r of batch) {
      if (!r.replyTo) continue;
      // The catalog run may have ended (timeout, terminate); its summary then simply lacks us.
      await getExternalWorkflowHandle(r.replyTo.workflowId, r.replyTo.runId).signal(productSynced, { ...report, requestId: r.requestId }).catch(() => undefined);
    }
    // Pending signals travel with the new run, so it need not wait for a quiet moment. Bookings taken
    // between writes whose seats are not pushed yet travel too: re-reading them records nothing twice,
    // and the turn they start pushes their seats.
    if (workflowInfo().continueAsNewSuggested || state.syncs - syncsAtStart >= (input.syncsPerRun ?? SYNCS_PER_RUN)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof productSyncWorkflow>({ connection: state.connection, sourceProductId: state.sourceProductId, state, pending, bookings: [...carried, ...bookings], syncsPerRun: input.syncsPerRun });
    }
  }
}

// A product lives for ever: on versioned workers it follows each new current deployment version on
// its next task (changes to its code go behind patched()); catalog and sweep runs stay Pinned (the
// workers' default). Unversioned workers must declare no behaviour (the server rejects it). README runbook.
setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'AUTO_UPGRADE' } : {}), productSyncWorkflow);
