import { CreateOutcomeUnknownError, InvalidRequestError, MappingError, TransientError } from '../../errors.js';
import { neverSent } from '../../http/classify.js';
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
 * Why a retried booking is never sent again: KOOB documents booking search
 * (https://docs.dev.v2koob.tech/bookings, "Search Bookings") but the part we could read documents
 * only `GET /api/v1/bookings/{id}`, which needs the id a lost answer took with it. No documented
 * call finds a booking by `toReference`, so absence cannot be proven and a resend could book twice.
 */
export const NO_LOOKUP = 'KOOB documents no look-up of a booking by toReference that we could read';

/**
 * Books one channel item on KOOB at most once. The request carries our `toReference`. A 409 naming
 * the booking that holds it (if KOOB sends one) is read back and adopted. When the answer is lost
 * (`TransientError`), or an earlier attempt may have sent it (`mayExist`), the outcome is unknown:
 * `CreateOutcomeUnknownError` (never retried), for an operator to check KOOB by `toReference`.
 */
export async function bookOnce(client: KoobClient, request: KoobBookingRequest & { toReference: string }, opts: { mayExist?: boolean } = {}): Promise<BookOnceResult> {
  if (!request.toReference) throw new MappingError('KOOB booking: toReference is required (it is the idempotency key)', { field: 'toReference' });
  const unknown = (why: string) => new CreateOutcomeUnknownError(`KOOB booking ${request.toReference}: ${why}; ${NO_LOOKUP}, so it is not sent again: check KOOB for this toReference`);
  if (opts.mayExist) throw unknown('an earlier attempt may have booked it');
  try {
    const [id] = await client.book([request]);
    return { outcome: 'created', id: id! };
  } catch (err) {
    // A refused connection sent nothing: Temporal may simply retry. Any other transient failure may have booked.
    if (err instanceof TransientError && !neverSent(err)) throw unknown(`the answer was lost (${err.message})`);
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
