import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { emptyTargetState, fillPath, planWrites, type PlannedWrite, type TargetState } from '../../../src/canonical/plan.js';
import type { Product } from '../../../src/canonical/product.js';
import type { Endpoint } from '../../../src/config.js';
import { createXolaSimulator, xolaExperiencePut, xolaSchedulePut, xolaTarget } from '../../../src/connectors/xola/index.js';
import type { TargetConnector } from '../../../src/connectors/types.js';
import { call, canonical, koobRecord, period, type Json } from '../gomry/fixtures.js';

const KEY = 'xola-target-test-key';
const SELLER = 'seller-target';
process.env.XOLA_TARGET_TEST_KEY = KEY;
const sim = createXolaSimulator({ apiKey: KEY, sellerId: SELLER, rateLimit: { limit: 100_000, windowMs: 60_000 } });
let url = '';
let target: TargetConnector;
const endpoint = (): Endpoint => ({ platform: 'xola', baseUrl: url, apiKeyEnv: 'XOLA_TARGET_TEST_KEY', options: { sellerId: SELLER } });
const records = async () => (await call(url, 'GET', '/__sim/records')).body.experiences as Json[];
const writesSent = async () => ((await call(url, 'GET', '/__sim/requests')).body.requests as Json[]).filter((r) => r.method !== 'GET');

/** Runs the planner's writes against the simulator as the entity workflow would, and returns the new state. */
async function sync(product: Product, state: TargetState = emptyTargetState()): Promise<TargetState> {
  const next: TargetState = { ids: { ...state.ids }, fingerprints: { ...state.fingerprints }, removals: { ...state.removals } };
  for (const w of planWrites(target.desired(product).resources, next)) {
    const { id } = await target.apply({ ...w, path: fillPath(w.path, next.ids) }, `test:${product.sourceId}:xola:${w.key}`);
    if (w.op === 'delete') { delete next.ids[w.key]; delete next.fingerprints[w.key]; delete next.removals[w.key]; continue; }
    if (w.op === 'create') next.ids[w.key] = id!;
    next.fingerprints[w.key] = w.fingerprint!;
    if (w.remove) next.removals[w.key] = w.remove;
  }
  return next;
}

/** The write the catalog's 'gone' path builds from a stored removal (activities/catalog.ts planProduct). */
const hideOf = (state: TargetState): PlannedWrite => ({ key: 'experience', op: 'update', ...state.removals.experience!, path: fillPath(state.removals.experience!.path, state.ids), fingerprint: null });
/** Someone else (a Xola user) edits our experience: a documented field we never write. */
const editOnXola = (id: string, body: Json) => call(url, 'PUT', `/api/experiences/${id}`, { key: KEY, body: { seller: SELLER, ...body } });

beforeAll(async () => {
  url = await sim.listen();
  target = xolaTarget(endpoint());
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await call(url, 'POST', '/__sim/reset', { body: {} }); });

