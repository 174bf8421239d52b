import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { signFanfare } from '../src/connectors/fanfare/index.js';
import { signWhop } from '../src/connectors/whop/index.js';
import { openProblems } from '../src/cli/problems.js';
import { productInventory } from '../src/cli/inventory.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import { createReceiver } from '../src/webhooks/receiver.js';
import { ensureXolaHooks } from '../src/webhooks/subscribe.js';
import type { CatalogSummary, ProductState } from '../workflows/messages.js';
import type { SweepSummary } from '../workflows/reconcile-sweep.js';
import { seedKoob } from './helpers/catalog.js';
import { cancelOnXola, eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from './helpers/bookings.js';
import { type Bridge, sim, simUrls, startBridge, testConfig } from './helpers/harness.js';
import { TEST_KEYS, TEST_SELLER } from './helpers/simulators.js';

const XOLA_SECRET = 'suite-xola-hook-secret';
const FANFARE_SECRET = 'suite-fanfare-secret';
const WHOP_SECRET = 'whsec_c3VpdGUtd2hvcC1zZWNyZXQ=';
const ROME = { id: '7001', name: 'Rome by night', date: inDays(20) };
const LAST = { id: '7002', name: 'Last seat tour', date: inDays(25) };

interface KoobRecords { experiences: Array<{ id: string; periods: Array<{ allotments: number; allotmentsUsed: number }> }>; bookings?: Array<{ toReference: string; state: string }> }
interface GomryRecords { experiences: Array<{ name: string; recurrences: Array<{ session_templates: Array<{ capacity: number }> }> }> }
interface WhopRecords { products: Array<{ id: string; title: string }>; plans: Array<{ product_id?: string; product?: { id: string }; stock: number; visibility: string }> }
interface XolaRecords { experiences: Array<{ name: string; schedules: Array<{ type: string; dates?: string[]; start?: string }> }> }

interface XolaEvents { events: Array<{ experience: { id: string }; start: string; max: number | null; open: number | null }> }
async function xolaEvent(name: string, date: string) {
  const id = await xolaExperienceId(name);
  return (await sim<XolaEvents>('xola', 'records')).events.find((e) => e.experience.id === id && e.start.startsWith(date));
}
const koobUsed = async (id: string) => (await sim<KoobRecords>('koob', 'records')).experiences.find((e) => e.id === id)?.periods[0]?.allotmentsUsed;
const gomrySeats = async (name: string) => (await sim<GomryRecords>('gomry', 'records')).experiences.find((e) => e.name === name)?.recurrences.map((r) => r.session_templates[0]?.capacity) ?? [];
async function whopPlan(title: string) {
  const r = await sim<WhopRecords>('whop', 'records');
  const product = r.products.find((p) => p.title === title);
  return r.plans.find((p) => (p.product_id ?? p.product?.id) === product?.id);
}

describe('bookings across channels (real Temporal server, simulators over HTTP)', () => {
  let bridge: Bridge;
  let receiver: FastifyInstance;
  let receiverUrl: string;
  const state = (id: string) => bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, id)).query<ProductState>('productState');

  beforeAll(async () => {
    for (const p of ['koob', 'xola', 'gomry', 'whop'] as const) await sim(p, 'reset', {});
    await seedKoob([sicProduct(ROME.id, ROME.name, ROME.date, 5, 1), sicProduct(LAST.id, LAST.name, LAST.date, 2, 1)]);
    bridge = await startBridge(testConfig({ targets: ['xola', 'gomry', 'whop'], locales: ['en'] }));
    receiver = createReceiver({ client: bridge.client, xolaSecret: XOLA_SECRET, fanfareSecret: FANFARE_SECRET, whopSecret: WHOP_SECRET, connections: [bridge.connectionName], taskQueuePrefix: bridge.config.temporal.taskQueuePrefix });
    await receiver.listen({ host: '127.0.0.1', port: 0 });
    receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    expect(await ensureXolaHooks(bridge.config, receiverUrl, XOLA_SECRET)).toEqual({ [bridge.config.connections[0]!.targets[0]!.options.sellerId!]: 7 });
    const first = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/bookings`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(first.failures).toEqual([]);
  });
  afterAll(async () => { await receiver.close(); await bridge.stop(); });

  it('subscribing again adds no second set of hooks', async () => {
    expect(Object.values(await ensureXolaHooks(bridge.config, receiverUrl, XOLA_SECRET))).toEqual([0]);
  });

  it('a booking on Xola reaches KOOB and reduces vacancies on every other channel; its cancellation holds the seats until KOOB shows it cancelled', async () => {
    expect(await koobUsed(ROME.id)).toBe(1);
    expect(await gomrySeats(ROME.name)).toEqual([4]);
    expect((await whopPlan(ROME.name))?.stock).toBe(4);
    const sale = await sellOnXola(await xolaExperienceId(ROME.name), ROME.date, 1);
    expect(sale.status).toBe(201);
    await eventually(() => koobUsed(ROME.id), (u) => u === 2, 'the booking written back to KOOB');
    const koob = await sim<KoobRecords>('koob', 'records');
    expect(koob.bookings?.filter((b) => b.toReference.startsWith(`bridge:xola:${sale.id}:`))).toHaveLength(1);
    await eventually(() => gomrySeats(ROME.name), (s) => s[0] === 3, 'Gomry capacity down to 3');
    await eventually(() => whopPlan(ROME.name), (p) => p?.stock === 3, 'Whop stock down to 3');
    // Xola's own departure: max = seats left everywhere + its own sold seats, so open = 3.
    await eventually(() => xolaEvent(ROME.name, ROME.date), (e) => e?.max === 4 && e.open === 3, 'the Xola event capped');

    await cancelOnXola(sale.id);
    const s = await eventually(() => state(ROME.id), (x) => Object.values(x.ledger.entries).some((e) => e.status === 'cancelled'), 'the cancel recorded');
    // KOOB documents no cancel endpoint: the operator is told, once, and KOOB still counts the seat.
    expect(Object.keys(s.problems).filter((k) => k.startsWith('cancel:'))).toHaveLength(1);
    expect(await koobUsed(ROME.id)).toBe(2);
    await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/after-channel-cancel`, args: [{ connection: bridge.connectionName }] });
    // So no channel may sell it yet: 3 left everywhere, Xola's departure included (max 3, none sold).
    expect(await gomrySeats(ROME.name)).toEqual([3]);
    expect((await whopPlan(ROME.name))?.stock).toBe(3);
    expect(await xolaEvent(ROME.name, ROME.date)).toMatchObject({ open: 3 });
  });

  it('once the operator cancels the KOOB booking, the problem closes and the seats come back on every channel', async () => {
    const before = await state(ROME.id);
    const cancelled = Object.values(before.ledger.entries).find((e) => e.status === 'cancelled' && e.reflected)!;
    expect(Object.keys(before.problems).some((k) => k.startsWith('cancel:'))).toBe(true);
    const res = await fetch(`${simUrls().koob}/__sim/bookings/${cancelled.sourceBookingId}/cancel`, { method: 'POST' });
    expect(res.ok).toBe(true);
    await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/after-manual-cancel`, args: [{ connection: bridge.connectionName }] });
    const after = await state(ROME.id);
    expect(Object.keys(after.problems).filter((k) => k.startsWith('cancel:'))).toEqual([]);
    expect(Object.values(after.ledger.entries).find((e) => e.bookingId === cancelled.bookingId)?.sourceCancelled).toBe(true);
    await eventually(() => gomrySeats(ROME.name), (x) => x[0] === 4, 'Gomry capacity back to 4');
    await eventually(() => whopPlan(ROME.name), (p) => p?.stock === 4, 'Whop stock back to 4');
    await eventually(() => xolaEvent(ROME.name, ROME.date), (e) => e?.open === 4, 'Xola open seats back to 4');
  });

  it('seats sold at the source reach Xola\'s departure at the next sync', async () => {
    const before = await xolaEvent(ROME.name, ROME.date);
    const res = await fetch(`${simUrls().koob}/api/v1/experiences/book`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.KOOB_API_KEY },
      body: JSON.stringify([{ experienceId: ROME.id, startAt: ROME.date, endAt: ROME.date, customerLastName: 'Direct', customerEmail: 'd@example.com', travelers: [{ kind: 'adult' }], toReference: 'direct-1' }]),
    });
    expect(res.status).toBeLessThan(300);
    await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/after-direct`, args: [{ connection: bridge.connectionName }] });
    const after = await xolaEvent(ROME.name, ROME.date);
    expect(after?.open).toBe((before?.open ?? 0) - 1);
    expect(await gomrySeats(ROME.name)).toEqual([(before?.open ?? 0) - 1]);
  });

  it('a hold takes seats on every channel without booking the source; its rollback gives them back', async () => {
    const used = await koobUsed(ROME.id);
    const seats = (await gomrySeats(ROME.name))[0]!;
    const hold = await fetch(`${simUrls().xola}/api/purchases`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.XOLA_API_KEY },
      body: JSON.stringify({ status: 'hold', customerName: 'Grace Hopper', customerEmail: 'grace@example.com', seller: TEST_SELLER, items: [{ product: { id: await xolaExperienceId(ROME.name) }, arrivalDate: ROME.date, quantity: 1 }] }),
    });
    const { id } = await hold.json() as { id: string };
    expect(hold.status).toBe(201);
    await eventually(() => gomrySeats(ROME.name), (s) => s[0] === seats - 1, 'Gomry capacity down by the hold');
    expect(await koobUsed(ROME.id)).toBe(used);
    expect((await productInventory(bridge.client, bridge.connectionName, ROME.id)).bookings.find((b) => b.channelBookingId === id)?.status).toBe('PENDING');
    await fetch(`${simUrls().xola}/__sim/purchases/${id}/rollback`, { method: 'POST' });
    await eventually(() => gomrySeats(ROME.name), (s) => s[0] === seats, 'Gomry capacity back after the rollback');
    expect(await koobUsed(ROME.id)).toBe(used);
    expect(Object.keys((await state(ROME.id)).problems).filter((k) => k.includes(id))).toEqual([]);
  });

  it('a duplicated webhook counts once', async () => {
    const before = await koobUsed(ROME.id);
    const sale = await sellOnXola(await xolaExperienceId(ROME.name), ROME.date, 1);
    await eventually(() => koobUsed(ROME.id), (u) => u === before! + 1, 'the first delivery');
    const purchase = await (await fetch(`${simUrls().xola}/api/purchases/${sale.id}`, { headers: { 'x-api-key': TEST_KEYS.XOLA_API_KEY } })).json();
    for (const eventName of ['order.create', 'purchase.create']) {
      const res = await fetch(`${receiverUrl}/webhooks/xola/${XOLA_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ eventName, data: purchase }) });
      expect((await res.json()) as Record<string, unknown>).toMatchObject({ duplicate: true });
    }
    // Even a re-read that gets past the receiver (the sweep) records nothing twice.
    await bridge.client.workflow.execute('reconcileSweepWorkflow', { taskQueue: bridge.taskQueue, workflowId: `sweep-dup-${Date.now()}`, args: [{ connection: bridge.connectionName, lookback: '1h', horizonDays: 90 }] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await koobUsed(ROME.id)).toBe(before! + 1);
    const lines = Object.values((await state(ROME.id)).ledger.entries).filter((e) => e.bookingId === sale.id);
    expect(lines).toHaveLength(1);
  });

  it('a KOOB write-back whose answer is lost is never sent again, even when KOOB accepts a repeated toReference ("no 409")', async () => {
    const koobKnobs = (body: unknown) => fetch(`${simUrls().koob}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await koobKnobs({ uniqueReferences: false, faults: [{ kind: 'reset', afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences/book' }] });
    try {
      const before = await koobUsed(ROME.id);
      const sale = await sellOnXola(await xolaExperienceId(ROME.name), ROME.date, 1);
      expect(sale.status).toBe(201);
      const ours = async () => ((await sim<KoobRecords>('koob', 'records')).bookings ?? []).filter((b) => b.toReference.startsWith(`bridge:xola:${sale.id}:`));
      const s = await eventually(() => state(ROME.id), (x) => Object.keys(x.problems).some((k) => k.startsWith('unknown:')), 'the unknown outcome to be reported');
      expect(Object.values(s.problems).join('\n')).toMatch(/not sent again/);
      expect(await ours()).toHaveLength(1);
      expect(await koobUsed(ROME.id)).toBe(before! + 1);
      // Later turns (a sweep re-reading the purchase, a catalog run) do not send it again.
      await bridge.client.workflow.execute('reconcileSweepWorkflow', { taskQueue: bridge.taskQueue, workflowId: `sweep-unknown-${Date.now()}`, args: [{ connection: bridge.connectionName, lookback: '1h', horizonDays: 90 }] });
      await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/after-unknown`, args: [{ connection: bridge.connectionName }] });
      expect(await ours()).toHaveLength(1);
      expect(Object.keys((await state(ROME.id)).problems).filter((k) => k.startsWith('unknown:'))).toHaveLength(1);
    } finally {
      await koobKnobs({ uniqueReferences: true });
    }
  });

  it('a dropped webhook is repaired by the sweep', async () => {
    const before = await koobUsed(LAST.id);
    await fetch(`${simUrls().xola}/__sim/xola-knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropWebhooks: 10 }) });
    const sale = await sellOnXola(await xolaExperienceId(LAST.name), LAST.date, 1);
    expect(sale.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await koobUsed(LAST.id)).toBe(before);
    const sweep = await bridge.client.workflow.execute('reconcileSweepWorkflow', { taskQueue: bridge.taskQueue, workflowId: `sweep-repair-${Date.now()}`, args: [{ connection: bridge.connectionName, lookback: '30m', horizonDays: 7 * 5 }] }) as SweepSummary;
    expect(sweep.signalled).toBeGreaterThanOrEqual(1);
    await eventually(() => koobUsed(LAST.id), (u) => u === before! + 1, 'the sweep to write the lost booking back');
    await fetch(`${simUrls().xola}/__sim/xola-knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropWebhooks: 0 }) });
  });

  it('a sold-out departure is closed everywhere; an oversell by two channels is detected, closed and reported', async () => {
    // LAST is now full at the source (2 of 2). Xola still sells one more, as a second channel would.
    expect(await koobUsed(LAST.id)).toBe(2);
    await eventually(() => whopPlan(LAST.name), (p) => p?.stock === 0, 'Whop stock 0 for the sold-out departure');
    await eventually(() => gomrySeats(LAST.name), (s) => s.length === 0, 'Gomry no longer offering the sold-out departure');
    const xolaClosed = async () => (await sim<XolaRecords>('xola', 'records')).experiences.find((e) => e.name === LAST.name)?.schedules ?? [];
    await eventually(xolaClosed, (s) => s.some((x) => x.type === 'blackout') && !s.some((x) => x.type === 'available'), 'Xola departure blacked out');
    const over = await sellOnXola(await xolaExperienceId(LAST.name), LAST.date, 1, { ignoreCapacity: true });
    expect(over.status).toBe(201);
    const s = await eventually(() => state(LAST.id), (x) => Object.keys(x.problems).some((k) => k.startsWith('oversold:')), 'the oversell to be detected');
    expect(Object.values(s.problems).join('\n')).toMatch(/oversold by 1 seat/);
    expect(Object.keys(s.problems).some((k) => k.startsWith('writeback:'))).toBe(true);
    expect(await koobUsed(LAST.id)).toBe(2); // KOOB refused the seat it did not have
    const inv = await productInventory(bridge.client, bridge.connectionName, LAST.id);
    expect(inv.periods[0]).toMatchObject({ status: 'SOLD_OUT', vacancies: 0, oversoldBy: 1, usedAtSource: 2, notYetAtSource: 1 });
    expect(inv.bookings.map((b) => b.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    const problems = await eventually(() => openProblems(bridge.client, bridge.connectionName), (p) => p.some((x) => x.sourceProductId === LAST.id), 'the problem list');
    expect(problems.find((p) => p.sourceProductId === LAST.id)?.errors.some((e) => /oversold/.test(e.error))).toBe(true);
  });

  it('forged, stale, unsigned, malformed or oversized webhooks get a 4xx and start nothing', async () => {
    const entries = async () => Object.keys((await state(ROME.id)).ledger.entries).length;
    const before = await entries();
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${receiverUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const xolaBody = JSON.stringify({ eventName: 'order.create', data: { id: 'forged-1', items: [] } });
    expect((await post('/webhooks/xola/wrong-secret', xolaBody)).status).toBe(401);
    expect((await post('/webhooks/xola', xolaBody)).status).toBe(401);
    expect((await post(`/webhooks/xola/${XOLA_SECRET}`, JSON.stringify({ eventName: 'nonsense', data: {} }))).status).toBe(400);
    expect((await post(`/webhooks/xola/${XOLA_SECRET}`, '{not json')).status).toBe(400);
    expect((await post(`/webhooks/xola/${XOLA_SECRET}`, JSON.stringify({ eventName: 'order.create', data: { id: 'x', pad: 'x'.repeat(70_000) } }))).status).toBe(413);

    const ff = JSON.stringify({ id: 'evt_1', type: 'order.created', timestamp: new Date().toISOString(), organizationId: 'org', data: {} });
    const now = Math.floor(Date.now() / 1000);
    const sig = (ts: number, secret = FANFARE_SECRET) => ({ 'x-fanfare-timestamp': String(ts), 'x-fanfare-signature': `sha256=${signFanfare(secret, ts, ff).replace(/^sha256=/, '')}`, 'x-fanfare-delivery-id': `d-${ts}` });
    expect((await post('/webhooks/fanfare', ff, sig(now))).status).toBe(202);
    expect((await post('/webhooks/fanfare', ff, sig(now))).status).toBe(200); // replay absorbed
    expect((await post('/webhooks/fanfare', ff, sig(now, 'not-the-secret'))).status).toBe(401);
    expect((await post('/webhooks/fanfare', ff, sig(now - 301))).status).toBe(401);
    expect((await post('/webhooks/fanfare', ff)).status).toBe(401);

    const wb = JSON.stringify({ id: 'evt_w1', api_version: 'v1', type: 'payment.succeeded', timestamp: new Date().toISOString(), data: {} });
    expect((await post('/webhooks/whop', wb, signWhop(WHOP_SECRET, 'msg_1', new Date(), wb))).status).toBe(202);
    expect((await post('/webhooks/whop', wb, signWhop('whsec_b3RoZXI=', 'msg_2', new Date(), wb))).status).toBe(401);
    expect((await post('/webhooks/whop', wb, signWhop(WHOP_SECRET, 'msg_3', new Date(Date.now() - 3_600_000), wb))).status).toBe(401);
    expect(await entries()).toBe(before);
  });
});
