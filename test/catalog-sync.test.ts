import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import { type Bridge, requests, sim, startBridge, testConfig } from './helpers/harness.js';

interface XolaRecords { experiences: Array<{ id: string; name: string; currency: string; schedules: Array<{ type: string; days?: number[] }> }> }

describe('catalogSync KOOB → Xola on a real Temporal server', () => {
  let bridge: Bridge;
  beforeAll(async () => { bridge = await startBridge(); });
  afterAll(async () => { await bridge.stop(); });
  beforeEach(async () => { await sim('koob', 'reset', {}); await sim('xola', 'reset', {}); });

  const run = (suffix: string) => bridge.client.workflow.execute('catalogSyncWorkflow', {
    taskQueue: bridge.taskQueue,
    workflowId: `${catalogWorkflowId(bridge.connectionName)}/${suffix}`,
    args: [{ connection: bridge.connectionName }],
  }) as Promise<CatalogSummary>;

  it('lands every KOOB experience with its schedules in Xola, then a rerun makes zero writes', async () => {
    const { experiences: source } = await sim<{ experiences: unknown[] }>('koob', 'records');
    const first = await run('first');
    expect(first.products).toBe(source.length);
    expect(first.reported).toBe(source.length);
    expect(first.failures).toEqual([]);
    expect(first.byTarget.xola?.created).toBe(source.length);

    const xola = await sim<XolaRecords>('xola', 'records');
    expect(xola.experiences).toHaveLength(source.length);
    expect(xola.experiences.every((e) => /^[A-Z]{3}$/.test(e.currency))).toBe(true);
    expect(xola.experiences.some((e) => e.schedules.some((s) => s.type === 'blackout'))).toBe(true);
    const writesAfterFirst = (await requests('xola', { writes: true })).length;
    expect(writesAfterFirst).toBe(first.byTarget.xola?.writes);

    const second = await run('second');
    expect(second.byTarget.xola?.unchanged).toBe(source.length);
    expect(second.byTarget.xola?.writes).toBe(0);
    expect((await requests('xola', { writes: true })).length).toBe(writesAfterFirst);
  });
});

describe('catalogSync KOOB → Xola, Gomry, Fanfare and Whop', () => {
  let bridge: Bridge;
  const platforms = ['xola', 'gomry', 'fanfare', 'whop'] as const;
  beforeAll(async () => {
    for (const p of ['koob', ...platforms] as const) await sim(p, 'reset', {});
    bridge = await startBridge(testConfig({ targets: [...platforms], pageSize: 10 }));
  });
  afterAll(async () => { await bridge.stop(); });

  it('lands the demo catalog on all four targets, then a rerun writes nothing anywhere', async () => {
    const { experiences: source } = await sim<{ experiences: unknown[] }>('koob', 'records');
    const first = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/all-1`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(first.failures).toEqual([]);
    for (const p of platforms) {
      // Stand-by products are never created; every other product lands on every target.
      expect(first.byTarget[p]!.created + first.byTarget[p]!.unchanged).toBe(source.length);
      expect(first.byTarget[p]!.writes).toBeGreaterThanOrEqual(source.length);
    }
    expect((await sim<{ experiences: unknown[] }>('gomry', 'records')).experiences).toHaveLength(source.length);
    expect((await sim<{ products: unknown[] }>('fanfare', 'records')).products).toHaveLength(source.length);
    expect((await sim<{ products: unknown[] }>('whop', 'records')).products).toHaveLength(source.length);
    const before = Object.fromEntries(await Promise.all(platforms.map(async (p) => [p, (await requests(p, { writes: true })).length] as const)));
    const second = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/all-2`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    for (const p of platforms) {
      expect(second.byTarget[p]).toMatchObject({ unchanged: source.length, writes: 0 });
      expect((await requests(p, { writes: true })).length).toBe(before[p]);
    }
  });
});
