import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createFanfareSimulator } from '../../../src/connectors/fanfare/index.js';
import { api, KEY, simCall } from './fixtures.js';

const sim = createFanfareSimulator({ apiKey: KEY });
let url = '';
beforeAll(async () => { url = await sim.listen(); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await simCall(url, 'reset', {}); });

const src = (id: string) => ({ syncSource: 'channel-bridge', syncSourceId: id });
const appointment = (day: string, extra: Record<string, unknown> = {}) => ({ name: `d ${day}`, openAt: `${day}T00:00:00+02:00`, closeAt: `${day}T03:00:00+02:00`, ...extra });
async function newProduct(id = 'koob:1'): Promise<string> {
  const r = await api(url, 'POST', '/products', { name: 'P', primarySyncSource: src(id) });
  return String(r.body.id);
}
const fields = (body: { details?: Array<{ field: string }> }) => (body.details ?? []).map((d) => d.field);

describe('Fanfare simulator: auth (api/authentication.mdx, api/errors.mdx)', () => {
  it('401 "Authentication required" without a bearer token', async () => {
    const r = await api(url, 'GET', '/experiences', undefined, null);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'Authentication required' });
  });

  it('401 "Secret key required" for a publishable key, and for any non-sk_ token', async () => {
    expect((await api(url, 'GET', '/products', undefined, 'Bearer pk_test_abc')).body.error).toBe('Secret key required');
    expect((await api(url, 'GET', '/products', undefined, `Bearer ${KEY}x`)).status).toBe(401);
  });

  it('test endpoints under /__sim need no key', async () => {
    expect((await fetch(`${url}/__sim/records`)).status).toBe(200);
  });
});

describe('Fanfare simulator: rate limits (api/rate-limiting.mdx)', () => {
  it('every answer carries X-RateLimit-Limit/Remaining/Reset; default limit 1000 per minute', async () => {
    const r = await api(url, 'GET', '/products');
    expect(r.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);
    expect(r.headers.get('x-ratelimit-reset')).toMatch(/^\d{10}$/);
  });

  it.each([['seconds', /^\d+$/], ['http-date', /GMT$/]] as const)('429 body {error, retryAfter} with Retry-After as %s', async (form, pattern) => {
    const s = createFanfareSimulator({ apiKey: KEY, rateLimit: { limit: 2, windowMs: 60_000 }, retryAfterAs: form });
    const u = await s.listen();
    try {
      await api(u, 'GET', '/products');
      await api(u, 'GET', '/products');
      const r = await api(u, 'GET', '/products');
      expect(r.status).toBe(429);
      expect(r.body).toEqual({ error: 'Rate limit exceeded', retryAfter: expect.any(Number) });
      expect(r.headers.get('retry-after')).toMatch(pattern);
      expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await s.close();
    }
  });
});

