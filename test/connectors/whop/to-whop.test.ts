import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoCatalog } from '../../../src/connectors/koob/demo-catalog.js';
import { WhopClient, toWhop, type WhopResource, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import { APP, COMPANY, KOOB_SEED, WHOP_KEY, canonical, startWhop } from './fixtures.js';

const opts = { companyId: COMPANY, appId: APP };
type ByKey = { [K in WhopResource['key']]?: Extract<WhopResource, { key: K }> };
const byKey = (p: ReturnType<typeof toWhop>) => Object.fromEntries(p.resources.map((r) => [r.key, r])) as ByKey;
const fieldsOf = (p: ReturnType<typeof toWhop>) => p.losses.map((l) => l.field);

describe('toWhop (canonical → Whop product, plan, experience, attachment)', () => {
  it('writes product, plan, experience then attachment, with placeholders for assigned ids', () => {
    const out = toWhop(canonical(KOOB_SEED.sic!), opts);
    // The product is created hidden and published last, once its plan exists (nothing half-published).
    expect(out.resources.map((r) => r.key)).toEqual(['product', 'plan', 'experience', 'attachment', 'publish']);
    expect(out.resources[0]!.createOnly).toEqual({ visibility: 'hidden' });
    const r = byKey(out);
    expect(r.plan!.create.path).toBe('/plans?product_id={productId}');
    expect(r.plan!.body.product_id).toBe('{productId}');
    expect(r.attachment!.create.path).toBe('/experiences/{experienceId}/attach?product_id={productId}');
    expect(r.attachment!.remove).toEqual({ method: 'PATCH', path: '/experiences/{attachmentId}', body: { is_public: false } });
  });

  it('SIC (seed): visible product, one-time plan in major units, lower-case currency, stock = remaining seats', () => {
    const r = byKey(toWhop(canonical(KOOB_SEED.sic!), opts));
    expect(r.product!.body).toMatchObject({ account_id: COMPANY, title: 'Group Adventure Package', description: 'Join fellow travelers on this exciting shared journey' });
    expect(r.publish!.body).toEqual({ visibility: 'visible' });
    expect(r.plan!.body).toEqual({
      account_id: COMPANY, product_id: '{productId}', plan_type: 'one_time', release_method: 'buy_now', currency: 'usd',
      initial_price: 450, visibility: 'visible', unlimited_stock: false, stock: 7, metadata: { bridge_stock: 7, bridge_sold: 0 },
    });
    expect(r.experience!.body).toEqual({ app_id: APP, company_id: COMPANY, name: 'Group Adventure Package', is_public: false });
  });

  it('Series (seed): lowest open price, smallest open vacancy, stop-sale date reported', () => {
    const out = toWhop(canonical(KOOB_SEED.series!), opts);
    expect(byKey(out).plan!.body).toMatchObject({ currency: 'eur', initial_price: 320, stock: 5, unlimited_stock: false, visibility: 'visible' });
    expect(fieldsOf(out)).toEqual(expect.arrayContaining(['availability[].price', 'availability[].units', 'availability[].capacity', 'availability[p2].sale']));
  });

  it('freesale without allotments (Extra, Transfer seeds) → unlimited stock, no stock number', () => {
    for (const kind of ['extra', 'transfer'] as const) {
      const plan = byKey(toWhop(canonical(KOOB_SEED[kind]!), opts)).plan!.body;
      expect(plan).toMatchObject({ unlimited_stock: true, visibility: 'visible' });
      expect(plan).not.toHaveProperty('stock');
    }
  });

  it('on-request (FIT seed) is never instantly purchasable: plan hidden with zero stock', () => {
    const out = toWhop(canonical(KOOB_SEED.fit!), opts);
    expect(byKey(out).plan!.body).toMatchObject({ visibility: 'hidden', unlimited_stock: false, stock: 0 });
    expect(out.losses).toEqual(expect.arrayContaining([{ field: 'availability', reason: 'nothing open for instant sale: plan hidden with zero stock' }]));
  });

  it('a draft source product (Activity seed, in_progress) hides product and plan', () => {
    const r = byKey(toWhop(canonical(KOOB_SEED.activity!), opts));
    expect(r.publish!.body.visibility).toBe('hidden');
    expect(r.plan!.body).toMatchObject({ visibility: 'hidden', stock: 0 });
  });

  it('HTML becomes text; included, excluded and cancellation policy are carried in the description', () => {
    const d = String(byKey(toWhop(canonical(KOOB_SEED.fit!), opts)).product!.body.description);
    expect(d).toContain('Explore ancient temples and local culture');
    expect(d).toContain('Included:\n- Professional English-speaking guide\n- All entrance fees');
    expect(d).toContain('Not included:\n- International flights');
    expect(d).toContain('Cancellation policy:\nFree cancellation up to 7 days before departure.');
    expect(d).not.toMatch(/<[a-z]/);
  });

  it('a title longer than 80 characters is cut for the product (loss) but kept whole for the experience', () => {
    const name = 'An Extraordinarily Long Journey Through the Temples, Rivers and Markets of Bangkok and Beyond';
    const out = toWhop(canonical({ ...KOOB_SEED.sic!, name }), opts);
    expect(String(byKey(out).product!.body.title)).toHaveLength(80);
    expect(byKey(out).experience!.body.name).toBe(name);
    expect(out.losses).toContainEqual({ field: 'name', reason: "longer than Whop's 80 characters; cut to 80 at a character boundary" });
  });

  it('reports what Whop has no concept for: schedule, duration, location, capacity per date, other locales', () => {
    const out = toWhop(canonical(KOOB_SEED.sic!, { name: 'Forfait aventure en groupe' }), opts);
    expect(fieldsOf(out)).toEqual(expect.arrayContaining(['availability[].dates', 'durationMinutes', 'location', 'availability[].capacity', 'texts.fr']));
  });

  it('remove never deletes, and each removal names only its own id: product and plan hidden, experience private', () => {
    const r = byKey(toWhop(canonical(KOOB_SEED.sic!), opts));
    expect(r.product!.remove).toEqual({ method: 'PATCH', path: '/products/{productId}', body: { visibility: 'hidden' } });
    expect(r.plan!.remove).toEqual({ method: 'PATCH', path: '/plans/{planId}', body: { visibility: 'hidden', unlimited_stock: false, stock: 0 } });
    expect(r.experience!.remove).toEqual({ method: 'PATCH', path: '/experiences/{experienceId}', body: { is_public: false } });
    for (const x of Object.values(r) as WhopResource[]) expect(x.remove.path.match(/\{[^}]+Id\}/g)).toEqual([`{${x.key}Id}`]);
  });

  it('a currency Whop does not sell in yields no plan and a loss', () => {
    const out = toWhop({ ...canonical(KOOB_SEED.sic!), currency: 'XPF' }, opts);
    expect(out.resources.map((r) => r.key)).toEqual(['product', 'experience', 'attachment', 'publish']);
    expect(fieldsOf(out)).toContain('currency');
  });

  describe('every body is accepted by the simulator', () => {
    let sim: WhopSimulator;
    let client: WhopClient;
    beforeAll(async () => { const s = await startWhop(); sim = s.sim; client = new WhopClient({ baseUrl: s.url, apiKey: () => WHOP_KEY }); });
    afterAll(async () => { await sim.close(); });

    const catalog = [
      ...Object.entries(KOOB_SEED).map(([kind, rec]) => [`seed ${kind}`, canonical(rec)] as const),
      ...demoCatalog('2026-01-05').map((d) => [`demo ${d.record.name as string}`, canonical(d.record, d.translations.fr)] as const),
    ];
    it.each(catalog)('%s', async (_name, product) => {
      const r = byKey(toWhop(product, opts));
      const p = await client.createProduct(r.product!.body);
      const plan = await client.createPlan({ ...r.plan!.body, product_id: p.id });
      const e = await client.createExperience(r.experience!.body);
      const attached = await client.attachExperience(e.id, { product_id: p.id });
      expect(attached.products?.map((x) => x.id)).toEqual([p.id]);
      expect(plan.initial_price).toBe(r.plan!.body.initial_price);
      await client.updateProduct(p.id, r.product!.remove.body);
      await client.updatePlanKeepingFields(plan.id, r.plan!.remove.body);
      expect((await client.getPlan(plan.id)).visibility).toBe('hidden');
    });
  });
});
