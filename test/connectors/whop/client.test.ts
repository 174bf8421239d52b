import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WhopClient, collect, paginate, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import { AuthError, InvalidRequestError, NotFoundError, RateLimitedError, SchemaDriftError, TransientError } from '../../../src/errors.js';
import { APP, COMPANY, WHOP_KEY, simPost, startWhop } from './fixtures.js';

describe('WhopClient against the Whop simulator over HTTP', () => {
  let sim: WhopSimulator;
  let url: string;
  let client: WhopClient;
  beforeAll(async () => { ({ sim, url } = await startWhop()); client = new WhopClient({ baseUrl: url, apiKey: () => WHOP_KEY, timeoutMs: 2000 }); });
  // A fetch aborted by its timeout leaves its socket open (Node 20 undici); the injected timeout holds it 60 s.
  afterAll(async () => { sim.app.server.closeAllConnections(); await sim.close(); });
  beforeEach(async () => { await simPost(url, 'reset', {}); });

  const product = (title = 'Cultural Discovery Tour') => client.createProduct({ account_id: COMPANY, title, description: 'Temples', visibility: 'visible' });

  it('products: create, get, update and list round-trip', async () => {
    const p = await product();
    expect(p.id).toMatch(/^prod_/);
    expect((await client.getProduct(p.id)).description).toBe('Temples');
    expect((await client.updateProduct(p.id, { visibility: 'hidden' })).visibility).toBe('hidden');
    const page = await client.listProducts({ account_id: COMPANY });
    expect(page.data.map((x) => x.id)).toEqual([p.id]);
    expect(page.page_info.has_next_page).toBe(false);
  });

  it('plans: create, get, update and list by product', async () => {
    const p = await product();
    const plan = await client.createPlan({ account_id: COMPANY, product_id: p.id, plan_type: 'one_time', initial_price: 850, currency: 'usd', stock: 7, visibility: 'visible' });
    expect(plan).toMatchObject({ plan_type: 'one_time', initial_price: 850, stock: 7, unlimited_stock: false, product: { id: p.id }, custom_fields: [] });
    expect((await client.getPlan(plan.id)).currency).toBe('usd');
    expect((await client.updatePlan(plan.id, { stock: 3 })).stock).toBe(3);
    const other = await product('Other');
    await client.createPlan({ account_id: COMPANY, product_id: other.id, plan_type: 'one_time', initial_price: 1, stock: 1 });
    expect((await client.listPlans({ account_id: COMPANY, product_ids: [p.id] })).data.map((x) => x.id)).toEqual([plan.id]);
  });

  it('experiences: create, get, update, list, attach and detach', async () => {
    const p = await product();
    const e = await client.createExperience({ app_id: APP, company_id: COMPANY, name: 'Tour access', is_public: false });
    expect(e.id).toMatch(/^exp_/);
    expect((await client.updateExperience(e.id, { name: 'Renamed', access_level: 'private' })).name).toBe('Renamed');
    expect((await client.attachExperience(e.id, { product_id: p.id })).products?.map((x) => x.id)).toEqual([p.id]);
    expect((await client.getExperience(e.id)).products).toHaveLength(1);
    expect((await client.listExperiences({ company_id: COMPANY, product_id: p.id })).data.map((x) => x.id)).toEqual([e.id]);
    expect((await client.detachExperience(e.id, { product_id: p.id })).products).toEqual([]);
    expect((await client.listExperiences({ company_id: COMPANY, product_id: p.id })).data).toEqual([]);
  });

  it('paginate follows end_cursor across three pages until has_next_page is false (newest first: SDK default direction)', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i += 1) made.push((await product(`P${i}`)).id);
    const pages: number[] = [];
    const all = await collect(paginate(async (c) => {
      const res = await client.listProducts({ account_id: COMPANY, ...c });
      pages.push(res.data.length);
      return res;
    }, { first: 3 }));
    expect(all.map((p) => p.id)).toEqual([...made].reverse());
    expect(pages).toEqual([3, 3, 1]);
  });

  it('created_at given as epoch seconds (seed S3) is read as an ISO time', async () => {
    const epoch = await startWhop({ createdAt: 'epoch' });
    try {
      const c = new WhopClient({ baseUrl: epoch.url, apiKey: () => WHOP_KEY });
      const e = await c.createExperience({ app_id: APP, company_id: COMPANY, name: 'x' });
      expect(e.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      const raw = (await (await fetch(`${epoch.url}/experiences/${e.id}`, { headers: { authorization: `Bearer ${WHOP_KEY}` } })).json()) as { created_at: unknown };
      expect(typeof raw.created_at).toBe('number');
    } finally { await epoch.sim.close(); }
  });

  it('a wrong key is an AuthError (401) and the key never appears in the message', async () => {
    const bad = new WhopClient({ baseUrl: url, apiKey: () => 'wrong-secret-key' });
    const err = await bad.listProducts({ account_id: COMPANY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).details.status).toBe(401);
    expect(String((err as Error).message)).not.toContain('wrong-secret-key');
  });

  it("another company's product is an AuthError (403)", async () => {
    const foreign = sim.seedForeign('products', 'biz_someoneelse0001');
    const err = await client.getProduct(foreign).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).details.status).toBe(403);
  });

  it('an unknown id is a NotFoundError (404)', async () => {
    await expect(client.getPlan('plan_doesnotexist1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a validation failure is an InvalidRequestError carrying the field details', async () => {
    const err = await client.createProduct({ account_id: COMPANY, title: 'x'.repeat(81) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).details.status).toBe(400);
    expect(String((err as InvalidRequestError).details.body)).toContain('"field":"title"');
  });

  it('the rate limit answers 429 with Retry-After in seconds → RateLimitedError.retryAfterMs', async () => {
    const limited = await startWhop({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const c = new WhopClient({ baseUrl: limited.url, apiKey: () => WHOP_KEY });
      await c.listProducts({ account_id: COMPANY });
      await c.listProducts({ account_id: COMPANY });
      const err = await c.listProducts({ account_id: COMPANY }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect((err as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(60_000);
    } finally { await limited.sim.close(); }
  });

  it('a 429 with an HTTP-date Retry-After is read as a delay', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    await simPost(url, 'knobs', { faults: [{ kind: 'status', status: 429, count: 1, headers: { 'Retry-After': at }, body: { error: { type: 'rate_limited', message: 'slow down' } } }] });
    const err = await client.listPlans({ account_id: COMPANY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(60_000);
  });

  it('5xx, resets and timeouts are TransientError', async () => {
    await simPost(url, 'knobs', { faults: [{ kind: 'status', status: 503, count: 1, method: 'POST' }] });
    await expect(product()).rejects.toBeInstanceOf(TransientError);
    await simPost(url, 'knobs', { faults: [{ kind: 'reset', count: 1 }] });
    await expect(client.listProducts({ account_id: COMPANY })).rejects.toBeInstanceOf(TransientError);
    await simPost(url, 'knobs', { faults: [{ kind: 'timeout', count: 1 }] });
    const quick = new WhopClient({ baseUrl: url, apiKey: () => WHOP_KEY, timeoutMs: 200 });
    await expect(quick.listExperiences({ company_id: COMPANY })).rejects.toBeInstanceOf(TransientError);
  });

  it('a 200 body that breaks the documented shape is SchemaDriftError', async () => {
    await simPost(url, 'knobs', { faults: [{ kind: 'status', status: 200, count: 1, body: { data: 'not-a-list' } }] });
    await expect(client.listProducts({ account_id: COMPANY })).rejects.toBeInstanceOf(SchemaDriftError);
  });
});
