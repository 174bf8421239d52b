import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fillBody, fillPath } from '../../../src/canonical/plan.js';
import { isoWeekday } from '../../../src/canonical/slots.js';
import type { Product } from '../../../src/canonical/product.js';
import { createFanfareSimulator, decimalPrice, fanfareRequest, toFanfare } from '../../../src/connectors/fanfare/index.js';
import { api, canonical, demoProduct, demoProducts, KEY, parisActivity, seedTransfer, simCall } from './fixtures.js';

type Appt = { name: string; openAt: string; closeAt: string; slotDurationMinutes: number; maxCapacityPerSlot?: number };
const map = (p: Product) => {
  const { resources, losses } = toFanfare(p);
  const [product, experience] = resources;
  const appointments = ((experience!.body.sequence as { appointments?: Appt[] } | undefined)?.appointments ?? []);
  return { product: product!, experience: experience!, appointments, losses, fields: losses.map((l) => l.field) };
};

describe('toFanfare: product and experience bodies', () => {
  it('FIT: the product upserts by sync source, its lowest open price on one variant as a decimal string; on-request is not published', () => {
    const p = demoProduct('Cultural Discovery Tour');
    const m = map(p);
    expect(m.product.key).toBe('product');
    expect(m.product.body).toEqual({
      name: 'Cultural Discovery Tour', url: 'https://channel-bridge.invalid/products/koob/4100',
      description: 'Cultural Discovery Tour: a program in Bangkok & surroundings.',
      variants: [{ sku: 'DEMO-FIT-001', price: '935.00', inventoryQuantity: 0, inventoryPolicy: 'untracked' }],
      metadata: expect.objectContaining({ currency: 'USD', productType: 'program' }),
      primarySyncSource: { syncSource: 'channel-bridge', syncSourceId: 'koob:4100' },
    });
    expect(m.fields).toEqual(expect.arrayContaining(['url', 'currency']));
    expect(m.product.create).toEqual({ method: 'POST', path: '/products' });
    expect(m.product.update).toEqual({ method: 'POST', path: '/products' });
    expect(m.product.remove).toEqual({ method: 'DELETE', path: '/products/{productId}' });
    expect(m.losses).toContainEqual({ field: 'availability[period-0-0]', reason: expect.stringContaining('on-request') });
    // Only the open period (Mon–Fri mask, freesale) is published: every date a weekday, no seat cap.
    const open = p.availability.find((r) => r.id === 'period-0-1')!;
    expect(m.appointments.length).toBeGreaterThan(50);
    for (const a of m.appointments) {
      const day = a.openAt.slice(0, 10);
      expect(day >= open.startDate && day <= open.endDate).toBe(true);
      expect([1, 2, 3, 4, 5]).toContain(isoWeekday(day));
      expect(a.maxCapacityPerSlot).toBeUndefined();
    }
  });

  it('experience: name, zone, every locale in i18n, the product by placeholder, the create path carrying its id', () => {
    const m = map(demoProduct('Cultural Discovery Tour'));
    expect(m.experience.body).toMatchObject({ name: 'Cultural Discovery Tour', timeZone: 'Asia/Bangkok', products: [{ productId: '{productId}' }] });
    const i18n = m.experience.body.i18n as Record<string, Record<string, string>>;
    expect(Object.keys(i18n).sort()).toEqual(['en', 'fr']);
    expect(i18n.fr).toEqual({
      name: 'Circuit découverte culturelle',
      description: 'Circuit découverte culturelle : une expérience à Bangkok.',
      summary: 'Circuit découverte culturelle à Bangkok',
      included: 'Guide professionnel\nDroits d’entrée',
      excluded: 'Pourboires\nAssurance voyage',
      cancellationPolicy: 'Annulation gratuite jusqu’à 24 heures avant le départ.',
    });
    expect(m.fields.some((f) => f.startsWith('texts'))).toBe(false);
    expect(m.experience.create).toEqual({ method: 'POST', path: '/experiences' });
    expect(m.experience.update).toEqual({ method: 'PUT', path: '/experiences/{experienceId}' });
    expect(m.experience.remove).toEqual({ method: 'DELETE', path: '/experiences/{experienceId}' });
  });

  it('the url follows productUrlBase; prices are exact decimal strings in each currency\'s minor digits', () => {
    const { resources, losses } = toFanfare(canonical(parisActivity()), { productUrlBase: 'https://shop.example.com/tours' });
    expect(resources[0]!.body.url).toBe('https://shop.example.com/tours/koob/5001');
    expect(losses.map((l) => l.field)).not.toContain('url');
    expect([decimalPrice(4000, 'EUR'), decimalPrice(5, 'USD'), decimalPrice(1500, 'JPY'), decimalPrice(12345, 'BHD'), decimalPrice(0, 'EUR')])
      .toEqual(['40.00', '0.05', '1500', '12.345', '0.00']);
  });

  it('SIC: one appointment per departure date, stop-sale departures left out, seats = capacity − used, multi-day slot', () => {
    const m = map(demoProduct('Group Adventure Package'));
    expect(m.appointments).toEqual([
      { name: 'Departure 2026-04-03', openAt: '2026-04-03T00:00:00+07:00', closeAt: '2026-04-06T00:00:00+07:00', slotDurationMinutes: 4320, bufferMinutes: 0, maxCapacityPerSlot: 10 },
      { name: 'Departure 2026-04-17', openAt: '2026-04-17T00:00:00+07:00', closeAt: '2026-04-20T00:00:00+07:00', slotDurationMinutes: 4320, bufferMinutes: 0, maxCapacityPerSlot: 12 },
      { name: 'Departure 2026-05-01', openAt: '2026-05-01T00:00:00+07:00', closeAt: '2026-05-04T00:00:00+07:00', slotDurationMinutes: 4320, bufferMinutes: 0, maxCapacityPerSlot: 12 },
    ]);
    expect(m.fields).toEqual(expect.arrayContaining(['availability[period-4-0].units', 'experience.sequence', 'location']));
  });

  it('Series: every open weekly departure is published in its zone (Paris, summer time)', () => {
    const m = map(demoProduct('Weekly Explorer Series'));
    expect(m.appointments.map((a) => a.openAt)).toEqual(['2026-04-06T00:00:00+02:00', '2026-04-13T00:00:00+02:00', '2026-04-20T00:00:00+02:00', '2026-04-27T00:00:00+02:00']);
    expect(m.appointments.map((a) => a.maxCapacityPerSlot)).toEqual([8, 10, 10, 10]);
  });

  it('Activity: per-group price and traveller limits are losses; slots last the activity (3 h)', () => {
    const m = map(demoProduct('Historic City Walking Tour'));
    expect(m.product.body).toMatchObject({ variants: [{ price: '150.00' }], metadata: { productType: 'activity', durationMinutes: 180 } });
    expect(m.fields).toEqual(expect.arrayContaining(['availability[period-10-0].perPax', 'availability[].minPax/maxPax', 'availability[period-10-1].price']));
    expect(m.appointments[0]).toMatchObject({ slotDurationMinutes: 180, maxCapacityPerSlot: 20 });
    expect(m.appointments[0]!.closeAt.slice(11, 19)).toBe('03:00:00');
  });

  it('Extra and Transfer: freesale departures carry no seat cap; the product type reaches metadata', () => {
    const extra = map(demoProduct('Premium Meal Package'));
    expect(extra.product.body.metadata).toMatchObject({ productType: 'extra' });
    expect(extra.appointments.length).toBeGreaterThan(0);
    expect(extra.appointments.every((a) => a.maxCapacityPerSlot === undefined)).toBe(true);
    const transfer = map(canonical(seedTransfer()));
    expect(transfer.product.body).toMatchObject({ name: 'Airport to Hotel Transfer', variants: [{ price: '100.00', sku: 'koob:4171' }], metadata: { productType: 'transfer', durationMinutes: 2040, currency: 'USD' } });
    // Seed mask [1,1,1,1,1,1,0]: Monday–Saturday of December 2025, so 27 departures, no Sunday.
    expect(transfer.appointments).toHaveLength(27);
    expect(transfer.appointments.some((a) => isoWeekday(a.openAt.slice(0, 10)) === 7)).toBe(false);
  });
});

