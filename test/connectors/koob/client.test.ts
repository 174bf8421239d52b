import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { KoobClient, createKoobSimulator, demoCatalog } from '../../../src/connectors/koob/index.js';
import { readPage } from '../../../src/connectors/koob/client.js';
import { AuthError, InvalidRequestError, NotFoundError, RateLimitedError, SchemaDriftError, TransientError } from '../../../src/errors.js';
import { failure, inject } from '../../helpers/knobs.js';

const KEY = 'koob-client-test-key';

describe('KOOB client against the KOOB simulator', () => {
  const sim = createKoobSimulator({ apiKey: KEY, today: '2026-03-01', oauth: { username: 'dmc', password: 'pw' } });
  let url: string;
  let client: KoobClient;
  beforeAll(async () => { url = await sim.listen(); client = new KoobClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 500 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await fetch(`${url}/__sim/reset`, { method: 'POST' }); });

  it('pages through the bare-array list until a short page (24 items, 10 per page = 3 pages)', async () => {
    const seen: string[] = [];
    let page = 1;
    let pages = 0;
    for (;;) {
      const r = await readPage(client, page, 10);
      seen.push(...r.ids);
      pages += 1;
      if (!r.more) break;
      page += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(demoCatalog('2026-03-01').map((e) => String(e.record.id)));
  });

  it('gets an experience in each locale', async () => {
    const en = await client.getExperience('4100', 'en');
    const fr = await client.getExperience('4100', 'fr');
    expect(en.name).toBe('Cultural Discovery Tour');
    expect(fr.name).toBe('Circuit découverte culturelle');
    expect(fr.periods).toEqual(en.periods);
  });

  it('creates, then replaces one locale with PUT (200, empty body)', async () => {
    const body = { type: 'Activity', name: 'Kayak', state: 'in_progress', currency: 'USD', pricingType: 'fit', dmcReference: 'K-1', periods: [{ startAt: '2026-04-01', endAt: '2026-04-30', state: 'free_sale', price: 10 }] };
    const { id } = await client.createExperience(body);
    await client.updateExperience(id, { ...body, name: 'Kayak (FR)' }, 'fr');
    expect((await client.getExperience(id, 'fr')).name).toBe('Kayak (FR)');
    expect((await client.getExperience(id, 'en')).name).toBe('Kayak');
  });

  it('accepts a bearer token from the OAuth endpoint instead of the key', async () => {
    const res = await fetch(`${url}/api/v1/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dmc', password: 'pw' }) });
    const { accessToken } = await res.json() as { accessToken: string };
    const got = await fetch(`${url}/api/v1/experiences/4101`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(got.status).toBe(200);
  });

  it('classifies every failure into the taxonomy, without the key in the message', async () => {
    const anon = new KoobClient({ baseUrl: url, apiKey: () => 'wrong-key' });
    const e401 = await failure(anon.getExperience('4100'));
    expect(e401).toBeInstanceOf(AuthError);
    expect(e401.message).not.toContain('wrong-key');
    await inject(url, { kind: 'status', status: 403, count: 1 });
    expect(await failure(client.getExperience('4100'))).toBeInstanceOf(AuthError);
    expect(await failure(client.getExperience('nope'))).toBeInstanceOf(NotFoundError);
    const e400 = await failure(client.createExperience({ type: 'Program', name: 'x', state: 'in_progress', currency: 'usd' }));
    expect(e400).toBeInstanceOf(InvalidRequestError);
    expect(e400.message).toMatch(/currency/);
    await inject(url, { kind: 'status', status: 429, count: 1, headers: { 'Retry-After': '7' } });
    const e429 = await failure(client.getExperience('4100'));
    expect(e429).toBeInstanceOf(RateLimitedError);
    expect((e429 as unknown as RateLimitedError).retryAfterMs).toBe(7000);
    await inject(url, { kind: 'status', status: 429, count: 1, headers: { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() } });
    const dated = (await failure(client.getExperience('4100'))) as unknown as RateLimitedError;
    expect(dated.retryAfterMs).toBeGreaterThan(20_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
    await inject(url, { kind: 'status', status: 502, count: 2 });
    expect(await failure(client.getExperience('4100'))).toBeInstanceOf(TransientError);
    await inject(url, { kind: 'reset', count: 1, method: 'POST' });
    expect(await failure(client.listPage(1, 5))).toBeInstanceOf(TransientError);
    await inject(url, { kind: 'timeout', count: 1, method: 'POST' });
    const timeout = await failure(client.listPage(1, 5));
    expect(timeout).toBeInstanceOf(TransientError);
    expect(timeout.message).toMatch(/ETIMEDOUT/);
  });

  it('retries a GET once on 5xx inside got, then succeeds', async () => {
    await inject(url, { kind: 'status', status: 503, count: 1 });
    expect((await client.getExperience('4100')).id).toBe('4100');
  });

  it('reports schema drift when a response changes shape', async () => {
    await inject(url, { kind: 'status', status: 200, count: 1, body: [{ id: '1', name: 42 }], method: 'POST' });
    const err = await failure(client.listPage(1, 5));
    expect(err).toBeInstanceOf(SchemaDriftError);
    expect(err.message).toMatch(/\[0\]\.name/);
  });

  it('answers 429 with Retry-After once the limit is spent', async () => {
    const tight = createKoobSimulator({ apiKey: KEY, rateLimit: { limit: 2, windowMs: 60_000 } });
    const u = await tight.listen();
    const c = new KoobClient({ baseUrl: u, apiKey: () => KEY });
    await c.getExperience('4100');
    await c.getExperience('4100');
    const err = (await failure(c.getExperience('4100'))) as unknown as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.retryAfterMs).toBeGreaterThan(0);
    await tight.close();
  });
});
