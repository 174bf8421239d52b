import { htmlToText } from '../../canonical/html.js';
import { clipField } from '../../canonical/text.js';
import { toMajor } from '../../canonical/money.js';
import { placeholder } from '../../canonical/plan.js';
import type { Loss, Product } from '../../canonical/product.js';
import { GOMRY_FREESALE_CAPACITY, recurrences } from './recurrences.js';

export { GOMRY_DAY_OF_ISO, GOMRY_FREESALE_CAPACITY } from './recurrences.js';

/** A Gomry resource body before fingerprinting, with the paths that create, update and remove it. */
export interface GomryResource {
  key: string;
  body: Record<string, unknown>;
  create: { method: 'POST'; path: string };
  update: { method: 'PATCH'; path: string };
  remove: { method: 'PATCH' | 'DELETE'; path: string; body?: Record<string, unknown> };
}

export interface GomryMapOptions {
  locale?: string;
  /** Local start of every session, HH:MM (KOOB has no departure times). */
  startTime?: string;
  /** SpaceMember id to run the sessions, when the organisation wants one. */
  providerId?: string;
}

/** Sessions start at 09:00 unless the endpoint says otherwise (a morning departure, as tours mostly are). */
export const GOMRY_DEFAULT_START_TIME = '09:00';
/** Documented ranges (S1:L48-77). */
const LIMITS = { name: 120, duration: 1440, capacity: 10_000, perBooking: 50 };
/** Booking window: 24 h lead time for the DMC; 365 days ahead so a year of periods is bookable (Gomry's default is 60). */
const BOOKING_WINDOW = { min_hours_before: 24, max_days_ahead: 365 };

const EXP = placeholder('experience');
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function describe(text: Product['texts'][string]): string {
  const parts = [htmlToText(text.description)];
  if (text.included.length) parts.push(`Included:\n${text.included.map((i) => `- ${i}`).join('\n')}`);
  if (text.excluded.length) parts.push(`Not included:\n${text.excluded.map((i) => `- ${i}`).join('\n')}`);
  if (text.cancellationPolicy) parts.push(`Cancellation policy:\n${htmlToText(text.cancellationPolicy)}`);
  return parts.filter(Boolean).join('\n\n');
}

/** Canonical product → the Gomry experience, then one recurrence per open span, with what did not fit. */
export function toGomry(product: Product, opts: GomryMapOptions = {}): { resources: GomryResource[]; losses: Loss[] } {
  const losses: Loss[] = [];
  const locale = opts.locale ?? product.defaultLocale;
  const text = product.texts[locale] ?? product.texts[product.defaultLocale]!;
  for (const other of Object.keys(product.texts)) {
    if (other !== locale) losses.push({ field: `texts.${other}`, reason: 'Gomry experiences hold one language; only the default locale is written' });
  }
  const name = clipField(text.name, LIMITS.name, 'name', 'Gomry', losses);
  if (text.summary) losses.push({ field: 'summary', reason: 'Gomry has one description field; the summary is not written' });
  if (text.cancellationPolicy) losses.push({ field: 'cancellationPolicy', reason: 'free text only: appended to the description; refundable_until_hours_before left at Gomry\'s value' });

  let duration = product.durationMinutes;
  if (duration > LIMITS.duration) losses.push({ field: 'durationMinutes', reason: `${duration} minutes (a multi-day program) exceeds Gomry's ${LIMITS.duration}; ${LIMITS.duration} sent` });
  if (duration < 1) losses.push({ field: 'durationMinutes', reason: 'no duration at the source; Gomry needs 1..1440, 60 sent' });
  duration = duration < 1 ? 60 : clamp(duration, 1, LIMITS.duration);

  const plans = recurrences(product, { startTime: opts.startTime ?? GOMRY_DEFAULT_START_TIME, providerId: opts.providerId }, losses);
  const rules = plans.map((p) => p.rule);
  const perGroup = rules.length > 0 && rules.every((r) => !r.perPax);
  if (new Set(rules.map((r) => r.perPax)).size > 1) losses.push({ field: 'availability[].perPax', reason: 'periods mix per-person and per-group prices; Gomry has one price, sent per seat' });
  const prices = rules.map((r) => r.price);
  const price = prices.length ? Math.max(...prices) : Math.max(0, ...product.availability.map((r) => r.price));
  if (new Set(prices).size > 1) losses.push({ field: 'availability[].price', reason: 'Gomry has one price per experience; the highest open price is sent (never sells below the source)' });
  if (product.availability.some((r) => r.units.some((u) => u.type === 'CHILD'))) losses.push({ field: 'availability[].units.CHILD', reason: 'Gomry per_session pricing has no child price; adults\' price applies' });
  if (product.availability.some((r) => r.units.some((u) => u.tiers.length > 1))) losses.push({ field: 'availability[].units.tiers', reason: 'Gomry has no pax-range tiers; the period base price is used' });
  if (perGroup) losses.push({ field: 'availability[].perPax', reason: 'per-group price: one Gomry seat stands for the whole group (max_booking_quantity 1); group size is not enforced' });

  const capacities = plans.map((p) => p.capacity);
  if (!capacities.length) losses.push({ field: 'default_capacity', reason: 'no open period; 1 sent and registration closed' });
  const maxPax = Math.max(1, ...rules.map((r) => r.maxPax));
  if (!perGroup && maxPax > LIMITS.perBooking) losses.push({ field: 'availability[].maxPax', reason: `Gomry allows at most ${LIMITS.perBooking} seats per booking` });
  if (product.location) losses.push({ field: 'location.lat', reason: 'Gomry locations carry no coordinates' });

  const experience: Record<string, unknown> = {
    name,
    description: describe(text),
    duration_minutes: duration,
    default_capacity: capacities.length ? clamp(Math.max(...capacities), 1, GOMRY_FREESALE_CAPACITY) : 1,
    pricing: { model: 'per_session', currency: product.currency.toLowerCase(), amount: toMajor(price, product.currency) },
    scheduling_rules: { booking_window: BOOKING_WINDOW },
    max_booking_quantity: perGroup ? 1 : clamp(maxPax, 1, LIMITS.perBooking),
    status: product.status === 'active' ? 'active' : 'inactive',
    registration_status: plans.length ? 'open' : 'closed',
  };
  if (product.location) {
    const { address, city, countryCode } = product.location;
    experience.location = { type: 'in_person', ...(address ? { address } : {}), ...(city ? { city } : {}), ...(countryCode ? { country: countryCode } : {}) };
  }
  const resources: GomryResource[] = [{
    key: 'experience',
    body: experience,
    create: { method: 'POST', path: '/experiences' },
    update: { method: 'PATCH', path: `/experiences/${EXP}` },
    // Never hard-deleted: an experience that leaves the source is made inactive (hidden, no bookings).
    remove: { method: 'PATCH', path: `/experiences/${EXP}`, body: { status: 'inactive' } },
  }];
  for (const p of plans) {
    resources.push({
      key: p.key,
      body: p.body,
      create: { method: 'POST', path: `/experiences/${EXP}/recurrences` },
      update: { method: 'PATCH', path: `/experiences/${EXP}/recurrences/${placeholder(p.key)}` },
      remove: { method: 'DELETE', path: `/experiences/${EXP}/recurrences/${placeholder(p.key)}` },
    });
  }
  return { resources, losses };
}
