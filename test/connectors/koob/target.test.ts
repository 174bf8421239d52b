import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fillPath, planWrites, type PlannedWrite } from '../../../src/canonical/plan.js';
import { KoobClient, createKoobSimulator, findByReference, koobTarget, koobToCanonical } from '../../../src/connectors/koob/index.js';
import { KoobExperience } from '../../../src/connectors/koob/schemas.js';
import type { Endpoint } from '../../../src/config.js';
import { CreateOutcomeUnknownError } from '../../../src/errors.js';
import { failure } from '../../helpers/knobs.js';

const KEY = 'koob-target-test-key';
process.env.KOOB_TARGET_TEST_KEY = KEY;

/** A KOOB record as a DMC keeps it: fields the bridge does not model, ids KOOB assigned. */
const DMC_RECORD = {
  id: '7100', name: 'Airport to Hotel Transfer', state: 'available', type: 'Transfer', pricingType: 'fit', currency: 'USD',
  dmcReference: 'bridge:xola:abc', organizationId: 'org-789', organizationName: 'City Tours International',
  durationDays: 0, durationHours: 2, durationMinutes: 0,
  inCity: { id: 'city-789', title: 'Bangkok', lat: 13.7563, lon: 100.5018, country: { id: 'country-123', alpha2: 'TH', title: 'Thailand' } },
  startPosition: { id: 'pos-111', name: 'International Airport', lat: 13.7304, lon: 100.5658, isCity: false },
  pictures: [{ id: 'pic-1', url: 'https://storage.example.com/transfer.jpg' }],
  programs: [{ title: 'Day 1', program: '<p>Pick-up</p>' }],
  transfer: { type: 'RAIL', rail: { departureStation: 'Airport Station', arrivalStation: 'Central Station' } },
  loyaltyTier: 'gold',
  periods: [
    { id: 'period-001', startAt: '2026-12-01', endAt: '2026-12-31', availableDays: [1, 1, 1, 1, 1, 1, 0], state: 'free_sale', price: 100, perPax: false, minPax: 1, maxPax: 2, allotments: 0, allotmentsUsed: 0, breakEven: 3, roomSupplement: null },
  ],
};

