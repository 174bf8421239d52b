import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import Whop from '@whop/sdk';
import { emptyTargetState, fillBody, fillPath, planWrites, type PlannedWrite, type TargetState } from '../../../src/canonical/plan.js';
import type { Endpoint } from '../../../src/config.js';
import type { TargetConnector } from '../../../src/connectors/types.js';
import { WHOP_API_VERSION_DATE, WhopClient, toWhop, whopTarget, type WhopResource, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import {
  ExperienceCreate, ExperienceUpdate, PlanCreate, PlanListQuery, PlanUpdate, ProductCreate, ProductListQuery, ProductUpdate, ExperienceListQuery,
} from '../../../src/connectors/whop/simulator-rules.js';
import { writeRequest } from '../../../src/connectors/whop/target.js';
import type {
  WhopExperienceCreate, WhopExperienceUpdate, WhopPlanCreate, WhopPlanUpdate, WhopProductCreate, WhopProductUpdate,
} from '../../../src/connectors/whop/to-whop.js';
import { TransientError } from '../../../src/errors.js';
import { APP, COMPANY, KOOB_SEED, WHOP_KEY, canonical, simPost, simRecords, startWhop } from './fixtures.js';

// --- compile time: our bodies are the SDK's parameter types (npx tsc --noEmit fails on drift) ---------
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Updates are creates minus the create-only fields (CREATE_ONLY), and nothing else. */
const updatesMatchCreates: [
  Same<Exclude<keyof WhopProductCreate, 'account_id'>, keyof WhopProductUpdate>,
  Same<Exclude<keyof WhopPlanCreate, 'account_id' | 'product_id' | 'plan_type' | 'release_method'>, Exclude<keyof WhopPlanUpdate, 'custom_fields'>>,
  Same<Exclude<keyof WhopExperienceCreate, 'app_id' | 'company_id'>, keyof WhopExperienceUpdate>,
] = [true, true, true];

/** Each resource's create and removal bodies, typed as the SDK method's parameters. */
function sdkBodies(r: WhopResource): Array<[string, object]> {
  switch (r.key) {
    case 'product': return [['ProductCreateParams', r.body satisfies Whop.ProductCreateParams], ['ProductUpdateParams', r.remove.body satisfies Whop.ProductUpdateParams]];
    case 'plan': return [['PlanCreateParams', r.body satisfies Whop.PlanCreateParams], ['PlanUpdateParams', r.remove.body satisfies Whop.PlanUpdateParams]];
    case 'experience': return [['ExperienceCreateParams', r.body satisfies Whop.ExperienceCreateParams], ['ExperienceUpdateParams', r.remove.body satisfies Whop.ExperienceUpdateParams]];
    case 'attachment': return [['ExperienceAttachParams', r.body satisfies Whop.ExperienceAttachParams], ['ExperienceUpdateParams', r.remove.body satisfies Whop.ExperienceUpdateParams]];
    case 'publish': return [['ProductUpdateParams', r.body satisfies Whop.ProductUpdateParams], ['ProductUpdateParams', r.remove.body satisfies Whop.ProductUpdateParams]];
  }
}
const UPDATE_PARAMS: Record<WhopResource['key'], string> = {
  product: 'ProductUpdateParams', plan: 'PlanUpdateParams', experience: 'ExperienceUpdateParams', attachment: 'ExperienceAttachParams', publish: 'ProductUpdateParams',
};

// --- run time: the SDK's parameter names, read from its published .d.ts ------------------------------
const sdkDir = dirname(createRequire(import.meta.url).resolve('@whop/sdk'));
/** Member names of `interface <name>` in `resources/<file>.d.ts` (header params such as Idempotency-Key included). */
function sdkParams(file: string, name: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(join(sdkDir, 'resources', `${file}.d.ts`), 'utf8'), ts.ScriptTarget.ES2022);
  const found = src.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`${name} not in @whop/sdk resources/${file}.d.ts`);
  const own = found.members.map((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : '')).filter(Boolean);
  // `extends CursorPageParams` adds `after` (core/pagination.ts).
  return found.heritageClauses?.some((h) => h.getText(src).includes('CursorPageParams')) ? [...own, 'after'] : own;
}
const FILE: Record<string, string> = {
  ProductCreateParams: 'products', ProductUpdateParams: 'products', ProductListParams: 'products',
  PlanCreateParams: 'plans', PlanUpdateParams: 'plans', PlanListParams: 'plans',
  ExperienceCreateParams: 'experiences', ExperienceUpdateParams: 'experiences', ExperienceAttachParams: 'experiences', ExperienceListParams: 'experiences',
};
const cache = new Map<string, string[]>();
const params = (name: string): string[] => cache.get(name) ?? cache.set(name, sdkParams(FILE[name]!, name)).get(name)!;
/** Array list params travel as `name[]` (SDK internal/utils/query.ts, `arrayFormat: 'brackets'`). */
const ARRAYS = new Set(['access_pass_types', 'visibilities', 'plan_types', 'product_ids', 'release_methods']);

