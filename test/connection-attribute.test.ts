import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectionKey } from '../src/temporal/search-attributes.js';
import type { CatalogSummary } from '../workflows/messages.js';
import type { SweepSummary } from '../workflows/reconcile-sweep.js';
import { seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';

describe('catalog and sweep runs carry BridgeConnection (real Temporal server)', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    await sim('koob', 'reset', {});
    await seedKoob([]);
    bridge = await startBridge(testConfig({ locales: ['en'] }));
  });
  afterAll(async () => { await bridge.stop(); });

  const listed = async (type: string) => {
    const ids: string[] = [];
    for await (const wf of bridge.client.workflow.list({ query: `WorkflowType = '${type}' AND BridgeConnection = '${bridge.connectionName}'` })) ids.push(wf.workflowId);
    return ids;
  };

  it('a catalog run started without it (as from the UI\'s form) tags itself, and visibility finds it by connection', async () => {
    const workflowId = `catalog-sync/${bridge.connectionName}/ui-form`;
    const handle = await bridge.client.workflow.start('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId, args: [{ connection: bridge.connectionName }] });
    expect((await handle.result() as CatalogSummary).products).toBe(0);
    expect((await handle.describe()).typedSearchAttributes.get(connectionKey)).toBe(bridge.connectionName);
    const end = Date.now() + 15_000;
    while (!(await listed('catalogSyncWorkflow')).includes(workflowId) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    expect(await listed('catalogSyncWorkflow')).toContain(workflowId);
  });

  it('a sweep started without it tags itself too', async () => {
    const handle = await bridge.client.workflow.start('reconcileSweepWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `reconcile-sweep/${bridge.connectionName}/by-hand`, args: [{ connection: bridge.connectionName, lookback: '1h', horizonDays: 7 }],
    });
    expect((await handle.result() as SweepSummary).connection).toBe(bridge.connectionName);
    expect((await handle.describe()).typedSearchAttributes.get(connectionKey)).toBe(bridge.connectionName);
  });
});
