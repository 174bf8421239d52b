import { describe, expect, it } from '@jest/globals';
import { matchPeriods, mergeForPut } from '../../../src/connectors/koob/merge.js';

/** KOOB's record as GET returns it (shaped like S2:L747-869), with what the DMC added by hand. */
const existing = () => ({
  id: '4171',
  name: 'Airport to Hotel Transfer',
  state: 'available',
  type: 'Transfer',
  organizationId: 'org-789',
  organizationName: 'City Tours International',
  inCity: { id: 'city-789', title: 'Bangkok', country: { alpha2: 'TH' } },
  pictures: [{ url: 'https://img.example/1.jpg' }],
  programs: [{ title: 'Day 1' }],
  somethingNew: { kept: true },
  startPosition: { id: 'pos-111', name: 'International Airport', lat: 13.73, lon: 100.56, isCity: false },
  activity: undefined as unknown,
  transfer: { type: 'RAIL', rail: { departureStation: 'Airport Station' } },
  periods: [
    { id: 'period-001', startAt: '2025-12-01', endAt: '2025-12-31', state: 'free_sale', price: 100, allotments: 10, allotmentsUsed: 3, breakEven: 4, roomSupplement: null, adultPax: [{ id: 'adult-1', price: 100, paxRange: [1, 2] }] },
    { id: 'period-002', startAt: '2026-01-01', endAt: '2026-01-31', state: 'free_sale', price: 90, allotments: 5, allotmentsUsed: 0 },
    { id: 'period-003', startAt: '2026-02-01', endAt: '2026-02-28', state: 'free_sale', price: 90, allotments: 5, allotmentsUsed: 2 },
  ],
});

describe('KOOB merge before a full-replacement PUT', () => {
  it('replaces only the fields we send; fields we do not model stay as KOOB holds them', () => {
    const out = mergeForPut(existing(), { name: 'Transfert', state: 'stand_by', periods: existing().periods });
    expect(out).toMatchObject({ id: '4171', name: 'Transfert', state: 'stand_by', organizationId: 'org-789', organizationName: 'City Tours International' });
    expect(out.inCity).toEqual(existing().inCity);
    expect(out.pictures).toEqual(existing().pictures);
    expect(out.programs).toEqual(existing().programs);
    expect(out.somethingNew).toEqual({ kept: true });
  });

  it('a removal body `{state}` changes the state and nothing else', () => {
    const out = mergeForPut(existing(), { state: 'stand_by' });
    expect(out).toEqual({ ...existing(), state: 'stand_by' });
  });

  it('nested objects keep the ids and keys we do not own; our transfer mode default never replaces KOOB\'s', () => {
    const out = mergeForPut(existing(), {
      startPosition: { name: 'Suvarnabhumi', address: 'Bang Phli', lat: 13.69, lon: 100.75, isCity: false },
      transfer: { type: 'LAND' },
      activity: { isExtra: true, guiding: false, guidingLanguages: [] },
    });
    expect(out.startPosition).toEqual({ id: 'pos-111', name: 'Suvarnabhumi', address: 'Bang Phli', lat: 13.69, lon: 100.75, isCity: false });
    expect(out.transfer).toEqual({ type: 'RAIL', rail: { departureStation: 'Airport Station' } });
    // No activity at KOOB: ours is written as is.
    expect(out.activity).toEqual({ isExtra: true, guiding: false, guidingLanguages: [] });
    const withGuide = mergeForPut({ activity: { isExtra: false, guiding: true, guidingLanguages: ['English'] } }, { activity: { isExtra: true, guiding: false, guidingLanguages: [] } });
    expect(withGuide.activity).toEqual({ isExtra: true, guiding: true, guidingLanguages: ['English'] });
  });

  it('a position we send as null leaves KOOB\'s in place; a transfer mode KOOB lacks is filled by ours', () => {
    const out = mergeForPut(existing(), { startPosition: null });
    expect(out.startPosition).toEqual(existing().startPosition);
    expect(mergeForPut({ type: 'Transfer', transfer: { departureTime: null } }, { transfer: { type: 'LAND' } }).transfer).toEqual({ departureTime: null, type: 'LAND' });
  });

  it('matched periods keep their id, unmodelled fields, KOOB\'s booking counters and tier ids', () => {
    const out = mergeForPut(existing(), {
      periods: [
        { startAt: '2025-12-01', endAt: '2025-12-31', state: 'stop_sale', price: 120, allotments: 12, allotmentsUsed: 0, adultPax: [{ price: 110, paxRange: [1, 2] }, { price: 95, paxRange: [3, 4] }] },
        { startAt: '2026-01-01', endAt: '2026-01-31', state: 'free_sale', price: 90, allotments: 5, allotmentsUsed: 0 },
        { startAt: '2026-02-01', endAt: '2026-02-28', state: 'free_sale', price: 90, allotments: 5, allotmentsUsed: 0 },
      ],
    });
    const periods = out.periods as Array<Record<string, unknown>>;
    expect(periods.map((p) => p.id)).toEqual(['period-001', 'period-002', 'period-003']);
    expect(periods[0]).toMatchObject({ state: 'stop_sale', price: 120, allotments: 12, allotmentsUsed: 3, breakEven: 4, roomSupplement: null });
    expect(periods[0]!.adultPax).toEqual([{ id: 'adult-1', price: 110, paxRange: [1, 2] }, { price: 95, paxRange: [3, 4] }]);
    expect(periods[2]).toMatchObject({ allotmentsUsed: 2 });
  });

  it('a period whose dates moved keeps its id (same start, then overlap); a new one gets none', () => {
    const out = mergeForPut(existing(), {
      periods: [
        { startAt: '2025-12-01', endAt: '2026-01-15', state: 'free_sale', price: 100 },
        { startAt: '2026-02-10', endAt: '2026-03-10', state: 'free_sale', price: 90 },
        { startAt: '2026-06-01', endAt: '2026-06-30', state: 'free_sale', price: 80 },
      ],
    });
    const periods = out.periods as Array<Record<string, unknown>>;
    expect(periods.map((p) => p.id)).toEqual(['period-001', 'period-003', undefined]);
    // period-002 matches nothing of ours and holds no booking: removed.
    expect(periods).toHaveLength(3);
  });

  it('a KOOB period we no longer have is removed when unbooked, kept and closed when KOOB counts bookings on it', () => {
    const out = mergeForPut(existing(), { periods: [{ startAt: '2026-01-01', endAt: '2026-01-31', state: 'free_sale', price: 90 }] });
    const periods = out.periods as Array<Record<string, unknown>>;
    expect(periods.map((p) => p.id)).toEqual(['period-002', 'period-001', 'period-003']);
    expect(periods[1]).toMatchObject({ state: 'stop_sale', periodType: 'stop_sale', allotmentsUsed: 3, price: 100 });
    expect(periods[2]).toMatchObject({ state: 'stop_sale', allotmentsUsed: 2 });
  });

  it('matchPeriods uses each KOOB period once and prefers exact dates over a shared start', () => {
    const theirs = [{ startAt: '2026-05-01', endAt: '2026-05-10' }, { startAt: '2026-05-01', endAt: '2026-05-31' }];
    const ours = [{ startAt: '2026-05-01', endAt: '2026-05-31' }, { startAt: '2026-05-01', endAt: '2026-05-20' }];
    expect(matchPeriods(theirs, ours)).toEqual({ pairs: [1, 0], unmatched: [] });
    expect(matchPeriods(theirs, [{ startAt: '2027-01-01', endAt: '2027-01-02' }])).toEqual({ pairs: [-1], unmatched: [0, 1] });
  });
});
