import { describe, expect, it } from '@jest/globals';
import { xolaBookingLines, xolaExperienceIdsOf } from '../../../src/connectors/xola/index.js';
import { SchemaDriftError } from '../../../src/errors.js';

const EXP = '68a9d4b1564b84624f08b304';
const OTHER = '68596b702ef9757f080a59ae';
const customer = { customerName: 'Jane Roe', customerEmail: 'jane.roe@example.com', phone: '+1 555 0100' };

/** Shaped on the seed's purchase examples: timed item with HHMM int (S4:L3886-3899). */
const committedTimed = {
  id: 'p-timed', object: 'purchase', status: 'committed', ...customer, seller: { id: 's1' },
  items: [
    { id: 'i-1', object: 'scheduled_experience_purchase_item', status: 'confirmed', product: { id: EXP }, arrivalDate: '2025-09-01', arrivalTime: 2000, quantity: 2, amount: 200 },
    { id: 'i-2', object: 'experience_purchase_item', status: 'confirmed', product: { id: OTHER }, arrivalDate: '2025-09-01', quantity: 1, amount: 100 },
  ],
};

describe('xolaBookingLines normalizes Xola purchases for one experience', () => {
  it('reads HHMM int times, keeps only the asked experience, and carries no customer data', () => {
    const lines = xolaBookingLines(committedTimed, EXP);
    expect(lines).toEqual([{ itemId: 'i-1', date: '2025-09-01', time: 2000, quantity: 2, status: 'confirmed' }]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('Jane');
    expect(text).not.toContain('example.com');
    expect(xolaBookingLines(committedTimed, OTHER)).toEqual([{ itemId: 'i-2', date: '2025-09-01', time: null, quantity: 1, status: 'confirmed' }]);
  });

  it('reads "HH:MM" string times as in the abandoned-purchase example (S4:L4109-4110)', () => {
    const p = { id: 'p-str', status: 'committed', items: [{ id: 'i', status: 'confirmed', product: { id: EXP }, arrivalDate: '2024-02-15', arrivalTime: '17:00', quantity: 3 }] };
    expect(xolaBookingLines(p, EXP)).toEqual([{ itemId: 'i', date: '2024-02-15', time: 1700, quantity: 3, status: 'confirmed' }]);
    const early = { ...p, items: [{ ...p.items[0], arrivalTime: '9:05' }] };
    expect(xolaBookingLines(early, EXP)[0]?.time).toBe(905);
  });

  it('falls back to the wall time written in arrivalDateTime (S4:L3393-3400)', () => {
    const p = { id: 'p-dt', status: 'committed', items: [{ id: 'i', status: 'confirmed', product: { id: EXP }, arrivalDateTime: '2023-12-15T14:00:00Z', quantity: 2 }] };
    expect(xolaBookingLines(p, EXP)).toEqual([{ itemId: 'i', date: '2023-12-15', time: 1400, quantity: 2, status: 'confirmed' }]);
    const day = { ...p, items: [{ ...p.items[0], arrivalDateTime: '2025-09-01T00:00:00-04:00', timeslot: { time: null, scheduleType: 'day' } }] };
    expect(xolaBookingLines(day, EXP)[0]).toMatchObject({ date: '2025-09-01', time: null });
  });

  it('maps canceled and cancelled items to cancelled, hold purchases to pending, rolled-back ones to cancelled', () => {
    const base = { id: 'p', status: 'committed', items: [
      { id: 'a', status: 'canceled', product: { id: EXP }, arrivalDate: '2026-01-10', quantity: 2 },
      { id: 'b', status: 'cancelled', product: { id: EXP }, arrivalDate: '2026-01-10', quantity: 1 },
      { id: 'c', status: 'confirmed', product: { id: EXP }, arrivalDate: '2026-01-10', quantity: 4 },
    ] };
    expect(xolaBookingLines(base, EXP).map((l) => [l.itemId, l.status])).toEqual([['a', 'cancelled'], ['b', 'cancelled'], ['c', 'confirmed']]);
    const hold = { ...base, status: 'hold', items: [{ id: 'h', status: 'pending', product: { id: EXP }, arrivalDate: '2026-01-10', quantity: 2 }] };
    expect(xolaBookingLines(hold, EXP)).toEqual([{ itemId: 'h', date: '2026-01-10', time: null, quantity: 2, status: 'pending' }]);
    expect(xolaBookingLines({ ...hold, deletedAt: '2026-01-01T00:00:00Z' }, EXP)[0]?.status).toBe('cancelled');
  });

  it('skips drafts, abandoned carts and waitlist entries (S4:L3358, L4100-4110)', () => {
    const item = { id: 'x', status: 'abandoned', product: { id: EXP }, arrivalDate: '2024-02-15', arrivalTime: '17:00' };
    for (const status of ['draft', 'abandon', 'waitlist']) expect(xolaBookingLines({ id: 'p', status, items: [item] }, EXP)).toEqual([]);
    expect(xolaBookingLines({ id: 'p', status: 'committed', items: [{ ...item, quantity: 1 }] }, EXP)).toEqual([]);
  });

  it('sums demographic line items when an item has no quantity (S4:L3446-3460)', () => {
    const p = { id: 'p', status: 'committed', items: [{
      id: 'i', status: 'confirmed', product: { id: EXP }, arrivalDate: '2025-09-01',
      lineItems: [{ type: 'demographic', quantity: 2 }, { type: 'demographic', quantity: 1 }, { type: 'fee', quantity: 9 }],
    }] };
    expect(xolaBookingLines(p, EXP)[0]?.quantity).toBe(3);
  });

  it('refuses items it cannot attribute or read, without customer data in the error', () => {
    // The seed's list example: items without product or quantity (read with expand=items instead).
    const compact = { id: 'p-list', status: 'committed', ...customer, items: [{ id: 'i', status: 'confirmed', amount: 150, arrivalDateTime: '2023-12-15T14:00:00Z' }] };
    let err: unknown;
    try { xolaBookingLines(compact, EXP); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SchemaDriftError);
    expect((err as Error).message).toMatch(/product/);
    expect((err as Error).message).not.toContain('jane.roe');
    expect(() => xolaBookingLines({ id: 'p', status: 'refunded', items: [] }, EXP)).toThrow(SchemaDriftError);
    expect(() => xolaBookingLines({ ...committedTimed, items: [{ ...committedTimed.items[0], arrivalTime: 'soon' }] }, EXP)).toThrow(/arrivalTime/);
    expect(() => xolaBookingLines({ ...committedTimed, items: [{ ...committedTimed.items[0], arrivalTime: 1075 }] }, EXP)).toThrow(SchemaDriftError);
  });
});

describe('xolaExperienceIdsOf', () => {
  it('lists each experience a purchase touches once', () => {
    const p = { ...committedTimed, items: [...committedTimed.items, { ...committedTimed.items[0], id: 'i-3' }] };
    expect(xolaExperienceIdsOf(p).sort()).toEqual([EXP, OTHER].sort());
    expect(xolaExperienceIdsOf({ id: 'p', status: 'committed' })).toEqual([]);
  });
});
