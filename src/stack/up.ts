import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { BridgeConfig } from '../config.js';
import { upsertCatalogSchedule, upsertSweepSchedules, upsertVerifySchedule } from '../temporal/schedules.js';
import { startDevServer } from '../temporal/dev-server.js';
import { installRuntimeLogger } from '../temporal/runtime.js';
import { createWorkers, runWorkers } from '../temporal/worker.js';
import { scheduleId, verifyScheduleId } from '../temporal/ids.js';
import { createReceiver, receiverSecretsFromEnv } from '../webhooks/receiver.js';
import { startConfiguredSimulators } from './simulators.js';
import { StackParts, StopRequested } from './parts.js';
import { SyncProgress, summaryBlock, summaryLine } from '../cli/progress.js';
import { demoBooking } from './demo-booking.js';
import { ensureXolaHooks } from '../webhooks/subscribe.js';
import type { CatalogSummary } from '../../workflows/messages.js';
import { bridgeClient } from '../temporal/client.js';
import { connectClient, connectNative } from '../temporal/connection.js';
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
 * command; registers each connection's Schedule, runs a first sync and shows it. SIGINT or SIGTERM
 * stops every part and says when all have stopped.
 */
export async function up(opts: UpOptions): Promise<void> {
  const metrics = workerMetricsFromEnv('127.0.0.1');
  installRuntimeLogger({ sdkMetricsAddress: metrics.sdkAddress });
  const { config } = opts;
  const [host, port] = config.temporal.address.split(':');
  // Beside another frontend port the UI and codec ports move with it (the CLI's own rule: UI = frontend + 1000).
  const uiPort = Number(port) + 1000;
  const codecPort = CODEC_PORT + Number(port) - 7233;
  const parts = new StackParts(say);
  parts.stopOnSignals();
  try {
    // The demo's payload key only beside its own simulators; the UI (plain http, no login) reaches the codec on loopback.
    if (opts.simulators) process.env.BRIDGE_PAYLOAD_KEY ??= DEMO_PAYLOAD_KEY;
    const codec = await parts.start('codec server', serveCodec({ host: '127.0.0.1', port: codecPort, origins: [`http://${host}:${uiPort}`, `http://localhost:${uiPort}`], codec: codecFromEnv() }), (c) => c.close());
    say('Starting the Temporal dev server…');
    const server = await parts.start('Temporal dev server', startDevServer({ dataDir: opts.dataDir, ip: host, port: Number(port), uiPort, namespace: config.temporal.namespace, uiCodecEndpoint: codec.url }), (s) => s.stop());
    const sims = await parts.start('simulators', opts.simulators ? startConfiguredSimulators(config, { dataDir: opts.dataDir }) : Promise.resolve([]), (all) => Promise.all(all.map((s) => s.close())));
    // Closed after everything that uses them (workers, metrics, receiver, the watch loop) has stopped.
    const { native, connection } = await parts.start('Temporal connections', (async () => ({
      native: await connectNative(config.temporal),
      connection: await connectClient(config.temporal),
    }))(), async (c) => { await c.native.close(); await c.connection.close(); });
    const client = bridgeClient(connection, config.temporal.namespace);
    const workers = await createWorkers({ config, client, connection: native });
    const running = runWorkers(workers, parts.abort.signal);
    await parts.start('workers', Promise.resolve(null), async () => { parts.abort.abort(); await running; });
    const receiver = createReceiver({ client, connections: config.connections.map((c) => c.name), taskQueuePrefix: config.temporal.taskQueuePrefix, ...receiverSecretsFromEnv() });
    await parts.start('webhook receiver', receiver.listen({ host: '127.0.0.1', port: opts.receiverPort }), () => receiver.close());
    const served = await parts.start('metrics server', startWorkerMetrics({ client, connections: config.connections.map((c) => c.name), host: metrics.host, port: metrics.port }), (m) => m.close());

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
      const v = await upsertVerifySchedule(client, c, config.temporal.taskQueuePrefix);
      say(`Schedule ${verifyScheduleId(c.name)}: ${v} (drift check every ${c.verify.every}, onDrift ${c.verify.onDrift})`);
    }
    // A first run now rather than at the first tick; overlap SKIP makes a double trigger harmless.
    const first = config.connections[0]!;
    const startedAt = new Date();
    await client.schedule.getHandle(scheduleId(first.name)).trigger().catch((e: unknown) => {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    });
    await watch(client, startedAt, sims, opts.once, parts);
    const xolaTarget = first.targets.find((t) => t.platform === 'xola');
    if (opts.simulators && xolaTarget && process.env.XOLA_WEBHOOK_SECRET) {
      await ensureXolaHooks(config, `http://127.0.0.1:${opts.receiverPort}`, process.env.XOLA_WEBHOOK_SECRET);
      await demoBooking(sims, process.env[xolaTarget.apiKeyEnv] ?? '', xolaTarget.options.sellerId ?? '');
    }
    if (opts.once) await parts.stopAll(0);
    say('\nRunning. Ctrl-C stops everything; state stays in the data folder for the next start.');
  } catch (err) {
    // A stop under way makes the start sequence fail (closed connections): that is not an error.
    if (parts.abort.signal.aborted) return;
    process.stderr.write(`${(err as Error).message}\n`);
    await parts.stopAll(1);
  }
}