describe('xolaTarget writes', () => {
  it('the stored hide carries the required name and seller (S4:L194, L201)', () => {
    const { resources } = target.desired(canonical(koobRecord({ periods: [period({})] })));
    expect(resources[0]!.remove).toEqual({ method: 'PUT', path: '/api/experiences/{experienceId}', body: { name: 'Historic City Walking Tour', seller: SELLER, visible: false } });
  });

  it('hides an experience with a valid PUT that keeps the name Xola holds and fields we do not own', async () => {
    const state = await sync(canonical(koobRecord({ periods: [period({ id: 'p1' })] })));
    const id = state.ids.experience!;
    expect((await editOnXola(id, { name: 'Renamed by the seller', other: 'Bring water', emailFooter: 'See you soon' })).status).toBe(200);
    const before = (await writesSent()).length;
    await target.apply(hideOf(state), 'unused');
    const [hidden] = await records();
    expect(hidden).toMatchObject({ id, visible: false, name: 'Renamed by the seller', other: 'Bring water', emailFooter: 'See you soon' });
    const [put] = (await writesSent()).slice(before);
    expect(put).toMatchObject({ method: 'PUT', path: `/api/experiences/${id}` });
    expect(put!.body).toEqual({ name: 'Renamed by the seller', seller: SELLER, visible: false });
  });

  it('a hide stored before the fix ({visible:false} alone) still goes out with name and seller', async () => {
    const state = await sync(canonical(koobRecord({ periods: [period({})] })));
    const legacy = { ...state, removals: { ...state.removals, experience: { method: 'PUT' as const, path: '/api/experiences/{experienceId}', body: { visible: false } } } };
    await target.apply(hideOf(legacy), 'unused');
    expect((await records())[0]).toMatchObject({ visible: false, name: 'Historic City Walking Tour' });
  });

  it('an update keeps a field we do not model, set by someone else on Xola', async () => {
    const record = koobRecord({ periods: [period({ id: 'p1' })] });
    const state = await sync(canonical(record));
    const id = state.ids.experience!;
    await editOnXola(id, { name: 'Historic City Walking Tour', other: 'Bring water', downDeposit: { enabled: true, amount: 50 } });
    await sync(canonical({ ...record, name: 'Historic City Walk' }), state);
    expect((await records())[0]).toMatchObject({ name: 'Historic City Walk', other: 'Bring water', downDeposit: { enabled: true, amount: 50 } });
  });

  it('a schedule update keeps what others set on it and clears a price difference we no longer send', async () => {
    const two = (price: number) => koobRecord({ periods: [period({ id: 'a', endAt: '2026-06-30', price: 100 }), period({ id: 'b', startAt: '2026-07-01', price })] });
    const state = await sync(canonical(two(130)));
    const expId = state.ids.experience!;
    const sid = state.ids['schedule.b']!;
    const current = ((await call(url, 'GET', `/api/experiences/${expId}/schedules`, { key: KEY })).body.data as Json[]).find((s) => s.id === sid)!;
    expect(current.priceDelta).toBe(30);
    const edited: Json = { ...current, name: 'Summer', allowedPrivacies: ['private'], departure: 'varies' };
    delete edited.id;
    expect((await call(url, 'PUT', `/api/experiences/${expId}/schedules/${sid}`, { key: KEY, body: edited })).status).toBe(200);
    await sync(canonical(two(100)), state);
    const after = ((await records())[0]!.schedules as Json[]).find((s) => s.id === sid)!;
    expect(after).toMatchObject({ name: 'Summer', allowedPrivacies: ['private'], departure: 'varies', priceDelta: 0, start: '2026-07-01' });
  });
});

describe('Xola merge functions (pure)', () => {
  it('xolaExperiencePut: the current name and our seller, the rest as stored', () => {
    expect(xolaExperiencePut({ visible: false, name: 'old' }, { name: 'now' }, 's1')).toEqual({ visible: false, name: 'now', seller: 's1' });
    expect(xolaExperiencePut(undefined, { name: 'now' }, 's1')).toEqual({ name: 'now', seller: 's1' });
  });

  it('xolaSchedulePut: keeps input fields we do not own, drops read-only ones, ours win, priceDelta defaults to 0', () => {
    const current = { id: 'x', createdAt: 't', updatedBy: { id: 'u' }, name: 'Summer', times: [900], days: [1], priceDelta: 12, source: 'manual', priceOverride: null };
    expect(xolaSchedulePut({ type: 'available', repeat: 'custom', dates: ['2026-07-01'] }, current)).toEqual({
      name: 'Summer', times: [900], source: 'manual', priceDelta: 0, type: 'available', repeat: 'custom', dates: ['2026-07-01'],
    });
    expect(xolaSchedulePut({ type: 'blackout', priceDelta: 5 }, undefined)).toEqual({ type: 'blackout', priceDelta: 5 });
  });
});
