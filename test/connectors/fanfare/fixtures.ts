import { demoCatalog, koobToCanonical } from '../../../src/connectors/koob/index.js';
import { KoobExperience } from '../../../src/connectors/koob/schemas.js';
import type { Product } from '../../../src/canonical/product.js';

/** The simulator's secret key in tests (a fake test-mode key). */
export const KEY = 'sk_test_fanfare_suite_0001';
export const TODAY = '2026-03-20';

/** A KOOB record (and optional French texts) → canonical product, the way the source connector maps it. */
export function canonical(record: Record<string, unknown>, fr?: Record<string, unknown>): Product {
  const byLocale: Record<string, KoobExperience> = { en: KoobExperience.parse(record) };
  if (fr) byLocale.fr = KoobExperience.parse({ ...record, ...fr });
  return koobToCanonical(byLocale, 'en').product;
}

/** The 24 seed-shaped demo experiences (FIT, SIC, Series, Activity, Extra, Transfer), en + fr, as canonical products. */
export function demoProducts(today = TODAY): Product[] {
  return demoCatalog(today).map((d) => canonical(d.record, d.translations.fr));
}

/** One demo product by its English name. */
export function demoProduct(name: string): Product {
  const p = demoProducts().find((x) => x.texts.en?.name === name);
  if (!p) throw new Error(`no demo product ${name}`);
  return p;
}

/** Seed 002's transfer example (S2:L742-870), trimmed to the fields the mapper reads. */
export function seedTransfer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '4171', name: 'Airport to Hotel Transfer', summary: null, state: 'available',
    description: '<p>Comfortable transfer service from airport to your hotel</p>',
    inCity: { id: 'city-789', title: 'Bangkok', lat: 13.7563, lon: 100.5018, country: { alpha2: 'TH', title: 'Thailand' } },
    hasToRequest: false,
    startPosition: { id: 'pos-111', name: 'International Airport', address: '999 Airport Road', city: 'Bangkok', lat: 13.7304, lon: 100.5658 },
    durationDays: 1, durationHours: 10, durationMinutes: 0, currency: 'USD',
    includedServices: '<p>Water</p>', excludedServices: '<p>Guide</p>', type: 'Transfer',
    periods: [{
      id: 'period-001', startAt: '2025-12-01', endAt: '2025-12-31', availableDays: [1, 1, 1, 1, 1, 1, 0],
      state: 'free_sale', price: 100, perPax: false, minPax: 1, maxPax: 2, allotments: 0, allotmentsUsed: 0, adultPax: [], childrenPax: [],
    }],
    transfer: { type: 'RAIL' },
    cancellationPolicies: '<p>Free cancellation up to 12 hours before pickup time</p>',
    pricingType: 'fit',
    ...overrides,
  };
}

/** A Paris activity (3 h, 10 seats, 4 used) whose period crosses the spring-forward night of 2026-03-29. */
export function parisActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '5001', name: 'Seine Evening Walk', state: 'available', type: 'Activity', pricingType: 'fit', currency: 'EUR',
    description: '<p>A walk along the <b>Seine</b>.</p>', durationDays: 0, durationHours: 3, durationMinutes: 0,
    inCity: { title: 'Paris', lat: 48.8566, lon: 2.3522, country: { alpha2: 'FR' } },
    startPosition: { name: 'Pont Neuf', address: 'Pont Neuf', city: 'Paris', lat: 48.8566, lon: 2.3522 },
    includedServices: '<p>Guide</p>', excludedServices: '<p>Drinks</p>', cancellationPolicies: null, hasToRequest: false,
    activity: { isExtra: false },
    periods: [{
      id: 'spring', startAt: '2026-03-27', endAt: '2026-04-01', availableDays: [1, 1, 1, 1, 1, 1, 1],
      state: 'free_sale', price: 40, perPax: true, minPax: 1, maxPax: 10, allotments: 10, allotmentsUsed: 4,
      adultPax: [{ price: 40, paxRange: [1, 10] }], childrenPax: [],
    }],
    ...overrides,
  };
}

/** POSTs to a simulator's /__sim endpoint (or GETs it without a body). */
export async function simCall<T = unknown>(url: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/__sim/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** A raw admin-API call with the suite key (or another Authorization value). */
export async function api(url: string, method: string, path: string, body?: unknown, auth: string | null = `Bearer ${KEY}`) {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { issues?: Issue[] } };
}

/** One issue of the OpenAPI 400 body `{error:"validation_error", issues[]}`. */
export interface Issue { message: string; path: Array<{ key: string | number }> }

/** The dotted key path of each issue of a 400 body (`sequence.appointments.1.name`), sorted. */
export function issueKeys(body: { issues?: Issue[] }): string[] {
  return (body.issues ?? []).map((i) => i.path.map((p) => String(p.key)).join('.')).sort();
}

/** A POST /products body as the OpenAPI requires it (name and url), with optional extras. */
export function productBody(syncSourceId?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'P', url: 'https://tours.example.com/p',
    ...(syncSourceId ? { primarySyncSource: { syncSource: 'channel-bridge', syncSourceId } } : {}), ...extra,
  };
}
