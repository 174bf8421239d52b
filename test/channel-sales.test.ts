import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { withAllocations } from '../src/canonical/allocation.js';
import { emptyLedger, placeLine, setRules } from '../src/canonical/ledger.js';
import type { Product } from '../src/canonical/product.js';
import { signWhop, WhopClient } from '../src/connectors/whop/index.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import { createReceiver } from '../src/webhooks/receiver.js';
import type { CatalogSummary, ProductState } from '../workflows/messages.js';
import { seedKoob } from './helpers/catalog.js';
import { eventually, inDays, sicProduct } from './helpers/bookings.js';
import { type Bridge, sim, simUrls, startBridge, testConfig } from './helpers/harness.js';
import { TEST_KEYS } from './helpers/simulators.js';

const WHOP_SECRET = 'whsec_c3VpdGUtd2hvcC1zYWxlcw==';
const TOUR = { id: '7301', name: 'Whop sale tour', date: inDays(30) };

function product(capacity: number, used: number): Product {
  return { availability: [{ id: 'p1', kind: 'dates', startDate: '2030-01-01', endDate: '2030-01-01', weekdays: [], dates: ['2030-01-01'], sale: 'open', freesale: false, capacity, used }] } as unknown as Product;
}
const seatsOf = (p: Product) => { const r = p.availability[0]!; return r.sale === 'closed' ? 0 : (r.capacity ?? 0) - r.used; };

describe('allocation of channels that cannot report sales (pure)', () => {
  it('gives the channel min(quota, seats left) and holds those seats back from every other channel', () => {
    const blind = [{ platform: 'gomry', allocation: { seats: 2 } }];
    expect(seatsOf(withAllocations(product(10, 5), 'gomry', blind))).toBe(2);
    expect(seatsOf(withAllocations(product(10, 5), 'xola', blind))).toBe(3);
    // Never more than what is left, and then nothing for the others.
    expect(seatsOf(withAllocations(product(10, 9), 'gomry', blind))).toBe(1);
    expect(withAllocations(product(10, 9), 'xola', blind).availability[0]!.sale).toBe('closed');
  });
  it('without an allocation the channel is listed but not bookable, and nothing is held back', () => {
    expect(withAllocations(product(10, 5), 'gomry', [{ platform: 'gomry' }]).availability[0]!.sale).toBe('closed');
    expect(seatsOf(withAllocations(product(10, 5), 'xola', [{ platform: 'gomry' }]))).toBe(5);
  });
  it('a share is of the period\'s seats; mirror holds nothing back', () => {
    expect(seatsOf(withAllocations(product(10, 0), 'fanfare', [{ platform: 'fanfare', allocation: { share: 0.25 } }]))).toBe(2);
    expect(seatsOf(withAllocations(product(10, 4), 'gomry', [{ platform: 'gomry', allocation: { mirror: true } }]))).toBe(6);
  });
});

describe('an undated sale (Whop) is placed on the next open departure (pure)', () => {
  it('takes the first open date with a seat, and keeps it on a re-read', () => {
    const ledger = emptyLedger();
    setRules(ledger, [
      { id: 'full', kind: 'dates', startDate: '2030-01-02', endDate: '2030-01-02', weekdays: [], dates: ['2030-01-02'], capacity: 2, used: 2, closed: false },
      { id: 'open', kind: 'range', startDate: '2030-01-01', endDate: '2030-02-01', weekdays: [5], dates: [], capacity: 4, used: 0, closed: false },
    ]);
    const line = { channel: 'whop', bookingId: 'mem_1', lineId: 'access', date: '', units: 1, status: 'confirmed' as const };
    // 2030-01-04 is the first Friday (ISO 5) of the open range; the full SIC date is skipped.
    expect(placeLine(ledger, line, '2030-01-01').date).toBe('2030-01-04');
    ledger.entries['whop:mem_1:access'] = { ...line, date: '2030-01-11', ruleId: 'open', reflected: true, sourceBookingId: '9' };
    expect(placeLine(ledger, line, '2030-01-01').date).toBe('2030-01-11');
  });
});