process.env.WHOP_CONTRACT_TEST_KEY = WHOP_KEY;
const endpoint = (baseUrl: string): Endpoint => ({ platform: 'whop', baseUrl, apiKeyEnv: 'WHOP_CONTRACT_TEST_KEY', options: { companyId: COMPANY, appId: APP } });
const filled = (w: PlannedWrite, s: TargetState): PlannedWrite => ({ ...w, path: fillPath(w.path, s.ids) });

describe('Whop connector against @whop/sdk 0.0.42 (the contract it follows)', () => {
  let sim: WhopSimulator;
  let url: string;
  let sdk: Whop;
  let target: TargetConnector;
  beforeAll(async () => {
    ({ sim, url } = await startWhop());
    sdk = new Whop({ apiKey: WHOP_KEY, baseURL: url, maxRetries: 0, appID: null, logLevel: 'off' });
    target = whopTarget(endpoint(url));
  });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await simPost(url, 'reset', {}); });

  it('create, update and remove bodies are typed as and named within the SDK params', () => {
    expect(updatesMatchCreates).toEqual([true, true, true]);
    for (const kind of Object.keys(KOOB_SEED)) {
      const { resources } = toWhop(canonical(KOOB_SEED[kind]!), { companyId: COMPANY, appId: APP });
      for (const r of resources) {
        for (const [name, body] of sdkBodies(r)) expect({ name, extra: Object.keys(body).filter((k) => !params(name).includes(k)) }).toEqual({ name, extra: [] });
        // What `apply` really sends on an update: the create body without its create-only fields.
        const ids = { product: 'prod_1', plan: 'plan_1', experience: 'exp_1', attachment: 'exp_1' };
        const update = writeRequest({ key: r.key, op: 'update', method: r.update.method, path: fillPath(r.update.path, ids), body: fillBody(r.body, ids), fingerprint: 'f' }).body ?? {};
        expect(Object.keys(update).filter((k) => !params(UPDATE_PARAMS[r.key]).includes(k))).toEqual([]);
      }
    }
  });

  it("the simulator's request rules know exactly the SDK's body and query params", () => {
    const keys = (shape: object) => Object.keys(shape).sort();
    const body = (name: string) => params(name).filter((k) => k !== 'Idempotency-Key').sort();
    const query = (name: string) => params(name).map((k) => (ARRAYS.has(k) ? `${k}[]` : k)).sort();
    expect(keys(ProductCreate.shape)).toEqual(body('ProductCreateParams'));
    expect(keys(ProductUpdate.shape)).toEqual(body('ProductUpdateParams'));
    expect(keys(PlanCreate.shape)).toEqual(body('PlanCreateParams'));
    expect(keys(PlanUpdate.shape)).toEqual(body('PlanUpdateParams'));
    expect(keys(ExperienceCreate.shape)).toEqual(body('ExperienceCreateParams'));
    expect(keys(ExperienceUpdate.shape)).toEqual(body('ExperienceUpdateParams'));
    expect(keys(ProductListQuery.shape)).toEqual(query('ProductListParams'));
    expect(keys(PlanListQuery.shape)).toEqual(query('PlanListParams'));
    expect(keys(ExperienceListQuery.shape)).toEqual(query('ExperienceListParams'));
  });

  it('the official client drives every call the bridge makes, with the bodies the mapper produces', async () => {
    const r = Object.fromEntries(toWhop(canonical(KOOB_SEED.sic!), { companyId: COMPANY, appId: APP }).resources.map((x) => [x.key, x])) as
      { [K in WhopResource['key']]: Extract<WhopResource, { key: K }> };
    const product = await sdk.products.create({ ...r.product.body, 'Idempotency-Key': 'contract-product' });
    expect(await sdk.products.retrieve(product.id)).toMatchObject({ id: product.id, title: r.product.body.title });
    expect((await sdk.products.update(product.id, r.product.remove.body)).visibility).toBe('hidden');
    const listed: string[] = [];
    for await (const p of sdk.products.list({ account_id: COMPANY, order: 'created_at', direction: 'desc', first: 1 })) listed.push(p.id);
    expect(listed).toEqual([product.id]);

    const plan = await sdk.plans.create({ ...r.plan.body, product_id: product.id, 'Idempotency-Key': 'contract-plan' });
    expect(plan).toMatchObject({ initial_price: 450, stock: 7, custom_fields: [] });
    expect((await sdk.plans.retrieve(plan.id)).id).toBe(plan.id);
    expect((await sdk.plans.update(plan.id, { ...r.plan.remove.body, custom_fields: [] })).visibility).toBe('hidden');
    const plans = await sdk.plans.list({ account_id: COMPANY, product_ids: [product.id], created_after: new Date(Date.now() - 60_000).toISOString() });
    expect(plans.data.map((p) => p.id)).toEqual([plan.id]);

    const experience = await sdk.experiences.create(r.experience.body);
    expect((await sdk.experiences.update(experience.id, { name: 'Renamed' })).name).toBe('Renamed');
    expect((await sdk.experiences.attach(experience.id, { product_id: product.id })).products.map((p) => p.id)).toEqual([product.id]);
    expect((await sdk.experiences.retrieve(experience.id)).products).toHaveLength(1);
    const exps = await sdk.experiences.list({ company_id: COMPANY, app_id: APP, created_after: new Date(Date.now() - 60_000).toISOString() });
    expect(exps.data.map((e) => e.id)).toEqual([experience.id]);

    // Every request carried the SDK's version date; creates of products and plans their key.
    expect(new Set(sim.seen.map((s) => s.apiVersionDate))).toEqual(new Set([sdk.version]));
    expect(sim.seen.filter((s) => s.idempotencyKey).map((s) => `${s.method} ${s.path}`)).toEqual(['POST /products', 'POST /plans']);
  });

  it('our client sends the Api-Version-Date the SDK sends by default', async () => {
    const saved = process.env.WHOP_API_VERSION;
    delete process.env.WHOP_API_VERSION;
    try {
      expect(new Whop({ apiKey: 'x' }).version).toBe(WHOP_API_VERSION_DATE);
    } finally { if (saved !== undefined) process.env.WHOP_API_VERSION = saved; }
    await new WhopClient({ baseUrl: url, apiKey: () => WHOP_KEY }).listProducts({ account_id: COMPANY });
    expect(sim.seen.map((s) => s.apiVersionDate)).toEqual([WHOP_API_VERSION_DATE]);
  });

  describe.each(['product', 'plan'] as const)('a %s create whose answer is lost', (key) => {
    it('is sent again with the same Idempotency-Key and makes exactly one record', async () => {
      const state = emptyTargetState();
      const writes = planWrites(target.desired(canonical(KOOB_SEED.series!)).resources, state);
      for (const w of writes.slice(0, writes.findIndex((x) => x.key === key))) state.ids[w.key] = (await target.apply(filled(w, state), `sync:${w.key}`)).id!;
      const write = filled(writes.find((x) => x.key === key)!, state);
      expect(write.createSafety).toBe('idempotency-key');
      await simPost(url, 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST' }] });
      await expect(target.apply(write, `sync:${key}`)).rejects.toBeInstanceOf(TransientError);
      const { id } = await target.apply(write, `sync:${key}`);
      const rec = await simRecords(url);
      const made = rec[`${key}s`];
      expect(made.map((x) => x.id)).toEqual([id]);
      expect(sim.seen.filter((s) => s.method === 'POST' && s.path === `/${key}s`).map((s) => s.idempotencyKey)).toEqual([`sync:${key}`, `sync:${key}`]);
    });
  });

  it('the official client retrying on its own (maxRetries 1) with one key also makes one product', async () => {
    const retrying = new Whop({ apiKey: WHOP_KEY, baseURL: url, maxRetries: 1, appID: null, logLevel: 'off' });
    await simPost(url, 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST' }] });
    const p = await retrying.products.create({ account_id: COMPANY, title: 'Retried', 'Idempotency-Key': 'sdk-retry-1' });
    expect((await simRecords(url)).products.map((x) => x.id)).toEqual([p.id]);
  });

  it('a plan update keeps the custom_fields someone else set (GET first, sent back unchanged)', async () => {
    const state = emptyTargetState();
    const product = canonical(KOOB_SEED.sic!);
    for (const w of planWrites(target.desired(product).resources, state)) state.ids[w.key] = (await target.apply(filled(w, state), `sync:${w.key}`)).id!;
    const planId = state.ids.plan!;
    const theirs = [{ name: 'Passport number', required: true, placeholder: 'X1234567' }, { name: 'Dietary needs' }];
    const set = await sdk.plans.update(planId, { custom_fields: theirs });
    expect(set.custom_fields).toHaveLength(2);
    // The source changes: the bridge PATCHes price and stock, then later hides the plan.
    const changed = canonical({ ...KOOB_SEED.sic!, periods: [{ ...(KOOB_SEED.sic!.periods as object[])[0], allotmentsUsed: 9, price: 500 }] });
    const fp = (await import('../../../src/canonical/fingerprint.js')).fingerprint;
    const old = Object.fromEntries(target.desired(product).resources.map((r) => [r.key, fp(r.body)]));
    const writes = planWrites(target.desired(changed).resources, { ...state, fingerprints: old });
    const update = writes.find((w) => w.key === 'plan')!;
    expect(update.op).toBe('update');
    await target.apply(filled(update, state), 'sync:plan:update');
    const removal: PlannedWrite = { key: 'plan', op: 'delete', method: 'PATCH', path: `/plans/${planId}`, body: { visibility: 'hidden', unlimited_stock: false, stock: 0 }, fingerprint: null };
    await target.apply(removal, 'sync:plan:remove');
    const after = await sdk.plans.retrieve(planId);
    expect(after).toMatchObject({ initial_price: 500, visibility: 'hidden', stock: 0 });
    expect(after.custom_fields).toEqual(set.custom_fields);
    // Control: a PATCH without custom_fields does clear them here, as the SDK documents.
    expect((await sdk.plans.update(planId, { stock: 1 })).custom_fields).toEqual([]);
  });
});
