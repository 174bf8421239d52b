import tzLookup from '@photostructure/tz-lookup';
import { MappingError } from '../../errors.js';
import { htmlToList } from '../../canonical/html.js';
import { toMinor } from '../../canonical/money.js';
import type { AvailabilityRule, Loss, Product, Unit } from '../../canonical/product.js';
import type { KoobExperience, KoobPeriod } from './schemas.js';

/** KOOB flags are Monday-first (index 0 = Monday, S2:L1118); canonical weekdays are ISO 1..7. */
export function koobDaysToIso(days: number[] | null | undefined): number[] {
  if (!days || days.length === 0) return [1, 2, 3, 4, 5, 6, 7];
  const flags = days.length === 7 && days.every((d) => d === 0 || d === 1);
  if (flags) return days.flatMap((on, i) => (on ? [i + 1] : []));
  // The availability guide shows weekday numbers ([1,2,3,4,5,6]); read them as ISO (1 = Monday).
  return [...new Set(days.filter((d) => d >= 1 && d <= 7))].sort();
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function units(p: KoobPeriod, currency: string, base: number): Unit[] {
  const adultTiers = (p.adultPax ?? []).map((t) => ({ minPax: Math.max(1, t.paxRange[0]), maxPax: Math.max(1, t.paxRange[1]), amount: toMinor(t.price, currency) }));
  const maxPax = Math.max(1, p.maxPax ?? 1);
  const out: Unit[] = [{ type: 'ADULT', minAge: null, maxAge: null, tiers: adultTiers.length ? adultTiers : [{ minPax: 1, maxPax, amount: base }] }];
  for (const c of p.childrenPax ?? []) {
    out.push({ type: 'CHILD', minAge: c.ageRange[0], maxAge: c.ageRange[1], tiers: [{ minPax: 1, maxPax, amount: toMinor(c.price, currency) }] });
  }
  return out;
}

function rule(p: KoobPeriod, index: number, x: KoobExperience, durationDays: number): AvailabilityRule {
  const state = p.state ?? p.periodType;
  const price = toMinor(p.price, x.currency);
  const singleDate = x.pricingType === 'sic' || x.pricingType === 'series';
  // SIC and Series periods are departure dates; their end is filled from the duration (S2:L1133-1141).
  const end = singleDate ? addDays(p.startAt.slice(0, 10), Math.max(0, durationDays - 1)) : (p.endAt ?? p.startAt).slice(0, 10);
  const freesale = state === 'free_sale' && (p.allotments ?? 0) === 0 && !singleDate;
  return {
    id: p.id ?? `p${index}`,
    kind: singleDate ? 'dates' : 'range',
    startDate: p.startAt.slice(0, 10),
    endDate: end,
    weekdays: singleDate ? [] : koobDaysToIso(p.availableDays),
    dates: singleDate ? [p.startAt.slice(0, 10)] : [],
    sale: state === 'stop_sale' ? 'closed' : state === 'on_request' ? 'on_request' : 'open',
    freesale,
    capacity: freesale ? null : Math.max(0, p.allotments ?? 0),
    used: Math.max(0, p.allotmentsUsed ?? 0),
    perPax: p.perPax ?? true,
    price,
    minPax: Math.max(1, p.minPax ?? 1),
    maxPax: Math.max(1, p.maxPax ?? p.minPax ?? 1),
    units: units(p, x.currency, price),
  };
}

/**
 * The product's IANA zone from its coordinates (KOOB sends none). Without coordinates (seed 002's
 * own Extra example has none) the connection's configured zone is used, else UTC, and the loss
 * says so: never a silent global default (DESIGN.md).
 */
function timeZoneOf(x: KoobExperience, fallback: string | undefined, losses: Loss[]): string {
  const point = [x.inCity, x.startPosition, x.endPosition].find((p) => typeof p?.lat === 'number' && typeof p?.lon === 'number');
  if (point && point.lat != null && point.lon != null) return tzLookup(point.lat, point.lon);
  const zone = fallback ?? 'UTC';
  losses.push({ field: 'timeZone', reason: `no coordinates (inCity, startPosition) to derive the time zone: ${zone} used${fallback ? ' (connection setting)' : ''}, slot offsets follow it` });
  return zone;
}

/**
 * KOOB experience (one GET per locale) → canonical Product. The default locale's record carries
 * the structure; other locales contribute texts only.
 */
export function koobToCanonical(byLocale: Record<string, KoobExperience>, defaultLocale: string, fallbackTimeZone?: string): { product: Product; losses: Loss[] } {
  const x = byLocale[defaultLocale] ?? Object.values(byLocale)[0];
  if (!x) throw new MappingError('KOOB experience: no locale was fetched', { field: 'locale' });
  const losses: Loss[] = [];
  if (!/^[A-Za-z]{3}$/.test(x.currency)) throw new MappingError(`KOOB experience ${x.id}: currency: "${x.currency}" is not an ISO 4217 code`, { field: 'currency', sourceId: x.id });
  const currency = x.currency.toUpperCase();
  const days = x.durationDays ?? 0;
  const durationMinutes = days * 1440 + (x.durationHours ?? 0) * 60 + (x.durationMinutes ?? 0);
  const periods = x.periods.map((p, i) => rule(p, i, { ...x, currency }, days));
  const start = x.startPosition;
  const texts = Object.fromEntries(Object.entries(byLocale).map(([loc, e]) => [loc, {
    name: e.name,
    description: e.description ?? null,
    summary: e.summary ?? null,
    included: htmlToList(e.includedServices),
    excluded: htmlToList(e.excludedServices),
    cancellationPolicy: e.cancellationPolicies ?? null,
  }]));
  const type = x.type === 'Program' ? 'program' : x.type === 'Transfer' ? 'transfer' : x.activity?.isExtra ? 'extra' : 'activity';
  const product: Product = {
    sourcePlatform: 'koob',
    sourceId: x.id,
    reference: x.dmcReference ?? null,
    type,
    pricingType: x.pricingType ?? 'fit',
    status: x.state === 'available' ? 'active' : x.state === 'stand_by' ? 'inactive' : 'draft',
    defaultLocale,
    texts,
    timeZone: timeZoneOf(x, fallbackTimeZone, losses),
    durationMinutes,
    location: start?.lat != null && start.lon != null
      ? { lat: start.lat, lng: start.lon, address: start.address ?? null, city: start.city ?? x.inCity?.title ?? null, countryCode: x.inCity?.country?.alpha2 ?? null }
      : x.inCity?.lat != null && x.inCity.lon != null
        ? { lat: x.inCity.lat, lng: x.inCity.lon, address: null, city: x.inCity.title ?? null, countryCode: x.inCity.country?.alpha2 ?? null }
        : null,
    currency,
    instantConfirmation: !x.hasToRequest && periods.some((p) => p.sale === 'open'),
    allowFreesale: periods.some((p) => p.freesale),
    availability: periods,
  };
  if (x.type === 'Transfer' && x.transfer?.type) losses.push({ field: 'transfer.type', reason: `transfer mode ${x.transfer.type} has no canonical field` });
  return { product, losses };
}
