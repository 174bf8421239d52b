import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { XolaClient, createXolaSimulator } from '../../../src/connectors/xola/index.js';
import { AuthError, InvalidRequestError, NotFoundError, RateLimitedError, SchemaDriftError, TransientError } from '../../../src/errors.js';
import { failure, inject } from '../../helpers/knobs.js';

const KEY = 'xola-client-test-key';
const SELLER = 'seller-1';

describe('Xola client against the Xola simulator', () => {
  const sim = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
  let url: string;
  let client: XolaClient;
  beforeAll(async () => { url = await sim.listen(); client = new XolaClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 500 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await fetch(`${url}/__sim/reset`, { method: 'POST' }); });

  const make = (name: string) => client.createExperience({ seller: SELLER, name, price: 10, currency: 'USD' });

  it('sends the API version header on every call', async () => {
    await client.listExperiences({ limit: 1 });
    const { requests } = await (await fetch(`${url}/__sim/requests`)).json() as { requests: Array<{ path: string }> };
    expect(requests).toHaveLength(1);
    const seen = await fetch(`${url}/api/experiences`, { headers: { 'x-api-key': KEY } });
    expect(seen.status).toBe(200);
  });

  it('creates, gets, updates (partially) an experience', async () => {
    const e = await make('Sunset kayak');
    expect((await client.getExperience(e.id)).name).toBe('Sunset kayak');
    // Partial (S4:L192): price was not sent and stays; name and seller are required (S4:L194, L201).
    const updated = await client.updateExperience(e.id, { seller: SELLER, name: 'Sunset kayak', visible: true });
    expect(updated).toMatchObject({ name: 'Sunset kayak', visible: true, price: 10 });
  });

  it('pages with limit/skip until paging.next is null (three pages)', async () => {
    for (let i = 0; i < 7; i += 1) await make(`Tour ${i}`);
    const names: string[] = [];
    let skip = 0;
    let pages = 0;
    for (;;) {
      const page = await client.listExperiences({ limit: 3, skip });
      names.push(...page.data.map((e) => e.name));
      pages += 1;
      if (!page.paging?.next) break;
      skip += 3;
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(7);
  });

  it('manages schedules of an experience', async () => {
    const e = await make('Bike');
    const s = await client.createSchedule(e.id, { type: 'available', repeat: 'weekly', days: [1, 2], start: '2026-05-01', end: '2026-05-31' });
    await client.updateSchedule(e.id, s.id, { type: 'available', repeat: 'weekly', days: [0, 6], start: '2026-05-01', end: '2026-05-31' });
    expect((await client.listSchedules(e.id)).data[0]?.days).toEqual([0, 6]);
    await client.deleteSchedule(e.id, s.id);
    expect((await client.listSchedules(e.id)).data).toEqual([]);
  });

  it('classifies every failure, without the key in the message', async () => {
    const e401 = await failure(new XolaClient({ baseUrl: url, apiKey: () => 'bad-key' }).listExperiences({}));
    expect(e401).toBeInstanceOf(AuthError);
    expect(e401.message).not.toContain('bad-key');
    expect(await failure(client.createExperience({ seller: 'someone-else', name: 'x' }))).toBeInstanceOf(AuthError);
    expect(await failure(client.getExperience('missing'))).toBeInstanceOf(NotFoundError);
    const e400 = await failure(client.createExperience({ seller: SELLER, name: 'x', currency: 'usd' }));
    expect(e400).toBeInstanceOf(InvalidRequestError);
    expect(e400.message).toMatch(/currency/);
    await inject(url, { kind: 'status', status: 429, count: 1, headers: { 'Retry-After': '12' } });
    expect(((await failure(client.listExperiences({}))) as unknown as RateLimitedError).retryAfterMs).toBe(12_000);
    await inject(url, { kind: 'status', status: 429, count: 1, headers: { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() } });
    const dated = (await failure(client.listExperiences({}))) as unknown as RateLimitedError;
    expect(dated).toBeInstanceOf(RateLimitedError);
    expect(dated.retryAfterMs).toBeGreaterThan(50_000);
    await inject(url, { kind: 'status', status: 500, count: 1, method: 'POST' });
    expect(await failure(make('y'))).toBeInstanceOf(TransientError);
    await inject(url, { kind: 'reset', count: 1 });
    expect(await failure(client.listExperiences({}))).toBeInstanceOf(TransientError);
    await inject(url, { kind: 'timeout', count: 1 });
    expect(await failure(client.listExperiences({}))).toBeInstanceOf(TransientError);
    await inject(url, { kind: 'status', status: 200, count: 1, body: { data: [{ id: 1 }] } });
    expect(await failure(client.listExperiences({}))).toBeInstanceOf(SchemaDriftError);
  });

  it('answers 429 with the documented headers and body once the window is spent', async () => {
    const tight = createXolaSimulator({ apiKey: KEY, sellerId: SELLER, rateLimit: { limit: 1, windowMs: 60_000 } });
    const u = await tight.listen();
    const h = { 'x-api-key': KEY };
    expect((await fetch(`${u}/api/experiences`, { headers: h })).status).toBe(200);
    const res = await fetch(`${u}/api/experiences`, { headers: h });
    const body = await res.json() as { retryInSeconds: number; rateLimit: { limit: number; remaining: number } };
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(body.retryInSeconds).toBeGreaterThan(0);
    expect(body.rateLimit).toMatchObject({ limit: 1, remaining: 0 });
    await tight.close();
  });
});
