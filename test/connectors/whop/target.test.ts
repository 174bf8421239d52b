import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { emptyTargetState, fillPath, planWrites, type PlannedWrite, type TargetState } from '../../../src/canonical/plan.js';
import type { Product } from '../../../src/canonical/product.js';
import type { Endpoint } from '../../../src/config.js';
import type { TargetConnector } from '../../../src/connectors/types.js';
import { whopTarget, type WhopSimulator } from '../../../src/connectors/whop/index.js';
import { ConfigError, InvalidRequestError, TransientError } from '../../../src/errors.js';
import { APP, COMPANY, KOOB_SEED, WHOP_KEY, canonical, simPost, simRecords, startWhop } from './fixtures.js';

process.env.WHOP_TARGET_TEST_KEY = WHOP_KEY;
const endpoint = (baseUrl: string, options: Record<string, string> = { companyId: COMPANY, appId: APP }): Endpoint =>
  ({ platform: 'whop', baseUrl, apiKeyEnv: 'WHOP_TARGET_TEST_KEY', options });

/** What the activity does before `apply`/`findCreated`: fill `{<key>Id}` placeholders in the path. */
const filled = (w: PlannedWrite, s: TargetState): PlannedWrite => ({ ...w, path: fillPath(w.path, s.ids) });

/** The product workflow's loop, without Temporal: apply every planned write, record ids and removals. */
async function sync(target: TargetConnector, product: Product | null, state: TargetState): Promise<PlannedWrite[]> {
  const writes = planWrites(product ? target.desired(product).resources : [], state);
  for (const w of writes) {
    const { id } = await target.apply(filled(w, state), `k:${w.key}`);
    if (w.op === 'delete') { delete state.ids[w.key]; delete state.fingerprints[w.key]; delete state.removals[w.key]; continue; }
    if (w.op === 'create') state.ids[w.key] = id!;
    state.fingerprints[w.key] = w.fingerprint!;
    if (w.remove) state.removals[w.key] = w.remove;
  }
  return writes;
}

