import { describe, expect, it } from '@jest/globals';
import {
  adjustments, channelSeats, detectOversold, emptyLedger, entryKey, markReflected, markSourceCancelled, prune, recordLine, referenceFor, ruleFor, setRules, vacancies, type Ledger,
} from '../../src/canonical/ledger.js';

function ledger(): Ledger {
  const l = emptyLedger();
  setRules(l, [
    { id: 'fit', kind: 'range', startDate: '2026-06-01', endDate: '2026-06-30', weekdays: [1, 2, 3, 4, 5], dates: [], capacity: 10, used: 2, closed: false },
    { id: 'sic', kind: 'dates', startDate: '2026-07-15', endDate: '2026-07-17', weekdays: [], dates: ['2026-07-15'], capacity: 2, used: 1, closed: false },
    { id: 'free', kind: 'range', startDate: '2026-08-01', endDate: '2026-08-31', weekdays: [1, 2, 3, 4, 5, 6, 7], dates: [], capacity: null, used: 0, closed: false },
  ]);
  return l;
}
const line = (over: Partial<Parameters<typeof recordLine>[1]> = {}) => ({ channel: 'xola', bookingId: 'p1', lineId: 'i1', date: '2026-06-03', units: 3, status: 'confirmed' as const, ...over });

describe('inventory ledger', () => {
  it('finds the period of a departure date by range, weekday mask or departure date', () => {
    const l = ledger();
    expect(ruleFor(l, '2026-06-03')?.id).toBe('fit');
    expect(ruleFor(l, '2026-06-06')).toBeNull(); // a Saturday, outside the mask
    expect(ruleFor(l, '2026-07-15')?.id).toBe('sic');
    // A 3-day trip departing on the 15th: the 16th is a day of the trip, not a departure.
    expect(ruleFor(l, '2026-07-16')).toBeNull();
  });

  it('counts a booking once, however many times it is reported', () => {
    const l = ledger();
    expect(recordLine(l, line()).result).toBe('new');
    expect(recordLine(l, line()).result).toBe('unchanged');
    expect(vacancies(l, 'fit')).toBe(10 - 2 - 3);
  });

  it('a cancellation before the write-back gives the seats back at once', () => {
    const l = ledger();
    recordLine(l, line());
    expect(vacancies(l, 'fit')).toBe(5);
    expect(recordLine(l, line({ status: 'cancelled' })).result).toBe('changed');
    expect(vacancies(l, 'fit')).toBe(8); // the source never heard of it
  });

  it('a channel cancel of a booking written back keeps its seats held until the source shows it cancelled', () => {
    const l = emptyLedger();
    const rule = { id: 'sic10', kind: 'dates' as const, startDate: '2026-07-20', endDate: '2026-07-20', weekdays: [], dates: ['2026-07-20'], capacity: 10, used: 0, closed: false };
    setRules(l, [rule]);
    const sale = line({ date: '2026-07-20', units: 4 });
    recordLine(l, sale);
    markReflected(l, entryKey(sale), 'KOOB-7');
    setRules(l, [{ ...rule, used: 4 }]); // KOOB's read-back counts it
    expect(vacancies(l, 'sic10')).toBe(6);
    recordLine(l, line({ date: '2026-07-20', units: 4, status: 'cancelled' }));
    expect(vacancies(l, 'sic10')).toBe(6); // KOOB still counts the 4 seats: no channel may sell them
    expect(adjustments(l).sic10).toBeUndefined();
    setRules(l, [{ ...rule, used: 4 }]); // a read before the operator acts changes nothing
    expect(vacancies(l, 'sic10')).toBe(6);
    markSourceCancelled(l, entryKey(sale)); // the operator cancelled on KOOB; mirrored until the next read
    expect(vacancies(l, 'sic10')).toBe(10);
    setRules(l, [{ ...rule, used: 0 }]); // KOOB's next read agrees
    expect(vacancies(l, 'sic10')).toBe(10);
  });

  it('a written-back line whose seats change is split: the old one to cancel, the new one to write back under a new reference', () => {
    const l = ledger();
    recordLine(l, line());
    markReflected(l, entryKey(line()), 'KOOB-1');
    const r = recordLine(l, line({ units: 4 }));
    expect(r.superseded).toMatchObject({ status: 'cancelled', reflected: true, sourceBookingId: 'KOOB-1', units: 3 });
    expect(r.entry).toMatchObject({ units: 4, reflected: false });
    expect(referenceFor(l, entryKey(line()))).toBe('bridge:xola:p1:i1~1');
    // The source still holds 3 (cancel by hand) and 4 more are to be written: 10 - 2 - 3 (mirrored) - 4 = 1.
    expect(vacancies(l, 'fit')).toBe(10 - 5 - 4);
  });

  it('per-channel seats by date keep cancelled dates listed, and old settled lines are pruned', () => {
    const l = ledger();
    recordLine(l, line());
    recordLine(l, line({ bookingId: 'p2', date: '2026-06-04', units: 1, status: 'cancelled' }));
    expect(channelSeats(l)).toEqual({ xola: { '2026-06-03': 3, '2026-06-04': 0 } });
    markReflected(l, entryKey(line()), 'KOOB-1');
    expect(prune(l, '2026-07-01')).toBe(0);
    expect(prune(l, '2026-09-30')).toBe(2);
    expect(l.entries).toEqual({});
  });

  it('detects an oversell (two channels selling the last seat) and asks to close the period', () => {
    const l = ledger();
    recordLine(l, line({ date: '2026-07-15', units: 1, bookingId: 'x-1' }));
    recordLine(l, line({ channel: 'fanfare', bookingId: 'f-9', date: '2026-07-15', units: 1 }));
    expect(vacancies(l, 'sic')).toBe(-1);
    expect(detectOversold(l)).toEqual([{ ruleId: 'sic', over: 1 }]);
    expect(adjustments(l).sic).toEqual({ extraUsed: 2, close: true });
  });

  it('freesale periods have no limit and never close', () => {
    const l = ledger();
    recordLine(l, line({ date: '2026-08-05', units: 40 }));
    expect(vacancies(l, 'free')).toBeNull();
    expect(detectOversold(l)).toEqual([]);
    expect(adjustments(l).free).toEqual({ extraUsed: 40, close: false });
  });
});
