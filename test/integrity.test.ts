import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import { openProblems } from '../src/cli/problems.js';
import { catalogOf, patchKoob, seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, simUrls, startBridge, testConfig } from './helpers/harness.js';
import { inject } from './helpers/knobs.js';

interface XolaRecords { experiences: Array<{ id: string; name: string }> }

/**
 * Bad source data on a real Temporal server: each bad record fails alone with its field and
 * reason, every other product of the run (and of later pages) is published, nothing of the bad
 * ones is written, and `bridge problems` names them.
 */
describe('integrity: one bad row or record fails alone', () => {
  let bridge: Bridge;
  let summary: CatalogSummary;
  const catalog = catalogOf(12, '2026-12-07');
  const id = (n: number) => catalog[n - 1]!.record.id as string;

  beforeAll(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    await seedKoob(catalog);
    await patchKoob(id(2), { name: null });                         // list row fails: page 1
    await patchKoob(id(7), { type: 'Spaceship' });                  // list row fails: page 2
    const periods = (catalog[8]!.record.periods as Array<Record<string, unknown>>).map((p) => ({ ...p, startAt: '2027-02-30' }));
    await patchKoob(id(9), { periods });                            // detail fails the canonical gate
    await patchKoob(id(10), { name: '<b>Night</b> walk <script>alert(1)</script>' });
    bridge = await startBridge(testConfig({ pageSize: 5, locales: ['en'] }));
    summary = await bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/bad-rows`, args: [{ connection: bridge.connectionName }],
    }) as CatalogSummary;
  });
  afterAll(async () => { await bridge.stop(); });

  it('goes on past malformed list rows and counts them in its summary', () => {
    expect(summary.done).toBe(true);
    expect(summary.products).toBe(12);
    expect(summary.reported).toBe(12);
    expect(summary.rejected).toBe(2);
    expect(summary.byTarget.xola).toMatchObject({ created: 9, failed: 3 });
    const byId = Object.fromEntries(summary.failures.map((f) => [f.sourceProductId, f.error]));
    expect(byId[id(2)]).toMatch(/SourceRowRejected: list row name: .*string/);
    expect(byId[id(7)]).toMatch(/SourceRowRejected: list row experienceType: /);
    expect(byId[id(9)]).toMatch(/availability\[0\]\.startDate: "2027-02-30" is not a calendar date/);
  });

  it('publishes every good product, nothing of a bad one, and no markup', async () => {
    const { experiences } = await sim<XolaRecords>('xola', 'records');
    expect(experiences).toHaveLength(9);
    const names = experiences.map((e) => e.name);
    expect(names).toContain('Night walk');
    expect(names.some((n) => /[<>]|alert/.test(n))).toBe(false);
    for (const n of [2, 7, 9]) expect(names.some((x) => x.endsWith(`#${n}`))).toBe(false);
  });

  it('lists each bad product as an open problem with its field and reason', async () => {
    const problems = await openProblems(bridge.client, bridge.connectionName);
    expect(problems.map((p) => p.sourceProductId).sort()).toEqual([id(2), id(7), id(9)].sort());
    for (const p of problems) expect(p.errors[0]!.error).toMatch(/: /);
  });
});

describe('integrity: nothing half-published', () => {
  let bridge: Bridge;
  afterAll(async () => { await bridge.stop(); });

  it('a Xola create that fails part-way stays hidden, and the next run completes and publishes it', async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    const [one] = catalogOf(1, '2026-12-07');
    one!.record.state = 'available';
    one!.record.periods = (one!.record.periods as Array<Record<string, unknown>>).map((p) => ({ ...p, state: 'free_sale' }));
    await seedKoob([one!]);
    bridge = await startBridge(testConfig({ locales: ['en'] }));
    // Xola refuses the first schedule: the experience exists, its schedules do not.
    await inject(simUrls().xola, { kind: 'status', status: 400, count: 1, method: 'POST', pathPrefix: '/api/experiences/' });
    const run = (suffix: string) => bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/half-${suffix}`, args: [{ connection: bridge.connectionName }],
    }) as Promise<CatalogSummary>;
    const first = await run('1');
    expect(first.byTarget.xola?.failed).toBe(1);
    type Records = { experiences: Array<{ name: string; visible?: boolean; schedules: unknown[] }> };
    const half = (await sim<Records>('xola', 'records')).experiences;
    expect(half).toHaveLength(1);
    expect(half[0]!.schedules).toHaveLength(0);
    expect(half[0]!.visible).toBe(false);

    const second = await run('2');
    expect(second.failures).toEqual([]);
    const done = (await sim<Records>('xola', 'records')).experiences;
    expect(done).toHaveLength(1);
    expect(done[0]!.schedules.length).toBeGreaterThan(0);
    expect(done[0]!.visible).toBe(true);
  });
});
