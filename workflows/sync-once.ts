import { ApplicationFailure } from '@temporalio/workflow';
import type { ConnectionRoute } from '../activities/catalog.js';
import { adjustments, channelSeats, setRules } from '../src/canonical/ledger.js';
import { emptyTargetState, type PlannedWrite, type TargetState } from '../src/canonical/plan.js';
import { refreshOversold } from './bookings.js';
import { api, bridge, failureText, isFailureType, type Lane } from './calls.js';
import { recordNewRoutes } from './route-table.js';
import type { ProductReport, ProductState, TargetResult } from './messages.js';
import { noteDrift, verifyTargets } from './verify.js';

/** Clock slack for "created since": platform clocks and workflow time may differ a little. */
const CREATE_LOOKUP_SLACK_MS = 5 * 60_000;

/**
 * One sync of one product: read every locale from the source, plan each target's minimal writes
 * (with the ledger's seats folded in), apply them one HTTP write per activity, report. With
 * `verify`, our records are read back before any write, and drift repaired or reported (verify.ts).
 */
export async function syncOnce(state: ProductState, route: ConnectionRoute, requestId: string, verify = false, turn: Turn = { lane: 'catalog' }): Promise<ProductReport> {
  const report: ProductReport = { requestId, sourceProductId: state.sourceProductId, name: state.name, targets: [] };
  const source = api(route.source, turn.lane);
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
    const planOf = (check: boolean) => bridge().planProduct({
      connection: state.connection, records, targets: state.targets, adjustments: adjustments(state.ledger), channelSeats: channelSeats(state.ledger), ...(check ? { verify: true } : {}),
    });
    let plan = await planOf(verify);
    const drifts = plan.verify ? await verifyTargets(state, plan.verify) : [];
    // A repair forgot ids or fingerprints: plan again, so this same sync re-creates or re-asserts.
    if (drifts.some((d) => d.repaired)) plan = await planOf(false);
    if (records !== null) {
      setRules(state.ledger, plan.rules);
      state.durationMinutes = plan.durationMinutes;
      refreshOversold(state);
    }
    state.name = plan.name ?? state.name;
    report.name = state.name;
    // Gone at the source, or stand_by there: whatever we write now takes it off sale.
    const unpublishing = records === null || plan.status === 'inactive';
    for (const platform of route.targets) {
      const tp = plan.targets[platform] ?? { writes: [], losses: [] };
      report.targets.push(tp.error
        ? { platform, outcome: 'failed', writes: 0, error: tp.error, losses: tp.losses.length }
        : await applyTarget(state, platform, tp.writes, tp.losses.length, unpublishing, turn));
    }
    state.gone = records === null && report.targets.every((t) => t.outcome !== 'failed');
    noteDrift(state, drifts, report);
  } catch (err) {
    // The source record itself could not be read or mapped: every target fails with that reason.
    const error = failureText(err);
    for (const platform of route.targets) report.targets.push({ platform, outcome: 'failed', writes: 0, error, losses: 0 });
  }
  return report;
}

/**
 * How one sync calls the APIs: on the catalog queues, or on the booking lane (a sync that pushes
 * the seats a booking moved). `between` runs before each target write: the entity takes the
 * bookings that arrived meanwhile there (README, "The booking lane").
 */
export interface Turn {
  lane: Lane;
  between?: () => Promise<void>;
}

async function applyTarget(state: ProductState, platform: string, writes: PlannedWrite[], losses: number, gone: boolean, turn: Turn): Promise<TargetResult> {
  const t: TargetState = (state.targets[platform] ??= emptyTargetState());
  let created = false;
  let done = 0;
  try {
    for (const w of writes) {
      if (turn.between) await turn.between();
      if (w.op === 'create') {
        t.ids[w.key] = await createOnce(state, platform, w, turn.lane);
        created ||= w.key === 'experience';
        // Routed before the record can be published and sold: its first sale finds this product.
        await recordNewRoutes(state);
      } else {
        await api(platform, turn.lane).applyWrite({ connection: state.connection, platform, write: w, ids: t.ids, idempotencyKey: idempotencyKey(state, platform, w) });
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
async function createOnce(state: ProductState, platform: string, w: PlannedWrite, lane: Lane): Promise<string> {
  const pend = (state.pendingCreates[platform] ??= {});
  const ids = state.targets[platform]!.ids;
  const args = { connection: state.connection, platform, write: w, ids };
  for (let attempt = 1; ; attempt += 1) {
    if (pend[w.key]) {
      const found = await api(platform, lane).findCreated({ ...args, since: pend[w.key]! });
      if (found) { delete pend[w.key]; return found; }
    } else {
      pend[w.key] = new Date(Date.now() - CREATE_LOOKUP_SLACK_MS).toISOString();
    }
    try {
      const { id } = await api(platform, lane).applyWrite({ ...args, idempotencyKey: idempotencyKey(state, platform, w) });
      if (!id) throw ApplicationFailure.nonRetryable(`${platform} ${w.key}: create answered without an id`, 'SchemaDriftError');
      delete pend[w.key];
      return id;
    } catch (err) {
      if (!isFailureType(err, 'CreateOutcomeUnknownError') || attempt >= 5) throw err;
    }
  }
}
