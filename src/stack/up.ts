import { type Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { BridgeConfig } from '../config.js';
import { upsertCatalogSchedule, upsertSweepSchedules } from '../temporal/schedules.js';
import { startDevServer } from '../temporal/dev-server.js';
import { installRuntimeLogger } from '../temporal/runtime.js';
import { createWorkers, runWorkers } from '../temporal/worker.js';
import { scheduleId } from '../temporal/ids.js';
import { createReceiver, receiverSecretsFromEnv } from '../webhooks/receiver.js';
import { startConfiguredSimulators } from './simulators.js';
import { demoBooking } from './demo-booking.js';
import { ensureXolaHooks } from '../webhooks/subscribe.js';
import type { CatalogSummary } from '../../workflows/messages.js';
import { bridgeClient } from '../temporal/client.js';
import { startWorkerMetrics, workerMetricsFromEnv } from '../metrics/server.js';
import { codecFromEnv, DEMO_PAYLOAD_KEY } from '../temporal/codec.js';
import { CODEC_PORT, serveCodec } from '../temporal/codec-server.js';

export interface UpOptions {
  config: BridgeConfig;
  dataDir: string;
  simulators: boolean;
  receiverPort: number;
  /** Stop after the first catalog run has reported (used by the smoke test and CI). */
  once: boolean;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The embedded stack: Temporal dev server, simulators, workers and webhook receiver in one
 * command; registers each connection's Schedule, runs a first sync and prints what synced.
 */
export async function up(opts: UpOptions): Promise<void> {
  const metrics = workerMetricsFromEnv('127.0.0.1');
  installRuntimeLogger({ sdkMetricsAddress: metrics.sdkAddress });
  const { config } = opts;
  const [host, port] = config.temporal.address.split(':');
  // The demo's payload key only beside its own simulators; the UI (plain http, no login) reaches the codec on loopback.
  if (opts.simulators) process.env.BRIDGE_PAYLOAD_KEY ??= DEMO_PAYLOAD_KEY;
  const codec = await serveCodec({ host: '127.0.0.1', port: CODEC_PORT, origins: [`http://${host}:8233`, 'http://localhost:8233'], codec: codecFromEnv() });
  say('Starting the Temporal dev server…');
  const server = await startDevServer({ dataDir: opts.dataDir, ip: host, port: Number(port), namespace: config.temporal.namespace, uiCodecEndpoint: codec.url });
  const stops: Array<() => Promise<unknown>> = [server.stop];
  stops.push(codec.close);
  const abort = new AbortController();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping…');
    abort.abort();
    for (const s of stops.reverse()) await s().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  try {
    const sims = opts.simulators ? await startConfiguredSimulators(config, { dataDir: opts.dataDir }) : [];
    for (const s of sims) stops.splice(1, 0, s.close);
    const native = await NativeConnection.connect({ address: config.temporal.address });
    const connection = await Connection.connect({ address: config.temporal.address });
    const client = bridgeClient(connection, config.temporal.namespace);
    const workers = await createWorkers({ config, client, connection: native });
    const running = runWorkers(workers, abort.signal);
    stops.push(async () => { abort.abort(); await running; await native.close(); await connection.close(); });
    const receiver = createReceiver({ client, ...receiverSecretsFromEnv() });
    await receiver.listen({ host: '127.0.0.1', port: opts.receiverPort });
    stops.push(() => receiver.close());
    const served = await startWorkerMetrics({ client, connections: config.connections.map((c) => c.name), host: metrics.host, port: metrics.port });
    stops.push(served.close);

    say(`Temporal UI        ${server.uiUrl}`);
    say(`Temporal frontend  ${server.address}`);
    say(`Codec server       ${codec.url}   (the UI shows payloads decrypted through it; CLI: --codec-endpoint ${codec.url})`);
    for (const s of sims) say(`${s.platform.padEnd(6)} simulator   ${s.url}   (records: ${s.url}/__sim/records)`);
    say(`Webhook receiver   http://127.0.0.1:${opts.receiverPort}   (Xola: /webhooks/xola/<XOLA_WEBHOOK_SECRET>; metrics: /metrics)`);
    say(`Metrics            worker ${served.url ?? 'off'}   Temporal SDK ${metrics.sdkAddress ? `http://${metrics.sdkAddress}/metrics` : 'off'}   receiver http://127.0.0.1:${opts.receiverPort}/metrics`);
    for (const c of config.connections) {
      const r = await upsertCatalogSchedule(client, c, config.temporal.taskQueuePrefix);
      say(`Schedule ${scheduleId(c.name)}: ${r} (every ${c.schedule.every})`);
      const sweeps = await upsertSweepSchedules(client, c, config.temporal.taskQueuePrefix);
      say(`Schedules ${sweeps.join(', ')}: reconciliation sweep tiers (${c.sweep.tiers.map((t) => `${t.horizonDays} d every ${t.every}`).join('; ')})`);
    }
    // A first run now rather than at the first tick; overlap SKIP makes a double trigger harmless.
    const first = config.connections[0]!;
    const startedAt = new Date();
    await client.schedule.getHandle(scheduleId(first.name)).trigger().catch((e: unknown) => {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    });
    await watch(client, first.name, startedAt, sims, opts.once, abort.signal);
    const xolaTarget = first.targets.find((t) => t.platform === 'xola');
    if (opts.simulators && xolaTarget && process.env.XOLA_WEBHOOK_SECRET) {
      await ensureXolaHooks(config, `http://127.0.0.1:${opts.receiverPort}`, process.env.XOLA_WEBHOOK_SECRET);
      await demoBooking(sims, process.env[xolaTarget.apiKeyEnv] ?? '', xolaTarget.options.sellerId ?? '');
    }
    if (opts.once) await stopAll(0);
    say('\nRunning. Ctrl-C stops everything; state stays in the data folder for the next start.');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await stopAll(1);
  }
}

/** Prints the first catalog run's progress until it closes, then each later run's summary line. */
async function watch(client: Client, connection: string, since: Date, sims: Array<{ platform: string; records: () => Promise<Record<string, unknown>> }>, once: boolean, stop: AbortSignal): Promise<void> {
  const printed = new Set<string>();
  let lastLine = '';
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const query = `WorkflowType = 'catalogSyncWorkflow' AND StartTime >= '${since.toISOString()}'`;
    let closedFirst = false;
    for await (const wf of client.workflow.list({ query })) {
      const h = client.workflow.getHandle(wf.workflowId, wf.runId);
      const summary = wf.status.name === 'COMPLETED' ? (await h.result()) as CatalogSummary : await h.query<CatalogSummary>('catalogSummary').catch(() => null);
      if (!summary) continue;
      const targets = Object.entries(summary.byTarget).map(([p, t]) => `${p}: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.failed} failed, ${t.writes} writes`).join(' | ');
      const simText = (await Promise.all(sims.map(async (s) => `${s.platform} ${JSON.stringify(await s.records())}`))).join('; ');
      const line = `[${wf.workflowId}] ${summary.reported}/${summary.products} products reported — ${targets || 'waiting'}${summary.done ? ' — done' : ''}`;
      if (wf.status.name === 'COMPLETED') {
        if (!printed.has(wf.runId)) { say(line); say(`  simulators: ${simText}`); printed.add(wf.runId); }
        closedFirst = true;
      } else if (line !== lastLine) {
        say(line);
        lastLine = line;
      }
    }
    if (closedFirst && once) return;
    if (closedFirst && !once) {
      // Keep printing later runs (schedule ticks) until the stack stops.
      void (async () => {
        while (!stop.aborted) {
          await new Promise((r) => setTimeout(r, 5000));
          if (!stop.aborted) await watchLater(client, printed, since).catch(() => undefined);
        }
      })();
      return;
    }
    if (Date.now() > deadline) throw new Error('the first catalog run did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 1500));
  }
}

async function watchLater(client: Client, printed: Set<string>, since: Date): Promise<void> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'catalogSyncWorkflow' AND ExecutionStatus = 'Completed' AND StartTime >= '${since.toISOString()}'` })) {
    if (printed.has(wf.runId)) continue;
    printed.add(wf.runId);
    const s = (await client.workflow.getHandle(wf.workflowId, wf.runId).result()) as CatalogSummary;
    const t = Object.entries(s.byTarget).map(([p, x]) => `${p}: ${x.created}+ ${x.updated}~ ${x.unchanged}= ${x.failed}! ${x.writes} writes`).join(' | ');
    say(`[${wf.workflowId}] ${s.reported}/${s.products} products — ${t}`);
  }
}