describe('Whop sales (real Temporal server, simulators over HTTP)', () => {
  let bridge: Bridge;
  let receiver: FastifyInstance;
  let receiverUrl: string;
  const whop = () => new WhopClient({ baseUrl: simUrls().whop, apiKey: () => TEST_KEYS.WHOP_API_KEY });
  const state = (id: string) => bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, id)).query<ProductState>('productState');
  const records = () => sim<{ products: Array<{ id: string; title: string }>; plans: Array<{ id: string; product_id: string; stock: number }> }>('whop', 'records');
  const planOf = async () => { const r = await records(); const p = r.products.find((x) => x.title === TOUR.name); return r.plans.find((x) => x.product_id === p?.id)!; };
  const koob = () => sim<{ experiences: Array<{ id: string; periods: Array<{ allotmentsUsed: number }> }>; bookings?: Array<{ toReference: string }> }>('koob', 'records');
  const gomrySeats = async () => (await sim<{ experiences: Array<{ name: string; recurrences: Array<{ session_templates: Array<{ capacity: number }> }> }> }>('gomry', 'records'))
    .experiences.find((e) => e.name === TOUR.name)?.recurrences.map((r) => r.session_templates[0]?.capacity) ?? [];
  const checkout = async (planId: string) => {
    const res = await fetch(`${simUrls().whop}/__sim/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plan_id: planId }) });
    return { status: res.status, body: await res.json() as { membership: { id: string }; deliveries: Array<{ id: string; status: number } | null> } };
  };

  beforeAll(async () => {
    for (const p of ['koob', 'xola', 'gomry', 'whop'] as const) await sim(p, 'reset', {});
    await seedKoob([sicProduct(TOUR.id, TOUR.name, TOUR.date, 6, 1)]);
    bridge = await startBridge(testConfig({ targets: ['xola', 'gomry', 'whop'], locales: ['en'], gomryAllocation: { seats: 2 } }));
    receiver = createReceiver({ client: bridge.client, xolaSecret: 'unused-xola-secret', whopSecret: WHOP_SECRET });
    await receiver.listen({ host: '127.0.0.1', port: 0 });
    receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    const first = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/whop-sales`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(first.failures).toEqual([]);
  });
  afterAll(async () => { await sim('whop', 'webhook', null).catch(() => undefined); await receiver.close(); await bridge.stop(); });

  it('the Gomry allocation is min(quota, seats left) and is held back from Whop', async () => {
    expect(await gomrySeats()).toEqual([2]);
    // 5 left at KOOB, 2 of them Gomry's: Whop may sell 3.
    expect((await planOf()).stock).toBe(3);
  });

  it('a sale on Whop reaches KOOB exactly once and reduces seats on every other channel; a replayed or unsigned webhook changes nothing', async () => {
    await fetch(`${simUrls().whop}/__sim/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${receiverUrl}/webhooks/whop`, secret: WHOP_SECRET }) });
    const sale = await checkout((await planOf()).id);
    expect(sale.status).toBe(200);
    expect(sale.body.deliveries.map((d) => d?.status)).toEqual([202, 202]);
    const mem = sale.body.membership.id;
    await eventually(koob, (k) => k.experiences.find((e) => e.id === TOUR.id)?.periods[0]?.allotmentsUsed === 2, 'the Whop sale written back to KOOB');
    expect((await koob()).bookings?.filter((b) => b.toReference.startsWith(`bridge:whop:${mem}:`))).toHaveLength(1);
    // 4 left: Gomry keeps its 2, Whop 2 (Whop's own decrement and our push agree).
    await eventually(planOf, (p) => p.stock === 2, 'Whop stock 2');
    expect(await gomrySeats()).toEqual([2]);

    // The same delivery again: absorbed. Forged: refused.
    const body = JSON.stringify({ id: 'msg_replay', api_version: 'v1', type: 'membership.activated', timestamp: new Date().toISOString(), data: { id: mem, product: { id: (await records()).products[0]!.id } } });
    const headers = { 'content-type': 'application/json', ...signWhop(WHOP_SECRET, 'msg_replay', new Date(), body) };
    expect((await fetch(`${receiverUrl}/webhooks/whop`, { method: 'POST', headers, body })).status).toBe(202);
    expect((await fetch(`${receiverUrl}/webhooks/whop`, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(`${receiverUrl}/webhooks/whop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect((await fetch(`${receiverUrl}/webhooks/whop`, { method: 'POST', headers: { ...headers, 'webhook-signature': 'v1,Zm9yZ2Vk' }, body })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await koob()).bookings?.filter((b) => b.toReference.startsWith(`bridge:whop:${mem}:`))).toHaveLength(1);
    const s = await state(TOUR.id);
    expect(Object.values(s.ledger.entries).filter((e) => e.channel === 'whop').map((e) => [e.date, e.units, e.status, e.reflected])).toEqual([[TOUR.date, 1, 'confirmed', true]]);
  });

  it('a Whop sale we have not recorded yet is not overwritten by a stock push', async () => {
    await fetch(`${simUrls().whop}/__sim/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' });
    const plan = await planOf();
    const before = plan.stock;
    // A customer buys on Whop; no webhook reaches us (none subscribed): Whop's stock drops by one.
    expect((await checkout(plan.id)).status).toBe(200);
    expect((await planOf()).stock).toBe(before - 1);
    // We push the stock our books say (unchanged, the sale is unknown to us) with the same sales count.
    const full = await whop().getPlan(plan.id);
    const sent = await whop().updatePlanKeepingFields(plan.id, { stock: before, unlimited_stock: false, metadata: full.metadata as Record<string, unknown> });
    expect(sent.stock).toBe(before - 1);
    // Once the sale is recorded (one more Whop seat in our books, one fewer seat everywhere) the exact number is set.
    const marked = (await whop().getPlan(plan.id)).metadata as Partial<Record<string, number>>;
    const next = await whop().updatePlanKeepingFields(plan.id, { stock: before - 1, unlimited_stock: false, metadata: { bridge_stock: before - 1, bridge_sold: (marked.bridge_sold ?? 0) + 1 } });
    expect(next.stock).toBe(before - 1);
  });
});
