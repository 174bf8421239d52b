import { koobToCanonical } from '../../../src/connectors/koob/to-canonical.js';
import { KoobExperience } from '../../../src/connectors/koob/schemas.js';
import type { Product } from '../../../src/canonical/product.js';

/** A JSON body as tests read it (shapes vary per endpoint). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** Calls the simulator over HTTP and returns status, headers and JSON body. */
export async function call(url: string, method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.key ? { 'X-API-KEY': opts.key } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const res = await fetch(`${url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

/** A valid experience body as the docs' examples show it. */
export const experienceBody = (over: Record<string, unknown> = {}) => ({
  name: 'Sunset Yoga', description: 'Calm evening session', duration_minutes: 60, default_capacity: 20,
  pricing: { model: 'per_session', currency: 'EUR', amount: 35 }, ...over,
});

/** A valid recurrence body (weekly on days 2 and 4, as the docs' example). */
export const recurrenceBody = (over: Record<string, unknown> = {}) => ({
  timezone: 'Europe/Paris', start_date: '2026-03-02',
  cadence: { frequency: 'weekly', interval: 1, days_of_week: [2, 4] },
  end_condition: { type: 'date', end_date: '2026-06-30' },
  session_templates: [{ start_time_of_day: '18:00', capacity: 12 }], ...over,
});

const BANGKOK = {
  id: 'city-789', title: 'Bangkok', lat: 13.7563, lon: 100.5018, code: 'THBKK',
  country: { id: 'country-123', alpha2: 'TH', title: 'Thailand' },
};

/** A KOOB experience shaped like seed 002's examples, with overrides. */
export function koobRecord(over: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'exp-792', name: 'Historic City Walking Tour', state: 'available', type: 'Activity', pricingType: 'fit',
    activity: { guiding: false, guidingLanguages: [], isExtra: false },
    description: "<p>Discover the city's rich history on this guided walking tour</p>",
    cancellationPolicies: '<p>Free cancellation up to 24 hours before the tour starts</p>',
    includedServices: '<p>Transfer</p><p>Water</p><p>Guide</p>', excludedServices: '<p>Hotel</p><p>Tip</p>',
    currency: 'USD', durationDays: 0, durationHours: 3, durationMinutes: 0, inCity: BANGKOK,
    startPosition: { name: 'City Hospital', address: '123 Hospital Road', city: 'Bangkok', country: 'Thailand', lat: 13.7487, lon: 100.5832, isCity: false },
    hasToRequest: false, periods: [], ...over,
  };
}

/** A period as in seed 002 (FIT: a range with seven Monday-first flags). */
export function period(over: Record<string, unknown>): Record<string, unknown> {
  return { startAt: '2026-06-01', endAt: '2026-09-30', availableDays: [1, 1, 1, 1, 1, 1, 1], minPax: 1, maxPax: 8, perPax: true, price: 150, state: 'free_sale', allotments: 20, allotmentsUsed: 0, ...over };
}

/** KOOB record(s) → canonical product, through the KOOB connector's own parser and mapper. */
export function canonical(record: Record<string, unknown>, fr?: Record<string, unknown>): Product {
  const en = KoobExperience.parse(record);
  const byLocale: Record<string, KoobExperience> = { en };
  if (fr) byLocale.fr = KoobExperience.parse({ ...record, ...fr });
  return koobToCanonical(byLocale, 'en').product;
}
