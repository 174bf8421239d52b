import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createXolaSimulator } from '../../../src/connectors/xola/index.js';

const KEY = 'xola-rules-key';
const SELLER = 'seller-rules';

describe('Xola simulator enforces what the docs say', () => {
  const sim = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
  let url: string;
  let expId: string;
  const send = (method: string, path: string, body: unknown) => fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) });
  const details = async (res: Response) => JSON.stringify(((await res.json()) as { error?: { details?: unknown } }).error?.details);
  beforeAll(async () => {
    url = await sim.listen();
    expId = ((await (await send('POST', '/api/experiences', { seller: SELLER, name: 'Base' })).json()) as { id: string }).id;
  });
  afterAll(async () => { await sim.close(); });

  it('name is required and at most 255 characters', async () => {
    expect((await send('POST', '/api/experiences', { seller: SELLER })).status).toBe(400);
    const res = await send('POST', '/api/experiences', { seller: SELLER, name: 'x'.repeat(256) });
    expect(res.status).toBe(400);
    expect(await details(res)).toMatch(/name/);
  });
  it('currency must be three capitals', async () => {
    const res = await send('POST', '/api/experiences', { seller: SELLER, name: 'a', currency: 'eur' });
    expect(await details(res)).toMatch(/three capital letters/);
  });
  it('priceType is person or outing; duration is at least 1 minute; excerpt at most 500', async () => {
    expect((await send('POST', '/api/experiences', { seller: SELLER, name: 'a', priceType: 'group' })).status).toBe(400);
    expect((await send('POST', '/api/experiences', { seller: SELLER, name: 'a', duration: 0 })).status).toBe(400);
    expect((await send('POST', '/api/experiences', { seller: SELLER, name: 'a', excerpt: 'e'.repeat(501) })).status).toBe(400);
  });
  it('unknown fields are refused', async () => {
    const res = await send('POST', '/api/experiences', { seller: SELLER, name: 'a', colour: 'red' });
    expect(res.status).toBe(400);
    expect(await details(res)).toMatch(/colour/);
  });
  it('schedule type is required; days are 0..6 (0 = Sunday); times are HHMM', async () => {
    const path = `/api/experiences/${expId}/schedules`;
    expect((await send('POST', path, { repeat: 'weekly', days: [1] })).status).toBe(400);
    expect((await send('POST', path, { type: 'available', days: [7] })).status).toBe(400);
    expect((await send('POST', path, { type: 'available', times: [960] })).status).toBe(400);
    expect((await send('POST', path, { type: 'available', times: [900, 1830] })).status).toBe(201);
  });
  it('blackout schedules repeat only weekly or custom, and end is not before start', async () => {
    const path = `/api/experiences/${expId}/schedules`;
    expect((await send('POST', path, { type: 'blackout', repeat: 'daily' })).status).toBe(400);
    expect((await send('POST', path, { type: 'available', start: '2026-05-10', end: '2026-05-01' })).status).toBe(400);
  });
  it('limit is 1..100', async () => {
    const res = await fetch(`${url}/api/experiences?limit=101`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(400);
  });
});
