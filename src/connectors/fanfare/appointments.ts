import { expandSlots } from '../../canonical/slots.js';
import type { Loss, Product } from '../../canonical/product.js';

/** More departures than this in one nested create are cut (docs give no limit; keeps one request small). */
export const MAX_APPOINTMENTS = 400;

/**
 * One appointment distribution per open departure date: its window is exactly one slot
 * (openAt = the local start, closeAt = start + duration, offsets of the zone on those dates),
 * so Fanfare cannot generate extra slots from opening hours and sell seats twice. Where periods
 * overlap, `expandSlots` keeps the most restrictive (stop_sale, sold out, on-request win), and
 * only instant, open, not-sold-out dates are published.
 */
export function appointmentsOf(product: Product, losses: Loss[], max = MAX_APPOINTMENTS): Record<string, unknown>[] {
  for (const rule of product.availability) {
    const field = `availability[${rule.id}]`;
    if (rule.sale === 'on_request') losses.push({ field, reason: 'on-request period not published: Fanfare appointments book instantly, and on-request must never sell as instant' });
    if (rule.kind === 'range' && rule.weekdays.length === 0 && rule.sale === 'open') losses.push({ field: `${field}.weekdays`, reason: 'no weekday is open; nothing to publish' });
  }
  const slots = expandSlots(product, '0000-01-01', '9999-12-31')
    .filter((s) => s.instant && s.status !== 'CLOSED' && s.status !== 'SOLD_OUT');
  if (slots.length > max) {
    losses.push({ field: 'availability', reason: `more than ${max} departures; dates from ${slots[max]!.localDate} on are not published in this create` });
  }
  return slots.slice(0, max).map((s) => ({
    name: `Departure ${s.localDate}`,
    openAt: s.start,
    closeAt: s.end,
    slotDurationMinutes: Math.max(1, product.durationMinutes),
    bufferMinutes: 0,
    // Seats left at the source (capacity − used), so Fanfare never sells seats sold elsewhere; freesale has no cap.
    ...(s.vacancies === null ? {} : { maxCapacityPerSlot: s.vacancies }),
  }));
}
