import { describe, expect, it } from '@jest/globals';
import { KoobBooked, KoobBooking, koobBookingFor, koobBookingStatus } from '../../../src/connectors/koob/index.js';
import { MappingError } from '../../../src/errors.js';

const base = { experienceId: '4104', date: '2026-03-15', durationMinutes: 3 * 1440, adults: 2, children: 1, leadName: 'Ada King Lovelace', leadEmail: ' ada@example.test ', reference: 'bridge:xola:p1:i1' };

describe('koobBookingFor maps one channel booking item to a KOOB booking body', () => {
  it('ends a date-only booking on the inclusive last day and lists one traveler per person', () => {
    expect(koobBookingFor(base)).toEqual({
      experienceId: '4104', startAt: '2026-03-15', endAt: '2026-03-17',
      customerFirstName: 'Ada', customerLastName: 'King Lovelace', customerEmail: 'ada@example.test',
      travelers: [{ kind: 'adult' }, { kind: 'adult' }, { kind: 'child' }],
      toReference: 'bridge:xola:p1:i1',
    });
  });

  it('keeps a short activity on its start date and crosses months correctly', () => {
    expect(koobBookingFor({ ...base, durationMinutes: 180 }).endAt).toBe('2026-03-15');
    expect(koobBookingFor({ ...base, date: '2026-02-27', durationMinutes: 3 * 1440 }).endAt).toBe('2026-03-01');
  });

  it('adds the duration to a local start time, without a zone', () => {
    const b = koobBookingFor({ ...base, date: '2026-03-15T22:30', durationMinutes: 150 });
    expect(b.startAt).toBe('2026-03-15T22:30:00');
    expect(b.endAt).toBe('2026-03-16T01:00:00');
  });

  it('sends a one-word name as the last name alone', () => {
    const b = koobBookingFor({ ...base, leadName: '  Cher ' });
    expect(b.customerLastName).toBe('Cher');
    expect(b).not.toHaveProperty('customerFirstName');
  });

  it('refuses impossible input with a MappingError that names the field, never the person', () => {
    const cases: Array<[Partial<typeof base>, string]> = [
      [{ adults: 0, children: 0 }, 'travelers'],
      [{ adults: 1.5 }, 'adults'],
      [{ date: '2026-02-30' }, 'date'],
      [{ date: '15/03/2026' }, 'date'],
      [{ leadName: '   ' }, 'leadName'],
      [{ reference: '' }, 'reference'],
      [{ durationMinutes: -1 }, 'durationMinutes'],
    ];
    for (const [over, field] of cases) {
      let caught: unknown;
      try { koobBookingFor({ ...base, ...over }); } catch (err) { caught = err; }
      expect(caught).toBeInstanceOf(MappingError);
      expect((caught as MappingError).details.field).toBe(field);
      expect((caught as Error).message).not.toMatch(/Lovelace|ada@example/);
    }
  });
});

describe('KOOB booking response schemas are tolerant where the docs are silent', () => {
  it('KoobBooked reads ids from a bare array, {bookings}, {ids} or one {id}', () => {
    expect(KoobBooked.parse([{ id: 1 }, { id: 'b' }])).toEqual(['1', 'b']);
    expect(KoobBooked.parse({ bookings: [{ id: 7 }] })).toEqual(['7']);
    expect(KoobBooked.parse({ ids: [8, '9'] })).toEqual(['8', '9']);
    expect(KoobBooked.parse({ id: 10, message: 'ok' })).toEqual(['10']);
    expect(KoobBooked.safeParse({ message: 'ok' }).success).toBe(false);
  });

  it('koobBookingStatus never calls an unknown state confirmed', () => {
    const b = (over: Record<string, unknown>) => KoobBooking.parse({ id: 1, state: 'confirmed', ...over });
    expect(koobBookingStatus(b({}))).toBe('confirmed');
    expect(koobBookingStatus(b({ canceledAt: '2026-03-02T00:00:00Z' }))).toBe('canceled');
    expect(koobBookingStatus(b({ state: 'CANCELLED' }))).toBe('canceled');
    expect(koobBookingStatus(b({ dmcState: 'on_request' }))).toBe('pending');
    expect(koobBookingStatus(b({ state: 'draft' }))).toBe('unknown');
    expect(koobBookingStatus(b({ state: '' }))).toBe('unknown');
  });
});