describe('toFanfare: DST-correct windows', () => {
  it('spring forward in Paris (2026-03-29): offsets follow each date', () => {
    const m = map(canonical(parisActivity()));
    expect(m.appointments.map((a) => [a.openAt, a.closeAt])).toEqual([
      ['2026-03-27T00:00:00+01:00', '2026-03-27T03:00:00+01:00'],
      ['2026-03-28T00:00:00+01:00', '2026-03-28T03:00:00+01:00'],
      ['2026-03-29T00:00:00+01:00', '2026-03-29T03:00:00+02:00'],
      ['2026-03-30T00:00:00+02:00', '2026-03-30T03:00:00+02:00'],
      ['2026-03-31T00:00:00+02:00', '2026-03-31T03:00:00+02:00'],
      ['2026-04-01T00:00:00+02:00', '2026-04-01T03:00:00+02:00'],
    ]);
    expect(m.appointments.every((a) => a.maxCapacityPerSlot === 6)).toBe(true);
  });

  it('fall back in San Francisco (2026-11-01): -07:00 before, -08:00 after', () => {
    const sf = parisActivity({
      inCity: { title: 'San Francisco', lat: 37.7749, lon: -122.4194 }, startPosition: null,
      periods: [{ id: 'fall', startAt: '2026-10-31', endAt: '2026-11-02', availableDays: [1, 1, 1, 1, 1, 1, 1], state: 'free_sale', price: 40, allotments: 5 }],
    });
    const m = map(canonical(sf));
    expect(m.experience.body.timeZone).toBe('America/Los_Angeles');
    expect(m.appointments.map((a) => a.openAt)).toEqual(['2026-10-31T00:00:00-07:00', '2026-11-01T00:00:00-07:00', '2026-11-02T00:00:00-08:00']);
  });
});

