import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createFanfareSimulator } from '../../../src/connectors/fanfare/index.js';
import { api, issueKeys, KEY, productBody, simCall } from './fixtures.js';

const sim = createFanfareSimulator({ apiKey: KEY });
let url = '';
beforeAll(async () => { url = await sim.listen(); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await simCall(url, 'reset', {}); });

const appointment = (day: string, extra: Record<string, unknown> = {}) => ({ name: `d ${day}`, openAt: `${day}T00:00:00+02:00`, closeAt: `${day}T03:00:00+02:00`, ...extra });
async function newProduct(id = 'koob:1'): Promise<string> {
  const r = await api(url, 'POST', '/products', productBody(id));
  return String(r.body.id);
}
const variant = (sku: string, price: string) => ({ sku, price, inventoryQuantity: 0, inventoryPolicy: 'untracked' });

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

describe('Fanfare simulator: products (OA:/products, /products/{productId})', () => {
  it('400 {error:"validation_error", issues} for a missing name and url, a bad variant enum and a numeric price', async () => {
    const r = await api(url, 'POST', '/products', { variants: [{ sku: 'S', price: 10, inventoryQuantity: 0, inventoryPolicy: 'tracked' }] });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('validation_error');
    expect(issueKeys(r.body)).toEqual(['name', 'url', 'variants.0.inventoryPolicy', 'variants.0.price']);
    const issue = r.body.issues![0] as unknown as Record<string, unknown>;
    expect(Object.keys(issue).sort()).toEqual(['expected', 'kind', 'message', 'path', 'received', 'type']);
  });

  it('drops fields the spec does not list instead of refusing them (no additionalProperties:false)', async () => {
    const r = await api(url, 'POST', '/products', productBody(undefined, { status: 'ACTIVE', price: 10 }));
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('status');
    expect(r.body).not.toHaveProperty('price');
  });

  it('answers every field the spec requires of a product, variants with decimal-string prices', async () => {
    const r = await api(url, 'POST', '/products', productBody('koob:1', { variants: [variant('S-1', '25.50')] }));
    expect(r.body).toMatchObject({ archived: false, name: 'P', url: 'https://tours.example.com/p', createdBy: expect.any(String), organizationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((r.body.variants as Array<Record<string, unknown>>)[0]).toMatchObject({ sku: 'S-1', price: '25.50', productId: r.body.id, options: [] });
    expect(r.body.primarySyncSource).toMatchObject({ syncSource: 'channel-bridge', syncSourceId: 'koob:1', id: r.body.primarySyncSourceId });
  });

  it('POST with the same primarySyncSource updates the same record (200 both times: the spec documents no 201)', async () => {
    const a = await api(url, 'POST', '/products', productBody('koob:1', { name: 'A', description: 'kept' }));
    const b = await api(url, 'POST', '/products', productBody('koob:1', { name: 'B' }));
    const c = await api(url, 'POST', '/products', productBody('koob:2', { name: 'C' }));
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body).toMatchObject({ name: 'B', description: 'kept' });
    expect(c.body.id).not.toBe(a.body.id);
    expect((await simCall<{ products: unknown[] }>(url, 'records')).products).toHaveLength(2);
  });

  it('POST without a sync source always creates', async () => {
    await api(url, 'POST', '/products', productBody());
    await api(url, 'POST', '/products', productBody());
    expect((await simCall<{ products: unknown[] }>(url, 'records')).products).toHaveLength(2);
  });

  it('there is no search endpoint: GET /products/search is an unknown product id', async () => {
    expect((await api(url, 'GET', '/products/search?syncSource=channel-bridge&syncSourceId=koob%3A9')).status).toBe(404);
  });

  it('PUT /products/{productId} changes only its five fields and answers without variants or sync source', async () => {
    const id = await newProduct('koob:1');
    const r = await api(url, 'PUT', `/products/${id}`, { name: 'Q', primarySyncSource: { syncSource: 'x', syncSourceId: 'y' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, name: 'Q' });
    expect(r.body).not.toHaveProperty('variants');
    expect((await api(url, 'GET', `/products/${id}`)).body.primarySyncSource).toMatchObject({ syncSource: 'channel-bridge', syncSourceId: 'koob:1' });
  });

  it('DELETE archives ("Archive a product"): 200 with archived true, the record stays readable', async () => {
    const id = await newProduct();
    const r = await api(url, 'DELETE', `/products/${id}`);
    expect([r.status, r.body.archived]).toEqual([200, true]);
    expect((await api(url, 'GET', `/products/${id}`)).body.archived).toBe(true);
  });

  it('404 {error:"Product not found"} for an unknown id', async () => {
    const r = await api(url, 'GET', '/products/nope');
    expect(r).toMatchObject({ status: 404, body: { error: 'Product not found' } });
  });
});

describe('Fanfare simulator: pagination (api/pagination.mdx)', () => {
  it('first is 1..100; a forged cursor is refused; endCursor is null on the last page', async () => {
    expect(issueKeys((await api(url, 'GET', '/experiences?first=101')).body)).toEqual(['first']);
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

describe('Fanfare simulator: experiences (OA:/experiences, /experiences/{id})', () => {
  it('POST with a nested sequence answers 200; distributions get ids; openAt/closeAt are derived in UTC', async () => {
    const productId = await newProduct();
    const r = await api(url, 'POST', '/experiences', {
      name: 'E', timeZone: 'Europe/Paris', products: [{ productId }],
      sequence: { name: 'S', appointments: [appointment('2099-05-02'), appointment('2099-05-01')], timedReleases: [{ name: 't' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ openAt: '2099-04-30T22:00:00.000Z', closeAt: '2099-05-02T01:00:00.000Z', archived: false, timeZone: 'Europe/Paris' });
    expect(r.body.products).toEqual([expect.objectContaining({ productId, experienceId: r.body.id, position: 0 })]);
    const seq = (r.body.sequences as Array<{ appointments: Array<{ id: string; state: string }> }>)[0]!;
    expect(seq.appointments.map((a) => a.id)).toEqual([expect.any(String), expect.any(String)]);
    expect(seq.appointments.map((a) => a.state)).toEqual(['upcoming', 'upcoming']);
  });

  it('name is required; an experience without a zone answers one (the spec requires timeZone)', async () => {
    expect(issueKeys((await api(url, 'POST', '/experiences', {})).body)).toEqual(['name']);
    expect((await api(url, 'POST', '/experiences', { name: 'E' })).body.timeZone).toEqual(expect.any(String));
  });

  it('nested distributions: required fields per kind and the types the spec states (money as strings)', async () => {
    const r = await api(url, 'POST', '/experiences', {
      name: 'E',
      sequence: {
        name: 'S',
        appointments: [appointment('2026-05-01', { maxCapacityPerSlot: '5' }), { openAt: '2026-05-02T00:00:00Z' }],
        queues: [{ name: 'q' }],
        draws: [{ name: 'd', drawAt: '2026-05-01T00:00:00Z' }],
        auctions: [{ name: 'a', settleAt: '2026-05-01T00:00:00Z', reservePrice: 25 }],
        productSelectionMode: 'RANDOM',
      },
    });
    expect(r.status).toBe(400);
    expect(issueKeys(r.body)).toEqual([
      'sequence.appointments.0.maxCapacityPerSlot', 'sequence.appointments.1.name', 'sequence.auctions.0.reservePrice',
      'sequence.draws.0.winnerCount', 'sequence.productSelectionMode', 'sequence.queues.0.admitRate',
    ]);
  });

  it('is no stricter than the spec: any zone string, fractional numbers and an inverted window are accepted', async () => {
    const r = await api(url, 'POST', '/experiences', {
      name: 'E', timeZone: 'Mars/Olympus',
      sequence: { name: 'S', appointments: [{ name: 'a', openAt: '2026-05-02T00:00:00Z', closeAt: '2026-05-01T00:00:00Z', slotDurationMinutes: 1.5 }] },
    });
    expect(r.status).toBe(200);
  });

  it('a product id that does not exist is a 400 issue at products.0.productId (assumption: the record is referenced)', async () => {
    const r = await api(url, 'POST', '/experiences', { name: 'E', products: [{ productId: 'missing' }] });
    expect(issueKeys(r.body)).toEqual(['products.0.productId']);
  });

  it('PUT takes i18n, name, products, theme, timeZone; a sequence sent there is dropped, not applied', async () => {
    const [p1, p2] = [await newProduct('koob:1'), await newProduct('koob:2')];
    const created = await api(url, 'POST', '/experiences', { name: 'E', products: [{ productId: p1 }] });
    const id = String(created.body.id);
    const ok = await api(url, 'PUT', `/experiences/${id}`, {
      name: 'F', timeZone: 'Asia/Bangkok', theme: { variant: 'clean' }, i18n: { fr: { name: 'F fr' } }, products: [{ productId: p2 }], sequence: { name: 'S' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'F', timeZone: 'Asia/Bangkok', i18n: { fr: { name: 'F fr' } }, sequences: [] });
    expect((ok.body.products as Array<{ productId: string }>).map((x) => x.productId)).toEqual([p2]);
    expect(issueKeys((await api(url, 'PUT', `/experiences/${id}`, { theme: { variant: 'neon' } })).body)).toEqual(['theme.variant']);
  });

  it('DELETE answers 200 with the experience, archived', async () => {
    const created = await api(url, 'POST', '/experiences', { name: 'E' });
    const r = await api(url, 'DELETE', `/experiences/${String(created.body.id)}`);
    expect([r.status, r.body.id, r.body.archived]).toEqual([200, created.body.id, true]);
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
