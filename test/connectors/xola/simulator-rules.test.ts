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
  it('an experience schedule may be a blackout with any documented repeat (S4:L6222); end is not before start', async () => {
    const path = `/api/experiences/${expId}/schedules`;
    // The weekly|custom limit belongs to seller blackouts (S4:L8470), not to experience schedules.
    expect((await send('POST', path, { type: 'blackout', repeat: 'daily' })).status).toBe(201);
    expect((await send('POST', path, { type: 'available', start: '2026-05-10', end: '2026-05-01' })).status).toBe(400);
  });
  it('schedule bodies take the documented id and source fields (S4:L6219, L6227)', async () => {
    const path = `/api/experiences/${expId}/schedules`;
    expect((await send('POST', path, { type: 'available', source: 'api', name: 'Weekdays', days: [1, 2, 3, 4, 5] })).status).toBe(201);
  });
  it('an experience PUT needs name and seller (S4:L194, L201) and changes only what it sends (S4:L192)', async () => {
    const path = `/api/experiences/${expId}`;
    const noName = await send('PUT', path, { seller: SELLER, visible: false });
    expect(noName.status).toBe(400);
    expect(await details(noName)).toMatch(/name/);
    const noSeller = await send('PUT', path, { name: 'Base', visible: false });
    expect(noSeller.status).toBe(400);
    expect(await details(noSeller)).toMatch(/seller/);
    expect((await send('PUT', path, { seller: { id: SELLER }, name: 'Base', excerpt: 'Short' })).status).toBe(200);
    const both = await send('PUT', path, { seller: SELLER, name: 'Base', visible: false });
    expect(both.status).toBe(200);
    expect(await both.json()).toMatchObject({ name: 'Base', visible: false, excerpt: 'Short' });
  });
  it('every documented experience field is accepted, nested inputs whose schema the render drops included (S4:L54-100)', async () => {
    const res = await send('POST', '/api/experiences', {
      seller: SELLER, name: 'All fields', other: 'Sunscreen', sortDemographics: true, isScheduled: true, balanceDueOffset: 0, balanceDueReminder: false,
      alternateCutoff: 30, customerNamePreference: 'optional_confirmation', purchaseExpirationOffset: 0, firstCheckinExpirationOffset: 0,
      businessHours: '9-5', paymentMethod: 'cc', requireCCForSources: ['web'], emailFooter: 'Thanks', downDeposit: { enabled: true, amount: 50 },
      futureCutoff: {}, virtualMeeting: {}, catalogPreference: {}, upsellPreference: {}, medias: [], attachments: [],
      geo: { lat: 36.1, lng: -112.1, placeId: 'x' }, group: { orderMin: 1, max: 8 },
      schedules: [{ type: 'available', repeat: 'weekly', days: [1] }],
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    const got = (await (await fetch(`${url}/api/experiences/${id}?expand=schedules`, { headers: { 'x-api-key': KEY } })).json()) as { schedules: Array<{ days: number[] }> };
    expect(got.schedules.map((s) => s.days)).toEqual([[1]]);
  });
  it('purchases: draft status, "HH:MM" arrival times, long references and any sort field are accepted (S4:L3368, L3421, L3429, L4109)', async () => {
    const body = { customerName: 'Test Guest', customerEmail: 'guest@example.test', seller: SELLER, status: 'draft', referenceId: 'r'.repeat(300), items: [{ product: { id: expId }, arrivalDate: '2026-06-01', arrivalTime: '17:00', quantity: 1 }] };
    const res = await send('POST', '/api/purchases', body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'draft', items: [{ arrivalTime: 1700, status: 'pending' }] });
    expect((await fetch(`${url}/api/purchases?sort=-customerName`, { headers: { 'x-api-key': KEY } })).status).toBe(200);
  });
  it('limit is 1..100', async () => {
    const res = await fetch(`${url}/api/experiences?limit=101`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(400);
  });
});
