import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKoobSimulator } from '../src/connectors/koob/index.js';
import { parseConfig } from '../src/config.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, requests, sim, simUrls, startBridge } from './helpers/harness.js';
import { inject } from './helpers/knobs.js';
import { TEST_KEYS, TEST_SELLER } from './helpers/simulators.js';

interface KoobRecord { id: string; name: string; dmcReference: string; periods: Array<{ availableDays?: number[]; state: string }> }
const prefix = () => `t${Math.random().toString(16).slice(2, 10)}-`;
const run = (bridge: Bridge, suffix: string) => bridge.client.workflow.execute('catalogSyncWorkflow', {
  taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/${suffix}`, args: [{ connection: bridge.connectionName }],
}) as Promise<CatalogSummary>;

describe('Xola as the source, KOOB as a target', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    await sim('xola', 'reset', {});
    await seedKoob([]);
    const headers = { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.XOLA_API_KEY };
    for (const [i, days] of [[1, [1, 3, 5]], [2, [0, 6]], [3, [2]]] as const) {
      const e = await (await fetch(`${simUrls().xola}/api/experiences`, { method: 'POST', headers, body: JSON.stringify({ seller: TEST_SELLER, name: `Canyon tour ${i}`, price: 40 + i, currency: 'USD', duration: 120, visible: true, geo: { lat: 36.1, lng: -112.1 }, group: { outingMax: 10 } }) })).json() as { id: string };
      await fetch(`${simUrls().xola}/api/experiences/${e.id}/schedules`, { method: 'POST', headers, body: JSON.stringify({ type: 'available', repeat: 'weekly', days, start: '2026-06-01', end: '2026-09-30' }) });
    }
    const p = prefix();
    bridge = await startBridge(parseConfig({
      temporal: { address: process.env.TEST_TEMPORAL_ADDRESS, taskQueuePrefix: p },
      rateLimits: { koob: { perSecond: 200 }, xola: { perSecond: 200 } },
      connections: [{
        name: `x2k-${p.slice(1, -1)}`,
        source: { platform: 'xola', baseUrl: simUrls().xola, apiKeyEnv: 'XOLA_API_KEY', options: { sellerId: TEST_SELLER }, pageSize: 2 },
        targets: [{ platform: 'koob', baseUrl: simUrls().koob, apiKeyEnv: 'KOOB_API_KEY' }],
      }],
    }));
  });
  afterAll(async () => { await bridge.stop(); });

  it('pages Xola (limit/skip), creates each experience on KOOB with Monday-first days, then writes nothing more', async () => {
    const first = await run(bridge, 'x2k-1');
    expect(first.failures).toEqual([]);
    expect(first.byTarget.koob?.created).toBe(3);
    const { experiences } = await sim<{ experiences: KoobRecord[] }>('koob', 'records');
    expect(experiences.map((e) => e.name).sort()).toEqual(['Canyon tour 1', 'Canyon tour 2', 'Canyon tour 3']);
    expect(experiences.every((e) => e.dmcReference.startsWith('bridge:xola:'))).toBe(true);
    const days = Object.fromEntries(experiences.map((e) => [e.name, e.periods[0]!.availableDays]));
    expect(days).toEqual({ 'Canyon tour 1': [1, 0, 1, 0, 1, 0, 0], 'Canyon tour 2': [0, 0, 0, 0, 0, 1, 1], 'Canyon tour 3': [0, 1, 0, 0, 0, 0, 0] });
    const second = await run(bridge, 'x2k-2');
    expect(second.byTarget.koob).toMatchObject({ unchanged: 3, writes: 0 });
  });
});

describe('KOOB to a second KOOB account: every locale, and creates that never double', () => {
  const target = createKoobSimulator({ apiKey: 'second-koob-key', catalog: [] });
  let bridge: Bridge;
  let targetUrl: string;
  beforeAll(async () => {
    targetUrl = await target.listen();
    process.env.KOOB_TARGET_KEY = 'second-koob-key';
    await seedKoob(catalogOf(3));
    const p = prefix();
    bridge = await startBridge(parseConfig({
      temporal: { address: process.env.TEST_TEMPORAL_ADDRESS, taskQueuePrefix: p },
      rateLimits: { koob: { perSecond: 200 } },
      connections: [{
        name: `k2k-${p.slice(1, -1)}`,
        source: { platform: 'koob', baseUrl: simUrls().koob, apiKeyEnv: 'KOOB_API_KEY', locales: ['en', 'fr'], defaultLocale: 'en' },
        targets: [{ platform: 'koob', baseUrl: targetUrl, apiKeyEnv: 'KOOB_TARGET_KEY' }],
      }],
    }));
  });
  afterAll(async () => { await bridge.stop(); await target.close(); });

  it('writes French with a per-locale PUT (GET first), and finds a create whose answer was lost even when KOOB sends no 409', async () => {
    // The target accepts a repeated dmcReference ("no 409" mode); the first create lands but its
    // answer is lost: the bridge looks it up by dmcReference instead of sending it again.
    await fetch(`${targetUrl}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uniqueReferences: false }) });
    await inject(targetUrl, { kind: 'reset', afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/v1/experiences' });
    const sourceWrites = (await requests('koob', { writes: true })).length;
    const summary = await run(bridge, 'k2k-1');
    expect(summary.failures).toEqual([]);
    expect(summary.byTarget.koob?.created).toBe(3);
    const records = (await (await fetch(`${targetUrl}/__sim/records`)).json() as { experiences: KoobRecord[] }).experiences;
    expect(records).toHaveLength(3);
    expect(new Set(records.map((r) => r.dmcReference)).size).toBe(3);
    const id = records.find((r) => r.dmcReference === 'CAT-1')!.id;
    const fr = await (await fetch(`${targetUrl}/api/v1/experiences/${id}?locale=fr`, { headers: { 'x-api-key': 'second-koob-key' } })).json() as { name: string };
    expect(fr.name).toBe('Circuit découverte culturelle n°1');
    const log = (await (await fetch(`${targetUrl}/__sim/requests`)).json() as { requests: Array<{ method: string; path: string; query: { locale?: string } }> }).requests;
    expect(log.filter((r) => r.method === 'PUT').map((r) => r.query.locale)).toEqual(['fr', 'fr', 'fr']);
    // Each PUT follows a GET of the same record in the same locale (KOOB's PUT replaces it all).
    log.forEach((r, i) => {
      if (r.method === 'PUT') expect(log.slice(0, i).some((g) => g.method === 'GET' && g.path === r.path && g.query.locale === 'fr')).toBe(true);
    });
    // The look-up happened: the list was read (rows carry no dmcReference, so candidates were read too).
    expect(log.some((r) => r.method === 'POST' && r.path === '/api/v1/experiences/liste')).toBe(true);
    expect((await requests('koob', { writes: true })).length).toBe(sourceWrites); // nothing written to the source
  });
});
