import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { connectionKey } from '../src/temporal/search-attributes.js';
import { startCatalogSync } from '../src/temporal/schedules.js';
import { createReceiver } from '../src/webhooks/receiver.js';
import { ensureXolaHooks } from '../src/webhooks/subscribe.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { seedKoob } from './helpers/catalog.js';
import { eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from './helpers/bookings.js';
import { sim, suiteClient, testConfig } from './helpers/harness.js';

const XOLA_SECRET = 'metrics-xola-hook-secret';
const TOUR = { id: '7101', name: 'Metrics walking tour', date: inDays(21) };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** The worker as its own process (the SDK's Runtime, and so its metrics exporter, is per process). */
function startWorker(config: unknown, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/worker-process.ts'], {
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('worker-ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

/** The sum of every sample of `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
  }
  return total;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

describe('metrics: worker process and receiver, scraped over HTTP (real Temporal server)', () => {
  const config = testConfig({ targets: ['xola', 'gomry', 'whop'], locales: ['en'] });
  const connection = config.connections[0]!.name;
  let worker: ChildProcess;
  let client: Client;
  let close: () => Promise<void>;
  let receiver: FastifyInstance;
  let receiverMetrics: string;
  let workerMetrics: string;
  let sdkMetrics: string;
  let afterSync: string;

  beforeAll(async () => {
    for (const p of ['koob', 'xola', 'gomry', 'whop'] as const) await sim(p, 'reset', {});
    // 3 seats, 1 used at the source: 2 left.
    await seedKoob([sicProduct(TOUR.id, TOUR.name, TOUR.date, 3, 1)]);
    const [ours, sdk] = [await freePort(), await freePort()];
    workerMetrics = `http://127.0.0.1:${ours}/metrics`;
    sdkMetrics = `http://127.0.0.1:${sdk}/metrics`;
    worker = await startWorker(config, { BRIDGE_METRICS_PORT: String(ours), BRIDGE_SDK_METRICS_PORT: String(sdk) });
    ({ client, close } = await suiteClient());
    receiver = createReceiver({ client, xolaSecret: XOLA_SECRET, fanfareSecret: 'metrics-fanfare-secret' });
    await receiver.listen({ host: '127.0.0.1', port: 0 });
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    receiverMetrics = `${receiverUrl}/metrics`;
    await ensureXolaHooks(config, receiverUrl, XOLA_SECRET);
  });
  afterAll(async () => {
    await receiver.close();
    worker.kill('SIGTERM');
    await close();
  });

  it('a catalog sync (as `bridge sync` starts it) moves bridge_target_writes_total by its summary\'s writes, per target', async () => {
    const handle = await startCatalogSync(client, connection, config.temporal.taskQueuePrefix);
    const summary = await handle.result() as CatalogSummary;
    expect(summary.failures).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(connectionKey)).toBe(connection);
    const text = afterSync = await scrape(workerMetrics);
    for (const platform of ['xola', 'gomry', 'whop']) {
      const row = summary.byTarget[platform]!;
      expect(row.created).toBe(1);
      const ok = (outcome: string) => sample(text, 'bridge_target_writes_total', { connection, platform, outcome });
      expect(ok('created') + ok('updated') + ok('deleted')).toBe(row.writes);
      expect(ok('created')).toBeGreaterThanOrEqual(1);
      expect(ok('failed')).toBe(0);
    }
    expect(sample(text, 'bridge_booking_writebacks_total')).toBe(0);
    expect(sample(text, 'bridge_sale_to_channels_seconds_count')).toBe(0);
  });

  it('the worker process serves the Temporal SDK\'s own metrics on their own port', async () => {
    const text = await scrape(sdkMetrics);
    // The catalog run completed on this process's bridge queue; names per Prometheus conventions.
    expect(sample(text, 'temporal_workflow_completed_total', { task_queue: `${config.temporal.taskQueuePrefix}bridge-v1`, workflow_type: 'catalogSyncWorkflow' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^temporal_activity_execution_latency_seconds_bucket\{/m);
  });

  it('a Xola sale: one delivery accepted, one write-back, one sale-to-channels observation', async () => {
    const sale = await sellOnXola(await xolaExperienceId(TOUR.name), TOUR.date, 1);
    expect(sale.status).toBe(201);
    const observed = await eventually(() => scrape(workerMetrics), (t) => sample(t, 'bridge_sale_to_channels_seconds_count', { connection, channel: 'xola' }) === 1, 'the sale-to-channels observation', 60_000);
    expect(sample(observed, 'bridge_booking_writebacks_total', { connection, source: 'koob', outcome: 'confirmed' })).toBe(1);
    expect(sample(observed, 'bridge_booking_writebacks_total', { outcome: 'failed' })).toBe(0);
    const seconds = sample(observed, 'bridge_sale_to_channels_seconds_sum', { connection, channel: 'xola' });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
    // The sync after the sale pushed the new seats: Gomry got updates the catalog run did not make.
    const updated = (t: string) => sample(t, 'bridge_target_writes_total', { connection, platform: 'gomry', outcome: 'updated' });
    expect(updated(observed)).toBeGreaterThan(updated(afterSync));
    const hooks = await scrape(receiverMetrics);
    // Xola sends order.create and purchase.create for one purchase: one delivery, the other its replay (or both accepted when they race).
    const accepted = sample(hooks, 'bridge_webhook_deliveries_total', { platform: 'xola', outcome: 'accepted' });
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted + sample(hooks, 'bridge_webhook_deliveries_total', { platform: 'xola', outcome: 'duplicate' })).toBe(2);
    expect(sample(hooks, 'bridge_webhook_unmatched_total')).toBe(0);
    expect(sample(hooks, 'bridge_webhook_refused_total')).toBe(0);
  });

  it('refused webhooks are counted with their reason', async () => {
    const base = receiverMetrics.replace(/\/metrics$/, '');
    const forged = await fetch(`${base}/webhooks/xola/not-the-secret`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ eventName: 'order.create', data: { id: 'x' } }) });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${base}/webhooks/fanfare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"order.created"}' });
    expect(unsigned.status).toBe(401);
    const huge = await fetch(`${base}/webhooks/xola/${XOLA_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }) });
    expect(huge.status).toBe(413);
    const text = await scrape(receiverMetrics);
    expect(sample(text, 'bridge_webhook_refused_total', { platform: 'xola', reason: 'token' })).toBe(1);
    expect(sample(text, 'bridge_webhook_refused_total', { platform: 'fanfare', reason: 'signature' })).toBe(1);
    expect(sample(text, 'bridge_webhook_refused_total', { platform: 'xola', reason: 'too_large' })).toBe(1);
    expect(sample(text, 'bridge_webhook_deliveries_total', { outcome: 'refused' })).toBe(3);
  });

  it('an oversell shows in the problem gauges and as a failed write-back', async () => {
    // 1 seat left everywhere; a second channel (here Xola ignoring capacity) sells 2.
    const over = await sellOnXola(await xolaExperienceId(TOUR.name), TOUR.date, 2, { ignoreCapacity: true });
    expect(over.status).toBe(201);
    const text = await eventually(() => scrape(workerMetrics), (t) => sample(t, 'bridge_oversold_periods', { connection }) === 1, 'the oversold gauge (counted at most every 15 s)', 45_000);
    expect(sample(text, 'bridge_open_problems', { connection, kind: 'oversold' })).toBe(1);
    expect(sample(text, 'bridge_open_problems', { connection, kind: 'writeback' })).toBe(1);
    expect(sample(text, 'bridge_booking_writebacks_total', { connection, outcome: 'failed' })).toBeGreaterThanOrEqual(1);
  });
});
