import { describe, expect, it } from '@jest/globals';
import { expandSlots, isoWeekday, offsetAt, slotStatus } from '../../src/canonical/slots.js';
import { koobDaysToIso, koobToCanonical } from '../../src/connectors/koob/index.js';
import { KoobExperience } from '../../src/connectors/koob/schemas.js';

const base = {
  id: 'x1', name: 'Edge', state: 'available', type: 'Activity', pricingType: 'fit', currency: 'EUR',
  durationDays: 0, durationHours: 3, durationMinutes: 0, inCity: { lat: 41.9028, lon: 12.4964, title: 'Rome', country: { alpha2: 'IT' } },
};
const product = (periods: unknown[], extra: Record<string, unknown> = {}) =>
  koobToCanonical({ en: KoobExperience.parse({ ...base, ...extra, periods }) }, 'en').product;
const fit = (startAt: string, endAt: string, availableDays: unknown, more: Record<string, unknown> = {}) =>
  ({ startAt, endAt, availableDays, state: 'free_sale', price: 10, ...more });

describe('KOOB weekday masks (index 0 = Monday)', () => {
  it('reads seven flags Monday-first, weekday numbers as ISO, and all-zero as no day', () => {
    expect(koobDaysToIso([1, 1, 1, 1, 1, 1, 0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(koobDaysToIso([0, 0, 0, 0, 0, 1, 1])).toEqual([6, 7]);
    expect(koobDaysToIso([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(koobDaysToIso([0, 0, 0, 0, 0, 0, 0])).toEqual([]);
  });

  it('a weekend-only range gives only Saturdays and Sundays', () => {
    const slots = expandSlots(product([fit('2026-06-01', '2026-06-14', [0, 0, 0, 0, 0, 1, 1])]), '2026-01-01', '2026-12-31');
    expect(slots.map((s) => s.localDate)).toEqual(['2026-06-06', '2026-06-07', '2026-06-13', '2026-06-14']);
    expect(slots.every((s) => [6, 7].includes(isoWeekday(s.localDate)))).toBe(true);
  });

  it('a single-day mask, and an all-zero mask that opens nothing', () => {
    expect(expandSlots(product([fit('2026-06-01', '2026-06-30', [0, 0, 1, 0, 0, 0, 0])]), '2026-01-01', '2026-12-31').map((s) => s.localDate))
      .toEqual(['2026-06-03', '2026-06-10', '2026-06-17', '2026-06-24']);
    expect(expandSlots(product([fit('2026-06-01', '2026-06-30', [0, 0, 0, 0, 0, 0, 0])]), '2026-01-01', '2026-12-31')).toEqual([]);
  });
});

describe('slot expansion', () => {
  it('a stop_sale inside a free_sale range closes exactly those dates', () => {
    const slots = expandSlots(product([
      fit('2026-06-01', '2026-06-07', [1, 1, 1, 1, 1, 1, 1]),
      fit('2026-06-03', '2026-06-04', [1, 1, 1, 1, 1, 1, 1], { state: 'stop_sale' }),
    ]), '2026-01-01', '2026-12-31');
    expect(slots).toHaveLength(7);
    expect(slots.filter((s) => s.status === 'CLOSED').map((s) => s.localDate)).toEqual(['2026-06-03', '2026-06-04']);
  });

  it('overlapping open and on-request periods: the date stays on request, never instant', () => {
    const slots = expandSlots(product([
      fit('2026-06-01', '2026-06-02', [1, 1, 1, 1, 1, 1, 1]),
      fit('2026-06-02', '2026-06-03', [1, 1, 1, 1, 1, 1, 1], { state: 'on_request' }),
    ]), '2026-01-01', '2026-12-31');
    expect(slots.map((s) => [s.localDate, s.instant])).toEqual([['2026-06-01', true], ['2026-06-02', false], ['2026-06-03', false]]);
  });

  it('computes each slot\'s offset for its own date across a DST change (Rome, last Sunday of March)', () => {
    const slots = expandSlots(product([fit('2026-03-27', '2026-03-30', [1, 1, 1, 1, 1, 1, 1])]), '2026-01-01', '2026-12-31');
    expect(slots.map((s) => s.start)).toEqual([
      '2026-03-27T00:00:00+01:00', '2026-03-28T00:00:00+01:00', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00',
    ]);
    expect(offsetAt('Europe/Rome', '2026-07-01')).toBe('+02:00');
    // On the change day itself: 01:00 is still winter time, 03:00 already summer time.
    expect(offsetAt('Europe/Rome', '2027-03-28', 60)).toBe('+01:00');
    expect(offsetAt('Europe/Rome', '2027-03-28', 180)).toBe('+02:00');
    expect(offsetAt('America/Los_Angeles', '2027-11-07', 60)).toBe('-07:00');
    expect(offsetAt('America/Los_Angeles', '2027-11-07', 180)).toBe('-08:00');
    expect(offsetAt('Asia/Kolkata', '2027-01-01')).toBe('+05:30');
    const [changeDay] = expandSlots(product([fit('2027-03-28', '2027-03-28', [1, 1, 1, 1, 1, 1, 1])], { durationHours: 1 }), '2027-01-01', '2027-12-31');
    expect(Date.parse(changeDay!.end) - Date.parse(changeDay!.start)).toBe(3_600_000);
    expect(offsetAt('Asia/Bangkok', '2026-07-01')).toBe('+07:00');
  });

  it('multi-day programs end on a later date; SIC and Series dates get their end from the duration', () => {
    const p = product([{ startAt: '2026-07-15', allotments: '10', allotmentsUsed: '3', minPaxForDeparture: '4', state: 'free_sale', price: '450' }], { type: 'Program', pricingType: 'sic', durationDays: 3, durationHours: 0 });
    expect(p.availability[0]).toMatchObject({ kind: 'dates', dates: ['2026-07-15'], endDate: '2026-07-17', capacity: 10, used: 3, price: 45000 });
    const [slot] = expandSlots(p, '2026-01-01', '2026-12-31');
    expect(slot).toMatchObject({ capacity: 10, vacancies: 7, status: 'AVAILABLE', end: '2026-07-18T00:00:00+02:00' });
  });

  it('statuses: FREESALE without a limit, LIMITED under half, SOLD_OUT at zero, CLOSED on stop sale', () => {
    const open = { sale: 'open' as const, freesale: false };
    expect(slotStatus({ sale: 'open', freesale: true }, null, null)).toBe('FREESALE');
    expect(slotStatus(open, 10, 4)).toBe('LIMITED');
    expect(slotStatus(open, 10, 5)).toBe('AVAILABLE');
    expect(slotStatus(open, 10, 0)).toBe('SOLD_OUT');
    expect(slotStatus({ sale: 'closed', freesale: false }, 10, 10)).toBe('CLOSED');
  });
});

describe('KOOB reader edge cases', () => {
  it('accepts numbers sent as strings, per-group prices and child age tiers', () => {
    const p = product([fit('2026-06-01', '2026-06-30', [1, 1, 1, 1, 1, 1, 1], {
      price: '150', perPax: false, minPax: '2', maxPax: '4',
      childrenPax: [{ price: '75', ageRange: ['5', '12'] }],
      adultPax: [{ price: 150, paxRange: [1, 2] }, { price: '120', paxRange: [3, 4] }],
    })]);
    const rule = p.availability[0]!;
    expect(rule).toMatchObject({ perPax: false, price: 15000, minPax: 2, maxPax: 4 });
    expect(rule.units).toEqual([
      { type: 'ADULT', minAge: null, maxAge: null, tiers: [{ minPax: 1, maxPax: 2, amount: 15000 }, { minPax: 3, maxPax: 4, amount: 12000 }] },
      { type: 'CHILD', minAge: 5, maxAge: 12, tiers: [{ minPax: 1, maxPax: 4, amount: 7500 }] },
    ]);
  });

  it('turns HTML lists into items and keeps missing optional fields empty', () => {
    const { product: p } = koobToCanonical({ en: KoobExperience.parse({ ...base, periods: [], includedServices: '- Guide<br />- Fees &amp; taxes<br />', excludedServices: null }) }, 'en');
    expect(p.texts.en).toMatchObject({ included: ['Guide', 'Fees & taxes'], excluded: [], description: null, summary: null });
  });

  it('falls back to a reported zone when there are no coordinates, and rejects a bad currency', () => {
    const { product: p, losses } = koobToCanonical({ en: KoobExperience.parse({ ...base, inCity: null, periods: [] }) }, 'en');
    expect(p.timeZone).toBe('UTC');
    expect(losses.map((l) => l.field)).toContain('timeZone');
    expect(() => koobToCanonical({ en: KoobExperience.parse({ ...base, currency: 'dollars', periods: [] }) }, 'en')).toThrow(/currency: "dollars"/);
  });
});
