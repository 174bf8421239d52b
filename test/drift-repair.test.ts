import { afterEach, describe, expect, it } from '@jest/globals';
import { Worker } from '@temporalio/worker';
import { openProblems } from '../src/cli/problems.js';
import { bridgeDataConverter } from '../src/temporal/codec.js';
import { koobTarget } from '../src/connectors/koob/index.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary, ProductState } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, type LoggedRequest, requests, sim, simUrls, startBridge, testConfig } from './helpers/harness.js';
import { TEST_KEYS } from './helpers/simulators.js';

interface XolaExperience { id: string; name: string; schedules: unknown[]; deleted?: boolean }
interface GomryExperience { id: string; name: string }

/**
 * The drift check (verify pass) on a real Temporal server: records deleted or changed on a target
 * by someone else are found by one GET each, then re-created / re-asserted (repair) or only
 * reported (report), and the notes clear once a later check finds them as we wrote them.
 */
describe('drift repair: verify pass on Xola and Gomry', () => {
  let bridge: Bridge;
  let runs = 0;
  afterEach(async () => { await bridge.stop(); });

  const start = async (onDrift: 'repair' | 'report') => {
    for (const p of ['koob', 'xola', 'gomry'] as const) await sim(p, 'reset', {});
    await seedKoob(catalogOf(3));
    const config = testConfig({ targets: ['xola', 'gomry'], locales: ['en'] });
    config.connections[0]!.verify.onDrift = onDrift;
    bridge = await startBridge(config);
  };
  const run = (verify: boolean) => bridge.client.workflow.execute('catalogSyncWorkflow', {
    taskQueue: bridge.taskQueue,
    workflowId: `${catalogWorkflowId(bridge.connectionName)}/drift-${(runs += 1)}`,
    args: [verify ? { connection: bridge.connectionName, verify: true } : { connection: bridge.connectionName }],
  }) as Promise<CatalogSummary>;
  const state = (id: string) => bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, id)).query<ProductState>('productState');
  const liveXola = async (name: string) => {
    const res = await fetch(`${simUrls().xola}/api/experiences?search=${encodeURIComponent(name)}&limit=100`, { headers: { 'x-api-key': TEST_KEYS.XOLA_API_KEY } });
    return ((await res.json()) as { data: XolaExperience[] }).data.filter((e) => e.name === name);
  };
  const gomryName = async (id: string) => {
    const res = await fetch(`${simUrls().gomry}/experiences/${id}`, { headers: { 'X-API-KEY': TEST_KEYS.GOMRY_API_KEY } });
    return ((await res.json()) as { data: GomryExperience }).data.name;
  };
  const writes = async () => ({ xola: (await requests('xola', { writes: true })).length, gomry: (await requests('gomry', { writes: true })).length });
  const since = async (platform: 'xola' | 'gomry', before: number, pick: (r: LoggedRequest) => boolean) => (await requests(platform)).slice(before).filter(pick);

  /** Syncs, then deletes 5000's Xola experience and renames 5001's Gomry experience behind the bridge's back. */
  const tamper = async () => {
    const first = await run(false);
    expect(first.failures).toEqual([]);
    const a = await state('5000');
    const b = await state('5001');
    const xolaId = a.targets.xola!.ids.experience!;
    const gomryId = b.targets.gomry!.ids.experience!;
    const schedules = (await sim<{ experiences: XolaExperience[] }>('xola', 'records')).experiences.find((e) => e.id === xolaId)!.schedules.length;
    expect(schedules).toBeGreaterThan(0);
    const del = await fetch(`${simUrls().xola}/api/experiences/${xolaId}`, { method: 'DELETE', headers: { 'x-api-key': TEST_KEYS.XOLA_API_KEY } });
    expect(del.status).toBe(204);
    const patch = await fetch(`${simUrls().gomry}/experiences/${gomryId}`, {
      method: 'PATCH', headers: { 'X-API-KEY': TEST_KEYS.GOMRY_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Renamed in Gomry by hand' }),
    });
    expect(patch.status).toBe(200);
    expect(await liveXola(a.name!)).toHaveLength(0);
    return { a, b, xolaId, gomryId, schedules };
  };

  it('repair: the deleted experience is re-created once, the renamed one renamed back; a second pass clears the notes and writes nothing', async () => {
    await start('repair');
    const { a, b, xolaId, gomryId, schedules } = await tamper();
    const before = { xola: (await requests('xola')).length, gomry: (await requests('gomry')).length };

    const verify = await run(true);
    expect(verify.failures).toEqual([]);
    expect(verify.byTarget.xola).toMatchObject({ created: 1, unchanged: 2 });
    expect(verify.byTarget.gomry).toMatchObject({ updated: 1, unchanged: 2 });
    // One GET per verified record per product, on each target.
    expect(await since('xola', before.xola, (r) => r.method === 'GET' && /^\/api\/experiences\/[^/]+$/.test(r.path))).toHaveLength(3);
    expect((await since('gomry', before.gomry, (r) => r.method === 'GET' && /^\/experiences\/[^/]+$/.test(r.path))).length).toBeGreaterThanOrEqual(3);

    const recreated = await liveXola(a.name!);
    expect(recreated).toHaveLength(1);
    const newId = recreated[0]!.id;
    expect(newId).not.toBe(xolaId);
    expect((await state('5000')).targets.xola!.ids.experience).toBe(newId);
    // The schedules under the deleted experience went with it and were made again under the new one;
    // nothing else on Xola was written.
    const xolaWrites = (await since('xola', before.xola, (r) => r.write)).map((w) => `${w.method} ${w.path}`);
    expect(xolaWrites.filter((w) => w === 'POST /api/experiences')).toHaveLength(1);
    expect(xolaWrites.filter((w) => w === `POST /api/experiences/${newId}/schedules`)).toHaveLength(schedules);
    expect(xolaWrites.filter((w) => w !== 'POST /api/experiences' && !w.includes(`/api/experiences/${newId}`))).toEqual([]);
    expect((await sim<{ experiences: XolaExperience[] }>('xola', 'records')).experiences.find((e) => e.id === newId)!.schedules).toHaveLength(schedules);
    expect(await gomryName(gomryId)).toBe(b.name);
    const gomryWrites = await since('gomry', before.gomry, (r) => r.write);
    expect(gomryWrites.map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /experiences/${gomryId}`]);
    expect(gomryWrites[0]!.body).toMatchObject({ name: b.name });

    const problems = await openProblems(bridge.client, bridge.connectionName);
    expect(problems.map((p) => p.sourceProductId)).toEqual(['5000', '5001']);
    expect(problems[0]!.errors).toEqual([{ platform: 'xola', kind: 'drift', error: `xola experience ${xolaId} was deleted outside the bridge: re-created as ${newId}` }]);
    expect(problems[1]!.errors).toEqual([{ platform: 'gomry', kind: 'drift', error: `gomry experience ${gomryId} was changed outside the bridge (name): re-asserted` }]);

    const counts = await writes();
    const again = await run(true);
    expect(again.byTarget.xola).toMatchObject({ unchanged: 3, writes: 0 });
    expect(again.byTarget.gomry).toMatchObject({ unchanged: 3, writes: 0 });
    expect(await writes()).toEqual(counts);
    expect(await openProblems(bridge.client, bridge.connectionName)).toEqual([]);

    // The verify path is deterministic: the repaired product's history replays against the bundle.
    const history = await bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, '5000')).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter: bridgeDataConverter() }, history, 'drift-5000')).resolves.toBeUndefined();
  });

  it('report: nothing is written, and the problems say what was found and that it was only reported', async () => {
    await start('report');
    const { a, xolaId, gomryId } = await tamper();
    const counts = await writes();

    const verify = await run(true);
    expect(verify.byTarget.xola).toMatchObject({ unchanged: 3, writes: 0 });
    expect(verify.byTarget.gomry).toMatchObject({ unchanged: 3, writes: 0 });
    expect(await writes()).toEqual(counts);
    expect(await liveXola(a.name!)).toHaveLength(0);
    expect(await gomryName(gomryId)).toBe('Renamed in Gomry by hand');
    expect((await state('5000')).targets.xola!.ids.experience).toBe(xolaId);

    const problems = await openProblems(bridge.client, bridge.connectionName);
    expect(problems.flatMap((p) => p.errors.map((e) => e.error))).toEqual([
      `xola experience ${xolaId} was deleted outside the bridge: reported only (onDrift: report)`,
      `gomry experience ${gomryId} was changed outside the bridge (name): reported only (onDrift: report)`,
    ]);
  });
});

/** Each target's read-back keys and the GET paths that read them. */
const READ_BACK = {
  xola: { keys: ['experience'], path: /^\/api\/experiences\/[^/]+$/ },
  gomry: { keys: ['experience'], path: /^\/experiences\/[^/]+$/ },
  fanfare: { keys: ['product', 'experience'], path: /\/(products|experiences)\/[^/]+$/ },
  whop: { keys: ['product', 'plan'], path: /\/(products|plans)\/[^/]+$/ },
};

describe('drift check on every target of an untouched catalog', () => {
  const platforms = ['xola', 'gomry', 'fanfare', 'whop'] as const;
  let bridge: Bridge;
  afterEach(async () => { await bridge.stop(); });

  it('reads each main record back once, finds nothing, writes nothing (no false drift)', async () => {
    for (const p of ['koob', ...platforms] as const) await sim(p, 'reset', {});
    await seedKoob(catalogOf(4));
    bridge = await startBridge(testConfig({ targets: [...platforms], locales: ['en', 'fr'] }));
    const exec = (suffix: string, verify: boolean) => bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/${suffix}`, args: [{ connection: bridge.connectionName, verify }],
    }) as Promise<CatalogSummary>;
    expect((await exec('untouched-1', false)).failures).toEqual([]);
    const before = Object.fromEntries(await Promise.all(platforms.map(async (p) => [p, await requests(p)] as const)));
    const verify = await exec('untouched-2', true);
    expect(verify.failures).toEqual([]);
    const states = await Promise.all(['5000', '5001', '5002', '5003'].map((id) => bridge.client.workflow.getHandle(productWorkflowId(bridge.connectionName, id)).query<ProductState>('productState')));
    for (const p of platforms) {
      expect(verify.byTarget[p]).toMatchObject({ writes: 0 });
      const made = (await requests(p)).slice(before[p]!.length);
      expect(made.filter((r) => r.write)).toEqual([]);
      // Exactly one GET per main record we hold there.
      const held = states.reduce((n, s) => n + READ_BACK[p].keys.filter((k) => s.targets[p]?.ids[k]).length, 0);
      expect(held).toBeGreaterThanOrEqual(states.length - 1);
      expect(made.filter((r) => r.method === 'GET' && READ_BACK[p].path.test(r.path))).toHaveLength(held);
    }
    expect(await openProblems(bridge.client, bridge.connectionName)).toEqual([]);
  });
});

describe('KOOB target read-back', () => {
  it('answers the record in the locale of the path, and null for one that is gone', async () => {
    await sim('koob', 'reset', {});
    await seedKoob(catalogOf(1));
    process.env.KOOB_API_KEY = TEST_KEYS.KOOB_API_KEY;
    const t = koobTarget({ platform: 'koob', baseUrl: simUrls().koob, apiKeyEnv: 'KOOB_API_KEY', options: {} });
    const fr = await t.readBack!('experience', { experience: '5000' }, '/api/v1/experiences/5000?locale=fr');
    expect(fr?.name).toBe(catalogOf(1)[0]!.translations.fr!.name);
    expect(await t.readBack!('experience', { experience: '999999' }, '/api/v1/experiences/999999?locale=en')).toBeNull();
    expect(t.readBackKeys).toEqual(['experience']);
  });
});
