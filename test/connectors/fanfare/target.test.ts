import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { emptyTargetState, fillBody, fillPath, planWrites, type PlannedWrite, type TargetState } from '../../../src/canonical/plan.js';
import type { Endpoint } from '../../../src/config.js';
import { InvalidRequestError, TransientError } from '../../../src/errors.js';
import { createFanfareSimulator, fanfareTarget } from '../../../src/connectors/fanfare/index.js';
import { canonical, KEY, parisActivity, simCall } from './fixtures.js';

const sim = createFanfareSimulator({ apiKey: KEY });
let url = '';
let endpoint: Endpoint;
beforeAll(async () => {
  url = await sim.listen();
  process.env.FANFARE_SUITE_KEY = KEY;
  endpoint = { platform: 'fanfare', baseUrl: `${url}/api/v1`, apiKeyEnv: 'FANFARE_SUITE_KEY', options: { productUrlBase: 'https://tours.example.com/p/' } };
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await simCall(url, 'reset', {}); });

interface Records { products: Array<Record<string, unknown>>; experiences: Array<Record<string, unknown>> }
interface Logged { method: string; path: string; body: Record<string, unknown> | null; write: boolean }
const records = () => simCall<Records>(url, 'records');
const logged = async () => (await simCall<{ requests: Logged[] }>(url, 'requests')).requests;

/** Runs a plan the way the entity workflow does: fill paths, apply, remember ids and fingerprints. */
async function run(writes: PlannedWrite[], state: TargetState) {
  const target = fanfareTarget(endpoint);
  for (const w of writes) {
    const { id } = await target.apply({ ...w, path: fillPath(w.path, state.ids), body: fillBody(w.body, state.ids) }, `k:${w.key}`);
    if (w.op === 'delete') { delete state.ids[w.key]; delete state.fingerprints[w.key]; continue; }
    if (w.op === 'create') state.ids[w.key] = id!;
    state.fingerprints[w.key] = w.fingerprint!;
    if (w.remove) state.removals[w.key] = w.remove;
  }
  return state;
}

describe('fanfareTarget.desired', () => {
  it('product is a natural-key upsert, experience a lookup-before-create; fingerprints follow the bodies', () => {
    const t = fanfareTarget(endpoint);
    const a = t.desired(canonical(parisActivity()));
    expect(a.resources.map((r) => [r.key, r.createSafety])).toEqual([['product', 'natural-key'], ['experience', 'lookup-before-create']]);
    expect(t.desired(canonical(parisActivity())).resources.map((r) => r.fingerprint)).toEqual(a.resources.map((r) => r.fingerprint));
    const renamed = t.desired(canonical(parisActivity({ name: 'Seine Night Walk' })));
    expect(renamed.resources[0]!.fingerprint).not.toBe(a.resources[0]!.fingerprint);
    expect(a.losses.length).toBeGreaterThan(0);
    // The configured base gives the required url (trailing slash trimmed), so no placeholder loss.
    expect(a.resources[0]!.body.url).toBe('https://tours.example.com/p/koob/5001');
    expect(a.losses.map((l) => l.field)).not.toContain('url');
  });
});

