import { z } from 'zod';
import { describeIssues } from '../../config.js';
import { SchemaDriftError } from '../../errors.js';

/** One booked line of one experience, as the bridge's ledger needs it: no customer data. */
export const XolaBookingLine = z.object({
  itemId: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  /** HHMM (930 = 09:30); null for all-day departures. */
  time: z.number().int().min(0).max(2359).refine((t) => t % 100 < 60, 'must be HHMM with minutes < 60').nullable(),
  quantity: z.number().int().min(0),
  status: z.enum(['confirmed', 'pending', 'cancelled']),
}).strict();
export type XolaBookingLine = z.infer<typeof XolaBookingLine>;

const LineItem = z.object({ type: z.string().optional(), quantity: z.number().optional() }).loose();
const Item = z.object({
  id: z.string().min(1),
  status: z.string().optional(),
  product: z.object({ id: z.string().min(1) }).loose(),
  arrivalDate: z.string().nullish(),
  arrivalTime: z.union([z.number(), z.string()]).nullish(),
  arrivalDateTime: z.string().nullish(),
  quantity: z.number().nullish(),
  lineItems: z.array(LineItem).nullish(),
  timeslot: z.object({ time: z.number().nullish(), scheduleType: z.string().nullish() }).loose().nullish(),
}).loose();
const Purchase = z.object({
  id: z.string().min(1),
  status: z.string(),
  deletedAt: z.string().nullish(),
  items: z.array(z.unknown()).nullish(),
}).loose();

/** Purchase statuses that hold no seats (S4:L3358): drafts, abandoned carts, waitlist entries. */
const SKIPPED_PURCHASES = new Set(['draft', 'abandon', 'waitlist']);
/** Item statuses that hold no seats: abandoned carts (S4:L4106) and drafts (S4:L3464). */
const SKIPPED_ITEMS = new Set(['abandoned', 'draft']);

function drift(what: string, message: string): SchemaDriftError {
  return new SchemaDriftError(`xola purchase ${what}: ${message}`, { platform: 'xola' });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  // describeIssues names paths and rules only, never the values (no customer data in errors).
  if (!r.success) throw drift(what, describeIssues(r.error));
  return r.data;
}

/** `arrivalTime` as HHMM int (2000, S4:L3888) or "HH:MM" string (S4:L4110); null when absent. */
function hhmmOf(value: number | string | null | undefined, what: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const colon = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(value.trim());
  if (colon) return Number(colon[1]) * 100 + Number(colon[2]);
  if (/^\d{1,4}$/.test(value.trim())) return Number(value.trim());
  throw drift(what, 'arrivalTime is neither HHMM nor HH:MM');
}

/**
 * Date and time of an item. `arrivalDate` (+ `arrivalTime`) wins; otherwise the wall time written in
 * `arrivalDateTime` is read as is (event starts are timezone-agnostic wall times, platforms.md §1.3),
 * except for day-scheduled timeslots whose midnight is no departure time.
 */
function whenOf(item: z.infer<typeof Item>, what: string): { date: string; time: number | null } {
  if (item.arrivalDate) {
    const time = hhmmOf(item.arrivalTime, what) ?? (typeof item.timeslot?.time === 'number' ? item.timeslot.time : null);
    return { date: item.arrivalDate.slice(0, 10), time };
  }
  const dt = item.arrivalDateTime ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(item.arrivalDateTime) : null;
  if (!dt) throw drift(what, 'item has neither arrivalDate nor arrivalDateTime');
  const allDay = item.timeslot?.scheduleType === 'day' || dt[2] === undefined;
  return { date: dt[1]!, time: allDay ? null : Number(dt[2]) * 100 + Number(dt[3]) };
}

/** `quantity`, or the sum of demographic line items when the item carries none (S4:L3446-3460). */
function quantityOf(item: z.infer<typeof Item>, what: string): number {
  if (typeof item.quantity === 'number') return item.quantity;
  const demographic = (item.lineItems ?? []).filter((l) => l.type === 'demographic' && typeof l.quantity === 'number');
  if (demographic.length === 0) throw drift(what, 'item has no quantity and no demographic line items');
  return demographic.reduce((n, l) => n + (l.quantity ?? 0), 0);
}

function statusOf(purchaseStatus: string, deleted: boolean, itemStatus: string | undefined, what: string): XolaBookingLine['status'] | null {
  const s = itemStatus?.toLowerCase();
  if (deleted || s === 'canceled' || s === 'cancelled' || s === 'declined') return 'cancelled';
  if (s && SKIPPED_ITEMS.has(s)) return null;
  if (s !== undefined && s !== 'confirmed' && s !== 'pending' && s !== 'reserved') throw drift(what, 'unknown item status');
  if (purchaseStatus === 'hold') return 'pending';
  // committed: a confirmed item is confirmed; pending, reserved or unstated ones still hold seats.
  return s === 'confirmed' ? 'confirmed' : 'pending';
}

/**
 * The booked lines of one experience in a Xola purchase, normalized for the ledger. Drafts,
 * abandoned carts and waitlist entries give none; a rolled-back purchase (`deletedAt`) gives
 * cancelled lines. Throws SchemaDriftError when an item cannot be read (e.g. a list answer without
 * `expand=items`), rather than silently losing a booking.
 */
export function xolaBookingLines(purchase: unknown, experienceId: string): XolaBookingLine[] {
  const p = parse(Purchase, purchase, '(root)');
  const status = p.status.toLowerCase();
  if (SKIPPED_PURCHASES.has(status)) return [];
  if (status !== 'hold' && status !== 'committed') throw drift(p.id, 'unknown purchase status');
  const lines: XolaBookingLine[] = [];
  for (const [i, raw] of (p.items ?? []).entries()) {
    const what = `${p.id} item ${i}`;
    const item = parse(Item, raw, what);
    if (item.product.id !== experienceId) continue;
    const lineStatus = statusOf(status, Boolean(p.deletedAt), item.status, what);
    if (lineStatus === null) continue;
    const { date, time } = whenOf(item, what);
    lines.push(parse(XolaBookingLine, { itemId: item.id, date, time, quantity: quantityOf(item, what), status: lineStatus }, what));
  }
  return lines;
}

/** The experience ids a purchase touches, so a webhook or sweep knows which products to re-read. */
export function xolaExperienceIdsOf(purchase: unknown): string[] {
  const p = parse(Purchase, purchase, '(root)');
  const ids = new Set<string>();
  for (const [i, raw] of (p.items ?? []).entries()) ids.add(parse(Item, raw, `${p.id} item ${i}`).product.id);
  return [...ids];
}