describe('KOOB as a target, over HTTP against the simulator', () => {
  const sim = createKoobSimulator({ apiKey: KEY });
  let url: string;
  let endpoint: Endpoint;
  let client: KoobClient;
  const raw = async (id: string, locale = 'en') => (await fetch(`${url}/api/v1/experiences/${id}?locale=${locale}`, { headers: { 'x-api-key': KEY } })).json() as Promise<Record<string, unknown>>;
  const seed = (experiences: unknown[]) => fetch(`${url}/__sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiences }) });
  const knobs = (body: unknown) => fetch(`${url}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** Our update writes for the record, as the planner would send them after a change at the source. */
  const updates = (record: Record<string, unknown>, edit: (r: Record<string, unknown>) => void): PlannedWrite[] => {
    const changed = structuredClone(record);
    edit(changed);
    const { product } = koobToCanonical({ en: KoobExperience.parse(changed) }, 'en');
    const target = koobTarget(endpoint);
    const ids = { experience: String(record.id) };
    const writes = planWrites(target.desired(product).resources, { ids, fingerprints: { experience: 'old' }, removals: {} });
    return writes.map((w) => ({ ...w, path: fillPath(w.path, ids) }));
  };

  beforeAll(async () => {
    url = await sim.listen();
    endpoint = { platform: 'koob', baseUrl: url, apiKeyEnv: 'KOOB_TARGET_TEST_KEY', options: {} };
    client = new KoobClient({ baseUrl: url, apiKey: () => KEY });
  });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await fetch(`${url}/__sim/reset`, { method: 'POST' }); await seed([{ record: DMC_RECORD, translations: {} }]); });

  it('an update (GET, merge, full-replacement PUT) changes our fields and keeps organizationId, inCity, pictures, programs, period ids and an unknown field', async () => {
    const [write] = updates(DMC_RECORD, (r) => { r.name = 'Airport transfer (new name)'; (r.periods as Array<Record<string, unknown>>)[0]!.price = 120; });
    expect(write).toMatchObject({ op: 'update', method: 'PUT' });
    // Our own body has none of the DMC's fields: without the merge, the PUT would wipe them.
    expect(write!.body).not.toHaveProperty('organizationId');
    await koobTarget(endpoint).apply(write!, 'k');
    const after = await raw('7100');
    expect(after).toMatchObject({ name: 'Airport transfer (new name)', organizationId: 'org-789', organizationName: 'City Tours International', loyaltyTier: 'gold' });
    expect(after.inCity).toEqual(DMC_RECORD.inCity);
    expect(after.pictures).toEqual(DMC_RECORD.pictures);
    expect(after.programs).toEqual(DMC_RECORD.programs);
    expect(after.transfer).toEqual(DMC_RECORD.transfer);
    expect((after.startPosition as Record<string, unknown>).id).toBe('pos-111');
    expect(after.periods).toEqual([{ ...DMC_RECORD.periods[0], price: 120, periodType: 'free_sale', adultPax: [], childrenPax: [] }]);
    const log = (await (await fetch(`${url}/__sim/requests`)).json() as { requests: Array<{ method: string; path: string; query: { locale?: string } }> }).requests;
    // Two calls for one update (the third GET is this test's own read).
    expect(log.slice(0, 2).map((r) => `${r.method} ${r.path}?${r.query.locale}`)).toEqual(['GET /api/v1/experiences/7100?en', 'PUT /api/v1/experiences/7100?en']);
  });

  it('the simulator\'s PUT is a full replacement: a field the body leaves out is gone (so the merge is what keeps it)', async () => {
    const body = { ...DMC_RECORD } as Record<string, unknown>;
    delete body.pictures;
    await client.updateExperience('7100', body, 'en');
    expect(await raw('7100')).not.toHaveProperty('pictures');
  });

  it('a per-locale update keeps the English texts and the DMC\'s fields', async () => {
    await seed([{ record: DMC_RECORD, translations: { fr: { name: 'Transfert aéroport' } } }]);
    const write: PlannedWrite = { key: 'locale.fr', op: 'update', method: 'PUT', path: '/api/v1/experiences/7100?locale=fr', body: { name: 'Transfert aéroport - hôtel', state: 'available', type: 'Transfer', currency: 'USD' }, fingerprint: 'f' };
    expect(await koobTarget(endpoint).apply(write, 'k')).toEqual({ id: 'fr' });
    expect((await raw('7100', 'fr')).name).toBe('Transfert aéroport - hôtel');
    expect(await raw('7100', 'en')).toMatchObject({ name: DMC_RECORD.name, organizationId: 'org-789', loyaltyTier: 'gold', pictures: DMC_RECORD.pictures });
  });

  it('a product gone from the source goes to stand_by and nothing else changes', async () => {
    const [write] = updates(DMC_RECORD, () => {});
    await koobTarget(endpoint).apply({ key: 'experience', op: 'update', ...write!.remove!, path: '/api/v1/experiences/7100?locale=en', fingerprint: null }, 'k');
    expect(await raw('7100')).toMatchObject({ ...DMC_RECORD, state: 'stand_by' });
  });

  it('a Transfer we create names its mode (LAND by default, S2:L1091-1096); the simulator refuses one without it', async () => {
    const { product } = koobToCanonical({ en: KoobExperience.parse(DMC_RECORD) }, 'en');
    const [create] = planWrites(koobTarget(endpoint).desired(product).resources, { ids: {}, fingerprints: {}, removals: {} });
    expect((create!.body as { transfer: unknown }).transfer).toEqual({ type: 'LAND' });
    const { id } = await koobTarget(endpoint).apply({ ...create!, body: { ...create!.body, dmcReference: 'NEW-1' } }, 'k');
    expect(id).toBeTruthy();
    const refused = await fetch(`${url}/api/v1/experiences`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ ...create!.body, dmcReference: 'NEW-2', transfer: {} }) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/transfer\.type/);
  });

  it('the look-up finds a create by dmcReference among same-named records, and proves absence otherwise', async () => {
    await knobs({ uniqueReferences: false });
    const body = { type: 'Activity', name: 'Kayak', state: 'in_progress', currency: 'USD', pricingType: 'fit', periods: [] };
    const other = await client.createExperience({ ...body, dmcReference: 'OTHER' });
    const mine = await client.createExperience({ ...body, dmcReference: 'MINE' });
    expect(other.id).not.toBe(mine.id);
    expect(await findByReference(client, { ...body, dmcReference: 'MINE' }, 'en')).toBe(mine.id);
    expect(await findByReference(client, { ...body, dmcReference: 'NOT-THERE' }, 'en')).toBeNull();
    expect(await koobTarget(endpoint).findCreated({ key: 'experience', op: 'create', method: 'POST', path: '/api/v1/experiences?locale=en', body: { ...body, dmcReference: 'MINE' }, fingerprint: 'f' }, '')).toBe(mine.id);
    await expect(findByReference(client, { ...body })).rejects.toBeInstanceOf(CreateOutcomeUnknownError);
  });

  it('"no 409" mode accepts a repeated dmcReference as a new record; the default refuses it with 409', async () => {
    const body = { type: 'Activity', name: 'Kayak', state: 'in_progress', currency: 'USD', pricingType: 'fit', dmcReference: 'DUP', periods: [] };
    await client.createExperience(body);
    const refused = await failure(client.createExperience(body));
    expect(refused.details).toMatchObject({ status: 409 });
    await knobs({ uniqueReferences: false });
    expect((await (await fetch(`${url}/__sim/koob-knobs`)).json())).toEqual({ uniqueReferences: false });
    await client.createExperience(body);
    const { experiences } = await (await fetch(`${url}/__sim/records`)).json() as { experiences: Array<{ dmcReference?: string }> };
    expect(experiences.filter((e) => e.dmcReference === 'DUP')).toHaveLength(2);
  });

  it('creates get an organizationId and period ids, as the seed\'s answers and GET show', async () => {
    const { id } = await client.createExperience({ type: 'Activity', name: 'Kayak', state: 'in_progress', currency: 'USD', pricingType: 'fit', periods: [{ startAt: '2026-04-01', endAt: '2026-04-30', state: 'free_sale', price: 10 }] });
    const got = await raw(id);
    expect(got.organizationId).toEqual(expect.any(String));
    expect((got.periods as Array<{ id?: string }>)[0]!.id).toEqual(expect.any(String));
  });
});
