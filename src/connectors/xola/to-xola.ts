import { htmlToText } from '../../canonical/html.js';
import { clipField } from '../../canonical/text.js';
import { toMajor } from '../../canonical/money.js';
import { placeholder } from '../../canonical/plan.js';
import type { AvailabilityRule, Loss, Product } from '../../canonical/product.js';

/** A Xola resource body before fingerprinting, with the paths that create, update and remove it. */
export interface XolaResource {
  key: string;
  body: Record<string, unknown>;
  create: { method: 'POST' | 'PUT'; path: string };
  update: { method: 'PUT'; path: string };
  /** Sent on create only: the experience is created hidden and published last. */
  createOnly?: Record<string, unknown>;
  /** Absent for departure events: a departure that leaves is closed by its schedule, its event is left. */
  remove?: { method: 'PUT' | 'DELETE'; path: string; body?: Record<string, unknown> };
}

export interface XolaMapOptions {
  sellerId: string;
  locale?: string;
}

const EXP = placeholder('experience');

const clip = (value: string, max: number, field: string, losses: Loss[]) => clipField(value, max, field, 'Xola', losses);

/** ISO weekdays (1 = Monday … 7 = Sunday) to Xola's `days` (0 = Sunday … 6 = Saturday, S4:L6223). */
export function isoToXolaDays(weekdays: number[]): number[] {
  return [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b);
}

function schedule(rule: AvailabilityRule, base: number, currency: string, losses: Loss[]): Record<string, unknown> | null {
  const field = `availability[${rule.id}]`;
  if (rule.sale === 'closed') {
    return { type: 'blackout', repeat: 'weekly', days: [0, 1, 2, 3, 4, 5, 6], start: rule.startDate, end: rule.endDate };
  }
  if (rule.sale === 'on_request') {
    losses.push({ field, reason: 'on-request period not published: Xola has no request-to-book schedule, and it must never sell as instant' });
    return null;
  }
  const body: Record<string, unknown> = rule.kind === 'dates'
    ? { type: 'available', repeat: 'custom', dates: rule.dates, start: rule.startDate, end: rule.endDate }
    : { type: 'available', repeat: 'weekly', days: isoToXolaDays(rule.weekdays), start: rule.startDate, end: rule.endDate };
  if (rule.kind === 'range' && rule.weekdays.length === 0) {
    losses.push({ field: `${field}.weekdays`, reason: 'no weekday is open; nothing to publish' });
    return null;
  }
  if (rule.price !== base) {
    body.priceDelta = toMajor(rule.price - base, currency);
  }
  if (rule.units.some((u) => u.type === 'CHILD') || rule.units.some((u) => u.tiers.length > 1)) {
    losses.push({ field: `${field}.units`, reason: 'child and pax-range prices need seller-defined Xola demographics; only the base price is carried' });
  }
  return body;
}

