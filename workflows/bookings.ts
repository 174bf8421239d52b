import type { ConnectionRoute } from '../activities/catalog.js';
import { type BookingLine, detectOversold, entryKey, type LedgerEntry, markReflected, markSourceCancelled, placeLine, recordLine, referenceFor } from '../src/canonical/ledger.js';
import { api, failureText, isFailureType } from './calls.js';
import type { BookingEvent, ProductState } from './messages.js';

/** Keeps the product's oversell problems in step with the ledger. */
export function refreshOversold(state: ProductState): void {
  const over = new Map(detectOversold(state.ledger).map((o) => [o.ruleId, o.over]));
  for (const key of Object.keys(state.problems)) if (key.startsWith('oversold:') && !over.has(key.slice(9))) delete state.problems[key];
  for (const [ruleId, n] of over) {
    state.problems[`oversold:${ruleId}`] = `period ${ruleId} oversold by ${n} seat(s) across channels: closed on every channel until seats come back`;
  }
}

function askManualCancel(state: ProductState, route: ConnectionRoute, entry: LedgerEntry): void {
  if (entry.sourceCancelled) return;
  state.problems[`cancel:${entryKey(entry)}`] = `${entry.channel} booking ${entry.bookingId} (${entry.date}, ${entry.units} seat(s)) was cancelled or changed: cancel ${route.source} booking ${entry.sourceBookingId} by hand (${route.source} documents no cancel endpoint); its seats stay held on every channel until ${route.source} shows it cancelled`;
}

/**
 * A write-back whose outcome is unknown (its answer was lost and the source offers no look-up by
 * our reference): never sent again; it stays a problem for an operator to check at the source.
 */
const outcomeUnknown = (state: ProductState, key: string) => state.problems[`unknown:${key}`] !== undefined;

/**
 * Confirmed channel bookings never written back (the source refused or was down): asked again
 * at every turn of the entity, so a write-back is not lost with its webhook.
 */
export function bookingsToRetry(state: ProductState): Array<{ channel: string; bookingId: string }> {
  const out = new Map<string, { channel: string; bookingId: string }>();
  for (const x of Object.values(state.ledger.entries)) {
    if (x.status === 'confirmed' && !x.reflected && !outcomeUnknown(state, entryKey(x))) out.set(`${x.channel}:${x.bookingId}`, { channel: x.channel, bookingId: x.bookingId });
  }
  return [...out.values()];
}

/**
 * Bookings cancelled on a channel that the source still holds: once an operator cancels them on
 * the source, the source stops counting them and so must our ledger (and the problem closes).
 */
export async function checkSourceCancellations(state: ProductState, route: ConnectionRoute): Promise<void> {
  for (const [key, e] of Object.entries(state.ledger.entries)) {
    if (e.status !== 'cancelled' || !e.reflected || e.sourceCancelled || !e.sourceBookingId) continue;
    try {
      if ((await api(route.source, 'booking').sourceBookingState({ connection: state.connection, sourceBookingId: e.sourceBookingId })) === 'canceled') {
        markSourceCancelled(state.ledger, key);
        delete state.problems[`cancel:${key}`];
      }
    } catch {
      // Unknown for now: the problem stays open and the next turn asks again.
    }
  }
}

/**
 * Records channel bookings in the ledger (once each), writes new ones back to the source, and
 * notes what an operator must do. The sync that follows pushes the new seats to every channel.
 * Returns the events that changed the ledger (their seats must now reach every channel).
 */
export async function handleBookings(state: ProductState, route: ConnectionRoute, events: BookingEvent[]): Promise<BookingEvent[]> {
  const seen = new Set<string>();
  const moved: BookingEvent[] = [];
  for (const e of events) {
    const id = `${e.channel}:${e.bookingId}`;
    const experienceId = state.targets[e.channel]?.ids.experience;
    if (seen.has(id) || !experienceId) continue;
    seen.add(id);
    let booking;
    try {
      booking = await api(e.channel, 'booking').fetchChannelBooking({ connection: state.connection, channel: e.channel, bookingId: e.bookingId, experienceId });
      delete state.problems[`fetch:${id}`];
    } catch (err) {
      state.problems[`fetch:${id}`] = `${e.channel} booking ${e.bookingId} could not be read: ${failureText(err)}`;
      continue;
    }
    // Lines we hold that the booking no longer lists (rolled back, removed, abandoned) give their seats back.
    const held = Object.values(state.ledger.entries).filter((x) => x.channel === e.channel && x.bookingId === e.bookingId && !x.lineId.includes('#'));
    const listed = new Set((booking?.lines ?? []).map((l) => l.lineId));
    const lines: BookingLine[] = [
      ...(booking?.lines ?? []),
      ...held.filter((x) => !listed.has(x.lineId)).map((x) => ({ channel: x.channel, bookingId: x.bookingId, lineId: x.lineId, date: x.date, units: x.units, status: 'cancelled' as const })),
    ];
    for (const read of lines) {
      // A sale that names no date (Whop sells access) takes the next open departure (ledger.ts placeLine).
      const line = placeLine(state.ledger, read, new Date().toISOString().slice(0, 10));
      const { result, entry, superseded } = recordLine(state.ledger, line);
      if (result !== 'unchanged' && !moved.includes(e)) moved.push(e);
      const key = entryKey(line);
      if (superseded) askManualCancel(state, route, superseded);
      if (entry.status === 'cancelled') delete state.problems[`writeback:${key}`];
      if (result === 'unchanged' && (entry.reflected || entry.status === 'cancelled')) continue;
      // Holds (pending) keep their seats in our books only; the source gets confirmed bookings, so
      // an expired or rolled-back hold never leaves a source booking to cancel by hand.
      if (entry.status === 'confirmed' && !entry.reflected && !outcomeUnknown(state, key)) {
        try {
          const done = await api(route.source, 'booking').writeBackBooking({
            connection: state.connection, sourceProductId: state.sourceProductId, date: line.date, units: line.units,
            durationMinutes: state.durationMinutes ?? 0, lead: booking?.lead ?? null, reference: referenceFor(state.ledger, key),
          });
          markReflected(state.ledger, key, done.sourceBookingId);
          delete state.problems[`writeback:${key}`];
        } catch (err) {
          if (isFailureType(err, 'CreateOutcomeUnknownError')) {
            delete state.problems[`writeback:${key}`];
            state.problems[`unknown:${key}`] = `${e.channel} booking ${e.bookingId} (${line.date}, ${line.units} seat(s)) may or may not be booked on ${route.source}; not sent again: ${failureText(err)}`;
            continue;
          }
          state.problems[`writeback:${key}`] = `${e.channel} booking ${e.bookingId} (${line.date}, ${line.units} seat(s)) not written to ${route.source}: ${failureText(err)}`;
        }
      } else if (entry.status === 'cancelled' && entry.reflected) {
        askManualCancel(state, route, entry);
      }
    }
  }
  refreshOversold(state);
  return moved;
}
