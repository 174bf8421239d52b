import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { XolaClient, createXolaSimulator, xolaBookingLines, type XolaPurchase } from '../../../src/connectors/xola/index.js';
import { AuthError, InvalidRequestError, NotFoundError } from '../../../src/errors.js';
import { failure } from '../../helpers/knobs.js';

const KEY = 'xola-bookings-test-key';
const SELLER = 'seller-bookings';

interface Delivery { path: string; headers: IncomingHttpHeaders; body: { eventName: string; data: XolaPurchase & { deletedAt?: string } } }

/** A local webhook receiver (node:http) that records every POST and lets a test await the n-th one. */
async function startReceiver() {
  const got: Delivery[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => { text += c.toString(); });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Delivery['body'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const w of waiters.filter((x) => got.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    got,
    until: (n: number) => new Promise<void>((resolve) => { if (got.length >= n) resolve(); else waiters.push({ n, resolve }); }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('Xola bookings: client against the simulator over HTTP', () => {
  const sim = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
  let url: string;
  let client: XolaClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let exp: string;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...headers }, body: JSON.stringify(body),
  });
  const book = async (quantity: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const { arrivalTime, ...top } = extra;
    return post('/api/purchases', {
      customerName: 'Test Guest', customerEmail: 'guest@example.test', seller: { id: SELLER },
      items: [{ product: { id: exp }, arrivalDate: '2026-06-01', arrivalTime: arrivalTime ?? 900, quantity }], ...top,
    }, headers);
  };
  const booked = async (quantity: number, extra: Record<string, unknown> = {}) => {
    const res = await book(quantity, extra);
    expect(res.status).toBe(201);
    return (await res.json()) as XolaPurchase;
  };
  const sim$ = (path: string, body: unknown = {}) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const eventAt = async (start = '2026-06-01T09:00:00Z') => (await client.listEvents({ experience: exp })).data.find((e) => e.start === start);

  beforeAll(async () => {
    url = await sim.listen();
    client = new XolaClient({ baseUrl: url, apiKey: () => KEY, timeoutMs: 2000 });
    receiver = await startReceiver();
  });
  afterAll(async () => { await sim.close(); await receiver.close(); });
  beforeEach(async () => {
    await fetch(`${url}/__sim/reset`, { method: 'POST' });
    receiver.got.length = 0;
    exp = (await client.createExperience({ seller: SELLER, name: 'Kayak', price: 50, currency: 'USD', duration: 120, group: { outingMax: 5 } })).id;
  });

  it('requires the API key on the booking routes', async () => {
    for (const path of ['/api/purchases', `/api/events?experience=${exp}`, `/api/users/${SELLER}/hooks`]) {
      expect((await fetch(`${url}${path}`)).status).toBe(401);
    }
  });

  it('getPurchase returns the stored purchase; a missing one is NotFoundError', async () => {
    const p = await booked(2, { referenceId: 'EXT-1' });
    const read = await client.getPurchase(p.id);
    expect(read).toMatchObject({ id: p.id, status: 'committed', referenceId: 'EXT-1' });
    expect(read.items[0]).toMatchObject({ status: 'confirmed', product: { id: exp }, arrivalDate: '2026-06-01', arrivalTime: 900, quantity: 2, amount: 100 });
    expect(xolaBookingLines(read, exp)).toEqual([{ itemId: read.items[0]!.id, date: '2026-06-01', time: 900, quantity: 2, status: 'confirmed' }]);
    expect(await failure(client.getPurchase('nope'))).toBeInstanceOf(NotFoundError);
  });

  it('pages purchases with limit/offset across three pages until paging.next is null', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await booked(1, { arrivalTime: 1000 + i })).id);
    const before = ((await (await fetch(`${url}/__sim/requests`)).json()) as { requests: unknown[] }).requests.length;
    const all = await client.listAllPurchases({ limit: 3 });
    expect(all.map((p) => p.id)).toEqual(ids); // sort=updatedAt: oldest change first
    expect(all[0]?.items[0]?.product?.id).toBe(exp); // expand=items by default
    const { requests } = (await (await fetch(`${url}/__sim/requests`)).json()) as { requests: Array<{ path: string; query: Record<string, string> }> };
    const lists = requests.slice(before).filter((r) => r.path === '/api/purchases');
    expect(lists.map((r) => r.query.offset)).toEqual(['0', '3', '6']);
    expect(lists.every((r) => r.query.skip === undefined && r.query.sort === 'updatedAt' && r.query.limit === '3')).toBe(true);
    // `skip` is no purchases parameter (S4:L3370 is `offset`): ignored, so it answers page one, never 400.
    const skipped = (await (await fetch(`${url}/api/purchases?skip=3&limit=1&sort=updatedAt`, { headers: { 'x-api-key': KEY } })).json()) as { data: Array<{ id: string }> };
    expect(skipped.data.map((p) => p.id)).toEqual([ids[0]]);
    // Without expand=items a list shows compact items, as the seed's list example (no product, no quantity).
    const compact = (await (await fetch(`${url}/api/purchases?limit=1`, { headers: { 'x-api-key': KEY } })).json()) as { data: Array<{ items: Array<Record<string, unknown>> }> };
    expect(compact.data[0]?.items[0]).not.toHaveProperty('product');
  });

  it('filters purchases by updatedAt[gte] and by status', async () => {
    const made: XolaPurchase[] = [];
    for (let i = 0; i < 5; i += 1) made.push(await booked(1, { arrivalTime: 1100 + i }));
    const since = made[2]!.updatedAt!;
    expect((await client.listAllPurchases({ updatedAfter: since })).map((p) => p.id)).toEqual(made.slice(2).map((p) => p.id));
    // A cancel is a change: the first purchase comes back after its cancel time.
    const canceled = (await (await sim$(`/__sim/purchases/${made[0]!.id}/cancel`)).json()) as XolaPurchase;
    const changed = await client.listAllPurchases({ updatedAfter: canceled.updatedAt });
    expect(changed.map((p) => p.id)).toEqual([made[0]!.id]);
    expect(changed[0]?.items[0]?.status).toBe('canceled');
    const hold = await booked(1, { status: 'hold', arrivalTime: 1300 });
    const holds = await client.listPurchases({ status: ['hold'] });
    expect(holds.data.map((p) => p.id)).toEqual([hold.id]);
    expect(holds.paging?.next).toBeNull();
  });

  it('creates, lists and updates events; PUT takes only max and manual', async () => {
    const ev = await client.createEvent({ experience: exp, start: '2026-07-01T14:00:00Z', max: 8 });
    expect(ev).toMatchObject({ experience: { id: exp }, start: '2026-07-01T14:00:00Z', max: 8, open: 8, quantity: { confirmed: 0, reserved: 0 } });
    const listed = await client.listEvents({ experience: exp, start: '2026-07-01T00:00:00Z', end: '2026-07-02T00:00:00Z' });
    expect(listed.data.map((e) => e.id)).toEqual([ev.id]);
    expect((await client.listEvents({ experience: exp, start: '2026-07-02T00:00:00Z' })).data).toEqual([]);
    expect(await client.updateEvent(ev.id, { max: 3, manual: true })).toMatchObject({ id: ev.id, max: 3, open: 3, manual: true });
    const put = (body: unknown) => fetch(`${url}/api/events/${ev.id}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) });
    const extra = await put({ max: 4, start: '2026-07-01T15:00:00Z' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(await extra.json())).toMatch(/start/);
    expect((await put({ manual: false })).status).toBe(400);
    expect((await eventAt('2026-07-01T14:00:00Z'))?.max).toBe(3);
    expect(await failure(client.createEvent({ experience: exp, start: '2026-07-01T14:00:00Z' }))).toBeInstanceOf(InvalidRequestError);
    expect(await failure(client.createEvent({ experience: 'missing', start: '2026-07-01T14:00:00Z' }))).toBeInstanceOf(InvalidRequestError);
  });

  it('pages events with limit/skip', async () => {
    for (let d = 1; d <= 5; d += 1) await client.createEvent({ experience: exp, start: `2026-08-0${d}T09:00:00Z` });
    const first = await client.listEvents({ experience: exp, limit: 2 });
    const last = await client.listEvents({ experience: exp, limit: 2, skip: 4 });
    expect(first.data.map((e) => e.start)).toEqual(['2026-08-01T09:00:00Z', '2026-08-02T09:00:00Z']);
    expect(first.paging?.next).not.toBeNull();
    expect(last.data.map((e) => e.start)).toEqual(['2026-08-05T09:00:00Z']);
    expect(last.paging?.next).toBeNull();
  });

  it('a purchase takes seats from its event (max from group.outingMax) and a cancel gives them back', async () => {
    const p = await booked(3);
    expect(await eventAt()).toMatchObject({ max: 5, open: 2, quantity: { confirmed: 3, reserved: 0, total: 3 } });
    await sim$(`/__sim/purchases/${p.id}/cancel`);
    expect(await eventAt()).toMatchObject({ open: 5, quantity: { confirmed: 0, cancelled: 3, total: 0 } });
    expect(xolaBookingLines(await client.getPurchase(p.id), exp)[0]?.status).toBe('cancelled');
  });

  it('refuses a purchase over the open seats, unless the test header forces an oversell', async () => {
    await booked(3);
    const refused = await book(3);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toMatch(/insufficient_capacity/);
    expect((await client.listPurchases({})).data).toHaveLength(1);
    expect((await eventAt())?.open).toBe(2);
    expect((await book(3, {}, { 'x-sim-ignore-capacity': 'true' })).status).toBe(201);
    expect(await eventAt()).toMatchObject({ max: 5, open: 0, quantity: { confirmed: 6 } });
  });

  it('hold purchases reserve seats; rollback frees them and deletes the purchase; commit confirms', async () => {
    const hold = await booked(2, { status: 'hold' });
    expect(hold.items[0]?.status).toBe('pending');
    expect(await eventAt()).toMatchObject({ open: 3, quantity: { reserved: 2 } });
    expect((await sim$(`/__sim/purchases/${hold.id}/rollback`)).status).toBe(200);
    expect((await eventAt())?.open).toBe(5);
    expect(await failure(client.getPurchase(hold.id))).toBeInstanceOf(NotFoundError);
    const other = await booked(1, { status: 'hold' });
    const committed = (await (await sim$(`/__sim/purchases/${other.id}/commit`)).json()) as XolaPurchase;
    expect(committed).toMatchObject({ status: 'committed', items: [{ status: 'confirmed' }] });
    expect((await sim$(`/__sim/purchases/${other.id}/rollback`)).status).toBe(409);
    expect(await eventAt()).toMatchObject({ open: 4, quantity: { confirmed: 1, reserved: 0 } });
  });

  it('subscribes, lists and deletes hooks; refuses unknown event names and other users', async () => {
    const h = await client.subscribeHook(SELLER, { url: `${receiver.url}/x?token=t`, eventName: 'order.create' });
    expect(h).toMatchObject({ eventName: 'order.create' });
    expect((await client.listHooks(SELLER)).map((x) => x.id)).toEqual([h.id]);
    const bad = await failure(client.subscribeHook(SELLER, { url: `${receiver.url}/x`, eventName: 'order.explode' as 'order.create' }));
    expect(bad).toBeInstanceOf(InvalidRequestError);
    expect(await failure(client.listHooks('someone-else'))).toBeInstanceOf(AuthError);
    await client.deleteHook(SELLER, h.id);
    expect(await client.listHooks(SELLER)).toEqual([]);
    expect(await failure(client.deleteHook(SELLER, h.id))).toBeInstanceOf(NotFoundError);
  });

  it('delivers order.* and purchase.* webhooks for create and cancel, unsigned', async () => {
    for (const eventName of ['order.create', 'purchase.create', 'order.cancel', 'purchase.cancel'] as const) {
      await client.subscribeHook(SELLER, { url: `${receiver.url}/hooks/${eventName}`, eventName });
    }
    const p = await booked(2);
    await receiver.until(2);
    expect(receiver.got.map((d) => d.body.eventName).sort()).toEqual(['order.create', 'purchase.create']);
    expect(receiver.got.every((d) => d.path === `/hooks/${d.body.eventName}` && d.body.data.id === p.id)).toBe(true);
    expect(receiver.got[0]?.body.data.items[0]).toMatchObject({ product: { id: exp }, quantity: 2 });
    await sim$(`/__sim/purchases/${p.id}/cancel`);
    await receiver.until(4);
    const cancels = receiver.got.slice(2);
    expect(cancels.map((d) => d.body.eventName).sort()).toEqual(['order.cancel', 'purchase.cancel']);
    expect(cancels.every((d) => d.body.data.items[0]?.status === 'canceled')).toBe(true);
    expect(receiver.got.flatMap((d) => Object.keys(d.headers)).filter((k) => /signature|hmac/i.test(k))).toEqual([]);
  });

  it('sends order.rollback with the deleted purchase', async () => {
    await client.subscribeHook(SELLER, { url: `${receiver.url}/rb`, eventName: 'order.rollback' });
    const hold = await booked(1, { status: 'hold' });
    await sim$(`/__sim/purchases/${hold.id}/rollback`);
    await receiver.until(1);
    expect(receiver.got[0]?.body).toMatchObject({ eventName: 'order.rollback', data: { id: hold.id } });
    expect(xolaBookingLines(receiver.got[0]!.body.data, exp)[0]?.status).toBe('cancelled');
  });

  it('drops the next n deliveries when told (lost webhooks), then delivers again', async () => {
    await client.subscribeHook(SELLER, { url: `${receiver.url}/c`, eventName: 'order.create' });
    expect((await sim$('/__sim/knobs', { dropWebhooks: 1 })).status).toBe(200);
    const lost = await booked(1, { arrivalTime: 800 });
    expect(await (await sim$('/__sim/xola-knobs', { dropWebhooks: 1 })).json()).toEqual({ dropWebhooks: 1 });
    const lost2 = await booked(1, { arrivalTime: 810 });
    const seen = await booked(1, { arrivalTime: 820 });
    const seen2 = await booked(1, { arrivalTime: 830 });
    await receiver.until(2);
    expect(receiver.got.map((d) => d.body.data.id).sort()).toEqual([seen.id, seen2.id].sort());
    const records = (await (await fetch(`${url}/__sim/records`)).json()) as { webhookDeliveries: Array<{ dataId: string; outcome: string }> };
    expect(records.webhookDeliveries.filter((d) => d.outcome === 'dropped').map((d) => d.dataId)).toEqual([lost.id, lost2.id]);
    expect(JSON.stringify(records)).not.toContain('/c');
  });

  it('validates purchase bodies and the seller', async () => {
    const res = await post('/api/purchases', { seller: SELLER, customerEmail: 'not-an-email', items: [] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/customerName[\s\S]*customerEmail|customerEmail[\s\S]*customerName/);
    expect((await book(0)).status).toBe(400);
    expect((await book(1, { arrivalTime: 960 })).status).toBe(400);
    expect((await book(1, { seller: 'someone-else' })).status).toBe(403);
    expect((await post('/api/purchases', { customerName: 'a', customerEmail: 'a@b.test', seller: SELLER, items: [{ product: { id: 'missing' }, arrivalDate: '2026-06-01', quantity: 1 }] })).status).toBe(400);
  });
});

describe('Xola simulator keeps bookings in its records, reset and data file', () => {
  it('inspects, persists, restores and resets purchases, events and hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xola-sim-'));
    const a = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
    a.persistTo(join(dir, 'a.json'));
    const u = await a.listen();
    const c = new XolaClient({ baseUrl: u, apiKey: () => KEY });
    const exp = (await c.createExperience({ seller: SELLER, name: 'Bike', group: { outingMax: 4 } })).id;
    const res = await fetch(`${u}/api/purchases`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ customerName: 'G', customerEmail: 'g@example.test', seller: SELLER, items: [{ product: { id: exp }, arrivalDate: '2026-06-02', quantity: 1 }] }),
    });
    expect(res.status).toBe(201);
    await c.subscribeHook(SELLER, { url: 'http://127.0.0.1:9/secret-token', eventName: 'order.update' });
    const records = (await (await fetch(`${u}/__sim/records`)).json()) as Record<string, unknown[]>;
    expect([records.purchases?.length, records.events?.length, records.hooks?.length]).toEqual([1, 1, 1]);
    expect(JSON.stringify(records.hooks)).not.toContain('secret-token');
    await a.close(); // writes a.json

    writeFileSync(join(dir, 'b.json'), readFileSync(join(dir, 'a.json')));
    const b = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
    b.persistTo(join(dir, 'b.json'));
    expect([b.purchases.size, b.events.size, b.hooks.size, b.experiences.size]).toEqual([1, 1, 1, 1]);
    expect([...b.events.values()][0]).toMatchObject({ start: '2026-06-02T00:00:00Z' });
    const ub = await b.listen();
    await fetch(`${ub}/__sim/reset`, { method: 'POST' });
    expect([b.purchases.size, b.events.size, b.hooks.size]).toEqual([0, 0, 0]);
    await b.close();

    // A data file from before bookings existed (the experiences array alone) still loads.
    writeFileSync(join(dir, 'old.json'), JSON.stringify([{ record: { id: 'e1', name: 'Old', seller: { id: SELLER } }, schedules: [] }]));
    const old = createXolaSimulator({ apiKey: KEY, sellerId: SELLER });
    old.persistTo(join(dir, 'old.json'));
    expect([old.experiences.size, old.purchases.size]).toEqual([1, 0]);
    await old.close();
  });
});
