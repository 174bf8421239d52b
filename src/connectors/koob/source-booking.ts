import { MappingError } from '../../errors.js';
import type { SourceBookingRequest } from '../types.js';
import { bookOnce, koobBookingStatus } from './bookings.js';
import type { KoobClient } from './client.js';
import { koobBookingFor } from './to-koob-booking.js';

/**
 * A channel booking written back to KOOB once: `toReference` carries our key, a duplicate answer
 * is adopted, a lost one is never resent (bookOnce). On-request periods give pending bookings.
 */
export async function koobBook(client: KoobClient, r: SourceBookingRequest, opts: { mayExist?: boolean } = {}): Promise<{ sourceBookingId: string; state: 'confirmed' | 'pending' }> {
  if (!r.lead) throw new MappingError(`booking ${r.reference}: no lead traveller to write back`, { field: 'lead' });
  const body = koobBookingFor({
    experienceId: r.sourceProductId, date: r.date, durationMinutes: r.durationMinutes,
    adults: r.units, children: 0, leadName: r.lead.name, leadEmail: r.lead.email, reference: r.reference,
  });
  const { id } = await bookOnce(client, { ...body, toReference: r.reference }, opts);
  // The booking exists now: a failed read of its state must not lose its id (a retry would have to
  // treat the booking as unknown). The state is informational; unread, it is reported as pending.
  const state = await client.getBooking(id).then((b) => koobBookingStatus(b), () => 'unknown' as const);
  return { sourceBookingId: id, state: state === 'confirmed' ? 'confirmed' : 'pending' };
}
