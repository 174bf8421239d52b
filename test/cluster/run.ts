// `npm run test:cluster`: the bridge on a real Temporal cluster (scripts/temporal-cluster.sh: the
// Go server v1.32.2 as four services on PostgreSQL) with two worker processes, through a SIGKILL of
// a worker, a restart of the history service and a rolling upgrade to a new workflow bundle while
// Xola bookings arrive. Prints one line per check and `N passed, N failed`; exits 1 on a failure.
import { execFileSync, type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { parseConfig } from '../../src/config.js';
import type { DemoExperience } from '../../src/connectors/koob/demo-catalog.js';
import { buildWorkflowBundle, writeWorkflowBundle } from '../../src/temporal/bundle.js';
import { bridgeClient } from '../../src/temporal/client.js';
import { temporalCliPath } from '../../src/temporal/cli-path.js';
import { DEMO_PAYLOAD_KEY, bridgeDataConverter } from '../../src/temporal/codec.js';
import { connectClient } from '../../src/temporal/connection.js';
import { currentVersion } from '../../src/temporal/deployment.js';
import { bridgeQueue, catalogWorkflowId, productWorkflowId } from '../../src/temporal/ids.js';
import type { CatalogSummary } from '../../workflows/messages.js';
import { inDays, sellOnXola, sicProduct, xolaExperienceId } from '../helpers/bookings.js';
import { catalogOf, patchKoob, seedKoob } from '../helpers/catalog.js';
import { requests, sim } from '../helpers/harness.js';
import { inject } from '../helpers/knobs.js';
import { startSimulators, TEST_SELLER } from '../helpers/simulators.js';
import { hasPatchMarker, historyOf, retriedActivities, runsOf, workflowTaskFailures } from './histories.js';
import { V2_PATCH } from './v2-change.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = temporalCliPath();
const ADDRESS = `127.0.0.1:${process.env.CLUSTER_PORT ?? 7400}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results: Array<{ name: string; ok: boolean; detail: string }> = [];
const say = (line: string) => process.stdout.write(`${line}\n`);

function cluster(...args: string[]): void {
  execFileSync('bash', [`${ROOT}/scripts/temporal-cluster.sh`, ...args], { stdio: 'inherit', cwd: ROOT });
}

/** One check: its name, pass/fail and a one-line detail. */
async function check(name: string, fn: () => Promise<string> | string): Promise<void> {
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
    say(`PASS ${name}${detail ? ` (${detail})` : ''}`);
  } catch (err) {
    results.push({ name, ok: false, detail: (err as Error).message });
    say(`FAIL ${name}: ${(err as Error).message}`);
  }
}
function expect(cond: boolean, message: string): void { if (!cond) throw new Error(message); }

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const t0 = Date.now();
say('== cluster: build (cached) and start');
const built = Date.now();
cluster('build');
say(`cluster build step: ${((Date.now() - built) / 1000).toFixed(0)} s`);
cluster('start');

process.env.BRIDGE_PAYLOAD_KEY ??= DEMO_PAYLOAD_KEY;
const sims = await startSimulators();
Object.assign(process.env, sims.env);
process.env.TEST_SIMULATORS = JSON.stringify(sims.urls);

say('== bundles: v1 (this build) and v2 (a workflow change behind patched())');
const dir = `${ROOT}/.test-artifacts/cluster`;
const v1 = await buildWorkflowBundle();
const v2 = await buildWorkflowBundle({ interceptorModules: [fileURLToPath(new URL('./v2-change.ts', import.meta.url))] });
const v2Unguarded = await buildWorkflowBundle({ interceptorModules: [fileURLToPath(new URL('./v2-unguarded.ts', import.meta.url))] });
const v1Path = writeWorkflowBundle(v1, `${dir}/v1`);
const v2Path = writeWorkflowBundle(v2, `${dir}/v2`);
say(`v1 ${v1.buildId}, v2 ${v2.buildId}`);

const tag = randomBytes(3).toString('hex');
const connectionName = `cluster-${tag}`;
const deploymentName = `bridge-${tag}`;
const config = parseConfig({
  temporal: { address: ADDRESS, namespace: 'default', taskQueuePrefix: `cl${tag}-`, deployment: { name: deploymentName, promote: 'if-none' } },
  rateLimits: { koob: { perSecond: 100 }, xola: { perSecond: 100 } },
  connections: [{
    name: connectionName,
    source: { platform: 'koob', baseUrl: sims.urls.koob, apiKeyEnv: 'KOOB_API_KEY', locales: ['en'], defaultLocale: 'en', pageSize: 10 },
    targets: [{ platform: 'xola', baseUrl: sims.urls.xola, apiKeyEnv: 'XOLA_API_KEY', options: { sellerId: TEST_SELLER } }],
    schedule: { every: '1h' },
  }],
}, 'cluster config');
const connection = await connectClient(config.temporal);
const client = bridgeClient(connection, 'default');

function startWorker(bundle: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/worker-process.ts'], {
    cwd: ROOT, env: { ...process.env, WORKER_CONFIG: JSON.stringify(config), TEST_WORKFLOW_BUNDLE: bundle, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('worker-ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
const stopWorker = async (w: ChildProcess, signal: NodeJS.Signals) => { if (w.exitCode === null) { const gone = new Promise((r) => w.once('exit', r)); w.kill(signal); await gone; } };

// The catalog: 12 products plus 4 SIC departures that customers buy seats on.
const sic = ['7100', '7101', '7102', '7103'].map((id, i) => sicProduct(id, `Cluster departure ${i + 1} ${tag}`, inDays(20), 500, 0));
const catalog: DemoExperience[] = [...catalogOf(12).map((e) => ({ ...e, record: { ...e.record, name: `${String(e.record.name)} ${tag}` } })), ...sic];
await sim('koob', 'reset', {});
await sim('xola', 'reset', {});
await seedKoob(catalog);
const names = catalog.map((e) => String(e.record.name));
let runNo = 0;
const startCatalog = (label: string) => client.workflow.start('catalogSyncWorkflow', {
  taskQueue: bridgeQueue(config.temporal.taskQueuePrefix), workflowId: `${catalogWorkflowId(connectionName)}/${label}-${++runNo}`, args: [{ connection: connectionName }],
});
const touchAll = async (round: number) => { for (const e of catalog) await patchKoob(String(e.record.id), { includedServices: `<p>Guide, round ${round}</p>` }); };

let workers = [await startWorker(v1Path), await startWorker(v1Path)];
await until(() => currentVersion(client, deploymentName), (v) => v?.buildId === v1.buildId, 'v1 to become the current version');
say(`== workers: 2 × v1 (pids ${workers.map((w) => w.pid).join(', ')}), deployment ${deploymentName} current = ${v1.buildId}`);

// 1. SIGKILL of the worker running a create whose answer Xola holds back 25 s.
let recoverySeconds = NaN;
await check('SIGKILL of a worker mid-sync: the sync completes, one record per product', async () => {
  await inject(sims.urls.xola, { kind: 'delay', ms: 25_000, afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/experiences' });
  const run = await startCatalog('kill');
  const held = await until(() => requests('xola', { writes: true }), (r) => r.some((q) => q.method === 'POST' && q.path === '/api/experiences'), 'the first create to reach Xola');
  const heldName = (held.find((q) => q.method === 'POST')!.body as { name: string }).name;
  const product = productWorkflowId(connectionName, String(catalog.find((e) => e.record.name === heldName)!.record.id));
  const desc = await until(() => client.workflow.getHandle(product).describe(), (d) => (d.raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'applyWrite' && a.lastWorkerIdentity), 'the create on a worker');
  const identity = desc.raw.pendingActivities!.find((a) => a.activityType?.name === 'applyWrite')!.lastWorkerIdentity!;
  const victim = workers.find((w) => identity.startsWith(`${w.pid}@`));
  expect(victim !== undefined, `no worker of ours holds the create (${identity})`);
  const killedAt = Date.now();
  await stopWorker(victim!, 'SIGKILL');
  workers = workers.filter((w) => w !== victim);
  const summary = await run.result() as CatalogSummary;
  const retry = retriedActivities(await historyOf(client, { workflowId: product }), 'applyWrite')[0];
  expect(retry !== undefined, 'the create was never retried');
  recoverySeconds = (retry!.startedAt - killedAt) / 1000;
  workers.push(await startWorker(v1Path));
  expect(summary.failures.length === 0, `failures: ${JSON.stringify(summary.failures)}`);
  const onXola = (await sim<{ experiences: Array<{ name: string }> }>('xola', 'records')).experiences.map((e) => e.name);
  expect(onXola.length === names.length && names.every((n) => onXola.includes(n)), `Xola holds ${onXola.length} experiences for ${names.length} products`);
  return `dead worker's activity retried after ${recoverySeconds.toFixed(1)} s (attempt ${retry!.attempt}, cause: ${retry!.lastFailure || 'n/a'})`;
});
say(`RECOVERY dead worker → activity retried on the other worker in ${recoverySeconds.toFixed(1)} s (heartbeat timeout 6 s; was start-to-close 30 s)`);

