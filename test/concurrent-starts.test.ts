import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { catalogWorkflowId, scheduleId } from '../src/temporal/ids.js';
import { upsertCatalogSchedule } from '../src/temporal/schedules.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, requests, sim, startBridge, testConfig } from './helpers/harness.js';

describe('a scheduled and a manual start at the same moment', () => {
  let bridge: Bridge;
  beforeEach(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    await seedKoob(catalogOf(8));
    bridge = await startBridge(testConfig({ locales: ['en'] }));
  });
  afterEach(async () => {
    await bridge.client.schedule.getHandle(scheduleId(bridge.connectionName)).delete().catch(() => undefined);
    await bridge.stop();
  });

  it('do not double the writes: each product is created once', async () => {
    const conn = bridge.config.connections[0]!;
    await upsertCatalogSchedule(bridge.client, { ...conn, schedule: { ...conn.schedule, paused: true } }, bridge.config.temporal.taskQueuePrefix);
    const schedule = bridge.client.schedule.getHandle(scheduleId(conn.name));
    const [, manual] = await Promise.all([
      schedule.trigger(),
      bridge.client.workflow.start('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(conn.name)}/manual`, args: [{ connection: conn.name }] }),
    ]);
    let scheduledId: string | undefined;
    for (let i = 0; i < 100 && !scheduledId; i += 1) {
      scheduledId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!scheduledId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(scheduledId).toMatch(new RegExp(`^${catalogWorkflowId(conn.name)}-`));
    const [a, b] = await Promise.all([
      bridge.client.workflow.getHandle(scheduledId!).result() as Promise<CatalogSummary>,
      manual.result() as Promise<CatalogSummary>,
    ]);
    expect(a.products).toBe(8);
    expect(b.products).toBe(8);
    // A product asked twice at once serves both runs with one sync (both see it "created").
    expect(a.failures).toEqual([]);
    expect(b.failures).toEqual([]);
    expect(Math.max(a.byTarget.xola?.created ?? 0, b.byTarget.xola?.created ?? 0)).toBeLessThanOrEqual(8);
    expect((a.byTarget.xola?.created ?? 0) + (b.byTarget.xola?.created ?? 0)).toBeGreaterThanOrEqual(8);
    const creates = (await requests('xola', { writes: true })).filter((r) => r.method === 'POST' && r.path === '/api/experiences');
    expect(creates).toHaveLength(8);
    expect((await sim<{ experiences: unknown[] }>('xola', 'records')).experiences).toHaveLength(8);
  });
});
