import { MappingError } from '../errors.js';
import { stripMarkup, withoutActiveContent } from './html.js';
import { type AvailabilityRule, Product } from './product.js';

/**
 * Bounds a canonical product must keep before anything of it is written anywhere. They are ours,
 * chosen wide enough for any real tour and narrow enough that a typo (6×10^10 minutes, a
 * 2026-02-30 departure, a negative price) never reaches a channel. README § "What a product must be".
 */
export const PRODUCT_LIMITS = {
  /** Longest trip: 90 days (KOOB programs run for days or weeks; none for months). */
  durationMinutes: 90 * 24 * 60,
  /** Seats per departure (a departure of 100,000 seats is a stadium, not a tour). */
  capacity: 100_000,
  /** Largest price in minor units: 10,000,000.00 in a 2-decimal currency. */
  priceMinor: 1_000_000_000,
  /** Longest name we accept before a platform's own (shorter) limit clips it. */
  nameLength: 1_000,
  /** Years either side of today an availability date may lie in. */
  yearsAhead: 10,
} as const;

/** True for a real calendar date YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function fail(sourceId: string, field: string, reason: string): never {
  throw new MappingError(`product ${sourceId}: ${field}: ${reason}`, { field, sourceId });
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function checkRule(p: Product, r: AvailabilityRule, i: number, today: string): void {
  const at = `availability[${i}]`;
  const first = Number(today.slice(0, 4)) - PRODUCT_LIMITS.yearsAhead;
  const last = Number(today.slice(0, 4)) + PRODUCT_LIMITS.yearsAhead;
  for (const [field, date] of [['startDate', r.startDate], ['endDate', r.endDate], ...r.dates.map((d, j) => [`dates[${j}]`, d])] as Array<[string, string]>) {
    if (!isCalendarDate(date)) fail(p.sourceId, `${at}.${field}`, `"${date}" is not a calendar date`);
    const year = Number(date.slice(0, 4));
    if (year < first || year > last) fail(p.sourceId, `${at}.${field}`, `${date} is more than ${PRODUCT_LIMITS.yearsAhead} years from today`);
  }
  if (r.endDate < r.startDate) fail(p.sourceId, `${at}.endDate`, `${r.endDate} is before the start ${r.startDate}`);
  if (r.capacity !== null && r.capacity > PRODUCT_LIMITS.capacity) fail(p.sourceId, `${at}.capacity`, `${r.capacity} seats is above the ${PRODUCT_LIMITS.capacity} a departure may have`);
  if (r.price > PRODUCT_LIMITS.priceMinor) fail(p.sourceId, `${at}.price`, `${r.price} minor units is above ${PRODUCT_LIMITS.priceMinor}`);
  if (r.minPax > r.maxPax) fail(p.sourceId, `${at}.minPax`, `${r.minPax} is above maxPax ${r.maxPax}`);
  r.units.forEach((u, j) => u.tiers.forEach((t, k) => {
    if (t.amount > PRODUCT_LIMITS.priceMinor) fail(p.sourceId, `${at}.units[${j}].tiers[${k}].amount`, `${t.amount} minor units is above ${PRODUCT_LIMITS.priceMinor}`);
    if (t.minPax > t.maxPax) fail(p.sourceId, `${at}.units[${j}].tiers[${k}].minPax`, `${t.minPax} is above maxPax ${t.maxPax}`);
  }));
}

/**
 * The gate every product passes between reading the source and planning any write: texts are
 * cleaned (markup out of names, script and style out of descriptions), then the whole product is
 * checked against the canonical schema and PRODUCT_LIMITS. The first problem throws MappingError
 * naming the field and the reason, so the product fails alone and nothing of it is published.
 */
export function validateProduct(product: Product, today = new Date().toISOString().slice(0, 10)): Product {
  const texts = Object.fromEntries(Object.entries(product.texts).map(([locale, t]) => [locale, {
    ...t,
    name: stripMarkup(t.name),
    description: t.description === null ? null : withoutActiveContent(t.description),
    summary: t.summary === null ? null : withoutActiveContent(t.summary),
    included: t.included.map(stripMarkup).filter(Boolean),
    excluded: t.excluded.map(stripMarkup).filter(Boolean),
    cancellationPolicy: t.cancellationPolicy === null ? null : withoutActiveContent(t.cancellationPolicy),
  }]));
  const clean: Product = { ...product, texts };
  for (const [locale, t] of Object.entries(texts)) {
    if (t.name === '') fail(product.sourceId, `texts.${locale}.name`, 'is empty once markup is removed');
    if (t.name.length > PRODUCT_LIMITS.nameLength) fail(product.sourceId, `texts.${locale}.name`, `${t.name.length} characters is above ${PRODUCT_LIMITS.nameLength}`);
  }
  if (!texts[product.defaultLocale]) fail(product.sourceId, `texts.${product.defaultLocale}`, 'the default locale has no texts');
  const parsed = Product.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
    fail(product.sourceId, field || 'product', issue.message);
  }
  if (!isZone(clean.timeZone)) fail(product.sourceId, 'timeZone', `"${clean.timeZone}" is not an IANA time zone`);
  if (clean.durationMinutes > PRODUCT_LIMITS.durationMinutes) fail(product.sourceId, 'durationMinutes', `${clean.durationMinutes} minutes is above the ${PRODUCT_LIMITS.durationMinutes} (90 days) a trip may last`);
  clean.availability.forEach((r, i) => checkRule(clean, r, i, today));
  return clean;
}