describe('whopTarget against the Whop simulator', () => {
  let sim: WhopSimulator;
  let url: string;
  let target: TargetConnector;
  beforeAll(async () => { ({ sim, url } = await startWhop()); target = whopTarget(endpoint(url)); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await simPost(url, 'reset', {}); });

  it('needs companyId and appId in options (ConfigError)', () => {
    expect(() => whopTarget(endpoint(url, { appId: APP }))).toThrow(ConfigError);
    expect(() => whopTarget(endpoint(url, { companyId: COMPANY }))).toThrow(/options\.appId/);
  });

  it('marks product and plan idempotency-key, experience and attachment lookup-before-create, and fingerprints bodies', () => {
    const { resources } = target.desired(canonical(KOOB_SEED.sic!));
    expect(resources.map((r) => `${r.key}:${r.createSafety}`)).toEqual(['product:idempotency-key', 'plan:idempotency-key', 'experience:lookup-before-create', 'attachment:lookup-before-create', 'publish:natural-key']);
    expect(new Set(resources.map((r) => r.fingerprint)).size).toBe(5);
  });

  it('creates product, plan, experience and attachment once; a second sync writes nothing', async () => {
    const state = emptyTargetState();
    await sync(target, canonical(KOOB_SEED.sic!), state);
    const rec = await simRecords(url);
    expect(rec.products).toHaveLength(1);
    expect(rec.plans).toEqual([expect.objectContaining({ id: state.ids.plan, product_id: state.ids.product, stock: 7, initial_price: 450, currency: 'usd' })]);
    expect(rec.experiences).toEqual([expect.objectContaining({ id: state.ids.experience, product_ids: [state.ids.product], is_public: false })]);
    expect(state.ids.attachment).toBe(state.ids.experience);
    expect(await sync(target, canonical(KOOB_SEED.sic!), state)).toEqual([]);
  });

  it('updates PATCH without create-only fields (the simulator refuses them)', async () => {
    const state = emptyTargetState();
    await sync(target, canonical(KOOB_SEED.sic!), state);
    const changed = canonical({ ...KOOB_SEED.sic!, name: 'Group Adventure Package II', periods: [{ ...(KOOB_SEED.sic!.periods as object[])[0], allotmentsUsed: 9 }] });
    const writes = await sync(target, changed, state);
    expect(writes.map((w) => `${w.op}:${w.key}`)).toEqual(['update:product', 'update:plan', 'update:experience']);
    const rec = await simRecords(url);
    expect(rec.plans[0]).toMatchObject({ stock: 1, plan_type: 'one_time' });
    expect(rec.products[0]).toMatchObject({ title: 'Group Adventure Package II' });
  });

  it('removal hides product and plan and makes the experience private, deleting nothing', async () => {
    const state = emptyTargetState();
    await sync(target, canonical(KOOB_SEED.extra!), state);
    const writes = await sync(target, null, state);
    expect(writes.map((w) => `${w.op}:${w.key}:${w.method}`)).toEqual(['delete:publish:PATCH', 'delete:attachment:PATCH', 'delete:experience:PATCH', 'delete:plan:PATCH', 'delete:product:PATCH']);
    const rec = await simRecords(url);
    expect(rec.products[0]).toMatchObject({ visibility: 'hidden' });
    expect(rec.plans[0]).toMatchObject({ visibility: 'hidden', stock: 0, unlimited_stock: false });
    expect(rec.experiences[0]).toMatchObject({ is_public: false });
    expect(state.ids).toEqual({});
  });

  it('a body placeholder without an id in the path is refused before any request', async () => {
    const plan = target.desired(canonical(KOOB_SEED.sic!)).resources.find((r) => r.key === 'plan')!;
    const write: PlannedWrite = { key: 'plan', op: 'create', method: 'POST', path: '/plans', body: plan.body, fingerprint: plan.fingerprint };
    await expect(target.apply(write, 'k')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  describe.each(['product', 'plan', 'experience', 'attachment'])('a %s create whose response is lost', (key) => {
    it('is found by findCreated, so exactly one record exists', async () => {
      const state = emptyTargetState();
      const product = canonical(KOOB_SEED.series!);
      const since = new Date(Date.now() - 5 * 60_000).toISOString();
      // Writes before `key` succeed; the create of `key` lands but its answer never arrives.
      for (const w of planWrites(target.desired(product).resources, state)) {
        if (w.key === key) {
          await simPost(url, 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST' }] });
          await expect(target.apply(filled(w, state), `k:${w.key}`)).rejects.toBeInstanceOf(TransientError);
          const found = await target.findCreated(filled(w, state), since);
          expect(found).toEqual(expect.any(String));
          state.ids[w.key] = found!;
          break;
        }
        state.ids[w.key] = (await target.apply(filled(w, state), `k:${w.key}`)).id!;
      }
      const rec = await simRecords(url);
      const counts = { products: rec.products.length, plans: rec.plans.length, experiences: rec.experiences.length };
      const expected = { product: [1, 0, 0], plan: [1, 1, 0], experience: [1, 1, 1], attachment: [1, 1, 1] }[key]!;
      expect(Object.values(counts)).toEqual(expected);
      if (key === 'attachment') expect(rec.experiences[0]!.product_ids).toEqual([state.ids.product]);
      expect(state.ids[key]).toBe(key === 'attachment' ? state.ids.experience : (rec[`${key}s` as 'products'] as Array<{ id: string }>)[0]!.id);
    });
  });

  it('findCreated finds nothing when the create never landed, or when only older or different records exist', async () => {
    const state = emptyTargetState();
    const [productWrite] = planWrites(target.desired(canonical(KOOB_SEED.sic!)).resources, state);
    expect(await target.findCreated(productWrite!, new Date(Date.now() - 60_000).toISOString())).toBeNull();
    await target.apply(productWrite!, 'k');
    // Same title, created before `since`: not ours to adopt.
    expect(await target.findCreated(productWrite!, new Date(Date.now() + 60_000).toISOString())).toBeNull();
    // Same title, different description: another source product.
    const other = { ...productWrite!, body: { ...productWrite!.body, description: 'something else' } };
    expect(await target.findCreated(other, new Date(Date.now() - 60_000).toISOString())).toBeNull();
  });
});
