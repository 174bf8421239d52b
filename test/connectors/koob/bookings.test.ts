import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  KoobClient, type KoobBookingRequest, bookOnce, createKoobSimulator, koobBookingFor, koobBookingStatus,
} from '../../../src/connectors/koob/index.js';
import { AuthError, CreateOutcomeUnknownError, InvalidRequestError, SchemaDriftError } from '../../../src/errors.js';
import { failure, inject } from '../../helpers/knobs.js';

const KEY = 'koob-bookings-test-key';
const EMAIL = 'ada.lovelace@example.test';
const NAME = 'Ada Lovelace';
// Demo catalog anchored on 2026-03-01 (demo-catalog.ts):
// 4104 = SIC, departures 2026-03-15 (12 allotments, 2 used), 03-29 (12, 0 used), 04-26 (stop_sale), 3 days;
// 4100 = FIT on_request every day from 03-02; 4101 = FIT free sale Monday to Friday from 03-02.
const SIC = '4104';
const THREE_DAYS = 3 * 1440;

interface SimRecords { bookings: Array<Record<string, unknown>>; experiences: Array<{ id: string }> }

describe('KOOB booking write-back against the KOOB simulator', () => {
  const sim = createKoobSimulator({ apiKey: KEY, today: '2026-03-01' });
  let url: string;
  let client: KoobClient;
  beforeAll(async () => { url = await sim.listen(); client = new KoobClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 2000 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(async () => { await fetch(`${url}/__sim/reset`, { method: 'POST' }); });

  const booking = (over: Partial<Parameters<typeof koobBookingFor>[0]> = {}) => koobBookingFor({
    experienceId: SIC, date: '2026-03-15', durationMinutes: THREE_DAYS, adults: 2, children: 1,
    leadName: NAME, leadEmail: EMAIL, reference: `bridge:xola:p-${Math.random().toString(36).slice(2)}:i-1`, ...over,
  }) as KoobBookingRequest & { toReference: string };
  const remaining = async (experienceId: string, periodStart: string) => {
    const e = await client.getExperience(experienceId);
    const p = e.periods.find((x) => x.startAt === periodStart)!;
    return (p.allotments ?? 0) - (p.allotmentsUsed ?? 0);
  };
  const records = async () => (await (await fetch(`${url}/__sim/records`)).json()) as SimRecords;
  const rawBook = (body: unknown, key = KEY) => fetch(`${url}/api/v1/experiences/book`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body),
  });

  it('book reduces the period remaining allotment by the number of travelers', async () => {
    expect(await remaining(SIC, '2026-03-15')).toBe(10);
    const ids = await client.book([booking({ adults: 2, children: 1 })]);
    expect(ids).toHaveLength(1);
    expect(await remaining(SIC, '2026-03-15')).toBe(7);
    expect(await remaining(SIC, '2026-03-29')).toBe(12);
  });

  it('book is refused with 422 when not enough allotment is left, and nothing changes', async () => {
    await client.book([booking({ adults: 7, children: 0 })]);
    expect(await remaining(SIC, '2026-03-15')).toBe(3);
    const err = await failure(client.book([booking({ adults: 4, children: 0 })]));
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.details).toMatchObject({ status: 422 });
    expect(err.message).toMatch(/4 requested, 3 left/);
    expect(await remaining(SIC, '2026-03-15')).toBe(3);
    expect((await records()).bookings).toHaveLength(1);
  });

  it('an array of bookings is all or nothing: the second one not fitting refuses both', async () => {
    const err = await failure(client.book([booking({ adults: 6, children: 0 }), booking({ adults: 5, children: 0 })]));
    expect(err.details).toMatchObject({ status: 422 });
    expect(err.message).toMatch(/\[1\]\.travelers: 5 requested, 4 left/);
    expect((await records()).bookings).toHaveLength(0);
    expect(await remaining(SIC, '2026-03-15')).toBe(10);
    const ids = await client.book([booking({ adults: 6, children: 0 }), booking({ adults: 4, children: 0 })]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(await remaining(SIC, '2026-03-15')).toBe(0);
  });

  it('book is refused with 400 on a stop_sale departure, outside every period and on a closed weekday', async () => {
    const stop = await failure(client.book([booking({ date: '2026-04-26' })]));
    expect(stop).toBeInstanceOf(InvalidRequestError);
    expect(stop.details).toMatchObject({ status: 400 });
    expect(stop.message).toMatch(/\[0\]\.startAt: 2026-04-26 is on stop_sale/);
    const outside = await failure(client.book([booking({ date: '2026-03-16' })]));
    expect(outside.details).toMatchObject({ status: 400 });
    expect(outside.message).toMatch(/no period of experience 4104 is open on 2026-03-16/);
    // 4101 sells Monday to Friday; 2026-03-07 is a Saturday.
    const weekend = await failure(client.book([booking({ experienceId: '4101', date: '2026-03-07', durationMinutes: 5 * 1440 })]));
    expect(weekend.message).toMatch(/no period of experience 4101 is open on 2026-03-07/);
    const unknown = await failure(client.book([booking({ experienceId: '999999' })]));
    expect(unknown.message).toMatch(/\[0\]\.experienceId: experience not found/);
    expect((await records()).bookings).toHaveLength(0);
  });

  it('on_request periods make pending bookings, free_sale ones confirmed; getBooking reads them back', async () => {
    const [pendingId] = await client.book([booking({ experienceId: '4100', date: '2026-03-10', adults: 2, children: 0 })]);
    const [confirmedId] = await client.book([booking({ experienceId: '4101', date: '2026-03-02', durationMinutes: 5 * 1440, adults: 1, children: 0 })]);
    const pending = await client.getBooking(pendingId!);
    expect(pending.state).toBe('pending');
    expect(koobBookingStatus(pending)).toBe('pending');
    const confirmed = await client.getBooking(confirmedId!);
    expect(confirmed).toMatchObject({ id: confirmedId, state: 'confirmed', dmcState: 'confirmed', currency: 'USD', startAt: '2026-03-02', endAt: '2026-03-06', canceledAt: null });
    expect(koobBookingStatus(confirmed)).toBe('confirmed');
    expect(confirmed.bookingRef).toMatch(/^KOOB-2026-\d+$/);
    expect(confirmed.totalPrice).toBe(1200);
  });

  it('getBooking carries our toReference and the price from the pax tiers (2 adults 450, 1 child 225)', async () => {
    const req = booking({ adults: 2, children: 1 });
    const [id] = await client.book([req]);
    const b = await client.getBooking(id!);
    expect(b).toMatchObject({ toReference: req.toReference, totalPrice: 1125, currency: 'USD', startAt: '2026-03-15', endAt: '2026-03-17', travelers: 3 });
  });

  it('a second booking with the same toReference gets 409 naming the first; bookOnce adopts it', async () => {
    const req = booking();
    const first = await bookOnce(client, req);
    expect(first.outcome).toBe('created');
    const raw = await rawBook([req]);
    expect(raw.status).toBe(409);
    expect(await raw.json()).toMatchObject({ statusCode: 409, errors: first.id });
    const again = await bookOnce(client, req);
    expect(again).toEqual({ outcome: 'already-booked', id: first.id });
    expect((await records()).bookings.filter((b) => b.toReference === req.toReference)).toHaveLength(1);
    expect(await remaining(SIC, '2026-03-15')).toBe(7);
  });

  it('a lost answer makes the outcome unknown and a retry that may find it booked never sends again, even in "no 409" mode', async () => {
    await fetch(`${url}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uniqueReferences: false }) });
    const req = booking({ date: '2026-03-29', adults: 12, children: 0 });
    await inject(url, { kind: 'reset', afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences/book' });
    const lost = await failure(bookOnce(client, req));
    expect(lost).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(lost.message).toContain(req.toReference);
    expect(await remaining(SIC, '2026-03-29')).toBe(0);
    // The retry (Temporal's next attempt) is told the booking may exist: it sends nothing.
    const posts = async () => ((await (await fetch(`${url}/__sim/requests`)).json()) as { requests: Array<{ method: string; path: string }> }).requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/experiences/book').length;
    const before = await posts();
    expect(await failure(bookOnce(client, req, { mayExist: true }))).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(await posts()).toBe(before);
    const { bookings } = await records();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ toReference: req.toReference, travelers: 12 });
  });

  it('"no 409" mode books a repeated toReference twice (a KOOB that does not enforce it): why bookOnce never resends', async () => {
    await fetch(`${url}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uniqueReferences: false }) });
    const req = booking({ adults: 1, children: 0 });
    expect((await rawBook([req])).status).toBe(201);
    expect((await rawBook([req])).status).toBe(201);
    expect((await records()).bookings.filter((b) => b.toReference === req.toReference)).toHaveLength(2);
  });

  it('the test-only cancel gives the allotment back once and marks the booking canceled', async () => {
    const [id] = await client.book([booking({ adults: 4, children: 0 })]);
    expect(await remaining(SIC, '2026-03-15')).toBe(6);
    const cancel = () => fetch(`${url}/__sim/bookings/${id}/cancel`, { method: 'POST' });
    expect((await cancel()).status).toBe(200);
    expect((await cancel()).status).toBe(200);
    expect(await remaining(SIC, '2026-03-15')).toBe(10);
    const b = await client.getBooking(id!);
    expect(b.state).toBe('canceled');
    expect(b.canceledAt).toEqual(expect.any(String));
    expect(koobBookingStatus(b)).toBe('canceled');
    expect((await fetch(`${url}/__sim/bookings/nope/cancel`, { method: 'POST' })).status).toBe(404);
  });

  it('booking and reading need the key: 401 without it, AuthError from the client', async () => {
    expect((await rawBook([booking()], '')).status).toBe(401);
    expect((await fetch(`${url}/api/v1/bookings/70001`)).status).toBe(401);
    const anon = new KoobClient({ baseUrl: url, apiKey: () => 'wrong-key' });
    const err = await failure(anon.book([booking()]));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).not.toContain('wrong-key');
    expect((await records()).bookings).toHaveLength(0);
  });

  it('400 names every invalid field by index, without echoing personal data', async () => {
    const ok = booking();
    const res = await rawBook([
      { ...ok, customerEmail: 'not-an-email', travelers: [] },
      { ...ok, startAt: '2026-02-30', travelers: [{ kind: 'infant' }], customerLastName: undefined },
      { ...ok, extras: [{ id: 'x' }], replaceBookingId: '1' },
      { ...ok, endAt: '2026-03-14' },
    ]);
    expect(res.status).toBe(400);
    const body = await res.json() as { statusCode: number; message: string; errors: string };
    expect(body.statusCode).toBe(400);
    for (const field of ['[0].customerEmail', '[0].travelers', '[1].startAt', '[1].travelers[0].kind', '[1].customerLastName', '[2].extras', '[2].replaceBookingId', '[3].endAt']) {
      expect(body.errors).toContain(field);
    }
    expect(body.errors).not.toContain('not-an-email');
    expect(await rawBook({ not: 'an array' }).then((r) => r.status)).toBe(400);
    expect(await rawBook([]).then((r) => r.status)).toBe(400);
  });

  it('client errors never carry the customer name or email, even when KOOB echoes them', async () => {
    await inject(url, { kind: 'status', status: 400, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences/book', body: { message: `customer ${NAME} <${EMAIL}> refused` } });
    const err = await failure(client.book([booking()]));
    expect(err).toBeInstanceOf(InvalidRequestError);
    const text = `${err.message} ${err.stack} ${JSON.stringify(err.details)}`;
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('Lovelace');
    expect(text).toContain('[redacted]');
  });

  it('simulator records keep bookings without personal data, and reset clears them and restores allotments', async () => {
    await client.book([booking()]);
    const before = await records();
    expect(before.bookings).toHaveLength(1);
    expect(JSON.stringify(before.bookings)).not.toContain(EMAIL);
    expect(JSON.stringify(before.bookings)).not.toContain('Lovelace');
    await fetch(`${url}/__sim/reset`, { method: 'POST' });
    expect((await records()).bookings).toHaveLength(0);
    expect(await remaining(SIC, '2026-03-15')).toBe(10);
  });

  it('book treats an answer with fewer ids than bookings sent as schema drift', async () => {
    await inject(url, { kind: 'status', status: 201, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences/book', body: [{ id: 'only-one' }] });
    const err = await failure(client.book([booking(), booking()]));
    expect(err).toBeInstanceOf(SchemaDriftError);
  });
});

describe('KOOB simulator persistence keeps bookings', () => {
  it('a restarted simulator resumes with its bookings and the allotment they used', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'koob-sim-')), 'koob.json');
    const first = createKoobSimulator({ apiKey: KEY, today: '2026-03-01' });
    first.persistTo(file);
    const c1 = new KoobClient({ baseUrl: await first.listen(), apiKey: () => KEY });
    const [id] = await c1.book([koobBookingFor({ experienceId: SIC, date: '2026-03-15', durationMinutes: THREE_DAYS, adults: 3, children: 0, leadName: NAME, leadEmail: EMAIL, reference: 'bridge:xola:persist:1' })]);
    await first.close();

    const second = createKoobSimulator({ apiKey: KEY, today: '2026-03-01' });
    second.persistTo(file);
    const c2 = new KoobClient({ baseUrl: await second.listen(), apiKey: () => KEY });
    try {
      expect((await c2.getBooking(id!)).toReference).toBe('bridge:xola:persist:1');
      const p = (await c2.getExperience(SIC)).periods.find((x) => x.startAt === '2026-03-15')!;
      expect(p.allotmentsUsed).toBe(5);
      const [next] = await c2.book([koobBookingFor({ experienceId: SIC, date: '2026-03-29', durationMinutes: THREE_DAYS, adults: 1, children: 0, leadName: NAME, leadEmail: EMAIL, reference: 'bridge:xola:persist:2' })]);
      expect(next).not.toBe(id);
    } finally {
      await second.close();
    }
  });
});
