import type { DemoExperience } from '../../src/connectors/koob/demo-catalog.js';
import { simUrls } from './harness.js';
import { TEST_KEYS, TEST_SELLER } from './simulators.js';

/** A date `days` from today (the sweep's horizon is relative to the real clock). */
export function inDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** One SIC departure with `allotments` seats of which `used` are taken at the source. */
export function sicProduct(id: string, name: string, date: string, allotments: number, used: number): DemoExperience {
  return {
    record: {
      id, name, state: 'available', type: 'Program', pricingType: 'sic', currency: 'EUR', dmcReference: `SIC-${id}`,
      durationDays: 1, durationHours: 0, durationMinutes: 0,
      inCity: { id: 'city-321', title: 'Rome', lat: 41.9028, lon: 12.4964, country: { alpha2: 'IT', title: 'Italy' } },
      includedServices: '<p>Guide</p>', excludedServices: '<p>Tips</p>', cancellationPolicies: '<p>Free until 7 days before.</p>',
      periods: [{ id: `${id}-p1`, startAt: date, allotments, allotmentsUsed: used, minPax: 1, maxPax: 12, minPaxForDeparture: 1, perPax: true, price: 100, state: 'free_sale' }],
    },
    translations: {},
  };
}

/** The id Xola gave the experience of that name. */
export async function xolaExperienceId(name: string): Promise<string> {
  const { experiences } = await (await fetch(`${simUrls().xola}/__sim/records`)).json() as { experiences: Array<{ id: string; name: string }> };
  const e = experiences.find((x) => x.name === name);
  if (!e) throw new Error(`no Xola experience named ${name}`);
  return e.id;
}

/** Sells seats on the Xola simulator as a customer would (its webhook fires to subscribers). */
export async function sellOnXola(experienceId: string, date: string, quantity: number, opts: { ignoreCapacity?: boolean } = {}): Promise<{ id: string; status: number }> {
  const res = await fetch(`${simUrls().xola}/api/purchases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.XOLA_API_KEY, ...(opts.ignoreCapacity ? { 'x-sim-ignore-capacity': 'true' } : {}) },
    body: JSON.stringify({ customerName: 'Ada Lovelace', customerEmail: 'ada@example.com', seller: TEST_SELLER, items: [{ product: { id: experienceId }, arrivalDate: date, quantity }] }),
  });
  const body = await res.json() as { id: string };
  return { id: body.id, status: res.status };
}

export async function cancelOnXola(purchaseId: string): Promise<void> {
  const res = await fetch(`${simUrls().xola}/__sim/purchases/${purchaseId}/cancel`, { method: 'POST' });
  if (!res.ok) throw new Error(`cancel: ${res.status}`);
}

/** Polls until `check` holds (workflows react asynchronously to webhooks). */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last value ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
