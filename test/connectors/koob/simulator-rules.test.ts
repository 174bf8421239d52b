import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKoobSimulator } from '../../../src/connectors/koob/index.js';

const KEY = 'koob-rules-key';
const valid = { type: 'Program', name: 'P', state: 'in_progress', currency: 'EUR', pricingType: 'fit', periods: [{ startAt: '2026-05-01', endAt: '2026-05-31', state: 'free_sale', price: 100 }] };

describe('KOOB simulator enforces what the docs say', () => {
  const sim = createKoobSimulator({ apiKey: KEY });
  let url: string;
  const post = (path: string, body: unknown, key = KEY) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  beforeAll(async () => { url = await sim.listen(); });
  afterAll(async () => { await sim.close(); });

  it('401 without a key', async () => {
    expect((await post('/api/v1/experiences/liste', { page: 1, perPage: 5 }, '')).status).toBe(401);
  });
  it('the list answers a bare array and refuses perPage over 100', async () => {
    const ok = await post('/api/v1/experiences/liste', { page: 1, perPage: 3 });
    expect(Array.isArray(await ok.json())).toBe(true);
    expect((await post('/api/v1/experiences/liste', { page: 1, perPage: 101 })).status).toBe(400);
  });
  it('FIT periods need endAt', async () => {
    const res = await post('/api/v1/experiences', { ...valid, periods: [{ startAt: '2026-05-01', state: 'free_sale', price: 1 }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/periods\[0\]\.endAt/);
  });
  it('SIC and Series periods need allotments and minPaxForDeparture', async () => {
    const res = await post('/api/v1/experiences', { ...valid, pricingType: 'sic', periods: [{ startAt: '2026-05-01', state: 'free_sale', price: 1 }] });
    const text = JSON.stringify(await res.json());
    expect(res.status).toBe(400);
    expect(text).toMatch(/allotments/);
    expect(text).toMatch(/minPaxForDeparture/);
  });
  it('availableDays must be seven 0/1 flags', async () => {
    const res = await post('/api/v1/experiences', { ...valid, periods: [{ ...valid.periods[0], availableDays: [1, 1, 1] }] });
    expect(res.status).toBe(400);
  });
  it('type, state and period state are enums', async () => {
    expect((await post('/api/v1/experiences', { ...valid, type: 'Cruise' })).status).toBe(400);
    expect((await post('/api/v1/experiences', { ...valid, state: 'published' })).status).toBe(400);
    expect((await post('/api/v1/experiences', { ...valid, periods: [{ ...valid.periods[0], state: 'open' }] })).status).toBe(400);
  });
  it('a second experience with the same dmcReference is refused with 409 naming the first', async () => {
    const first = await post('/api/v1/experiences', { ...valid, dmcReference: 'DUP-1' });
    const { id } = await first.json() as { id: string };
    const second = await post('/api/v1/experiences', { ...valid, dmcReference: 'DUP-1' });
    expect(second.status).toBe(409);
    expect((await second.json() as { errors: string }).errors).toBe(id);
  });
});
