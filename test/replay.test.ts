import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Worker } from '@temporalio/worker';
import { bridgeDataConverter } from '../src/temporal/codec.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { cancelOnXola, eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from './helpers/bookings.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';

/**
 * Determinism: histories made by real runs (a catalog sync, and a product that synced, took a
 * booking, lost it to a cancellation and synced again) replay against today's workflow bundle
 * without a non-determinism error.
 */
describe('workflow replay', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    for (const p of ['koob', 'xola'] as const) await sim(p, 'reset', {});
    await seedKoob([...catalogOf(2), sicProduct('7100', 'Replay departure', inDays(15), 6, 1)]);
    bridge = await startBridge(testConfig({ locales: ['en', 'fr'] }));
  });
  afterAll(async () => { await bridge.stop(); });

  it('replays catalog and product histories without non-determinism', async () => {
    const catalogId = `${catalogWorkflowId(bridge.connectionName)}/replay`;
    const summary = await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: catalogId, args: [{ connection: bridge.connectionName }] }) as CatalogSummary;
    expect(summary.products).toBe(3);
    const product = bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, '7100'));
    const sale = await sellOnXola(await xolaExperienceId('Replay departure'), inDays(15), 1);
    // No receiver here: tell the product directly, as the receiver would.
    await product.signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'test' });
    await eventually(() => product.query<{ ledger: { entries: Record<string, unknown> } }>('productState'), (s) => Object.keys(s.ledger.entries).length === 1, 'the booking in the ledger');
    await cancelOnXola(sale.id);
    await product.signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'test' });
    await eventually(() => product.query<{ problems: Record<string, string> }>('productState'), (s) => Object.keys(s.problems).some((k) => k.startsWith('cancel:')), 'the cancellation handled');

    for (const id of [catalogId, productWorkflowId(bridge.connectionName, '7100'), productWorkflowId(bridge.connectionName, '5000')]) {
      const history = await bridge.client.workflow.getHandle(id).fetchHistory();
      expect(history.events?.length).toBeGreaterThan(10);
      await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter: bridgeDataConverter() }, history, id)).resolves.toBeUndefined();
    }
  });
});
