import { MappingError } from '../../errors.js';
import type { KoobBookingRequest } from './schemas.js';

/** What the bridge knows of one channel booking item, in its own terms. */
export interface BookingFor {
  experienceId: string;
  /** The start: `YYYY-MM-DD`, or a local `YYYY-MM-DDTHH:mm[:ss]` in the product's zone. */
  date: string;
  durationMinutes: number;
  adults: number;
  children: number;
  leadName: string;
  leadEmail: string;
  /** Our idempotency key, sent as `toReference` (e.g. `bridge:xola:<purchaseId>:<itemId>`). */
  reference: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Refuses impossible calendar dates (2026-02-30) that a pattern alone would let through. */
function utc(y: string, m: string, d: string, hh = '0', mm = '0', ss = '0'): Date | null {
  const t = new Date(Date.UTC(+y, +m - 1, +d, +hh, +mm, +ss));
  return t.getUTCFullYear() === +y && t.getUTCMonth() === +m - 1 && t.getUTCDate() === +d && t.getUTCHours() === +hh ? t : null;
}

/**
 * KOOB has no time zone: a date-only start ends on an inclusive end date (a 3-day program starting
 * on the 10th ends on the 12th, as periods do); a local start time ends `durationMinutes` later.
 */
function endOf(date: string, durationMinutes: number): string {
  const day = DATE.exec(date);
  if (day) {
    const t = utc(day[1]!, day[2]!, day[3]!);
    if (!t) throw new MappingError('KOOB booking: date: not a calendar date', { field: 'date' });
    t.setUTCDate(t.getUTCDate() + Math.max(0, Math.ceil(durationMinutes / 1440) - 1));
    return t.toISOString().slice(0, 10);
  }
  const local = LOCAL.exec(date);
  const t = local ? utc(local[1]!, local[2]!, local[3]!, local[4], local[5], local[6] ?? '0') : null;
  if (!t) throw new MappingError('KOOB booking: date: expected YYYY-MM-DD or a local YYYY-MM-DDTHH:mm[:ss]', { field: 'date' });
  return new Date(t.getTime() + durationMinutes * 60_000).toISOString().slice(0, 19);
}

function count(n: number, field: string): number {
  if (!Number.isInteger(n) || n < 0) throw new MappingError(`KOOB booking: ${field}: must be a whole number ≥ 0`, { field });
  return n;
}

/**
 * Builds the body of one KOOB booking. Pure; the lead's name and email appear only in the returned
 * body, never in an error message. A one-word name is sent as the last name alone.
 */
export function koobBookingFor(b: BookingFor): KoobBookingRequest {
  const adults = count(b.adults, 'adults');
  const children = count(b.children, 'children');
  if (adults + children < 1) throw new MappingError('KOOB booking: travelers: at least one traveler is required', { field: 'travelers' });
  if (!Number.isFinite(b.durationMinutes) || b.durationMinutes < 0) throw new MappingError('KOOB booking: durationMinutes: must be ≥ 0', { field: 'durationMinutes' });
  if (!b.experienceId) throw new MappingError('KOOB booking: experienceId: required', { field: 'experienceId' });
  if (!b.reference) throw new MappingError('KOOB booking: reference: required (sent as toReference)', { field: 'reference' });
  const names = b.leadName.trim().split(/\s+/).filter(Boolean);
  if (names.length === 0) throw new MappingError('KOOB booking: leadName: empty', { field: 'leadName' });
  if (!b.leadEmail.trim()) throw new MappingError('KOOB booking: leadEmail: empty', { field: 'leadEmail' });
  const startAt = DATE.test(b.date) ? b.date : b.date.length === 16 ? `${b.date}:00` : b.date;
  return {
    experienceId: b.experienceId,
    startAt,
    endAt: endOf(b.date, b.durationMinutes),
    ...(names.length > 1 ? { customerFirstName: names[0]! } : {}),
    customerLastName: names.length > 1 ? names.slice(1).join(' ') : names[0]!,
    customerEmail: b.leadEmail.trim(),
    travelers: [
      ...Array.from({ length: adults }, () => ({ kind: 'adult' as const })),
      ...Array.from({ length: children }, () => ({ kind: 'child' as const })),
    ],
    toReference: b.reference,
  };
}
