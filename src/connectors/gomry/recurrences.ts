import type { AvailabilityRule, Loss, Product } from '../../canonical/product.js';

/**
 * ISO weekday (1 = Monday … 7 = Sunday) → Gomry `days_of_week`. Gomry does not document its
 * numbering (examples `[2,4]`, `[1,3]` only); we assume JavaScript's `Date.getDay()` order,
 * 0 = Sunday … 6 = Saturday (README, "Weekday numbering"). This is the only place that knows it.
 */
export const GOMRY_DAY_OF_ISO: Readonly<Record<number, number>> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 0 };

/** Seats sent for a freesale period: Gomry's largest documented capacity (default_capacity ≤ 10000, S1:L54-59). */
export const GOMRY_FREESALE_CAPACITY = 10_000;

/** One recurrence body (cut to the dates left after stop-sale and on-request periods). */
export interface RecurrencePlan { key: string; body: Record<string, unknown>; capacity: number; rule: AvailabilityRule }

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;
const isoWeekday = (d: string) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Dates no open period may sell: stop-sale and on-request periods, whole ranges (weekdays ignored: conservative). */
function blockedIntervals(product: Product): Array<[number, number]> {
  return product.availability.filter((r) => r.sale !== 'open').flatMap((r): Array<[number, number]> =>
    r.kind === 'dates' ? r.dates.map((d): [number, number] => [day(d), day(d)]) : [[day(r.startDate), day(r.endDate)]]);
}

/** [start, end] minus the blocked intervals, as date pairs. */
function subtract(start: number, end: number, blocked: Array<[number, number]>): Array<[string, string]> {
  let parts: Array<[number, number]> = [[start, end]];
  for (const [bs, be] of blocked) {
    parts = parts.flatMap(([s, e]): Array<[number, number]> => {
      if (be < s || bs > e) return [[s, e]];
      return [...(bs > s ? [[s, bs - DAY] as [number, number]] : []), ...(be < e ? [[be + DAY, e] as [number, number]] : [])];
    });
  }
  return parts.map(([s, e]) => [iso(s), iso(e)]);
}

function seats(rule: AvailabilityRule, field: string, losses: Loss[]): number {
  if (rule.freesale || rule.capacity === null) {
    losses.push({ field: `${field}.capacity`, reason: `freesale (no seat limit at the source); Gomry needs a number, ${GOMRY_FREESALE_CAPACITY} seats per session sent` });
    return GOMRY_FREESALE_CAPACITY;
  }
  const left = rule.capacity - rule.used;
  if (rule.used > 0) losses.push({ field: `${field}.used`, reason: `Gomry holds one capacity per session: the ${rule.used} seats used at the source are taken off every session (never oversells)` });
  if (left > GOMRY_FREESALE_CAPACITY) losses.push({ field: `${field}.capacity`, reason: `above Gomry's ${GOMRY_FREESALE_CAPACITY}; capped` });
  return Math.min(left, GOMRY_FREESALE_CAPACITY);
}

/** Open, instant periods → weekly recurrences; everything else stays unbookable (and is reported). */
export function recurrences(product: Product, opts: { startTime: string; providerId?: string }, losses: Loss[]): RecurrencePlan[] {
  const blocked = blockedIntervals(product);
  const out: RecurrencePlan[] = [];
  for (const rule of product.availability) {
    const field = `availability[${rule.id}]`;
    if (rule.sale === 'closed') { losses.push({ field, reason: 'stop sale: no recurrence published, and open periods are cut around these dates' }); continue; }
    if (rule.sale === 'on_request') { losses.push({ field, reason: 'on request: Gomry has no request-to-book recurrence; not published (never sold as instant)' }); continue; }
    if (!product.instantConfirmation) { losses.push({ field, reason: 'the product needs supplier confirmation; not published as instant' }); continue; }
    const capacity = seats(rule, field, losses);
    if (capacity < 1) { losses.push({ field, reason: 'no seats left at the source; not published' }); continue; }
    const spans = rule.kind === 'dates'
      ? rule.dates.flatMap((d) => subtract(day(d), day(d), blocked))
      : subtract(day(rule.startDate), day(rule.endDate), blocked);
    if (spans.length === 0) losses.push({ field, reason: 'every date is closed by a stop-sale or on-request period; not published' });
    spans.forEach(([start, end], i) => {
      const isoDays = rule.kind === 'dates' ? [isoWeekday(start)] : rule.weekdays;
      const hit = Array.from({ length: Math.min(7, (day(end) - day(start)) / DAY + 1) }, (_, k) => isoWeekday(iso(day(start) + k * DAY))).some((w) => isoDays.includes(w));
      if (!hit) { losses.push({ field: `${field}.weekdays`, reason: `no open weekday between ${start} and ${end}; not published` }); return; }
      const provider = opts.providerId ? { provider_id: opts.providerId } : {};
      out.push({
        key: i === 0 ? `recurrence.${rule.id}` : `recurrence.${rule.id}.${i}`,
        capacity,
        rule,
        body: {
          ...provider,
          timezone: product.timeZone,
          start_date: start,
          cadence: { frequency: 'weekly', interval: 1, days_of_week: [...new Set(isoDays.map((d) => GOMRY_DAY_OF_ISO[d]!))].sort((a, b) => a - b) },
          end_condition: { type: 'date', end_date: end },
          session_templates: [{ start_time_of_day: opts.startTime, capacity, ...provider }],
        },
      });
    });
  }
  if (out.length) losses.push({ field: 'availability[].startTime', reason: `the source has no departure times; every session starts at ${opts.startTime} local time` });
  return out;
}
