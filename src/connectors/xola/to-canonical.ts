import tzLookup from '@photostructure/tz-lookup';
import { z } from 'zod';
import { MappingError } from '../../errors.js';
import { toMinor } from '../../canonical/money.js';
import type { AvailabilityRule, Loss, Product } from '../../canonical/product.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD');

/** The Xola experience GET shape we read, with `expand=schedules` (inline array or `{data}` envelope). */
export const XolaSourceExperience = z.object({
  id: z.string(),
  name: z.string().min(1),
  desc: z.string().nullish(),
  excerpt: z.string().nullish(),
  price: z.number().min(0).default(0),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be three capital letters'),
  priceType: z.enum(['person', 'outing']).default('person'),
  category: z.string().nullish(),
  duration: z.number().int().min(0).nullish(),
  eventDuration: z.number().int().min(0).nullish(),
  geo: z.object({ lat: z.number(), lng: z.number(), address: z.string().nullish() }).loose().nullish(),
  visible: z.boolean().default(true),
  cancellationPolicy: z.string().nullish(),
  included: z.array(z.string()).default([]),
  notIncluded: z.array(z.string()).default([]),
  group: z.object({ orderMin: z.number().nullish(), orderMax: z.number().nullish(), outingMax: z.number().nullish() }).loose().nullish(),
  schedules: z.union([
    z.array(z.unknown()),
    z.object({ data: z.array(z.unknown()) }).loose().transform((x) => x.data),
  ]).default([]),
}).loose();

const XolaSourceSchedule = z.object({
  id: z.string().optional(),
  type: z.enum(['available', 'blackout', 'unavailable']).default('available'),
  repeat: z.string().nullish(),
  days: z.array(z.number().int().min(0).max(6)).nullish(),
  dates: z.array(day).nullish(),
  start: day.nullish(),
  end: day.nullish(),
  priceDelta: z.number().nullish(),
  times: z.array(z.number().int()).nullish(),
}).loose();

const TYPES = ['program', 'activity', 'extra', 'transfer'] as const;
/** An open-ended Xola schedule is read as one year from its start (reported as a loss). */
const OPEN_ENDED_DAYS = 365;

function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Xola experience (with schedules) → canonical Product; Xola `days` 0 = Sunday become ISO 7. */
export function xolaToCanonical(raw: unknown, locale = 'en', today = new Date().toISOString().slice(0, 10)): { product: Product; losses: Loss[] } {
  const parsed = XolaSourceExperience.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MappingError(`Xola experience: ${issue.path.join('.') || '(record)'}: ${issue.message}`, { field: issue.path.join('.') });
  }
  const x = parsed.data;
  const losses: Loss[] = [];
  if (!x.geo) throw new MappingError(`Xola experience ${x.id}: geo: no coordinates to derive the time zone from`, { field: 'geo' });
  const capacity = x.group?.outingMax ?? null;
  const base = toMinor(x.price, x.currency);
  const rules: AvailabilityRule[] = x.schedules.map((s, i) => {
    const r = XolaSourceSchedule.safeParse(s);
    if (!r.success) throw new MappingError(`Xola experience ${x.id}: schedules[${i}].${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`, { field: `schedules[${i}]` });
    const sc = r.data;
    const start = (sc.start ?? sc.dates?.[0] ?? today).slice(0, 10);
    if (sc.times?.length) losses.push({ field: `schedules[${i}].times`, reason: `departure times ${sc.times.map((t) => String(t).padStart(4, '0')).join(', ')} have no canonical field (KOOB periods are dates only); dropped` });
    if (!sc.end && !sc.dates?.length) losses.push({ field: `schedules[${i}].end`, reason: `open-ended schedule read as ${OPEN_ENDED_DAYS} days from its start` });
    const dates = (sc.dates ?? []).map((d) => d.slice(0, 10));
    const byDates = dates.length > 0 && (sc.repeat === 'custom' || sc.repeat === 'once');
    const closed = sc.type !== 'available';
    return {
      id: sc.id ?? `s${i}`,
      kind: byDates ? 'dates' : 'range',
      startDate: byDates ? dates[0]! : start,
      endDate: byDates ? dates[dates.length - 1]! : (sc.end ?? plusDays(start, OPEN_ENDED_DAYS)).slice(0, 10),
      weekdays: byDates ? [] : (sc.days ?? [0, 1, 2, 3, 4, 5, 6]).map((d) => (d === 0 ? 7 : d)).sort(),
      dates: byDates ? dates : [],
      sale: closed ? 'closed' : 'open',
      freesale: !closed && capacity === null,
      capacity: closed ? 0 : capacity,
      used: 0,
      perPax: x.priceType === 'person',
      price: base + toMinor(sc.priceDelta ?? 0, x.currency),
      minPax: Math.max(1, x.group?.orderMin ?? 1),
      maxPax: Math.max(1, x.group?.orderMax ?? capacity ?? 1),
      units: [],
    };
  });
  const category = (x.category ?? 'activity').toLowerCase();
  const type = (TYPES as readonly string[]).includes(category) ? (category as Product['type']) : 'activity';
  if (type !== category) losses.push({ field: 'category', reason: `Xola category "${x.category}" has no canonical type; read as activity` });
  const product: Product = {
    sourcePlatform: 'xola',
    sourceId: x.id,
    reference: null,
    type,
    pricingType: 'fit',
    status: x.visible ? 'active' : 'inactive',
    defaultLocale: locale,
    texts: { [locale]: { name: x.name, description: x.desc ?? null, summary: x.excerpt ?? null, included: x.included, excluded: x.notIncluded, cancellationPolicy: x.cancellationPolicy ?? null } },
    timeZone: tzLookup(x.geo.lat, x.geo.lng),
    durationMinutes: x.eventDuration ?? x.duration ?? 0,
    location: { lat: x.geo.lat, lng: x.geo.lng, address: x.geo.address ?? null, city: null, countryCode: null },
    currency: x.currency,
    instantConfirmation: true,
    allowFreesale: capacity === null,
    availability: rules,
  };
  return { product, losses };
}
