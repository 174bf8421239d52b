import { InvalidRequestError, MappingError } from '../../errors.js';
import type { KoobClient } from './client.js';
import type { KoobBooking, KoobBookingRequest } from './schemas.js';

/** What `bookOnce` did: made the booking, or found that our reference was already booked. */
export type BookOnceResult = { outcome: 'created'; id: string } | { outcome: 'already-booked'; id: string };

/**
 * The id of the record that already holds our reference (`toReference` of a booking,
 * `dmcReference` of an experience), from a 409 body `{errors: id}` (the simulator's shape and our
 * reading of KOOB's; README).
 */
export function duplicateOf(err: InvalidRequestError): string | null {
  if (err.details.status !== 409) return null;
  try {
    const body = JSON.parse(String(err.details.body)) as { errors?: unknown; id?: unknown; bookingId?: unknown };
    const id = body.bookingId ?? body.id ?? body.errors;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/**
 * Books one channel item on KOOB at most once. The request carries our `toReference`; a create
 * retried after a lost answer is refused by KOOB with 409 naming the existing booking, which we
 * read back and adopt only if it holds the same reference. Never retries by itself: Temporal does.
 */
export async function bookOnce(client: KoobClient, request: KoobBookingRequest & { toReference: string }): Promise<BookOnceResult> {
  if (!request.toReference) throw new MappingError('KOOB booking: toReference is required (it is the idempotency key)', { field: 'toReference' });
  try {
    const [id] = await client.book([request]);
    return { outcome: 'created', id: id! };
  } catch (err) {
    const existing = err instanceof InvalidRequestError ? duplicateOf(err) : null;
    if (!existing) throw err;
    const found = await client.getBooking(existing);
    if (found.toReference !== request.toReference) throw err;
    return { outcome: 'already-booked', id: existing };
  }
}

/**
 * KOOB's state values are not documented: `canceledAt` (or a state naming cancel) wins, then
 * confirmed / pending by name; anything else is `unknown` and must not be treated as confirmed.
 */
export function koobBookingStatus(b: KoobBooking): 'confirmed' | 'pending' | 'canceled' | 'unknown' {
  const states = [b.state, b.dmcState ?? ''].map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (b.canceledAt || states.some((s) => s.includes('cancel'))) return 'canceled';
  if (states.some((s) => /pending|request|waiting/.test(s))) return 'pending';
  if (states.length > 0 && states.every((s) => s === 'confirmed' || s === 'validated')) return 'confirmed';
  return 'unknown';
}
