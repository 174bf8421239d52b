import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { emptyTargetState, fillPath, planWrites, type TargetState } from '../../../src/canonical/plan.js';
import type { Product } from '../../../src/canonical/product.js';
import type { Endpoint } from '../../../src/config.js';
import { createGomrySimulator, gomryExperiencePatch, gomryTarget } from '../../../src/connectors/gomry/index.js';
import { demoCatalog } from '../../../src/connectors/koob/demo-catalog.js';
import type { TargetConnector } from '../../../src/connectors/types.js';
import { ConfigError, TransientError } from '../../../src/errors.js';
import { call, canonical, koobRecord, period, type Json } from './fixtures.js';

const KEY = 'gomry-target-test-key';
process.env.GOMRY_TARGET_TEST_KEY = KEY;
const sim = createGomrySimulator({ apiKey: KEY, rateLimit: { limit: 100_000, windowMs: 60_000 } });
let url = '';
let target: TargetConnector;
const endpoint = (options: Record<string, string> = {}): Endpoint => ({ platform: 'gomry', baseUrl: url, apiKeyEnv: 'GOMRY_TARGET_TEST_KEY', options });
const records = async () => (await call(url, 'GET', '/__sim/records')).body.experiences as Json[];

/** Runs the planner's writes against the simulator as the entity workflow would, and returns the new state. */
async function sync(product: Product, state: TargetState = emptyTargetState()): Promise<TargetState> {
  const next: TargetState = { ids: { ...state.ids }, fingerprints: { ...state.fingerprints }, removals: { ...state.removals } };
  for (const w of planWrites(target.desired(product).resources, next)) {
    const { id } = await target.apply({ ...w, path: fillPath(w.path, next.ids) }, `test:${product.sourceId}:gomry:${w.key}`);
    if (w.op === 'delete') { delete next.ids[w.key]; delete next.fingerprints[w.key]; delete next.removals[w.key]; continue; }
    if (w.op === 'create') next.ids[w.key] = id!;
    next.fingerprints[w.key] = w.fingerprint!;
    if (w.remove) next.removals[w.key] = w.remove;
  }
  return next;
}

beforeAll(async () => {
  url = await sim.listen();
  target = gomryTarget(endpoint());
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await call(url, 'POST', '/__sim/reset', { body: {} }); });

