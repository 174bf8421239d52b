import { z } from 'zod';
import type { AvailabilityRule, Product } from './product.js';

/** OCTO availability status; LIMITED means fewer than half the seats are left. */
export const SlotStatus = z.enum(['AVAILABLE', 'FREESALE', 'LIMITED', 'SOLD_OUT', 'CLOSED']);
export type SlotStatus = z.infer<typeof SlotStatus>;

/** One dated departure (OCTO availability); vacancies are null under freesale. */
export const Slot = z.object({
  ruleId: z.string(),
  localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** ISO start with the offset of the product's zone on that date (DST-correct). */
  start: z.string(),
  end: z.string(),
  capacity: z.number().int().nullable(),
  vacancies: z.number().int().nullable(),
  status: SlotStatus,
  /** False for on-request departures: never sold as instantly confirmed. */
  instant: z.boolean(),
});
export type Slot = z.infer<typeof Slot>;

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date, independent of any zone. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function offsetMinutesAt(timeZone: string, instant: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(part);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

/**
 * UTC offset ("+07:00") of `timeZone` at the local wall time `minutes` after midnight of
 * `localDate`, computed for that date (DST-correct): the offset is looked up at the instant the
 * wall time denotes, not at the wall time read as UTC.
 */
export function offsetAt(timeZone: string, localDate: string, minutes = 0): string {
  const wall = Date.parse(`${localDate}T00:00:00Z`) + minutes * 60_000;
  let off = offsetMinutesAt(timeZone, wall);
  const second = offsetMinutesAt(timeZone, wall - off * 60_000);
  if (second !== off) off = offsetMinutesAt(timeZone, wall - second * 60_000) === second ? second : off;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Status of a slot from its capacity and vacancies (freesale has no limit). */
export function slotStatus(rule: Pick<AvailabilityRule, 'sale' | 'freesale'>, capacity: number | null, vacancies: number | null): SlotStatus {
  if (rule.sale === 'closed') return 'CLOSED';
  if (rule.freesale || capacity === null || vacancies === null) return 'FREESALE';
  if (vacancies <= 0) return 'SOLD_OUT';
  return vacancies < capacity / 2 ? 'LIMITED' : 'AVAILABLE';
}

/** Expands the product's rules into dated slots between `from` and `to` (inclusive). */
export function expandSlots(product: Pick<Product, 'availability' | 'timeZone' | 'durationMinutes'>, from: string, to: string): Slot[] {
  const slots: Slot[] = [];
  for (const rule of product.availability) {
    const dates = rule.kind === 'dates'
      ? rule.dates
      : enumerate(rule.startDate, rule.endDate).filter((d) => rule.weekdays.includes(isoWeekday(d)));
    for (const date of dates) {
      if (date < from || date > to) continue;
      const vacancies = rule.capacity === null ? null : Math.max(0, rule.capacity - rule.used);
      const endMinutes = Math.max(product.durationMinutes, 1);
      const endDate = addDays(date, Math.floor(endMinutes / 1440));
      const rest = endMinutes % 1440;
      const endTime = `${String(Math.floor(rest / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
      slots.push({
        ruleId: rule.id,
        localDate: date,
        start: `${date}T00:00:00${offsetAt(product.timeZone, date)}`,
        end: `${endDate}T${endTime}:00${offsetAt(product.timeZone, endDate, rest)}`,
        capacity: rule.freesale ? null : rule.capacity,
        vacancies: rule.freesale ? null : vacancies,
        status: slotStatus(rule, rule.capacity, vacancies),
        instant: rule.sale === 'open',
      });
    }
  }
  return resolveOverlaps(slots);
}

const PRECEDENCE: Record<SlotStatus, number> = { CLOSED: 0, SOLD_OUT: 1, LIMITED: 2, AVAILABLE: 3, FREESALE: 4 };

/**
 * Where periods overlap on a date, the most restrictive wins: a stop_sale inside a free_sale range
 * closes those dates, and an on-request period is never made instant by an open one.
 */
function resolveOverlaps(slots: Slot[]): Slot[] {
  const byDate = new Map<string, Slot>();
  for (const s of slots) {
    const prev = byDate.get(s.localDate);
    if (!prev) { byDate.set(s.localDate, s); continue; }
    const restrictive = PRECEDENCE[s.status] < PRECEDENCE[prev.status] || (PRECEDENCE[s.status] === PRECEDENCE[prev.status] && !s.instant && prev.instant);
    if (restrictive) byDate.set(s.localDate, s);
  }
  return [...byDate.values()].sort((a, b) => a.start.localeCompare(b.start));
}

function enumerate(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d <= end && out.length < 3700; d = addDays(d, 1)) out.push(d);
  return out;
}
