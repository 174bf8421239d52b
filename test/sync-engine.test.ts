import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openProblems } from '../src/cli/problems.js';
import { planConnection } from '../src/cli/plan.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, patchKoob, seedKoob } from './helpers/catalog.js';
import { type Bridge, requests, sim, simUrls, startBridge, testConfig } from './helpers/harness.js';
import { TEST_KEYS } from './helpers/simulators.js';

interface XolaExperience { id: string; name: string; visible: boolean; deleted?: boolean; schedules: unknown[] }
const xolaRecords = async () => (await sim<{ experiences: XolaExperience[] }>('xola', 'records')).experiences;

describe('sync engine (delta, unpublish, per-record failures, plan)', () => {
  let bridge: Bridge;
  let runs = 0;
  const run = async () => bridge.client.workflow.execute('catalogSyncWorkflow', {
    taskQueue: bridge.taskQueue,
    workflowId: `${catalogWorkflowId(bridge.connectionName)}/run-${(runs += 1)}`,
    args: [{ connection: bridge.connectionName }],
  }) as Promise<CatalogSummary>;

  beforeEach(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    await seedKoob(catalogOf(6));
    bridge = await startBridge(testConfig({ pageSize: 4 }));
  });
  afterEach(async () => { await bridge.stop(); });

  it('one changed field makes exactly one update on the target, nothing else', async () => {
    await run();
    const before = (await requests('xola', { writes: true })).length;
    await patchKoob('5002', { summary: 'A brand new summary' });
    const second = await run();
    expect(second.byTarget.xola).toMatchObject({ updated: 1, unchanged: 5, writes: 1 });
    const writes = (await requests('xola', { writes: true })).slice(before);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PUT' });
    expect(writes[0]!.path).toMatch(/^\/api\/experiences\/[0-9a-f]+$/);
    expect(writes[0]!.body).toMatchObject({ excerpt: 'A brand new summary' });
  });

  it('a product deleted at the source, or moved to stand_by, is hidden on the target, never deleted', async () => {
    await run();
    await fetch(`${simUrls().koob}/api/v1/experiences/5001`, { method: 'DELETE', headers: { 'x-api-key': TEST_KEYS.KOOB_API_KEY } });
    await patchKoob('5003', { state: 'stand_by' });
    const second = await run();
    expect(second.byTarget.xola).toMatchObject({ unpublished: 2, unchanged: 4, failed: 0 });
    const xola = await xolaRecords();
    expect(xola).toHaveLength(6);
    // 5001 and 5003 are the 2nd and 4th demo templates.
    expect(xola.filter((e) => !e.visible).map((e) => e.name).sort()).toEqual(['Loire Castles Weekend #4', 'Temples and Rivers Private Journey #2']);
    expect(xola.some((e) => e.deleted)).toBe(false);
    expect((await requests('xola')).some((r) => r.method === 'DELETE' && r.path.split('/').length === 4)).toBe(false);
    const third = await run();
    expect(third.byTarget.xola?.writes).toBe(0);
  });

  it('the plan lists exactly the writes the next run makes', async () => {
    await run();
    await patchKoob('5000', { name: 'Renamed tour' });
    await patchKoob('5004', { periods: [] });
    const plan = await planConnection(bridge.config, bridge.connectionName, bridge.client);
    expect(plan.writes.length).toBeGreaterThan(1);
    const before = (await requests('xola', { writes: true })).length;
    await run();
    const made = (await requests('xola', { writes: true })).slice(before).map((r) => `${r.method} ${r.path}`).sort();
    expect(made).toEqual(plan.writes.map((w) => `${w.method} ${w.path}`).sort());
    const after = await planConnection(bridge.config, bridge.connectionName, bridge.client);
    expect(after.writes).toEqual([]);
  });
});

describe('per-record failures in a 50-record catalog', () => {
  let bridge: Bridge;
  beforeEach(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    bridge = await startBridge(testConfig({ pageSize: 20, locales: ['en'] }));
  });
  afterEach(async () => { await bridge.stop(); });

  it('one bad record fails alone with its field and reason; 49 sync; the problem clears once fixed', async () => {
    const catalog = catalogOf(50);
    catalog[17]!.record.currency = 'dollars';
    await seedKoob(catalog);
    const first = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/fifty`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(first.products).toBe(50);
    expect(first.byTarget.xola).toMatchObject({ created: 49, failed: 1 });
    expect(first.failures).toHaveLength(1);
    expect(first.failures[0]).toMatchObject({ sourceProductId: '5017', platform: 'xola' });
    expect(first.failures[0]!.error).toMatch(/currency/);
    expect(await xolaRecords()).toHaveLength(49);

    const problems = await openProblems(bridge.client, bridge.connectionName);
    expect(problems.map((p) => p.sourceProductId)).toEqual(['5017']);

    await patchKoob('5017', { currency: 'EUR' });
    const second = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/fifty-fixed`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
    expect(second.byTarget.xola).toMatchObject({ created: 1, unchanged: 49, failed: 0 });
    expect(await openProblems(bridge.client, bridge.connectionName)).toEqual([]);
  });
});