describe('gomryTarget', () => {
  it('fingerprints every resource and marks creates as idempotency-key safe', () => {
    const { resources } = target.desired(canonical(koobRecord({ periods: [period({ id: 'p1' })] })));
    expect(resources.map((r) => [r.key, r.createSafety])).toEqual([['experience', 'idempotency-key'], ['recurrence.p1', 'idempotency-key']]);
    expect(resources.every((r) => /^[\w-]{22}$/.test(r.fingerprint))).toBe(true);
    expect(new Set(resources.map((r) => r.fingerprint)).size).toBe(2);
  });

  it('every body mapped from the demo catalog and the seed shapes is accepted by the simulator', async () => {
    const products = [
      ...demoCatalog('2026-01-05').map((d) => canonical(d.record)),
      canonical(koobRecord({ id: 'long', name: 'x'.repeat(200), periods: [period({ availableDays: [0, 0, 0, 0, 0, 1, 1] })] })),
    ];
    for (const p of products) await sync(p);
    const stored = await records();
    expect(stored).toHaveLength(products.length);
    const published = products.reduce((n, p) => n + target.desired(p).resources.length - 1, 0);
    expect(stored.reduce((n, e) => n + (e.recurrences as unknown[]).length, 0)).toBe(published);
    expect(published).toBeGreaterThan(products.length);
  });

  it('a create whose answer is lost is sent again with the same key and leaves one record', async () => {
    const product = canonical(koobRecord({ periods: [period({ id: 'p1' })] }));
    const [create] = planWrites(target.desired(product).resources, emptyTargetState());
    await call(url, 'POST', '/__sim/knobs', { body: { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST' }] } });
    await expect(target.apply(create!, 'conn:exp-792:gomry:experience')).rejects.toBeInstanceOf(TransientError);
    const { id } = await target.apply(create!, 'conn:exp-792:gomry:experience');
    const stored = await records();
    expect(stored.map((e) => e.id)).toEqual([id]);
    const sent = (await call(url, 'GET', '/__sim/requests')).body.requests as Json[];
    expect(sent.filter((r) => r.method === 'POST').length).toBe(2);
    await expect(target.findCreated(create!, new Date(0).toISOString())).resolves.toBeNull();
  });

  it('updates by PATCH, deletes a recurrence that left the source and hides an experience, never deleting it', async () => {
    const two = koobRecord({ periods: [period({ id: 'a', endAt: '2026-06-30' }), period({ id: 'b', startAt: '2026-07-01' })] });
    let state = await sync(canonical(two));
    expect(Object.keys(state.ids)).toEqual(['experience', 'recurrence.a', 'recurrence.b']);
    state = await sync(canonical({ ...two, name: 'Renamed walk', periods: [period({ id: 'a', endAt: '2026-06-30' })] }), state);
    const [stored] = await records();
    expect(stored!.name).toBe('Renamed walk');
    expect((stored!.recurrences as Json[]).map((r) => r.id)).toEqual([state.ids['recurrence.a']]);
    const writes = planWrites([], state);
    // Children are removed before their parent (reverse creation order).
    expect(writes.map((w) => [w.key, w.method])).toEqual([['recurrence.a', 'DELETE'], ['experience', 'PATCH']]);
    for (const w of writes) await target.apply({ ...w, path: fillPath(w.path, state.ids) }, 'unused');
    const [gone] = await records();
    expect(gone).toMatchObject({ id: state.ids.experience, status: 'inactive', recurrences: [] });
  });

  it('an update keeps the parts of pricing and location others set there (PATCH replaces both whole, S1:L62, L65)', async () => {
    const record = koobRecord({ periods: [period({ id: 'p1' })] });
    const state = await sync(canonical(record));
    const id = state.ids.experience!;
    const held = (await call(url, 'GET', `/experiences/${id}`, { key: KEY })).body.data as Json;
    const edit = { pricing: { ...held.pricing, floor_price: 100 }, location: { ...held.location, venue: 'Main gate', instructions: 'Meet at the statue' } };
    expect((await call(url, 'PATCH', `/experiences/${id}`, { key: KEY, body: edit })).status).toBe(200);
    const next = canonical({ ...record, periods: [period({ id: 'p1', price: 180 })] });
    await sync(next, state);
    const ours = target.desired(next).resources[0]!.body as Json;
    const [stored] = await records();
    expect(stored!.pricing).toEqual({ ...ours.pricing, floor_price: 100 });
    expect(stored!.pricing.amount).not.toBe(held.pricing.amount);
    expect(stored!.location).toEqual({ ...ours.location, venue: 'Main gate', instructions: 'Meet at the statue' });
  });

  it('gomryExperiencePatch keeps only fields of pricing/location we do not own, and only when we send that object', () => {
    const current = { pricing: { model: 'x', currency: 'eur', amount: 1, floor_price: 5, interval: null }, location: { type: 'online', address: 'old', venue: 'Hall' } };
    expect(gomryExperiencePatch({ pricing: { model: 'per_session', currency: 'usd', amount: 9 }, location: { type: 'in_person', city: 'Paris' } }, current)).toEqual({
      pricing: { floor_price: 5, model: 'per_session', currency: 'usd', amount: 9 },
      location: { venue: 'Hall', type: 'in_person', city: 'Paris' },
    });
    expect(gomryExperiencePatch({ status: 'inactive' }, current)).toEqual({ status: 'inactive' });
  });

  it('an unchanged product plans no write', async () => {
    const product = canonical(koobRecord({ periods: [period({})] }));
    const state = await sync(product);
    expect(planWrites(target.desired(product).resources, state)).toEqual([]);
  });

  it('the start time option reaches the recurrences; a malformed one is a ConfigError', async () => {
    const late = gomryTarget(endpoint({ startTime: '17:45' }));
    const body = late.desired(canonical(koobRecord({ periods: [period({})] }))).resources[1]!.body as Json;
    expect(body.session_templates[0].start_time_of_day).toBe('17:45');
    expect(() => gomryTarget(endpoint({ startTime: '5pm' }))).toThrow(ConfigError);
  });
});
