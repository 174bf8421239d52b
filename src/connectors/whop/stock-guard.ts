/**
 * Whop decrements a plan's `stock` itself at each sale (SDK shared.ts `Plan.stock`: "Units available
 * for purchase"). A stock we set is absolute, so it would erase a sale Whop made that our ledger has
 * not recorded yet. We therefore keep, in the plan's `metadata` (SDK `PlanUpdateParams.metadata`),
 * the stock we last set and the Whop seats our ledger held then; before the next set we compare.
 */

/** Our keys in the plan's metadata; every other key is the merchant's and is sent back unchanged. */
export const STOCK_KEY = 'bridge_stock';
export const SOLD_KEY = 'bridge_sold';

/** What our desired plan body carries: the stock we want and the Whop seats our ledger holds. */
export interface StockMark {
  stock?: number | null;
  unlimited_stock?: boolean | null;
  metadata?: unknown;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

/**
 * The `stock` and `metadata` to send, given the plan as Whop holds it now. Whop's sales since our
 * last set = (stock we set − stock now); those our ledger recorded since = (seats held now − seats
 * held then). The rest are sales we have not recorded: they are subtracted from what we set (never
 * below 0), and the sweep or the sale's webhook records them; the next set, with them recorded,
 * puts the exact number back. Without a mark (first set, or a plan someone else edited) nothing
 * is subtracted beyond what the plan holds: we never raise a stock Whop lowered without knowing why.
 */
export function guardedStock(current: { stock?: number | null; unlimited_stock: boolean; metadata?: unknown }, want: StockMark): { stock?: number; metadata?: Record<string, unknown> } {
  const theirs = record(current.metadata);
  const ours = record(want.metadata);
  const metadata = { ...theirs, ...ours };
  const desired = num(want.stock);
  if (want.unlimited_stock || desired === null) return { metadata };
  const now = num(current.stock);
  const setBefore = num(theirs[STOCK_KEY]);
  const soldBefore = num(theirs[SOLD_KEY]) ?? 0;
  const soldNow = num(ours[SOLD_KEY]) ?? 0;
  let stock = desired;
  if (!current.unlimited_stock && now !== null) {
    if (setBefore !== null) {
      const whopSold = Math.max(0, setBefore - now);
      const unrecorded = Math.max(0, whopSold - Math.max(0, soldNow - soldBefore));
      stock = Math.max(0, desired - unrecorded);
    } else if (now < desired) {
      stock = now;
    }
  }
  return { stock, metadata: { ...metadata, [STOCK_KEY]: stock, [SOLD_KEY]: soldNow } };
}