describe('Fanfare simulator: products (api/admin-api/products.mdx)', () => {
  it('400 "Validation failed" with details for a missing name, a bad enum and a bad currency', async () => {
    const r = await api(url, 'POST', '/products', { status: 'LIVE', currencyCode: 'usd' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('Validation failed');
    expect(fields(r.body).sort()).toEqual(['currencyCode', 'name', 'status']);
  });

  it('refuses unknown fields (strictest reading)', async () => {
    const r = await api(url, 'POST', '/products', { name: 'P', colour: 'red' });
    expect(r.body.details).toEqual([{ field: 'colour', message: 'Unknown field' }]);
  });

  it('POST with the same primarySyncSource updates the same record (201, then 200)', async () => {
    const a = await api(url, 'POST', '/products', { name: 'A', price: 10, primarySyncSource: src('koob:1') });
    const b = await api(url, 'POST', '/products', { name: 'B', primarySyncSource: src('koob:1') });
    const c = await api(url, 'POST', '/products', { name: 'C', primarySyncSource: src('koob:2') });
    expect([a.status, b.status, c.status]).toEqual([201, 200, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body).toMatchObject({ name: 'B', price: 10 });
    expect(c.body.id).not.toBe(a.body.id);
    expect((await simCall<{ products: unknown[] }>(url, 'records')).products).toHaveLength(2);
  });

  it('POST without a sync source always creates', async () => {
    await api(url, 'POST', '/products', { name: 'X' });
    await api(url, 'POST', '/products', { name: 'X' });
    expect((await simCall<{ products: unknown[] }>(url, 'records')).products).toHaveLength(2);
  });

  it('search by sync source answers the matching product; both parameters are required', async () => {
    const id = await newProduct('koob:9');
    const hit = await api(url, 'GET', '/products/search?syncSource=channel-bridge&syncSourceId=koob%3A9');
    expect((hit.body as unknown as Array<{ id: string }>).map((p) => p.id)).toEqual([id]);
    const bad = await api(url, 'GET', '/products/search?syncSource=channel-bridge');
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['syncSourceId']);
  });

  it('PUT /products/{id} takes no primarySyncSource (UpdateProductRequest)', async () => {
    const id = await newProduct();
    const r = await api(url, 'PUT', `/products/${id}`, { primarySyncSource: src('koob:1') });
    expect(r.status).toBe(400);
    expect(fields(r.body)).toEqual(['primarySyncSource']);
  });

  it('DELETE archives, never removes', async () => {
    const id = await newProduct();
    expect((await api(url, 'DELETE', `/products/${id}`)).status).toBe(204);
    expect((await api(url, 'GET', `/products/${id}`)).body.status).toBe('ARCHIVED');
  });

  it('404 {error:"Product not found"} for an unknown id', async () => {
    const r = await api(url, 'GET', '/products/nope');
    expect(r).toMatchObject({ status: 404, body: { error: 'Product not found' } });
  });
});

describe('Fanfare simulator: pagination (api/pagination.mdx)', () => {
  it('first is 1..100; a forged cursor is refused; endCursor is null on the last page', async () => {
    expect(fields((await api(url, 'GET', '/experiences?first=101')).body)).toEqual(['first']);
    expect((await api(url, 'GET', '/experiences?first=10&after=not-a-cursor')).status).toBe(400);
    for (let i = 0; i < 3; i += 1) await newProduct(`koob:${i}`);
    const p1 = await api(url, 'GET', '/products?first=2');
    const info = p1.body.pageInfo as { endCursor: string };
    const p2 = await api(url, 'GET', `/products?first=2&after=${encodeURIComponent(info.endCursor)}`);
    expect((p2.body.data as unknown[]).length).toBe(1);
    expect(p2.body.pageInfo).toMatchObject({ endCursor: null });
  });

  it('a cursor is bound to its sort order', async () => {
    for (let i = 0; i < 3; i += 1) await newProduct(`koob:${i}`);
    const p1 = await api(url, 'GET', '/products?first=1&sortBy=name');
    const cursor = encodeURIComponent((p1.body.pageInfo as { endCursor: string }).endCursor);
    expect((await api(url, 'GET', `/products?first=1&sortBy=createdAt&after=${cursor}`)).status).toBe(400);
  });
});

describe('Fanfare simulator: experiences (api/admin-api/experiences.mdx, distributions.mdx)', () => {
  it('POST with a nested sequence creates distributions with ids; openAt/closeAt are derived in UTC', async () => {
    const productId = await newProduct();
    const r = await api(url, 'POST', '/experiences', {
      name: 'E', timeZone: 'Europe/Paris', products: [{ productId }],
      sequence: { name: 'S', appointments: [appointment('2099-05-02'), appointment('2099-05-01')], timedReleases: [{ name: 't', supportsGuest: false }] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ openAt: '2099-04-30T22:00:00.000Z', closeAt: '2099-05-02T01:00:00.000Z' });
    const seq = (r.body.sequences as Array<{ appointments: Array<{ id: string; state: string }> }>)[0]!;
    expect(seq.appointments.map((a) => a.id)).toEqual([expect.any(String), expect.any(String)]);
    expect(seq.appointments.map((a) => a.state)).toEqual(['upcoming', 'upcoming']);
  });

  it('name is required; top-level timing is refused (it is derived)', async () => {
    const r = await api(url, 'POST', '/experiences', { openAt: '2026-05-01T00:00:00Z' });
    expect(fields(r.body).sort()).toEqual(['name', 'openAt']);
  });

  it('nested distributions: no sequenceId, no waitlists, required fields per kind, money as strings, closeAt after openAt', async () => {
    const r = await api(url, 'POST', '/experiences', {
      name: 'E',
      sequence: {
        name: 'S',
        appointments: [appointment('2026-05-01', { sequenceId: 'x' }), { name: 'bad', openAt: '2026-05-02T00:00:00Z', closeAt: '2026-05-01T00:00:00Z' }],
        timedReleases: [{ name: 't' }],
        queues: [{ name: 'q' }],
        auctions: [{ name: 'a', settleAt: '2026-05-01T00:00:00Z', reservePrice: 25 }],
        waitlists: [{ capacity: 10 }],
      },
    });
    expect(r.status).toBe(400);
    expect(fields(r.body).sort()).toEqual([
      'sequence.appointments[0].sequenceId', 'sequence.appointments[1].closeAt', 'sequence.auctions[0].reservePrice',
      'sequence.queues[0].admitRate', 'sequence.timedReleases[0].supportsGuest', 'sequence.waitlists',
    ]);
  });

  it('refuses an unknown time zone and a product id that does not exist', async () => {
    const r = await api(url, 'POST', '/experiences', { name: 'E', timeZone: 'Mars/Olympus', products: [{ productId: 'missing' }] });
    expect(fields(r.body)).toEqual(['timeZone']);
    const r2 = await api(url, 'POST', '/experiences', { name: 'E', products: [{ productId: 'missing' }] });
    expect(r2.body.details).toEqual([{ field: 'products[0].productId', message: 'Product not found' }]);
  });

  it('PUT takes only name, timeZone, theme, i18n: anything else is a 400 naming the field', async () => {
    const created = await api(url, 'POST', '/experiences', { name: 'E' });
    const id = String(created.body.id);
    const bad = await api(url, 'PUT', `/experiences/${id}`, { name: 'F', sequence: { name: 'S' }, products: [] });
    expect(bad.status).toBe(400);
    expect(fields(bad.body).sort()).toEqual(['products', 'sequence']);
    const ok = await api(url, 'PUT', `/experiences/${id}`, { name: 'F', timeZone: 'Asia/Bangkok', theme: { color: '#000' }, i18n: { fr: { name: 'F fr' } } });
    expect(ok.body).toMatchObject({ name: 'F', timeZone: 'Asia/Bangkok', i18n: { fr: { name: 'F fr' } } });
  });

  it('404 {error:"Experience not found"}', async () => {
    expect((await api(url, 'PUT', '/experiences/nope', { name: 'x' })).body).toEqual({ error: 'Experience not found' });
  });

  it('413 with the error shape for an oversized body', async () => {
    const r = await api(url, 'POST', '/experiences', { name: 'x'.repeat(1024 * 1024 + 10) });
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('Payload too large');
  });

  it('writes are marked in the request log; reads are not', async () => {
    await newProduct();
    await api(url, 'GET', '/products');
    const { requests } = await simCall<{ requests: Array<{ method: string; write: boolean }> }>(url, 'requests');
    expect(requests.map((r) => [r.method, r.write])).toEqual([['POST', true], ['GET', false]]);
  });
});
