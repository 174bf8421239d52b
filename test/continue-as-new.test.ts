import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridgeQueue, catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary, ProductState } from '../workflows/messages.js';
import { eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from './helpers/bookings.js';
import { seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';

/**
 * A product entity continues as new every 2 syncs here (its `syncsPerRun`), while sync requests
 * (each from a catalog run waiting for its report) and Xola bookings keep arriving: every request
 * is answered and every booking lands in the ledger and at the source, whichever run took it.
 */
describe('product entity continue-as-new with signals pending', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    for (const p of ['koob', 'xola'] as const) await sim(p, 'reset', {});
    await seedKoob([sicProduct('7300', 'Continue-as-new departure', inDays(15), 40, 0)]);
    bridge = await startBridge(testConfig({ locales: ['en'] }));
  });
  afterAll(async () => { await bridge.stop(); });

  it('loses no sync request and no booking across continue-as-new', async () => {
    const { client, connectionName: connection, taskQueue } = bridge;
    const id = productWorkflowId(connection, '7300');
    await client.workflow.signalWithStart('productSyncWorkflow', {
      taskQueue, workflowId: id, args: [{ connection, sourceProductId: '7300', syncsPerRun: 2 }], signal: 'syncRequested', signalArgs: [{ requestId: 'first' }],
    });
    const product = client.workflow.getHandle(id);
    await eventually(() => product.query<ProductState>('productState'), (s) => s.syncs >= 1, 'the first sync');
    const experience = await xolaExperienceId('Continue-as-new departure');

    // The burst: six catalog runs (each a sync request that waits for its report) and four sales, together.
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => client.workflow.start('catalogSyncWorkflow', {
      taskQueue: bridgeQueue(bridge.config.temporal.taskQueuePrefix), workflowId: `${catalogWorkflowId(connection)}/can-${i}`, args: [{ connection, reportTimeout: '2m' }],
    })));
    const sales: string[] = [];
    for (let i = 0; i < 4; i++) {
      const sale = await sellOnXola(experience, inDays(15), 1);
      expect(sale.status).toBeLessThan(300);
      sales.push(sale.id);
      await product.signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'test' });
    }

    const summaries = await Promise.all(runs.map((r) => r.result() as Promise<CatalogSummary>));
    for (const s of summaries) expect({ reported: s.reported, products: s.products, done: s.done }).toEqual({ reported: 1, products: 1, done: true });
    const state = await eventually(() => product.query<ProductState>('productState'), (s) => Object.keys(s.ledger.entries).length === sales.length, 'every booking in the ledger', 60_000);
    expect(state.syncs).toBeGreaterThanOrEqual(2);
    const { bookings } = await sim<{ bookings: Array<{ toReference?: string | null }> }>('koob', 'records');
    for (const sale of sales) expect(bookings.filter((b) => (b.toReference ?? '').includes(sale))).toHaveLength(1);

    // The chain really continued as new while all this arrived.
    const chain: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = "${id}"` })) chain.push(w.runId);
    expect(chain.length).toBeGreaterThanOrEqual(2);
  });
});
