import type { RuleCapacity } from './ledger.js';
import type { Product } from './product.js';

/** The periods of a product as the ledger tracks them (no texts, no prices). */
export function ruleCapacities(product: Product): RuleCapacity[] {
  return product.availability.map((r) => ({
    id: r.id, kind: r.kind, startDate: r.startDate, endDate: r.endDate, weekdays: r.weekdays, dates: r.dates,
    capacity: r.freesale ? null : r.capacity, used: r.used, closed: r.sale === 'closed',
  }));
}

/**
 * The product as targets must see it: seats the ledger holds beyond the source's own count are
 * added to `used`, and a period with no seat left (sold out or oversold) is closed everywhere.
 */
export function withInventory(product: Product, adjust: Record<string, { extraUsed: number; close: boolean }>, seats: Record<string, Record<string, number>> = {}): Product {
  return {
    ...product,
    ...(Object.keys(seats).length ? { channelSeats: seats } : {}),
    availability: product.availability.map((r) => {
      const a = adjust[r.id];
      const used = Math.max(0, r.used + (a?.extraUsed ?? 0));
      const soldOut = r.capacity !== null && !r.freesale && r.capacity - used <= 0;
      return { ...r, used, sale: a?.close || soldOut ? 'closed' : r.sale };
    }),
  };
}