describe('fanfareTarget.apply', () => {
  it('creates the product then the experience selling it, updates with the upsert and the PUT-able fields, removes with DELETE', async () => {
    const t = fanfareTarget(endpoint);
    const state = await run(planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState()), emptyTargetState());
    let r = await records();
    expect(r.products).toHaveLength(1);
    expect(r.experiences).toHaveLength(1);
    expect(r.experiences[0]).toMatchObject({ id: state.ids.experience, products: [{ productId: state.ids.product }], timeZone: 'Europe/Paris' });
    expect(((r.experiences[0]!.sequences as Array<{ appointments: unknown[] }>)[0]!.appointments)).toHaveLength(6);
    expect((await logged()).filter((l) => l.write).map((l) => `${l.method} ${l.path}`)).toEqual(['POST /api/v1/products', 'POST /api/v1/experiences']);

    const ids = { ...state.ids };
    const before = (await logged()).length;
    const changed = planWrites(t.desired(canonical(parisActivity({ name: 'Seine Night Walk', periods: [] }))).resources, state);
    expect(changed.map((w) => [w.key, w.op, w.method])).toEqual([['product', 'update', 'POST'], ['experience', 'update', 'PUT']]);
    await run(changed, state);
    const sent = (await logged()).slice(before);
    expect(Object.keys(sent.find((l) => l.method === 'PUT')!.body!).sort()).toEqual(['i18n', 'name', 'products', 'timeZone']);
    r = await records();
    expect(r.products).toHaveLength(1);
    expect(r.products[0]).toMatchObject({ id: ids.product, name: 'Seine Night Walk' });
    expect(r.experiences[0]).toMatchObject({ name: 'Seine Night Walk' });
    // Departures cannot change through PUT: they stay as created (the mapper reports this as a loss).
    expect(((r.experiences[0]!.sequences as Array<{ appointments: unknown[] }>)[0]!.appointments)).toHaveLength(6);
    expect(t.desired(canonical(parisActivity())).losses.map((l) => l.field)).toContain('experience.sequence');

    const gone = planWrites([], state);
    expect(gone.map((w) => [w.key, w.op, w.method, w.path])).toEqual([
      ['experience', 'delete', 'DELETE', '/experiences/{experienceId}'], ['product', 'delete', 'DELETE', '/products/{productId}'],
    ]);
    const before2 = (await logged()).length;
    await run(gone, state);
    expect((await logged()).slice(before2).map((l) => `${l.method} ${l.path}`)).toEqual([
      `DELETE /api/v1/experiences/${ids.experience}`, `DELETE /api/v1/products/${ids.product}`,
    ]);
    r = await records();
    expect(r.products[0]).toMatchObject({ id: ids.product, archived: true });
    expect(r.experiences[0]).toMatchObject({ id: ids.experience, archived: true });
    expect(state.ids).toEqual({});
  });

  it('a removal stored by an older plan (PUT with a body) is sent as a DELETE of its path, without the body', async () => {
    const t = fanfareTarget(endpoint);
    const state = await run(planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState()), emptyTargetState());
    const legacy: TargetState = { ...state, removals: {
      experience: { method: 'PUT', path: '/experiences/{experienceId}', body: { name: '[withdrawn] x' } },
      product: { method: 'PUT', path: '/products/{productId}', body: { status: 'ARCHIVED' } },
    } };
    const before = (await logged()).length;
    await run(planWrites([], legacy), legacy);
    const sent = (await logged()).slice(before);
    expect(sent.map((l) => [l.method, l.body])).toEqual([['DELETE', null], ['DELETE', null]]);
    expect((await records()).experiences[0]).toMatchObject({ name: 'Seine Evening Walk', archived: true });
  });

  it('never sends a body whose product placeholder is still unfilled', async () => {
    const t = fanfareTarget(endpoint);
    const [, exp] = planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState());
    await expect(t.apply(exp!, 'k')).rejects.toBeInstanceOf(InvalidRequestError);
    expect((await logged()).filter((l) => l.write)).toEqual([]);
  });

  it('a product upsert whose answer is lost, sent again, leaves exactly one product', async () => {
    const t = fanfareTarget(endpoint);
    const [create] = planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState());
    await simCall(url, 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/v1/products' }] });
    await expect(t.apply(create!, 'k')).rejects.toBeInstanceOf(TransientError);
    const { id } = await t.apply(create!, 'k');
    const r = await records();
    expect(r.products).toHaveLength(1);
    expect(r.products[0]!.id).toBe(id);
    // Even so, findCreated can find it: no search endpoint, so by paging products and matching our sync source.
    expect(await t.findCreated(create!, new Date(0).toISOString())).toBe(id);
    const other = { ...create!, body: { ...create!.body, primarySyncSource: { syncSource: 'channel-bridge', syncSourceId: 'koob:none' } } };
    expect(await t.findCreated(other, new Date(0).toISOString())).toBeNull();
  });

  it('an experience create whose answer is lost is found by name and product since the attempt, not sent again', async () => {
    const t = fanfareTarget(endpoint);
    const [prod, exp] = planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState());
    const { id: productId } = await t.apply(prod!, 'k');
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const write = { ...exp!, body: fillBody(exp!.body, { product: productId! }) };
    await simCall(url, 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences' }] });
    await expect(t.apply(write, 'k')).rejects.toBeInstanceOf(TransientError);
    const found = await t.findCreated(write, since);
    const r = await records();
    expect(r.experiences).toHaveLength(1);
    expect(found).toBe(r.experiences[0]!.id);
    // Not found when created before `since`, or for another product of the same name.
    expect(await t.findCreated(write, new Date(Date.now() + 60_000).toISOString())).toBeNull();
    expect(await t.findCreated({ ...write, body: fillBody(exp!.body, { product: 'another' }) }, since)).toBeNull();
  });

  it('findCreated pages newest-first through more than one page of experiences', async () => {
    const t = fanfareTarget(endpoint);
    const [prod, exp] = planWrites(t.desired(canonical(parisActivity())).resources, emptyTargetState());
    const { id: productId } = await t.apply(prod!, 'k');
    const write = { ...exp!, body: fillBody(exp!.body, { product: productId! }) };
    const { id } = await t.apply(write, 'k');
    for (let i = 0; i < 101; i += 1) await fetch(`${url}/api/v1/experiences`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Other ${i}` }) });
    expect(await t.findCreated(write, new Date(0).toISOString())).toBe(id);
    const lists = (await logged()).filter((l) => l.method === 'GET' && l.path === '/api/v1/experiences');
    expect(lists).toHaveLength(2);
  });
});