// 2. The history service restarted while a sync writes.
await check('restart of the history service mid-sync: the sync completes without failures', async () => {
  await touchAll(1);
  const before = (await requests('xola', { writes: true })).length;
  const run = await startCatalog('history-restart');
  await until(() => requests('xola', { writes: true }), (r) => r.length >= before + 3, 'the sync to start writing');
  cluster('restart', 'history');
  const summary = await run.result() as CatalogSummary;
  expect(summary.failures.length === 0 && summary.reported === names.length, `${summary.reported}/${names.length} reported, failures ${JSON.stringify(summary.failures)}`);
  return `${summary.reported} products reported`;
});

// 3. Rolling upgrade v1 → v2 while customers buy seats on Xola.
const sold: string[] = [];
let selling = true;
const seller = (async () => {
  const ids = await Promise.all(sic.map((s) => xolaExperienceId(String(s.record.name))));
  for (let i = 0; selling; i++) {
    const sale = await sellOnXola(ids[i % ids.length]!, inDays(20), 1).catch(() => null);
    if (sale?.status === 200 || sale?.status === 201) {
      sold.push(sale.id);
      // No receiver here: tell the product directly, as the receiver does.
      await client.workflow.getHandle(productWorkflowId(connectionName, String(sic[i % sic.length]!.record.id))).signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'test' });
    }
    await sleep(700);
  }
})();
let pinnedRun = '';
await check('rolling upgrade v1 → v2 during bookings: pinned catalog run stays on v1, products move to v2', async () => {
  await touchAll(2);
  const old = await startCatalog('during-upgrade');
  pinnedRun = old.workflowId;
  await until(() => requests('xola', { writes: true }), (r) => r.length > 0, 'the v1 run to write');
  const next = [await startWorker(v2Path), await startWorker(v2Path)];
  // The runbook's step: make the new version current once its workers poll (the CLI, as an operator would).
  await until(async () => { execFileSync(CLI, ['worker', 'deployment', 'set-current-version', '--address', ADDRESS, '--deployment-name', deploymentName, '--build-id', v2.buildId, '--yes'], { stdio: 'ignore' }); return true; }, () => true, 'set-current-version to v2', 60_000);
  expect((await currentVersion(client, deploymentName))?.buildId === v2.buildId, 'v2 is not current');
  const summary = await old.result() as CatalogSummary;
  const info = (await old.describe()).raw.workflowExecutionInfo?.versioningInfo;
  expect(info?.deploymentVersion?.buildId === v1.buildId, `the pinned run finished on ${info?.deploymentVersion?.buildId ?? 'unversioned'}`);
  for (const w of workers) await stopWorker(w, 'SIGTERM');
  workers = next;
  expect(summary.failures.length === 0, `failures: ${JSON.stringify(summary.failures)}`);
  await sleep(10_000);
  selling = false;
  await seller;
  return `${sold.length} bookings sold during the upgrade`;
});

