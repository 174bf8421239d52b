import { htmlToText, listToHtml } from '../../canonical/html.js';
import { toMajor } from '../../canonical/money.js';
import { placeholder } from '../../canonical/plan.js';
import type { AvailabilityRule, Loss, Product } from '../../canonical/product.js';

/** A KOOB write: the create (POST) of the experience, then one full PUT per other locale (S2:L870-995). */
export interface KoobResource {
  key: string;
  body: Record<string, unknown>;
  create: { method: 'POST' | 'PUT'; path: string };
  update: { method: 'PUT'; path: string };
  remove?: { method: 'PUT'; path: string; body?: Record<string, unknown> };
}

const EXP = placeholder('experience');
const STATE = { active: 'available', draft: 'in_progress', inactive: 'stand_by' } as const;
const TYPE = { program: 'Program', activity: 'Activity', extra: 'Activity', transfer: 'Transfer' } as const;
/** Road: the commonest transfer (airport, station, hotel) and the mode needing no rail/air/boat details. */
const DEFAULT_TRANSFER_TYPE = 'LAND';

/** ISO weekdays to KOOB's seven Monday-first flags (S2:L1118). */
export function isoToKoobDays(weekdays: number[]): number[] {
  return [1, 2, 3, 4, 5, 6, 7].map((d) => (weekdays.includes(d) ? 1 : 0));
}

const html = (text: string | null) => (text === null ? null : /<[a-z][\s\S]*>/i.test(text) ? text : `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`);

function period(rule: AvailabilityRule, currency: string, pricingType: Product['pricingType']): Record<string, unknown>[] {
  const state = rule.sale === 'closed' ? 'stop_sale' : rule.sale === 'on_request' ? 'on_request' : 'free_sale';
  const adultTiers = rule.units.find((u) => u.type === 'ADULT')?.tiers ?? [];
  const base = {
    state,
    periodType: state,
    price: toMajor(rule.price, currency),
    perPax: rule.perPax,
    minPax: rule.minPax,
    maxPax: rule.maxPax,
    adultPax: adultTiers.length > 1 ? adultTiers.map((t) => ({ price: toMajor(t.amount, currency), paxRange: [t.minPax, t.maxPax] })) : [],
    childrenPax: rule.units.filter((u) => u.type === 'CHILD').map((u) => ({ price: toMajor(u.tiers[0]?.amount ?? 0, currency), ageRange: [u.minAge ?? 0, u.maxAge ?? 17] })),
  };
  if (pricingType === 'sic' || pricingType === 'series') {
    // SIC/Series periods are single departures needing allotments and minPaxForDeparture (S2:L1133-1141).
    const dates = rule.kind === 'dates' ? rule.dates : [rule.startDate];
    return dates.map((d) => ({ ...base, startAt: d, allotments: rule.capacity ?? 0, allotmentsUsed: rule.used, minPaxForDeparture: rule.minPax }));
  }
  if (rule.kind === 'dates') {
    return rule.dates.map((d) => ({ ...base, startAt: d, endAt: d, availableDays: [1, 1, 1, 1, 1, 1, 1], allotments: rule.capacity ?? 0, allotmentsUsed: rule.used }));
  }
  return [{ ...base, startAt: rule.startDate, endAt: rule.endDate, availableDays: isoToKoobDays(rule.weekdays), allotments: rule.capacity ?? 0, allotmentsUsed: rule.used }];
}

function body(product: Product, locale: string, reference: string): Record<string, unknown> {
  const t = product.texts[locale] ?? product.texts[product.defaultLocale]!;
  const minutes = product.durationMinutes;
  const loc = product.location;
  const position = loc ? { name: loc.address ?? loc.city ?? 'Start', address: loc.address, city: loc.city, lat: loc.lat, lon: loc.lng, isCity: false } : null;
  return {
    state: STATE[product.status],
    type: TYPE[product.type],
    name: t.name,
    summary: t.summary === null ? null : htmlToText(t.summary),
    description: html(t.description),
    dmcReference: reference,
    currency: product.currency,
    pricingType: product.type === 'program' ? product.pricingType : 'fit',
    durationDays: Math.floor(minutes / 1440),
    durationHours: Math.floor((minutes % 1440) / 60),
    durationMinutes: minutes % 60,
    startPosition: position,
    endPosition: position,
    includedServices: listToHtml(t.included),
    excludedServices: listToHtml(t.excluded),
    cancellationPolicies: html(t.cancellationPolicy),
    hasToRequest: !product.instantConfirmation,
    ...(product.type === 'activity' || product.type === 'extra' ? { activity: { isExtra: product.type === 'extra', guiding: false, guidingLanguages: [] } } : {}),
    // S2:L1091-1096: a Transfer names its mode in `transfer.type`. The canonical model carries none: LAND (README, assumptions).
    ...(product.type === 'transfer' ? { transfer: { type: DEFAULT_TRANSFER_TYPE } } : {}),
    periods: product.availability.flatMap((r) => period(r, product.currency, product.pricingType)),
  };
}

/**
 * Canonical product → the KOOB create body (in the default locale) and one PUT per other locale.
 * Every PUT is merged into the record KOOB holds first (merge.ts), so it carries only what we own.
 * `dmcReference` carries our key: a create whose answer is lost is looked up by it (target.ts).
 */
export function toKoob(product: Product): { resources: KoobResource[]; losses: Loss[] } {
  const losses: Loss[] = [];
  const reference = product.sourcePlatform === 'koob' && product.reference ? product.reference : `bridge:${product.sourcePlatform}:${product.sourceId}`;
  if (!product.location) losses.push({ field: 'location', reason: 'no coordinates: KOOB start/end positions left empty' });
  if (product.type === 'transfer') losses.push({ field: 'transfer.type', reason: `transfer mode (RAIL/LAND/AIR/BOAT) has no canonical field: created as ${DEFAULT_TRANSFER_TYPE}; an update keeps the mode KOOB holds` });
  if (product.type !== 'program' && product.pricingType !== 'fit') losses.push({ field: 'pricingType', reason: `KOOB ${TYPE[product.type]}s use fit pricing; ${product.pricingType} dates are written as single-day fit periods` });
  const first = body(product, product.defaultLocale, reference);
  const resources: KoobResource[] = [{
    key: 'experience',
    body: first,
    create: { method: 'POST', path: `/api/v1/experiences?locale=${product.defaultLocale}` },
    update: { method: 'PUT', path: `/api/v1/experiences/${EXP}?locale=${product.defaultLocale}` },
    // Never hard-deleted: a product gone from the source goes to stand_by (merged into KOOB's record, nothing else changes).
    remove: { method: 'PUT', path: `/api/v1/experiences/${EXP}?locale=${product.defaultLocale}`, body: { state: 'stand_by' } },
  }];
  for (const locale of Object.keys(product.texts).filter((l) => l !== product.defaultLocale).sort()) {
    const b = body(product, locale, reference);
    const path = `/api/v1/experiences/${EXP}?locale=${locale}`;
    // A locale dropped from the config is left as it is on KOOB.
    resources.push({ key: `locale.${locale}`, body: b, create: { method: 'PUT', path }, update: { method: 'PUT', path } });
  }
  return { resources, losses };
}
