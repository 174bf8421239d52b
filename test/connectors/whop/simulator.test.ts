import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWhopSimulator, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import { APP, COMPANY, WHOP_KEY, simPost, startWhop } from './fixtures.js';

interface Answer { status: number; headers: Headers; body: { error?: { type: string; message: string; details?: Array<{ field: string; message: string }> } } & Record<string, unknown> }

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
  const newProduct = async (extra: Record<string, unknown> = {}) => (await call('POST', '/products', { company_id: COMPANY, title: 'Tour', ...extra })).body as { id: string };
  const fields = (a: Answer) => (a.body.error?.details ?? []).map((d) => d.field).sort();

  it('answers 401 with the chosen error body when the bearer token is missing or wrong', async () => {
    const none = await call('GET', `/products?company_id=${COMPANY}`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.body.error).toEqual({ type: 'unauthorized', message: 'A valid bearer token is required' });
    expect((await call('GET', `/products?company_id=${COMPANY}`, undefined, 'nope')).status).toBe(401);
  });

  it('lists need company_id (400) and refuse another company (403)', async () => {
    expect((await call('GET', '/experiences')).status).toBe(400);
    expect((await call('GET', '/experiences?company_id=biz_other')).status).toBe(403);
    expect((await call('POST', '/products', { company_id: 'biz_other', title: 'x' })).status).toBe(403);
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
    expect((await call('POST', '/products', { company_id: COMPANY, title: 'x'.repeat(80) })).status).toBe(200);
    const long = await call('POST', '/products', { company_id: COMPANY, title: 'x'.repeat(81) });
    expect(long.status).toBe(400);
    expect(fields(long)).toEqual(['title']);
  });

  it('unknown and create-only fields are refused with 400', async () => {
    expect((await call('POST', '/products', { company_id: COMPANY, title: 'x', external_identifier: 'koob:1' })).status).toBe(400);
    const p = await newProduct();
    expect((await call('PATCH', `/products/${p.id}`, { company_id: COMPANY })).status).toBe(400);
    const plan = (await call('POST', '/plans', { company_id: COMPANY, product_id: p.id, plan_type: 'one_time', stock: 1 })).body as { id: string };
    expect((await call('PATCH', `/plans/${plan.id}`, { release_method: 'waitlist' })).status).toBe(400);
    expect((await call('PATCH', `/plans/${plan.id}`, { plan_type: 'renewal' })).status).toBe(400);
  });

  it('plan enums are checked: plan_type, release_method, visibility and lower-case currency', async () => {
    const p = await newProduct();
    const base = { company_id: COMPANY, product_id: p.id, plan_type: 'one_time' };
    expect((await call('POST', '/plans', { ...base, plan_type: 'weekly' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, release_method: 'raffle' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, visibility: 'secret' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, currency: 'USD' })).status).toBe(400);
    expect((await call('POST', '/plans', { ...base, currency: 'eur' })).status).toBe(200);
  });

  it('plan consistency is 422: stock with unlimited stock, sub-cent prices, renewal without period, unknown product', async () => {
    const p = await newProduct();
    const base = { company_id: COMPANY, product_id: p.id, plan_type: 'one_time' };
    expect((await call('POST', '/plans', { ...base, unlimited_stock: true, stock: 5 })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, initial_price: 10.005, currency: 'usd' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, initial_price: 1000.5, currency: 'jpy' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, plan_type: 'renewal' })).status).toBe(422);
    expect((await call('POST', '/plans', { ...base, product_id: 'prod_missing00000' })).status).toBe(422);
    const foreign = sim.seedForeign('products', 'biz_other');
    expect((await call('POST', '/plans', { ...base, product_id: foreign })).status).toBe(403);
  });

  it('a plan created without stock fields is not purchasable: stock 0, limited', async () => {
    const p = await newProduct();
    const plan = await call('POST', '/plans', { company_id: COMPANY, product_id: p.id, plan_type: 'one_time' });
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

  it('paging: first is 1..100 (default 100), cursors are opaque and checked, created_after filters', async () => {
    expect((await call('GET', `/products?company_id=${COMPANY}&first=101`)).status).toBe(400);
    expect((await call('GET', `/products?company_id=${COMPANY}&after=bogus`)).status).toBe(400);
    expect((await call('GET', `/products?company_id=${COMPANY}&last=2`)).status).toBe(400);
    const early = await newProduct() as { created_at?: string };
    // The simulator's clock is strictly increasing: one millisecond after the first product is
    // before the next one, whatever the wall clock did in between (no same-millisecond race).
    const cut = new Date(Date.parse(String(early.created_at)) + 1).toISOString();
    const late = await newProduct({ title: 'Late' });
    const page = await call('GET', `/products?company_id=${COMPANY}&created_after=${encodeURIComponent(cut)}`);
    expect((page.body.data as Array<{ id: string }>).map((x) => x.id)).toEqual([late.id]);
  });

  it('the rate limit answers 429 with Retry-After seconds and the error body', async () => {
    const limited = await startWhop({ rateLimit: { limit: 1, windowMs: 30_000 } });
    try {
      const get = () => fetch(`${limited.url}/products?company_id=${COMPANY}`, { headers: { authorization: `Bearer ${WHOP_KEY}` } });
      expect((await get()).status).toBe(200);
      const res = await get();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as Answer['body']).error?.type).toBe('rate_limited');
    } finally { await limited.sim.close(); }
  });

  it('marks successful writes in the request log', async () => {
    await newProduct();
    await call('GET', `/products?company_id=${COMPANY}`);
    await call('POST', '/products', { company_id: COMPANY });
    const { requests } = (await (await fetch(`${url}/__sim/requests`)).json()) as { requests: Array<{ method: string; write: boolean; status: number }> };
    expect(requests.map((r) => [r.method, r.status, r.write])).toEqual([['POST', 200, true], ['GET', 200, false], ['POST', 400, false]]);
  });

  it('persists records to a file and loads them on the next start', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'whop-sim-')), 'whop.json');
    const make = () => createWhopSimulator({ apiKey: WHOP_KEY, companyId: COMPANY, appId: APP });
    const first = make();
    first.persistTo(file);
    const firstUrl = await first.listen();
    await fetch(`${firstUrl}/products`, { method: 'POST', headers: { authorization: `Bearer ${WHOP_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ company_id: COMPANY, title: 'Kept' }) });
    await first.close();
    const second = make();
    second.persistTo(file);
    try {
      expect([...second.store.products.values()].map((p) => p.title)).toEqual(['Kept']);
    } finally { await second.close(); }
  });
});
