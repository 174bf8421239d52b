import { ApplicationFailure, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CONNECTION_ATTRIBUTE_PATCH, connectionKey } from '../src/temporal/search-attributes.js';
import { api, bridge } from './calls.js';

/** One tier of the sweep, the single object a Schedule (or the Temporal UI) starts it with. */
export interface ReconcileSweepInput {
  connection: string;
  /** Bookings changed within this window are re-read (ms-style duration, e.g. "30m"). */
  lookback: string;
  /** Only bookings with a departure within this many days from today. */
  horizonDays: number;
}

export interface SweepSummary {
  connection: string;
  bookings: number;
  inHorizon: number;
  signalled: number;
  unmatched: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "3h", "2d": the config's duration form; anything else (e.g. from a hand start) is refused. */
function toMs(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d.trim());
  if (!m) throw ApplicationFailure.nonRetryable(`lookback: "${d}" is not a duration such as "30m", "3h" or "2d"`, 'ConfigError');
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/**
 * The reconciliation sweep: re-reads each channel's bookings changed lately and signals the products
 * they touch. A lost webhook is repaired here; the ledger counts every booking once, so reading one
 * again is harmless.
 */
export async function reconcileSweepWorkflow(input: ReconcileSweepInput): Promise<SweepSummary> {
  if (!workflowInfo().typedSearchAttributes.get(connectionKey) && patched(CONNECTION_ATTRIBUTE_PATCH)) upsertSearchAttributes([{ key: connectionKey, value: input.connection }]);
  const lookbackMs = toMs(input.lookback);
  if (!Number.isInteger(input.horizonDays) || input.horizonDays < 1) throw ApplicationFailure.nonRetryable('horizonDays: must be a whole number of days ≥ 1', 'ConfigError');
  const route = await bridge().describeConnection({ connection: input.connection });
  const now = Date.now();
  const since = new Date(now - lookbackMs).toISOString();
  const today = new Date(now).toISOString().slice(0, 10);
  const until = new Date(now + input.horizonDays * 86_400_000).toISOString().slice(0, 10);
  const summary: SweepSummary = { connection: input.connection, bookings: 0, inHorizon: 0, signalled: 0, unmatched: 0 };
  for (const channel of route.channels) {
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof api>['listChangedBookings']>> = await api(channel).listChangedBookings({ connection: input.connection, channel, updatedSince: since, cursor });
      summary.bookings += page.items.length;
      // A booking with no readable date is kept: better one re-read too many than one missed.
      const items = page.items.filter((i) => i.dates.length === 0 || i.dates.some((d) => d >= today && d <= until));
      summary.inHorizon += items.length;
      if (items.length) {
        const r = await bridge().dispatchBookingEvents({ connection: input.connection, channel, via: `sweep/${workflowInfo().workflowId}`, items });
        summary.signalled += r.signalled;
        summary.unmatched += r.unmatched;
      }
      cursor = page.next;
    } while (cursor !== null);
  }
  return summary;
}