await check('after the upgrade: every product converges, 0 duplicates, 0 lost bookings', async () => {
  await touchAll(3);
  const summary = await (await startCatalog('after-upgrade')).result() as CatalogSummary;
  expect(summary.failures.length === 0 && summary.reported === names.length, `${summary.reported}/${names.length} reported, failures ${JSON.stringify(summary.failures)}`);
  const onXola = (await sim<{ experiences: Array<{ name: string }> }>('xola', 'records')).experiences.map((e) => e.name);
  const dupes = onXola.filter((n, i) => onXola.indexOf(n) !== i);
  expect(dupes.length === 0 && names.every((n) => onXola.includes(n)), `Xola: ${onXola.length} experiences, duplicates ${JSON.stringify(dupes)}`);
  const refs = await until(async () => (await sim<{ bookings: Array<{ toReference?: string | null }> }>('koob', 'records')).bookings.map((b) => b.toReference ?? ''),
    (r) => sold.every((id) => r.some((x) => x.includes(id))), 'every sold booking written back to KOOB', 120_000).catch(() => null);
  const final = refs ?? (await sim<{ bookings: Array<{ toReference?: string | null }> }>('koob', 'records')).bookings.map((b) => b.toReference ?? '');
  const lost = sold.filter((id) => !final.some((r) => r.includes(id)));
  const doubled = sold.filter((id) => final.filter((r) => r.includes(`:${id}:`) || r.endsWith(`:${id}`)).length > 1);
  expect(sold.length > 0, 'no booking was sold during the upgrade');
  expect(lost.length === 0 && doubled.length === 0, `lost ${JSON.stringify(lost)}, duplicated ${JSON.stringify(doubled)}`);
  return `${names.length} products, ${sold.length} bookings each written back once`;
});

