import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { type Bridge, requests, sim, startBridge, testConfig } from './helpers/harness.js';

interface XolaRecords { experiences: Array<{ name: string; schedules: unknown[] }> }

describe('creates on Xola (no idempotency key) never duplicate', () => {
  // Each test gets fresh entity workflows (own connection and queues) against reset simulators.
  let bridge: Bridge;
  beforeEach(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    bridge = await startBridge(testConfig({ locales: ['en'], pageSize: 50 }));
  });
  afterEach(async () => { await bridge.stop(); });

  it('a create whose response is lost is found by look-up, not sent again', async () => {
    // The first two experience creates land on Xola but their answers never arrive (socket reset).
    await sim('xola', 'knobs', { faults: [{ kind: 'reset', afterWrite: true, count: 2, method: 'POST', pathPrefix: '/api/experiences' }] });
    const summary = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue,
      workflowId: `${catalogWorkflowId(bridge.connectionName)}/lost-answers`,
      args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    const { experiences: source } = await sim<{ experiences: Array<{ name: string }> }>('koob', 'records');
    expect(summary.failures).toEqual([]);
    const xola = await sim<XolaRecords>('xola', 'records');
    const names = xola.experiences.map((e) => e.name).sort();
    expect(names).toEqual(source.map((e) => e.name).sort());
    // The look-ups happened: at least two list calls with a search.
    const lookups = (await requests('xola')).filter((r) => r.method === 'GET' && r.path === '/api/experiences');
    expect(lookups.length).toBeGreaterThanOrEqual(2);
  });

  it('transient 503s and 429s on writes are retried by Temporal until they land', async () => {
    await sim('xola', 'knobs', { faults: [
      { kind: 'status', status: 503, count: 3, method: 'PUT' },
      { kind: 'status', status: 429, count: 3, method: 'POST', headers: { 'Retry-After': '1' }, body: { message: 'Too many requests', retryInSeconds: 1 } },
    ] });
    const summary = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue,
      workflowId: `${catalogWorkflowId(bridge.connectionName)}/faults`,
      args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(summary.failures).toEqual([]);
    const xola = await sim<XolaRecords>('xola', 'records');
    expect(xola.experiences).toHaveLength(summary.products);
    expect((await requests('xola')).filter((r) => r.status === 429)).toHaveLength(3);
    // A 429 is a definite "not created": the retry sends again without a look-up first.
    expect((await requests('xola')).filter((r) => r.method === 'GET' && r.path === '/api/experiences')).toHaveLength(0);
  });
});
