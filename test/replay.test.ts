import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { bridgeDataConverter } from '../src/temporal/codec.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { cancelOnXola, eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from './helpers/bookings.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';
import { historyFromFile } from './helpers/history-json.js';

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

/** The scenarios `npm run replay:capture` records for each release (scripts/replay-capture.ts). */
const CORPUS_SCENARIOS = ['catalog', 'product-sync', 'booking-and-cancel', 'oversell', 'continue-as-new-run-1', 'continue-as-new-run-2'];
const CORPUS = 'test/fixtures/histories';

/**
 * Compatibility: histories recorded by earlier releases (the committed corpus) replay against
 * today's bundle. A workflow change not guarded by patched() fails here before it reaches the
 * executions that run for ever in production. No corpus is a failure, not a skip.
 */
describe('replay corpus of earlier releases', () => {
  const historyFiles = (r: string) => readdirSync(join(CORPUS, r)).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');
  const workflowIds = (r: string): Record<string, string> => (existsSync(join(CORPUS, r, 'workflow-ids.json')) ? JSON.parse(readFileSync(join(CORPUS, r, 'workflow-ids.json'), 'utf8')) as Record<string, string> : {});
  const releases = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => readdirSync(join(CORPUS, d)).some((f) => f.endsWith('.json'))) : [];

  it('exists, with every scenario for each release', () => {
    if (releases.length === 0) throw new Error(`no replay corpus under ${CORPUS}/: capture one at a release with \`npm run replay:capture -- <release>\` and commit it (README, "How to ship a change to workflow code")`);
    for (const r of releases) {
      expect(CORPUS_SCENARIOS.filter((s) => !existsSync(join(CORPUS, r, `${s}.json`)))).toEqual([]);
      expect(Object.keys(workflowIds(r)).sort()).toEqual(historyFiles(r).sort());
    }
  });

  it('replays every history without a non-determinism error', async () => {
    // Under its own workflow id: a catalog run recognises its products' reports by it.
    const histories = releases.flatMap((r) => historyFiles(r).map((f) => ({
      workflowId: workflowIds(r)[f] ?? f, history: historyFromFile(JSON.parse(readFileSync(join(CORPUS, r, f), 'utf8'))),
    })));
    expect(histories.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter: bridgeDataConverter() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message.split('\n')[0]}`);
    }
    expect(failures).toEqual([]);
  });
});
