import type { ConnectionRoute } from '../activities/catalog.js';
import { detectOversold, entryKey, markReflected, recordLine } from '../src/canonical/ledger.js';
import { api, failureText } from './calls.js';
import type { BookingEvent, ProductState } from './messages.js';

/** Keeps the product's oversell problems in step with the ledger. */
export function refreshOversold(state: ProductState): void {
  const over = new Map(detectOversold(state.ledger).map((o) => [o.ruleId, o.over]));
  for (const key of Object.keys(state.problems)) if (key.startsWith('oversold:') && !over.has(key.slice(9))) delete state.problems[key];
  for (const [ruleId, n] of over) {
    state.problems[`oversold:${ruleId}`] = `period ${ruleId} oversold by ${n} seat(s) across channels: closed on every channel until seats come back`;
  }
}

/**
 * Records channel bookings in the ledger (once each), writes new ones back to the source, and
 * notes what an operator must do. The sync that follows pushes the new seats to every channel.
 */
export async function handleBookings(state: ProductState, route: ConnectionRoute, events: BookingEvent[]): Promise<void> {
  const seen = new Set<string>();
  for (const e of events) {
    const id = `${e.channel}:${e.bookingId}`;
    const experienceId = state.targets[e.channel]?.ids.experience;
    if (seen.has(id) || !experienceId) continue;
    seen.add(id);
    let booking;
    try {
      booking = await api(e.channel).fetchChannelBooking({ connection: state.connection, channel: e.channel, bookingId: e.bookingId, experienceId });
      delete state.problems[`fetch:${id}`];
    } catch (err) {
      state.problems[`fetch:${id}`] = `${e.channel} booking ${e.bookingId} could not be read: ${failureText(err)}`;
      continue;
    }
    // Gone (rolled back): every line we hold for it gives its seats back.
    const lines = booking?.lines ?? Object.values(state.ledger.entries)
      .filter((x) => x.channel === e.channel && x.bookingId === e.bookingId)
      .map((x) => ({ channel: x.channel, bookingId: x.bookingId, lineId: x.lineId, date: x.date, units: x.units, status: 'cancelled' as const }));
    for (const line of lines) {
      const { result, entry } = recordLine(state.ledger, line);
      const key = entryKey(line);
      if (result === 'unchanged' && (entry.reflected || entry.status === 'cancelled')) continue;
      if (entry.status !== 'cancelled' && !entry.reflected) {
        try {
          const done = await api(route.source).writeBackBooking({
            connection: state.connection, sourceProductId: state.sourceProductId, date: line.date, units: line.units,
            durationMinutes: state.durationMinutes ?? 0, lead: booking?.lead ?? null, reference: `bridge:${key}`,
          });
          markReflected(state.ledger, key, done.sourceBookingId);
          delete state.problems[`writeback:${key}`];
        } catch (err) {
          state.problems[`writeback:${key}`] = `${e.channel} booking ${e.bookingId} (${line.date}, ${line.units} seat(s)) not written to ${route.source}: ${failureText(err)}`;
        }
      } else if (entry.status === 'cancelled' && entry.reflected) {
        delete state.problems[`writeback:${key}`];
        state.problems[`cancel:${key}`] = `${e.channel} booking ${e.bookingId} was cancelled: cancel ${route.source} booking ${entry.sourceBookingId} by hand (${route.source} documents no cancel endpoint); its seats are already back on sale`;
      }
    }
  }
  refreshOversold(state);
}
