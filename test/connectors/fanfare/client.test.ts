import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AuthError, InvalidRequestError, NotFoundError, RateLimitedError, SchemaDriftError, TransientError,
} from '../../../src/errors.js';
import { createFanfareSimulator, FanfareClient, listAll, paginate } from '../../../src/connectors/fanfare/index.js';
import { KEY, simCall } from './fixtures.js';

const sim = createFanfareSimulator({ apiKey: KEY });
let url = '';
let client: FanfareClient;

beforeAll(async () => {
  url = await sim.listen();
  client = new FanfareClient({ baseUrl: `${url}/api/v1`, apiKey: () => KEY, timeoutMs: 2000 });
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await simCall(url, 'reset', {}); });

// Shaped like OA:POST /products postProducts: name and url required, the price on a variant as a decimal string.
const product = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `Tour ${n}`, url: `https://tours.example.com/koob/${n}`,
  variants: [{ sku: `T-${n}`, price: `${10 + n}.00`, inventoryQuantity: 0, inventoryPolicy: 'untracked' }],
  primarySyncSource: { syncSource: 'channel-bridge', syncSourceId: `koob:${n}` }, ...extra,
});

describe('FanfareClient products', () => {
  it('upsertProduct creates, then updates the same record for the same sync source', async () => {
    const a = await client.upsertProduct(product(1));
    const b = await client.upsertProduct(product(1, { name: 'Tour one, renamed' }));
    expect(b.id).toBe(a.id);
    expect(b.name).toBe('Tour one, renamed');
    expect(a.primarySyncSourceId).toEqual(expect.any(String));
  });

  it('getProduct, updateProduct and archiveProduct (DELETE) act on one record; archive keeps it, marked archived', async () => {
    const { id } = await client.upsertProduct(product(2));
    expect((await client.getProduct(id)).variants?.map((v) => v.price)).toEqual(['12.00']);
    expect((await client.updateProduct(id, { name: 'Tour two', url: 'https://tours.example.com/koob/2b' })).url).toBe('https://tours.example.com/koob/2b');
    const archived = await client.archiveProduct(id);
    expect([archived.id, archived.archived]).toEqual([id, true]);
    const after = await client.getProduct(id);
    expect([after.archived, after.name, after.variants?.length]).toEqual([true, 'Tour two', 1]);
  });

  it('an upsert with new variant prices replaces them, keeping the variant id of the same sku', async () => {
    const a = await client.upsertProduct(product(3));
    const b = await client.upsertProduct(product(3, { variants: [{ sku: 'T-3', price: '99.50', inventoryQuantity: 0, inventoryPolicy: 'untracked' }] }));
    expect(b.variants?.map((v) => [v.id, v.price])).toEqual([[a.variants![0]!.id, '99.50']]);
  });

  it('listProducts pages with first/after across three pages until endCursor is null', async () => {
    for (let n = 1; n <= 7; n += 1) await client.upsertProduct(product(n));
    const pages: number[] = [];
    for await (const items of paginate((after) => client.listProducts({ first: 3, after }))) pages.push(items.length);
    expect(pages).toEqual([3, 3, 1]);
    const all = await listAll((after) => client.listProducts({ first: 3, after }));
    expect(new Set(all.map((p) => p.name)).size).toBe(7);
    const { requests } = await simCall<{ requests: Array<{ path: string; query: Record<string, string> }> }>(url, 'requests');
    const lists = requests.filter((r) => r.path === '/api/v1/products');
    expect(lists.filter((r) => r.query.after).length).toBe(4);
  });

  it('refuses a page size above 100 before sending anything', () => {
    expect(() => client.listProducts({ first: 101 })).toThrow(RangeError);
  });
});

describe('FanfareClient experiences', () => {
  it('createExperience, getExperience, updateExperience and listExperiences', async () => {
    const p = await client.upsertProduct(product(1));
    const created = await client.createExperience({
      name: 'Walk', timeZone: 'Europe/Paris', products: [{ productId: p.id }],
      sequence: { name: 'Departures', appointments: [{ name: 'd1', openAt: '2026-05-01T00:00:00+02:00', closeAt: '2026-05-01T03:00:00+02:00', maxCapacityPerSlot: 5 }] },
    });
    expect(((created.sequences?.[0]?.appointments as Array<{ id?: string }> | undefined)?.[0])?.id).toEqual(expect.any(String));
    expect(created.openAt).toBe('2026-04-30T22:00:00.000Z');
    expect(created.products?.map((x) => [x.productId, x.experienceId, x.position])).toEqual([[p.id, created.id, 0]]);
    expect((await client.getExperience(created.id)).name).toBe('Walk');
    const updated = await client.updateExperience(created.id, { name: 'Evening walk', i18n: { fr: { name: 'Balade du soir' } } });
    expect(updated.name).toBe('Evening walk');
    expect(updated.i18n).toEqual({ fr: { name: 'Balade du soir' } });
    const list = await client.listExperiences({ first: 10, sortBy: 'name', sortDir: 'desc' });
    expect(list.data.map((e) => e.id)).toEqual([created.id]);
    expect(list.pageInfo.endCursor).toBeNull();
    const deleted = await client.deleteExperience(created.id);
    expect([deleted.id, deleted.archived]).toEqual([created.id, true]);
  });
});

