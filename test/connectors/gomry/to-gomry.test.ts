import { describe, expect, it } from '@jest/globals';
import { GOMRY_FREESALE_CAPACITY, toGomry } from '../../../src/connectors/gomry/index.js';
import type { Json } from './fixtures.js';
import { canonical, koobRecord, period } from './fixtures.js';

const recs = (r: ReturnType<typeof toGomry>) => r.resources.filter((x) => x.key.startsWith('recurrence.')).map((x) => x.body as Json);
const exp = (r: ReturnType<typeof toGomry>) => r.resources[0]!.body as Json;
const fields = (r: ReturnType<typeof toGomry>) => r.losses.map((l) => l.field);

/** Seed 002 "Create Program (FIT Pricing)": 3-day program, one on-request period with pax and child tiers. */
const fitProgram = koobRecord({
  id: 'exp-789', type: 'Program', pricingType: 'fit', name: 'Cultural Discovery Tour', dmcReference: 'PROG-FIT-001',
  activity: undefined, durationDays: 3, durationHours: 0,
  includedServices: '- Professional English-speaking guide<br />- All entrance fees<br />- Daily breakfast<br />',
  periods: [period({
    periodType: 'on_request', state: 'on_request', startAt: '2026-06-01', endAt: '2026-09-30', maxPax: 4, price: 850,
    adultPax: [{ price: 850, paxRange: [1, 2] }, { price: 650, paxRange: [3, 4] }], childrenPax: [{ price: 425, ageRange: [5, 12] }],
  })],
});

describe('toGomry: experience body', () => {
  it('writes the experience first with name, text description, pricing in major units and lower-case currency', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({ perPax: true, price: 150 })] })));
    expect(r.resources[0]!.key).toBe('experience');
    expect(exp(r)).toMatchObject({
      name: 'Historic City Walking Tour', duration_minutes: 180, default_capacity: 20, max_booking_quantity: 8,
      pricing: { model: 'per_session', currency: 'usd', amount: 150 }, status: 'active', registration_status: 'open',
      location: { type: 'in_person', address: '123 Hospital Road', city: 'Bangkok', country: 'TH' },
    });
    expect(exp(r).description).toBe("Discover the city's rich history on this guided walking tour\n\nIncluded:\n- Transfer\n- Water\n- Guide\n\nNot included:\n- Hotel\n- Tip\n\nCancellation policy:\nFree cancellation up to 24 hours before the tour starts");
    expect(exp(r).description).not.toMatch(/<[a-z]/);
  });

  it('a multi-day program is clamped to 1440 minutes with a loss', () => {
    const r = toGomry(canonical(fitProgram));
    expect(exp(r).duration_minutes).toBe(1440);
    expect(r.losses).toContainEqual({ field: 'durationMinutes', reason: expect.stringContaining('4320 minutes') });
  });

  it('a name over 120 characters is cut to 120 with a loss', () => {
    const long = `Grand ${'very '.repeat(30)}long tour`;
    const r = toGomry(canonical(koobRecord({ name: long, periods: [period({})] })));
    expect(exp(r).name).toBe(long.slice(0, 120));
    expect(fields(r)).toContain('name');
  });

  it('draft (in_progress) and stand_by products are inactive', () => {
    expect(exp(toGomry(canonical(koobRecord({ state: 'in_progress', periods: [period({})] })))).status).toBe('inactive');
    expect(exp(toGomry(canonical(koobRecord({ state: 'stand_by', periods: [period({})] })))).status).toBe('inactive');
  });

  it('per-group pricing (seed Transfer): the group price on one seat, one seat per booking, reported', () => {
    const transfer = koobRecord({
      id: 'exp-794', type: 'Transfer', name: 'Airport to Hotel Transfer', durationDays: 1, durationHours: 10, activity: undefined,
      transfer: { type: 'RAIL' }, periods: [period({ availableDays: [1, 1, 1, 1, 1, 1, 0], maxPax: 2, perPax: false, price: 100, startAt: '2025-12-01', endAt: '2025-12-31' })],
    });
    const r = toGomry(canonical(transfer));
    expect(exp(r)).toMatchObject({ pricing: { model: 'per_session', currency: 'usd', amount: 100 }, max_booking_quantity: 1, duration_minutes: 1440 });
    expect(r.losses).toContainEqual({ field: 'availability[].perPax', reason: expect.stringContaining('whole group') });
    expect(recs(r)[0]!.cadence).toEqual({ frequency: 'weekly', interval: 1, days_of_week: [1, 2, 3, 4, 5, 6] });
  });

  it('child prices and pax tiers are reported; a differing season price publishes the highest', () => {
    const r = toGomry(canonical(koobRecord({ periods: [
      period({ id: 'a', endAt: '2026-06-30', price: 40, adultPax: [{ price: 40, paxRange: [1, 2] }, { price: 30, paxRange: [3, 8] }], childrenPax: [{ price: 20, ageRange: [5, 12] }] }),
      period({ id: 'b', startAt: '2026-07-01', price: 45 }),
    ] })));
    expect(exp(r).pricing).toEqual({ model: 'per_session', currency: 'usd', amount: 45 });
    expect(fields(r)).toEqual(expect.arrayContaining(['availability[].units.CHILD', 'availability[].units.tiers', 'availability[].price']));
  });

  it('other locales are reported, the default locale is written', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({})] }), { name: 'Visite à pied' }));
    expect(exp(r).name).toBe('Historic City Walking Tour');
    expect(fields(r)).toContain('texts.fr');
  });

  it('removal never hard-deletes the experience: PATCH status inactive; recurrences are deleted', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({ id: 'p1' })] })));
    expect(r.resources[0]!.remove).toEqual({ method: 'PATCH', path: '/experiences/{experienceId}', body: { status: 'inactive' } });
    expect(r.resources[1]).toMatchObject({
      key: 'recurrence.p1',
      create: { method: 'POST', path: '/experiences/{experienceId}/recurrences' },
      update: { method: 'PATCH', path: '/experiences/{experienceId}/recurrences/{recurrence.p1Id}' },
      remove: { method: 'DELETE', path: '/experiences/{experienceId}/recurrences/{recurrence.p1Id}' },
    });
  });
});

