import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWhopSimulator, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import { APP, COMPANY, WHOP_KEY, simPost, startWhop } from './fixtures.js';

interface Answer { status: number; headers: Headers; body: { error?: { code: string; message: string; details?: Array<{ field: string; message: string }> } } & Record<string, unknown> }

describe('Whop simulator rules (README, "Simulator")', () => {
  let sim: WhopSimulator;
  let url: string;
  beforeAll(async () => { ({ sim, url } = await startWhop()); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await simPost(url, 'reset', {}); });

  async function call(method: string, path: string, body?: unknown, key: string | null = WHOP_KEY): Promise<Answer> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
  }
  const newProduct = async (extra: Record<string, unknown> = {}) => (await call('POST', '/products', { account_id: COMPANY, title: 'Tour', ...extra })).body as { id: string };
  const fields = (a: Answer) => (a.body.error?.details ?? []).map((d) => d.field).sort();

  it('answers 401 with the chosen error body when the bearer token is missing or wrong', async () => {
    const none = await call('GET', `/products?account_id=${COMPANY}`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.body.error).toEqual({ code: 'unauthorized', message: 'A valid bearer token is required' });
    expect((await call('GET', `/products?account_id=${COMPANY}`, undefined, 'nope')).status).toBe(401);
  });

  it('lists need their owner param: account_id for products and plans, company_id for experiences (SDK *ListParams)', async () => {
    expect((await call('GET', '/experiences')).status).toBe(400);
    expect((await call('GET', '/experiences?company_id=biz_other')).status).toBe(403);
    expect((await call('GET', `/experiences?company_id=${COMPANY}`)).status).toBe(200);
    expect((await call('GET', `/products?company_id=${COMPANY}`)).status).toBe(400);
    expect((await call('GET', `/plans?company_id=${COMPANY}`)).status).toBe(400);
    expect((await call('GET', `/plans?account_id=${COMPANY}`)).status).toBe(200);
    expect((await call('POST', '/products', { account_id: 'biz_other', title: 'x' })).status).toBe(403);
  });

  it('creates name the owner account_id on products and plans (SDK ProductCreateParams, PlanCreateParams), optional', async () => {
    expect((await call('POST', '/products', { company_id: COMPANY, title: 'x' })).status).toBe(400);
    const p = await call('POST', '/products', { title: 'No owner given' });
    expect(p.status).toBe(200);
    const plan = await call('POST', '/plans', { product_id: (p.body as { id: string }).id, plan_type: 'one_time' });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ account: { id: COMPANY }, product: { id: (p.body as { id: string }).id } });
    expect((await call('POST', '/plans', { company_id: COMPANY, plan_type: 'one_time' })).status).toBe(400);
  });

  it("another company's experience is 403 and an unknown one 404", async () => {
    const foreign = sim.seedForeign('experiences', 'biz_other');
    expect((await call('GET', `/experiences/${foreign}`)).status).toBe(403);
    expect((await call('PATCH', `/experiences/${foreign}`, { name: 'mine' })).status).toBe(403);
    expect((await call('GET', '/experiences/exp_missing000000')).status).toBe(404);
  });

  it('experience create requires app_id and company_id (400 naming both) and an installed app (422)', async () => {
    const missing = await call('POST', '/experiences', { name: 'x' });
    expect(missing.status).toBe(400);
    expect(fields(missing)).toEqual(['app_id', 'company_id']);
    expect((await call('POST', '/experiences', { app_id: 'app_other', company_id: COMPANY })).status).toBe(422);
    const made = await call('POST', '/experiences', { app_id: APP, company_id: COMPANY });
    expect(made.status).toBe(200);
    expect(made.body.name).toBe('Bridge app');
  });

  it('product title is limited to 80 characters', async () => {
    expect((await call('POST', '/products', { account_id: COMPANY, title: 'x'.repeat(80) })).status).toBe(200);
    const long = await call('POST', '/products', { account_id: COMPANY, title: 'x'.repeat(81) });
    expect(long.status).toBe(400);
    expect(fields(long)).toEqual(['title']);
  });

  it('unknown and create-only fields are refused with 400', async () => {
    expect((await call('POST', '/products', { account_id: COMPANY, title: 'x', external_identifier: 'koob:1' })).status).toBe(400);
    const p = await newProduct();
    expect((await call('PATCH', `/products/${p.id}`, { account_id: COMPANY })).status).toBe(400);
    const plan = (await call('POST', '/plans', { account_id: COMPANY, product_id: p.id, plan_type: 'one_time', stock: 1 })).body as { id: string };
    expect((await call('PATCH', `/plans/${plan.id}`, { release_method: 'waitlist' })).status).toBe(400);
    expect((await call('PATCH', `/plans/${plan.id}`, { plan_type: 'renewal' })).status).toBe(400);
  });

  it('plan enums are checked: plan_type, release_method, visibility and a listed currency (stored lower-case)', async () => {
    const p = await newProduct();
    const base = { account_id: COMPANY, product_id: p.id, plan_type: 'one_time' };
    expect((await call('POST', '/plans', { ...base, plan_type: 'weekly' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, release_method: 'raffle' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, visibility: 'secret' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, currency: 'xyz' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, currency: 'USD' })).body).toMatchObject({ currency: 'usd' });
    expect((await call('POST', '/plans', { ...base, currency: 'eur' })).status).toBe(200);
  });

  it('plan consistency is 422: sub-cent prices, renewal without period, unknown product; stock beside unlimited is ignored', async () => {
    const p = await newProduct();
    const base = { account_id: COMPANY, product_id: p.id, plan_type: 'one_time' };
    expect((await call('POST', '/plans', { ...base, unlimited_stock: true, stock: 5 })).status).toBe(200);
    expect((await call('POST', '/plans', { ...base, initial_price: 10.005, currency: 'usd' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, initial_price: 1000.5, currency: 'jpy' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, plan_type: 'renewal' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, product_id: 'prod_missing00000' })).status).toBe(422);
    const foreign = sim.seedForeign('products', 'biz_other');
    expect((await call('POST', '/plans', { ...base, product_id: foreign })).status).toBe(403);
  });

  it('a plan created without stock fields is not purchasable: stock 0, limited', async () => {
    const p = await newProduct();
    const plan = await call('POST', '/plans', { account_id: COMPANY, product_id: p.id, plan_type: 'one_time' });
    expect(plan.body).toMatchObject({ stock: 0, unlimited_stock: false, release_method: 'buy_now' });
  });

  it('experience PATCH takes access_level public|private only', async () => {
    const e = (await call('POST', '/experiences', { app_id: APP, company_id: COMPANY })).body as { id: string };
    expect((await call('PATCH', `/experiences/${e.id}`, { access_level: 'private' })).status).toBe(200);
    expect((await call('PATCH', `/experiences/${e.id}`, { access_level: 'public' })).status).toBe(200);
    expect((await call('PATCH', `/experiences/${e.id}`, { access_level: 'secret' })).status).toBe(400);
  });

  it('attaching twice and detaching what is not attached are 422', async () => {
    const p = await newProduct();
    const e = (await call('POST', '/experiences', { app_id: APP, company_id: COMPANY })).body as { id: string };
    expect((await call('POST', `/experiences/${e.id}/detach`, { product_id: p.id })).status).toBe(422);
    expect((await call('POST', `/experiences/${e.id}/attach`, { product_id: p.id })).status).toBe(200);
    expect((await call('POST', `/experiences/${e.id}/attach`, { product_id: p.id })).status).toBe(422);
  });

  it('paging: first is 1..100 (default 100), cursors are opaque and checked, newest first by default', async () => {
    expect((await call('GET', `/products?account_id=${COMPANY}&first=101`)).status).toBe(400);
    expect((await call('GET', `/products?account_id=${COMPANY}&after=bogus`)).status).toBe(400);
    expect((await call('GET', `/products?account_id=${COMPANY}&last=2`)).status).toBe(400);
    const a = await newProduct();
    const b = await newProduct({ title: 'Later' });
    const ids = async (q: string) => ((await call('GET', `/products?account_id=${COMPANY}${q}`)).body.data as Array<{ id: string }>).map((x) => x.id);
    expect(await ids('')).toEqual([b.id, a.id]);
    expect(await ids('&direction=asc')).toEqual([a.id, b.id]);
    expect(await ids('&visibilities[]=hidden')).toEqual([]);
  });

  it('product lists take no created_after (not in SDK ProductListParams); plan lists do', async () => {
    const cut = new Date(Date.now() - 60_000).toISOString();
    expect((await call('GET', `/products?account_id=${COMPANY}&created_after=${encodeURIComponent(cut)}`)).status).toBe(400);
    const early = await newProduct() as { id: string };
    const plan = (await call('POST', '/plans', { product_id: early.id, plan_type: 'one_time' })).body as { id: string; created_at: string };
    // The simulator's clock is strictly increasing: one millisecond after the first plan is before the next one.
    const after = new Date(Date.parse(plan.created_at) + 1).toISOString();
    const late = (await call('POST', '/plans', { product_id: early.id, plan_type: 'one_time' })).body as { id: string };
    const page = await call('GET', `/plans?account_id=${COMPANY}&created_after=${encodeURIComponent(after)}`);
    expect((page.body.data as Array<{ id: string }>).map((x) => x.id)).toEqual([late.id]);
  });

  it('plan lists filter by product_ids[] (SDK brackets form) and refuse the bare product_ids', async () => {
    const one = await newProduct();
    const two = await newProduct({ title: 'Two' });
    const p1 = (await call('POST', '/plans', { product_id: one.id, plan_type: 'one_time' })).body as { id: string };
    const p2 = (await call('POST', '/plans', { product_id: two.id, plan_type: 'one_time' })).body as { id: string };
    const ids = async (q: string) => ((await call('GET', `/plans?account_id=${COMPANY}&direction=asc${q}`)).body.data as Array<{ id: string }>).map((x) => x.id);
    expect(await ids(`&product_ids[]=${one.id}`)).toEqual([p1.id]);
    expect(await ids(`&product_ids[]=${one.id}&product_ids[]=${two.id}`)).toEqual([p1.id, p2.id]);
    expect((await call('GET', `/plans?account_id=${COMPANY}&product_ids=${one.id}`)).status).toBe(400);
  });

  it('a plan PATCH without custom_fields clears them (SDK PlanUpdateParams.custom_fields); with them, ids are kept', async () => {
    const p = await newProduct();
    const plan = (await call('POST', '/plans', { product_id: p.id, plan_type: 'one_time', custom_fields: [{ name: 'Passport number', required: true }] })).body as { id: string; custom_fields: Array<{ id: string; name: string }> };
    expect(plan.custom_fields).toEqual([expect.objectContaining({ id: expect.any(String), name: 'Passport number', field_type: 'text', required: true })]);
    const kept = await call('PATCH', `/plans/${plan.id}`, { stock: 2, custom_fields: plan.custom_fields });
    expect((kept.body as typeof plan).custom_fields).toEqual(plan.custom_fields);
    const cleared = await call('PATCH', `/plans/${plan.id}`, { stock: 3 });
    expect((cleared.body as typeof plan).custom_fields).toEqual([]);
  });

  it('Api-Version-Date is optional and, when sent, an ISO date', async () => {
    const get = (v?: string) => fetch(`${url}/products?account_id=${COMPANY}`, { headers: { authorization: `Bearer ${WHOP_KEY}`, ...(v ? { 'api-version-date': v } : {}) } });
    expect((await get()).status).toBe(200);
    expect((await get('2026-07-20')).status).toBe(200);
    expect((await get('yesterday')).status).toBe(400);
  });

  it('Idempotency-Key on product and plan creates: replayed (Idempotent-Replayed), mismatch 400, 4xx replayed too', async () => {
    const post = (path: string, body: unknown, key: string) => fetch(`${url}${path}`, {
      method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${WHOP_KEY}`, 'content-type': 'application/json', 'idempotency-key': key },
    });
    const first = await post('/products', { title: 'Once' }, 'k-1');
    const again = await post('/products', { title: 'Once' }, 'k-1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await again.text()).toBe(await first.text());
    expect(sim.store.products.size).toBe(1);
    const other = await post('/products', { title: 'Twice' }, 'k-1');
    expect(other.status).toBe(400);
    expect(((await other.json()) as Answer['body']).error?.code).toBe('idempotency_key_mismatch');
    expect((await post('/plans', { plan_type: 'weekly' }, 'k-2')).status).toBe(400);
    const replayedError = await post('/plans', { plan_type: 'weekly' }, 'k-2');
    expect([replayedError.status, replayedError.headers.get('idempotent-replayed')]).toEqual([400, 'true']);
    expect((await post('/products', { title: 'Long key' }, 'x'.repeat(256))).status).toBe(400);
    expect(sim.store.products.size).toBe(1);
  });

  it('the rate limit answers 429 with Retry-After seconds and the error body', async () => {
    const limited = await startWhop({ rateLimit: { limit: 1, windowMs: 30_000 } });
    try {
      const get = () => fetch(`${limited.url}/products?account_id=${COMPANY}`, { headers: { authorization: `Bearer ${WHOP_KEY}` } });
      expect((await get()).status).toBe(200);
      const res = await get();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as Answer['body']).error?.code).toBe('rate_limited');
    } finally { await limited.sim.close(); }
  });

  it('marks successful writes in the request log', async () => {
    await newProduct();
    await call('GET', `/products?account_id=${COMPANY}`);
    await call('POST', '/products', { account_id: COMPANY });
    const { requests } = (await (await fetch(`${url}/__sim/requests`)).json()) as { requests: Array<{ method: string; write: boolean; status: number }> };
    expect(requests.map((r) => [r.method, r.status, r.write])).toEqual([['POST', 200, true], ['GET', 200, false], ['POST', 400, false]]);
  });

  it('persists records to a file and loads them on the next start', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'whop-sim-')), 'whop.json');
    const make = () => createWhopSimulator({ apiKey: WHOP_KEY, companyId: COMPANY, appId: APP });
    const first = make();
    first.persistTo(file);
    const firstUrl = await first.listen();
    await fetch(`${firstUrl}/products`, { method: 'POST', headers: { authorization: `Bearer ${WHOP_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ account_id: COMPANY, title: 'Kept' }) });
    await first.close();
    const second = make();
    second.persistTo(file);
    try {
      expect([...second.store.products.values()].map((p) => p.title)).toEqual(['Kept']);
    } finally { await second.close(); }
  });
});