await check('no workflow task failed in any run; products carry the v2 patch, the pinned run does not', async () => {
  const runs = await runsOf(client, [`product-sync/${connectionName}/`, `${catalogWorkflowId(connectionName)}/`]);
  const failures: string[] = [];
  for (const r of runs) for (const f of workflowTaskFailures(await historyOf(client, r))) failures.push(`${r.workflowId}: ${f}`);
  expect(failures.length === 0, failures.slice(0, 5).join('; '));
  const upgraded = await Promise.all(sic.map(async (s) => hasPatchMarker(await historyOf(client, { workflowId: productWorkflowId(connectionName, String(s.record.id)) }), V2_PATCH)));
  expect(upgraded.every(Boolean), `products without the v2 patch marker: ${upgraded.filter((u) => !u).length}`);
  expect(!hasPatchMarker(await historyOf(client, { workflowId: pinnedRun }), V2_PATCH), 'the pinned v1 run executed v2 code');
  return `${runs.length} runs checked`;
});

await check('replay: v1→v2 product histories replay on v2; the unguarded change fails on a v1 history', async () => {
  const product = await historyOf(client, { workflowId: productWorkflowId(connectionName, '7100') });
  await Worker.runReplayHistory({ workflowBundle: { code: v2.code }, dataConverter: bridgeDataConverter() }, product, 'product 7100');
  const v1Only = await historyOf(client, { workflowId: pinnedRun });
  const broken = await Worker.runReplayHistory({ workflowBundle: { code: v2Unguarded.code }, dataConverter: bridgeDataConverter() }, v1Only, 'pinned run').then(() => null, (err: Error) => err);
  expect(broken?.name === 'DeterminismViolationError', `the unguarded change replayed a v1 history (${broken?.name ?? 'no error'})`);
  return 'guarded change replays, unguarded one is caught';
});

for (const w of workers) await stopWorker(w, 'SIGTERM');
await connection.close();
await sims.close();
if (!process.env.CLUSTER_KEEP) cluster('stop');
const failed = results.filter((r) => !r.ok).length;
say(`cluster checks: ${results.length - failed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
