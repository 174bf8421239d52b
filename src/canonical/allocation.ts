import type { Product } from './product.js';

/** A target's allocation as configured (src/config.ts `Endpoint.allocation`). */
export type Allocation = { seats: number } | { share: number } | { mirror: true };

/** A target that cannot report its sales, with its allocation (absent = 0 seats). */
export interface BlindChannel {
  platform: string;
  allocation?: Allocation;
}

/** Seats per departure the allocation grants out of a period of `capacity` seats. */
function quota(a: Allocation | undefined, capacity: number): number {
  if (!a) return 0;
  if ('seats' in a) return a.seats;
  if ('share' in a) return Math.floor(a.share * capacity);
  return capacity;
}

/**
 * The product as one target must see it when some targets cannot report their sales (README,
 * "which channel learns of sales how"). Per open, limited period, each such channel in config
 * order gets `min(quota, seats still left)`, pushed as its seats (a period with none is closed
 * there: listed, not bookable); those seats are held back from every other channel, because a sale
 * there is never seen. A `mirror` channel holds nothing back and sees what reporting channels see.
 * Freesale, on-request and closed periods are left as they are. Pure.
 */
export function withAllocations(product: Product, platform: string, blind: BlindChannel[]): Product {
  const held = blind.filter((b) => !(b.allocation && 'mirror' in b.allocation));
  if (held.length === 0) return product;
  const mine = held.find((b) => b.platform === platform);
  return {
    ...product,
    availability: product.availability.map((r) => {
      if (r.sale !== 'open' || r.freesale || r.capacity === null) return r;
      let left = Math.max(0, r.capacity - r.used);
      const caps = new Map<string, number>();
      for (const b of held) {
        const cap = Math.min(quota(b.allocation, r.capacity), left);
        caps.set(b.platform, cap);
        left -= cap;
      }
      if (mine) {
        const cap = caps.get(platform) ?? 0;
        return { ...r, used: r.capacity - cap, sale: cap > 0 ? r.sale : 'closed' };
      }
      const reserved = [...caps.values()].reduce((n, c) => n + c, 0);
      const used = r.used + reserved;
      return { ...r, used, sale: r.capacity - used > 0 ? r.sale : 'closed' };
    }),
  };
}