describe('FanfareClient errors map onto the taxonomy', () => {
  it('401 with a wrong key → AuthError, without the key in the message', async () => {
    const bad = new FanfareClient({ baseUrl: `${url}/api/v1`, apiKey: () => 'sk_test_wrong_key_zzz' });
    const err = await bad.listExperiences().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(String((err as Error).message)).not.toContain('sk_test_wrong_key_zzz');
  });

  it('404 → NotFoundError', async () => {
    await expect(client.getProduct('00000000-0000-7000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('400 {error:"validation_error", issues} → InvalidRequestError carrying the issues', async () => {
    const err = await client.upsertProduct({ name: 'No url' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as Error).message).toContain('validation_error');
    expect((err as Error).message).toContain('"key":"url"');
  });

  it('413 for an oversized body → InvalidRequestError', async () => {
    const small = createFanfareSimulator({ apiKey: KEY, maxBodyBytes: 2000 });
    const u = await small.listen();
    try {
      const c = new FanfareClient({ baseUrl: `${u}/api/v1`, apiKey: () => KEY });
      const err = await c.upsertProduct(product(1, { description: 'x'.repeat(5000) })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidRequestError);
      expect((err as Error).message).toContain('413');
    } finally {
      await small.close();
    }
  });

  it.each([['seconds' as const], ['http-date' as const]])('429 with Retry-After as %s → RateLimitedError with retryAfterMs', async (form) => {
    const limited = createFanfareSimulator({ apiKey: KEY, rateLimit: { limit: 1, windowMs: 60_000 }, retryAfterAs: form });
    const u = await limited.listen();
    try {
      const c = new FanfareClient({ baseUrl: `${u}/api/v1`, apiKey: () => KEY });
      await c.listExperiences();
      const err = await c.listExperiences().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      const ms = (err as RateLimitedError).retryAfterMs;
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(61_000);
      if (form === 'seconds') expect(ms! % 1000).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('503 on a POST → TransientError (not retried by the transport)', async () => {
    await simCall(url, 'knobs', { faults: [{ kind: 'status', status: 503, count: 1, method: 'POST' }] });
    await expect(client.upsertProduct(product(1))).rejects.toBeInstanceOf(TransientError);
    expect((await simCall<{ products: unknown[] }>(url, 'records')).products).toHaveLength(0);
  });

  it('one 503 on a GET is retried once by the transport; two are a TransientError', async () => {
    await simCall(url, 'knobs', { faults: [{ kind: 'status', status: 503, count: 1, method: 'GET' }] });
    expect((await client.listExperiences()).data).toEqual([]);
    await simCall(url, 'knobs', { faults: [{ kind: 'status', status: 500, count: 2, method: 'GET' }] });
    await expect(client.listExperiences()).rejects.toBeInstanceOf(TransientError);
  });

  it('a connection reset → TransientError', async () => {
    await simCall(url, 'knobs', { faults: [{ kind: 'reset', count: 1, method: 'GET' }] });
    await expect(client.listProducts()).rejects.toBeInstanceOf(TransientError);
  });

  it('no answer within timeoutMs → TransientError', async () => {
    const quick = new FanfareClient({ baseUrl: `${url}/api/v1`, apiKey: () => KEY, timeoutMs: 300 });
    await simCall(url, 'knobs', { faults: [{ kind: 'timeout', count: 1, method: 'GET' }] });
    const err = await quick.listProducts().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).details.code).toBe('ETIMEDOUT');
  });

  it('a 200 whose body is not the documented shape → SchemaDriftError', async () => {
    await simCall(url, 'knobs', { faults: [{ kind: 'status', status: 200, count: 1, method: 'GET', body: { items: [] } }] });
    await expect(client.listExperiences()).rejects.toBeInstanceOf(SchemaDriftError);
  });
});
