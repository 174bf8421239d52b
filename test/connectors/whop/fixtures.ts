import type { Product } from '../../../src/canonical/product.js';
import { KoobExperience } from '../../../src/connectors/koob/schemas.js';
import { koobToCanonical } from '../../../src/connectors/koob/to-canonical.js';
import { createWhopSimulator } from '../../../src/connectors/whop/index.js';

export const WHOP_KEY = 'whop-test-key-789';
export const COMPANY = 'biz_testcompany0001';
export const APP = 'app_testapp00000001';

/** A simulator on a free port; `url` is its base URL. */
export async function startWhop(extra: Partial<Parameters<typeof createWhopSimulator>[0]> = {}) {
  const sim = createWhopSimulator({ apiKey: WHOP_KEY, companyId: COMPANY, appId: APP, ...extra });
  const url = await sim.listen();
  return { sim, url };
}

/** POST to a simulator test endpoint. */
export async function simPost(url: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}/__sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

export async function simRecords(url: string): Promise<{ products: Array<Record<string, unknown>>; plans: Array<Record<string, unknown>>; experiences: Array<Record<string, unknown>> }> {
  return (await (await fetch(`${url}/__sim/records`)).json()) as never;
}

const bangkok = { id: 'city-789', title: 'Bangkok', lat: 13.7563, lon: 100.5018, code: 'THBKK', country: { id: 'country-123', alpha2: 'TH', title: 'Thailand' } };
const sf = { id: 'city-456', title: 'San Francisco', code: 'USSFO', lat: 37.7749, lon: -122.4194, country: { id: 'country-789', alpha2: 'US', title: 'United States' } };
const rome = { id: 'city-321', title: 'Rome', code: 'ITROM', lat: 41.9028, lon: 12.4964, country: { id: 'country-654', alpha2: 'IT', title: 'Italy' } };
const position = (c: typeof bangkok, name: string) => ({ name, address: '123 Main Street', city: c.title, lat: c.lat, lon: c.lon, isCity: false });

/** KOOB records shaped like seed 002's examples (S2: FIT, SIC, Series, Activity, Extra, Transfer). */
export const KOOB_SEED: Record<string, Record<string, unknown>> = {
  fit: {
    id: 'exp-789', state: 'available', type: 'Program', name: 'Cultural Discovery Tour', pricingType: 'fit', currency: 'USD',
    description: '<p>Explore ancient temples and local culture</p>', dmcReference: 'PROG-FIT-001', inCity: bangkok, startPosition: position(bangkok, 'City Center Hotel'),
    includedServices: '- Professional English-speaking guide<br />- All entrance fees<br />- Daily breakfast<br />',
    excludedServices: '- International flights<br />- Travel insurance<br />',
    cancellationPolicies: '<p>Free cancellation up to 7 days before departure.</p>',
    periods: [{ periodType: 'on_request', startAt: '2025-06-01', endAt: '2025-09-30', minPax: 1, maxPax: 4, perPax: true, price: 850, state: 'on_request',
      adultPax: [{ price: 850, paxRange: [1, 2] }, { price: 650, paxRange: [3, 4] }], childrenPax: [{ price: 425, ageRange: [5, 12] }], availableDays: [1, 1, 1, 1, 1, 1, 1] }],
  },
  sic: {
    id: 'exp-790', state: 'available', type: 'Program', name: 'Group Adventure Package', pricingType: 'sic', currency: 'USD', durationDays: 3,
    description: '<p>Join fellow travelers on this exciting shared journey</p>', inCity: sf, startPosition: position(sf, 'Downtown Meeting Point'),
    periods: [{ startAt: '2025-07-15', endAt: '2025-07-15', allotments: 10, allotmentsUsed: 3, minPax: 1, maxPax: 12, perPax: true, price: 450, state: 'free_sale', childrenPax: [{ ageRange: [6, 12], price: 225 }] }],
  },
  series: {
    id: 'exp-791', state: 'available', type: 'Program', name: 'Weekly Explorer Series', pricingType: 'series', currency: 'EUR', durationDays: 2,
    description: '<p>Join our popular recurring weekly adventure</p>', inCity: rome, startPosition: position(rome, 'Central Station'),
    periods: [
      { startAt: '2025-06-01', allotments: 8, minPax: 2, maxPax: 8, perPax: true, price: 320, state: 'free_sale', adultPax: [{ price: 320, paxRange: [2, 3] }, { price: 280, paxRange: [4, 8] }] },
      { startAt: '2025-06-08', allotments: 6, allotmentsUsed: 1, minPax: 2, maxPax: 8, perPax: true, price: 340, state: 'free_sale' },
      { startAt: '2025-06-15', allotments: 8, minPax: 2, maxPax: 8, perPax: true, price: 320, state: 'stop_sale' },
    ],
  },
  activity: {
    id: 'exp-792', state: 'in_progress', type: 'Activity', name: 'Historic City Walking Tour', pricingType: 'fit', currency: 'USD', durationDays: 1,
    activity: { guiding: false, guidingLanguages: [], isExtra: false }, description: "<p>Discover the city's rich history on this guided walking tour</p>",
    inCity: bangkok, startPosition: position(bangkok, 'City Hospital'),
    periods: [{ availableDays: [1, 1, 1, 1, 1, 0, 0], startAt: '2025-12-01', endAt: '2025-12-31', maxPax: 2, minPax: 2, perPax: false, price: 150, state: 'on_request' }],
  },
  extra: {
    id: 'exp-793', state: 'available', type: 'Activity', name: 'Premium Meal Package', pricingType: 'fit', currency: 'USD', durationDays: 1,
    activity: { guiding: false, guidingLanguages: [], isExtra: true }, description: '<p>Upgrade your experience with our premium meal package</p>', inCity: bangkok,
    periods: [{ availableDays: [1, 1, 1, 1, 1, 1, 1], startAt: '2025-12-01', endAt: '2025-12-31', maxPax: 2, minPax: 1, perPax: false, price: 50, state: 'free_sale' }],
  },
  transfer: {
    id: 'exp-794', state: 'available', type: 'Transfer', name: 'Airport to Hotel Transfer', pricingType: 'fit', currency: 'USD', durationDays: 1, durationHours: 10,
    transfer: { type: 'RAIL' }, description: '<p>Comfortable transfer service from airport to your hotel</p>', inCity: bangkok, startPosition: position(bangkok, 'International Airport'),
    periods: [{ availableDays: [1, 1, 1, 1, 1, 1, 0], startAt: '2025-12-01', endAt: '2025-12-31', maxPax: 2, minPax: 1, perPax: false, price: 100, state: 'free_sale' }],
  },
};

/** Canonical product from a seed-shaped KOOB record (plus an optional French translation). */
export function canonical(record: Record<string, unknown>, fr?: Record<string, unknown>): Product {
  const byLocale: Record<string, KoobExperience> = { en: KoobExperience.parse(record) };
  if (fr) byLocale.fr = KoobExperience.parse({ ...record, ...fr });
  return koobToCanonical(byLocale, 'en').product;
}