/** Canonical product → the Xola experience and one schedule per rule, with what did not fit. */
export function toXola(product: Product, opts: XolaMapOptions): { resources: XolaResource[]; losses: Loss[] } {
  const losses: Loss[] = [];
  const locale = opts.locale ?? product.defaultLocale;
  const text = product.texts[locale] ?? product.texts[product.defaultLocale]!;
  for (const other of Object.keys(product.texts)) {
    if (other !== locale) losses.push({ field: `texts.${other}`, reason: 'Xola experiences hold one language; only the default locale is written' });
  }
  const open = product.availability.filter((r) => r.sale !== 'closed');
  const base = open.length ? Math.min(...open.map((r) => r.price)) : 0;
  const perPax = open.length ? open.every((r) => r.perPax) : true;
  if (open.length && new Set(open.map((r) => r.perPax)).size > 1) {
    losses.push({ field: 'availability[].perPax', reason: 'periods mix per-person and per-group prices; Xola has one priceType, person is used' });
  }
  // Seats left per period (KOOB allotments − allotmentsUsed, with the ledger's bookings folded in).
  // `outingMax` (S4:L373) caps every departure that has no event of its own (S4:L921: an event's
  // `max` overrides it). Departure-date periods get an event each (departureEvents), so it is set
  // for range periods: their smallest pool, never more than any of them has left.
  const limited = open.filter((r) => r.capacity !== null);
  const ranged = limited.filter((r) => r.kind === 'range');
  const capacities = (ranged.length ? ranged : limited).map((r) => Math.max(0, r.capacity! - r.used));
  if (new Set(ranged.map((r) => r.capacity! - r.used)).size > 1) {
    losses.push({ field: 'availability[].capacity', reason: `range periods hold different seats left; Xola caps their unsold departures with one experience-wide outingMax, the smallest (${Math.min(...capacities)})` });
  }
  const experience: Record<string, unknown> = {
    seller: opts.sellerId,
    name: clip(text.name, 255, 'name', losses),
    desc: htmlToText(text.description),
    price: toMajor(base, product.currency),
    currency: product.currency,
    priceType: perPax ? 'person' : 'outing',
    category: product.type[0]!.toUpperCase() + product.type.slice(1),
    duration: Math.max(1, product.durationMinutes),
    eventDuration: Math.max(1, product.durationMinutes),
    scheduleType: 'day',
    cancellationPolicy: htmlToText(text.cancellationPolicy),
    included: text.included,
    notIncluded: text.excluded,
    group: {
      orderMin: open.length ? Math.min(...open.map((r) => r.minPax)) : 1,
      orderMax: open.length ? Math.max(...open.map((r) => r.maxPax)) : 1,
      ...(capacities.length ? { outingMax: Math.min(...capacities) } : {}),
    },
  };
  if (text.summary) experience.excerpt = clip(htmlToText(text.summary), 500, 'summary', losses);
  if (product.location) {
    experience.geo = { lat: product.location.lat, lng: product.location.lng, ...(product.location.address ? { address: product.location.address } : {}) };
  } else {
    losses.push({ field: 'location', reason: 'product has no coordinates; Xola geo left empty' });
  }
  if (product.durationMinutes === 0) losses.push({ field: 'durationMinutes', reason: 'no duration at the source; Xola needs ≥ 1 minute, 1 is sent' });
  const resources: XolaResource[] = [{
    key: 'experience',
    body: experience,
    // Created hidden: nothing is on sale before its schedules exist (the `publish` resource, last).
    createOnly: { visible: false },
    create: { method: 'POST', path: '/api/experiences' },
    update: { method: 'PUT', path: `/api/experiences/${EXP}` },
    // Never hard-deleted: an experience that leaves the source is hidden. The PUT needs `name` and
    // `seller` (S4:L194, L201); the target's apply re-reads the name Xola holds when it sends it.
    remove: { method: 'PUT', path: `/api/experiences/${EXP}`, body: { name: experience.name, seller: opts.sellerId, visible: false } },
  }];
  for (const rule of product.availability) {
    const body = schedule(rule, base, product.currency, losses);
    if (!body) continue;
    const key = `schedule.${rule.id}`;
    resources.push({
      key,
      body,
      create: { method: 'POST', path: `/api/experiences/${EXP}/schedules` },
      update: { method: 'PUT', path: `/api/experiences/${EXP}/schedules/${placeholder(key)}` },
      remove: { method: 'DELETE', path: `/api/experiences/${EXP}/schedules/${placeholder(key)}` },
    });
  }
  resources.push(...departureEvents(product));
  // Published last, once the experience and its schedules exist: a create that fails part-way
  // leaves a hidden experience that the next attempt completes, never one on sale without schedules.
  resources.push({
    key: 'publish',
    body: { name: experience.name, seller: opts.sellerId, visible: product.status === 'active' },
    create: { method: 'PUT', path: `/api/experiences/${EXP}` },
    update: { method: 'PUT', path: `/api/experiences/${EXP}` },
  });
  return { resources, losses };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a date. */
const weekday = (date: string) => { const d = new Date(`${date}T00:00:00Z`).getUTCDay(); return d === 0 ? 7 : d; };

/**
 * Xola counts seats per departure (event `max`, S4:L800-835). Every departure of a departure-date
 * period with limited seats, and every date Xola has sold, gets an event whose `max` is the
 * period's remaining seats plus Xola's own seats on that date, so Xola's `open` equals what is
 * left across every channel before its first sale too. An event is created with `max` (S4:L840-845,
 * "manual creation for … modifying capacity"), or found and given `max` when Xola made it for a
 * booking (PUT takes only `max` besides `manual`, S4:L921). Xola's events are timezone-agnostic
 * wall times (legacy event docs), so the start is the date at 00:00 "Z".
 */
function departureEvents(product: Product): XolaResource[] {
  const sold: Record<string, number> = { ...product.channelSeats?.xola };
  for (const r of product.availability) if (r.kind === 'dates' && r.sale === 'open' && r.capacity !== null) for (const d of r.dates) sold[d] ??= 0;
  const out: XolaResource[] = [];
  for (const [date, seats] of Object.entries(sold).sort()) {
    const rules = product.availability.filter((r) => (r.kind === 'dates' ? r.dates.includes(date) : date >= r.startDate && date <= r.endDate && r.weekdays.includes(weekday(date))));
    if (!rules.length || rules.some((r) => r.sale !== 'closed' && r.capacity === null)) continue; // unlimited: nothing to cap
    const left = rules.some((r) => r.sale === 'closed') ? 0 : Math.max(0, ...rules.map((r) => (r.capacity ?? 0) - r.used));
    const key = `event.${date}`;
    out.push({
      key,
      body: { experience: EXP, start: `${date}T00:00:00Z`, max: left + seats },
      create: { method: 'POST', path: '/api/events' },
      update: { method: 'PUT', path: `/api/events/${placeholder(key)}` },
    });
  }
  return out;
}
