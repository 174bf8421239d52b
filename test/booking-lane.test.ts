import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import { createReceiver } from '../src/webhooks/receiver.js';
import { ensureXolaHooks } from '../src/webhooks/subscribe.js';
import type { CatalogSummary, ProductState } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { eventually, inDays, sellOnXola, sicProduct } from './helpers/bookings.js';
import { type Bridge, requests, sim, startBridge, testConfig } from './helpers/harness.js';

const XOLA_SECRET = 'lane-xola-hook-secret';
const SLOW = { id: '7101', name: 'Lane tour', date: inDays(30) };
const FRESH = { id: '7102', name: 'Just created tour', date: inDays(31) };
const LAST = { id: '7103', name: 'Last seats rush', date: inDays(32) };

interface KoobRecords { experiences: Array<{ id: string; periods: Array<{ allotmentsUsed: number }> }>; bookings?: Array<{ toReference: string }> }
interface XolaRecords { experiences: Array<{ id: string; name: string; schedules: Array<{ type: string }> }> }
const koobBookings = async (purchaseId: string) => ((await sim<KoobRecords>('koob', 'records')).bookings ?? []).filter((b) => b.toReference.startsWith(`bridge:xola:${purchaseId}:`));
const xolaId = async (name: string) => (await sim<XolaRecords>('xola', 'records')).experiences.find((e) => e.name === name)?.id ?? null;

/**
 * Issue 10 on the real Temporal server: bookings take their own lane (book-<platform> queues, and
 * between a product's catalog writes), and a sale finds its product through the route table even
 * before the sync that created the experience has ended.
 */
describe('the booking lane and routing that cannot lag', () => {
  let bridge: Bridge;
  let receiver: FastifyInstance;
  const state = (id: string) => bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, id)).query<ProductState>('productState');
  const sync = async (label: string, wait = true) => {
    const h = await bridge.client.workflow.start('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/${label}`, args: [{ connection: bridge.connectionName }] });
    return wait ? await h.result() as CatalogSummary : h;
  };

  beforeAll(async () => {
    for (const p of ['koob', 'xola'] as const) await sim(p, 'reset', {});
    // A catalog large enough for a sync that lasts: KOOB at 4 calls/s (1 for bookings, 3 for the catalog).
    await seedKoob([...catalogOf(24), sicProduct(SLOW.id, SLOW.name, SLOW.date, 10, 0), sicProduct(LAST.id, LAST.name, LAST.date, 3, 0)]);
    const config = testConfig({ targets: ['xola'], locales: ['en'] });
    config.rateLimits.koob = { perSecond: 4, bookingShare: 0.25 };
    bridge = await startBridge(config);
    receiver = createReceiver({ client: bridge.client, xolaSecret: XOLA_SECRET, connections: [bridge.connectionName], taskQueuePrefix: config.temporal.taskQueuePrefix });
    await receiver.listen({ host: '127.0.0.1', port: 0 });
    await ensureXolaHooks(bridge.config, `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`, XOLA_SECRET);
    expect((await sync('lane-first') as CatalogSummary).failures).toEqual([]);
  }, 120_000);
  afterAll(async () => { await receiver.close(); await bridge.stop(); });

  it('a booking during a long catalog sync is written back before the sync ends', async () => {
    const start = (await requests('koob')).length;
    const run = await sync('lane-long', false) as Awaited<ReturnType<typeof bridge.client.workflow.start>>;
    // Wait until the catalog sync is well under way (a few products read), then sell.
    await eventually(async () => (await requests('koob')).length - start, (n) => n >= 6, 'the catalog sync reading KOOB');
    const sale = await sellOnXola((await xolaId(SLOW.name))!, SLOW.date, 1);
    expect(sale.status).toBe(201);
    await eventually(() => koobBookings(sale.id), (b) => b.length === 1, 'the write-back', 60_000);
    const summary = await run.result() as CatalogSummary;
    expect(summary.failures).toEqual([]);
    // The simulator keeps the latest requests: the write-back is among them, and the catalog sync
    // went on reading other products after it (it did not wait for them).
    const log = await requests('koob');
    const bookedAt = log.findIndex((r) => r.method === 'POST' && r.path.startsWith('/api/v1/experiences/book'));
    expect(bookedAt).toBeGreaterThanOrEqual(0);
    const laterReads = log.slice(bookedAt + 1).filter((r) => r.method === 'GET' && /\/experiences\/5\d{3}\b/.test(r.path));
    expect(laterReads.length).toBeGreaterThan(0);
  }, 120_000);

  it('a sale on an experience created a moment ago is not lost (its route is recorded at the create)', async () => {
    await seedKoob([...catalogOf(24), sicProduct(SLOW.id, SLOW.name, SLOW.date, 10, 1), sicProduct(LAST.id, LAST.name, LAST.date, 3, 0), sicProduct(FRESH.id, FRESH.name, FRESH.date, 5, 0)]);
    const run = await sync('lane-fresh', false) as Awaited<ReturnType<typeof bridge.client.workflow.start>>;
    // Sell the moment Xola holds the experience: before the product's sync ends, before visibility knows it.
    const id = await eventually(() => xolaId(FRESH.name), (x) => x !== null, 'the new experience on Xola', 60_000);
    const sale = await sellOnXola(id!, FRESH.date, 2);
    expect(sale.status).toBe(201);
    await eventually(() => koobBookings(sale.id), (b) => b.length === 1, 'the write-back of the sale on the new experience', 60_000);
    await run.result();
    const s = await state(FRESH.id);
    expect(Object.values(s.ledger.entries).map((e) => [e.bookingId, e.units, e.reflected])).toEqual([[sale.id, 2, true]]);
  }, 120_000);

  it('concurrent sales beyond the last seats are detected as an oversell, closed everywhere and reported', async () => {
    const id = (await xolaId(LAST.name))!;
    // 5 buyers race for 3 seats; the simulator is told to skip its cap, as a race between channels would.
    const sales = await Promise.all(Array.from({ length: 5 }, () => sellOnXola(id, LAST.date, 1, { ignoreCapacity: true })));
    expect(sales.every((x) => x.status === 201)).toBe(true);
    const s = await eventually(() => state(LAST.id), (x) => Object.keys(x.problems).some((k) => k.startsWith('oversold:')), 'the oversell reported', 60_000);
    expect(Object.values(s.ledger.entries)).toHaveLength(5);
    expect(Object.values(s.problems).find((p) => p.includes('oversold'))).toMatch(/oversold by 2 seat/);
    // Closed on Xola: its schedule is a blackout now.
    await eventually(async () => (await sim<XolaRecords>('xola', 'records')).experiences.find((e) => e.name === LAST.name)?.schedules.map((x) => x.type), (t) => t?.[0] === 'blackout', 'the departure closed on Xola');
  }, 120_000);
});