/** Counts of each simulator's records and the writes it received, in words. */
async function simulatorCounts(sims: Array<{ platform: string; records: () => Promise<Record<string, unknown>> }>): Promise<string> {
  const each = await Promise.all(sims.map(async (s) => `${s.platform} ${Object.entries(await s.records()).map(([k, n]) => `${String(n)} ${k}`).join(', ')}`));
  return each.join('; ');
}

/** Shows the first catalog run's progress until it closes (a progress bar on a terminal), then each later run's summary line. */
async function watch(client: Client, since: Date, sims: Array<{ platform: string; records: () => Promise<Record<string, unknown>> }>, once: boolean, parts: StackParts): Promise<void> {
  const stop = parts.abort.signal;
  const tty = Boolean(process.stdout.isTTY);
  const printed = new Set<string>();
  let progress: SyncProgress | null = null;
  let followed: string | null = null;
  parts.onStop(() => progress?.stop());
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const query = `WorkflowType = 'catalogSyncWorkflow' AND StartTime >= '${since.toISOString()}'`;
    let closedFirst = false;
    for await (const wf of client.workflow.list({ query })) {
      const h = client.workflow.getHandle(wf.workflowId, wf.runId);
      const summary = wf.status.name === 'COMPLETED' ? (await h.result()) as CatalogSummary : await h.query<CatalogSummary>('catalogSummary').catch(() => null);
      if (stop.aborted) throw new StopRequested('stopping');
      if (!summary) continue;
      if (wf.status.name === 'COMPLETED') {
        if (!printed.has(wf.runId)) {
          progress?.stop();
          progress = null;
          say(tty ? summaryBlock(wf.workflowId, summary) : summaryLine(wf.workflowId, summary));
          say(`  simulators: ${await simulatorCounts(sims)}`);
          printed.add(wf.runId);
        }
        closedFirst = true;
      } else if (followed === null || followed === wf.runId) {
        // One run at a time (a schedule tick may start another meanwhile: its summary prints when it closes).
        followed = wf.runId;
        progress ??= new SyncProgress(wf.workflowId, tty);
        progress.update(summary);
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
    if (stop.aborted) throw new StopRequested('stopping');
    if (Date.now() > deadline) throw new Error('the first catalog run did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function watchLater(client: Client, printed: Set<string>, since: Date): Promise<void> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'catalogSyncWorkflow' AND ExecutionStatus = 'Completed' AND StartTime >= '${since.toISOString()}'` })) {
    if (printed.has(wf.runId)) continue;
    printed.add(wf.runId);
    say(summaryLine(wf.workflowId, (await client.workflow.getHandle(wf.workflowId, wf.runId).result()) as CatalogSummary));
  }
}