describe('toFanfare: never sells what the source does not', () => {
  it('stop_sale dates win over an open period covering them', () => {
    const rec = parisActivity();
    const closed = { id: 'closed', startAt: '2026-03-29', endAt: '2026-03-30', availableDays: [1, 1, 1, 1, 1, 1, 1], state: 'stop_sale', price: 40 };
    const m = map(canonical({ ...rec, periods: [...(rec.periods as unknown[]), closed] }));
    expect(m.appointments.map((a) => a.openAt.slice(0, 10))).toEqual(['2026-03-27', '2026-03-28', '2026-03-31', '2026-04-01']);
  });

  it('a product that needs supplier confirmation publishes no departure (never instant)', () => {
    const m = map(canonical(parisActivity({ hasToRequest: true })));
    expect(m.experience.body.sequence).toBeUndefined();
    expect(m.fields).toContain('instantConfirmation');
  });

  it('stand-by has no Fanfare status: the product is sent without one and without departures; both reported', () => {
    const m = map(canonical(parisActivity({ state: 'stand_by' })));
    expect(m.product.body).not.toHaveProperty('status');
    expect(m.experience.body.sequence).toBeUndefined();
    expect(m.fields).toEqual(expect.arrayContaining(['status', 'availability']));
  });

  it('overlapping periods publish a date once, the most restrictive winning; sold-out dates are left out', () => {
    const rec = parisActivity();
    const twin = { ...(rec.periods as Array<Record<string, unknown>>)[0]!, id: 'twin', startAt: '2026-03-31', endAt: '2026-04-02', allotments: 3, allotmentsUsed: 3 };
    const extraDay = { ...twin, id: 'more', startAt: '2026-04-02', endAt: '2026-04-02', allotments: 9, allotmentsUsed: 0 };
    const m = map(canonical({ ...rec, periods: [...(rec.periods as unknown[]), twin, extraDay] }));
    const days = m.appointments.map((a) => a.openAt.slice(0, 10));
    // 03-31..04-02 are sold out in `twin`: that wins over the open days of the other two periods.
    expect(days).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']);
    const onRequest = { ...twin, id: 'ask', allotmentsUsed: 0, state: 'on_request' };
    const asked = map(canonical({ ...rec, periods: [...(rec.periods as unknown[]), onRequest] }));
    expect(asked.appointments.map((a) => a.openAt.slice(0, 10))).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']);
    expect(asked.fields).toContain('availability[ask]');
  });

  it('more departures than the cap are cut, with a loss', () => {
    const { resources, losses } = toFanfare(canonical(parisActivity()), { maxAppointments: 2 });
    expect((resources[1]!.body.sequence as { appointments: unknown[] }).appointments).toHaveLength(2);
    expect(losses).toContainEqual({ field: 'availability', reason: expect.stringContaining('more than 2 departures') });
  });
});

describe('toFanfare bodies are accepted by the Fanfare simulator', () => {
  const sim = createFanfareSimulator({ apiKey: KEY });
  let url = '';
  beforeAll(async () => { url = await sim.listen(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await simCall(url, 'reset', {}); });

  it('every create, update and removal body of the demo catalog, the seed transfer and the DST examples', async () => {
    const products = [...demoProducts(), canonical(seedTransfer()), canonical(parisActivity(), { name: 'Balade du soir' })];
    expect(new Set(products.map((p) => p.type))).toEqual(new Set(['program', 'activity', 'extra', 'transfer']));
    for (const p of products) {
      const [prod, exp] = toFanfare(p).resources;
      const created = await api(url, prod!.create.method, prod!.create.path, prod!.body);
      expect([p.sourceId, created.status, created.body.issues]).toEqual([p.sourceId, 200, undefined]);
      const ids = { product: String(created.body.id) };
      const upsert = await api(url, prod!.update.method, prod!.update.path, prod!.body);
      expect([upsert.status, upsert.body.id]).toEqual([200, ids.product]);
      const create = fanfareRequest({ key: 'experience', op: 'create', body: fillBody(exp!.body, ids) });
      const e = await api(url, exp!.create.method, exp!.create.path, create.body);
      expect([p.sourceId, e.status, e.body.issues]).toEqual([p.sourceId, 200, undefined]);
      expect((e.body.products as Array<{ productId: string }>).map((x) => x.productId)).toEqual([ids.product]);
      const all = { ...ids, experience: String(e.body.id) };
      const upd = fanfareRequest({ key: 'experience', op: 'update', body: fillBody(exp!.body, all) });
      expect((await api(url, exp!.update.method, fillPath(exp!.update.path, all), upd.body)).status).toBe(200);
      expect((await api(url, exp!.remove.method, fillPath(exp!.remove.path, all))).body.archived).toBe(true);
      expect((await api(url, prod!.remove.method, fillPath(prod!.remove.path, all))).body.archived).toBe(true);
    }
    const records = await simCall<{ products: unknown[]; experiences: unknown[] }>(url, 'records');
    expect(records.products).toHaveLength(products.length);
    expect(records.experiences).toHaveLength(products.length);
  });
});
