import { z } from 'zod';
import type { LedgerEntry } from './ledger.js';

/** OCTO booking statuses. */
export const BookingStatus = z.enum(['ON_HOLD', 'CONFIRMED', 'CANCELLED', 'PENDING', 'EXPIRED']);
export type BookingStatus = z.infer<typeof BookingStatus>;

/**
 * A channel booking in the canonical model (OCTO-shaped): which channel sold how many units of
 * which departure, and our idempotency key for writing it back. No personal data.
 */
export const Booking = z.object({
  channel: z.string(),
  channelBookingId: z.string(),
  channelLineId: z.string(),
  localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  units: z.number().int().min(1),
  status: BookingStatus,
  /** Our key on the source (KOOB `toReference`). */
  idempotencyKey: z.string(),
  sourceBookingId: z.string().nullable(),
});
export type Booking = z.infer<typeof Booking>;

/** A ledger line as an OCTO booking: pending lines are PENDING (on request), never CONFIRMED. */
export function toBooking(entry: LedgerEntry): Booking {
  return Booking.parse({
    channel: entry.channel,
    channelBookingId: entry.bookingId,
    channelLineId: entry.lineId,
    localDate: entry.date,
    units: entry.units,
    status: entry.status === 'cancelled' ? 'CANCELLED' : entry.status === 'pending' ? 'PENDING' : 'CONFIRMED',
    idempotencyKey: `bridge:${entry.channel}:${entry.bookingId}:${entry.lineId}`,
    sourceBookingId: entry.sourceBookingId,
  });
}