describe('toGomry: recurrences', () => {
  it('a weekend-only mask becomes days_of_week [0, 6] (0 = Sunday) in the product time zone, 09:00 reported', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({ id: 'we', availableDays: [0, 0, 0, 0, 0, 1, 1], allotments: 12 })] })));
    expect(recs(r)).toEqual([{
      timezone: 'Asia/Bangkok', start_date: '2026-06-01',
      cadence: { frequency: 'weekly', interval: 1, days_of_week: [0, 6] },
      end_condition: { type: 'date', end_date: '2026-09-30' },
      session_templates: [{ start_time_of_day: '09:00', capacity: 12 }],
    }]);
    expect(fields(r)).toContain('availability[].startTime');
  });

  it('the start time and provider come from the options', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({})] })), { startTime: '14:30', providerId: 'member-1' });
    expect(recs(r)[0]).toMatchObject({ provider_id: 'member-1', session_templates: [{ start_time_of_day: '14:30', capacity: 20, provider_id: 'member-1' }] });
  });

  it('an on-request period (seed FIT program) is never published as instant: no recurrence, registration closed', () => {
    const r = toGomry(canonical(fitProgram));
    expect(recs(r)).toEqual([]);
    expect(exp(r).registration_status).toBe('closed');
    expect(r.losses).toContainEqual({ field: 'availability[p0]', reason: expect.stringContaining('on request') });
  });

  it('a product that needs confirmation (hasToRequest) publishes no instant recurrence', () => {
    const r = toGomry(canonical(koobRecord({ hasToRequest: true, periods: [period({})] })));
    expect(recs(r)).toEqual([]);
    expect(exp(r).registration_status).toBe('closed');
  });

  it('stop-sale and on-request dates are cut out of an open period, so they are never bookable', () => {
    const r = toGomry(canonical(koobRecord({ periods: [
      period({ id: 'open', startAt: '2026-06-01', endAt: '2026-09-30' }),
      period({ id: 'stop', state: 'stop_sale', startAt: '2026-07-01', endAt: '2026-07-31' }),
      period({ id: 'req', state: 'on_request', startAt: '2026-09-01', endAt: '2026-09-10' }),
    ] })));
    expect(recs(r).map((b) => [b.start_date, b.end_condition.end_date])).toEqual([
      ['2026-06-01', '2026-06-30'], ['2026-08-01', '2026-08-31'], ['2026-09-11', '2026-09-30'],
    ]);
    expect(r.resources.map((x) => x.key)).toEqual(['experience', 'recurrence.open', 'recurrence.open.1', 'recurrence.open.2']);
  });

  it('a stop-sale-only product is closed to registration', () => {
    const r = toGomry(canonical(koobRecord({ periods: [period({ state: 'stop_sale' })] })));
    expect(recs(r)).toEqual([]);
    expect(exp(r)).toMatchObject({ registration_status: 'closed', default_capacity: 1 });
  });

  it('SIC departures become one-day recurrences with seats left; a stop-sale departure is not published', () => {
    const sic = koobRecord({
      id: 'exp-790', type: 'Program', pricingType: 'sic', name: 'Group Adventure Package', activity: undefined, durationDays: 3, durationHours: 0,
      periods: [
        period({ id: 'd1', startAt: '2026-07-06', endAt: null, availableDays: null, allotments: 10, allotmentsUsed: 2, maxPax: 12, price: 450 }),
        period({ id: 'd2', startAt: '2026-07-20', endAt: null, availableDays: null, allotments: 10, state: 'stop_sale', price: 450 }),
      ],
    });
    const r = toGomry(canonical(sic));
    expect(recs(r)).toEqual([expect.objectContaining({
      start_date: '2026-07-06', end_condition: { type: 'date', end_date: '2026-07-06' },
      cadence: { frequency: 'weekly', interval: 1, days_of_week: [1] },
      session_templates: [{ start_time_of_day: '09:00', capacity: 8 }],
    })]);
    expect(fields(r)).toEqual(expect.arrayContaining(['availability[d1].used', 'availability[d2]', 'durationMinutes']));
  });

  it('Series departures map one recurrence each, on their own weekday', () => {
    const series = koobRecord({
      id: 'exp-791', type: 'Program', pricingType: 'series', name: 'Weekly Explorer Series', activity: undefined, durationDays: 2, durationHours: 0, currency: 'EUR',
      inCity: { id: 'city-321', title: 'Rome', lat: 41.9028, lon: 12.4964, country: { alpha2: 'IT' } }, startPosition: null,
      periods: ['2026-07-03', '2026-07-10'].map((d, i) => period({ id: `s${i}`, startAt: d, endAt: null, availableDays: null, allotments: 9, price: 320 })),
    });
    const r = toGomry(canonical(series));
    expect(recs(r).map((b) => [b.timezone, b.start_date, b.cadence.days_of_week])).toEqual([['Europe/Rome', '2026-07-03', [5]], ['Europe/Rome', '2026-07-10', [5]]]);
    expect(exp(r).pricing).toEqual({ model: 'per_session', currency: 'eur', amount: 320 });
  });

  it('a freesale Extra gets the documented maximum capacity, reported', () => {
    const extra = koobRecord({
      id: 'exp-793', name: 'Premium Meal Package', durationDays: 1, durationHours: 0, activity: { isExtra: true },
      periods: [period({ startAt: '2025-12-01', endAt: '2025-12-31', allotments: 0, perPax: false, price: 50, maxPax: 2 })],
    });
    const r = toGomry(canonical(extra));
    expect(recs(r)[0]!.session_templates).toEqual([{ start_time_of_day: '09:00', capacity: GOMRY_FREESALE_CAPACITY }]);
    expect(exp(r)).toMatchObject({ default_capacity: GOMRY_FREESALE_CAPACITY, duration_minutes: 1440, max_booking_quantity: 1 });
    expect(r.losses).toContainEqual({ field: 'availability[p0].capacity', reason: expect.stringContaining('freesale') });
  });

  it('a sold-out period and a span with no open weekday are not published, each reported', () => {
    const r = toGomry(canonical(koobRecord({ periods: [
      period({ id: 'full', allotments: 5, allotmentsUsed: 5 }),
      period({ id: 'short', startAt: '2026-06-01', endAt: '2026-06-02', availableDays: [0, 0, 0, 0, 0, 1, 1] }),
    ] })));
    expect(recs(r)).toEqual([]);
    expect(fields(r)).toEqual(expect.arrayContaining(['availability[full]', 'availability[short].weekdays']));
  });
});
