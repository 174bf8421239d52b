import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { BridgeError, MappingError } from '../errors.js';
import { mapRecord } from '../connectors/mappers.js';
import { logger } from '../logger.js';
import { getConnection, loadConfig, Platform } from '../config.js';
import { scheduleId, verifyScheduleId } from '../temporal/ids.js';
import { startCatalogSync, upsertCatalogSchedule, upsertSweepSchedules, upsertVerifySchedule } from '../temporal/schedules.js';
import { createWorkers, runWorkers } from '../temporal/worker.js';
import { installRuntimeLogger } from '../temporal/runtime.js';
import { createReceiver, receiverSecretsFromEnv } from '../webhooks/receiver.js';
import { startConfiguredSimulators, useDemoKeysForLocalSimulators, useDemoPayloadKeyForLocalSimulators } from '../stack/simulators.js';
import { up } from '../stack/up.js';
import { planConnection, planTable } from './plan.js';
import { openProblems } from './problems.js';
import { productInventory } from './inventory.js';
import { followRun, summaryBlock } from './progress.js';
import { bridgeClient } from '../temporal/client.js';
import { connectClient, connectNative } from '../temporal/connection.js';
import { startWorkerMetrics, workerMetricsFromEnv } from '../metrics/server.js';
import { codecFromEnv, requireOwnPayloadKey } from '../temporal/codec.js';
import { CODEC_PORT, serveCodec } from '../temporal/codec-server.js';

const platformArg = (v: string): Platform => {
  const p = Platform.safeParse(v);
  if (!p.success) throw new InvalidArgumentError(`must be one of ${Platform.options.join(', ')}`);
  return p.data;
};

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
};

async function temporalClient(configPath?: string) {
  const config = loadConfig(configPath);
  useDemoPayloadKeyForLocalSimulators(config);
  const connection = await connectClient(config.temporal);
  return { config, connection, client: bridgeClient(connection, config.temporal.namespace) };
}

const program = new Command('bridge').description('Channel bridge: sync tours and activities across booking platforms on Temporal').option('-c, --config <path>', 'config file (default: $BRIDGE_CONFIG or config/bridge.json)');
// Usage errors throw (to the catch at the end) instead of exiting 1, so they exit 2 like any bad input.
program.exitOverride();

program.command('up')
  .description('run the embedded stack: Temporal dev server, simulators, workers, webhook receiver; show a sync')
  .option('--data-dir <dir>', 'where the dev server keeps its state', '.data')
  .option('--no-simulators', 'do not start simulators for local endpoints')
  .option('--receiver-port <port>', 'webhook receiver port', port, 4200)
  .option('--once', 'stop after the first catalog run has finished')
  .action(async (o: { dataDir: string; simulators: boolean; receiverPort: number; once?: boolean }) => {
    // The live summary is the demo's output; log lines stay for warnings unless LOG_LEVEL says otherwise.
    logger.level = process.env.LOG_LEVEL ?? 'warn';
    await up({ config: loadConfig(program.opts().config), dataDir: o.dataDir, simulators: o.simulators, receiverPort: o.receiverPort, once: Boolean(o.once) });
  });

program.command('sync')
  .description('start a catalog sync now (a second start while one runs joins it) and print its summary')
  .requiredOption('--connection <name>', 'connection name from the config')
  .option('--no-wait', 'return once started')
  .option('--json', 'print the summary as JSON (the default when stdout is not a terminal)')
  .action(async (o: { connection: string; wait: boolean; json?: boolean }) => {
    const { config, connection, client } = await temporalClient(program.opts().config);
    getConnection(config, o.connection);
    const handle = await startCatalogSync(client, o.connection, config.temporal.taskQueuePrefix);
    process.stdout.write(`catalog sync ${handle.workflowId} (run ${handle.firstExecutionRunId})\n`);
    if (o.wait) {
      const summary = await followRun(handle);
      process.stdout.write(o.json || !process.stdout.isTTY ? `${JSON.stringify(summary, null, 2)}\n` : `${summaryBlock(handle.workflowId, summary)}\n`);
    }
    await connection.close();
  });

program.command('plan')
  .description('print the exact writes the next run would make, without writing anything')
  .requiredOption('--connection <name>', 'connection name from the config')
  .option('--json', 'print JSON instead of a table')
  .action(async (o: { connection: string; json?: boolean }) => {
    const { config, connection, client } = await temporalClient(program.opts().config);
    useDemoKeysForLocalSimulators(config);
    const plan = await planConnection(config, o.connection, client);
    process.stdout.write(`${o.json ? JSON.stringify(plan, null, 2) : planTable(plan)}\n`);
    await connection.close();
  });

program.command('problems')
  .description('the connection\'s open problems: products whose last sync failed (they clear when a later sync succeeds)')
  .requiredOption('--connection <name>', 'connection name from the config')
  .option('--json', 'print JSON')
  .action(async (o: { connection: string; json?: boolean }) => {
    const { connection, client } = await temporalClient(program.opts().config);
    const problems = await openProblems(client, o.connection);
    process.stdout.write(o.json ? `${JSON.stringify(problems, null, 2)}\n` : problems.length === 0 ? 'no open problems\n'
      : `${problems.map((p) => `${p.sourceProductId} ${p.name ?? ''}\n${p.errors.map((e) => `  ${e.platform}: ${e.error}`).join('\n')}`).join('\n')}\n`);
    await connection.close();
  });

program.command('inventory')
  .description('one product\'s seats per source period (OCTO status) and its channel bookings, from its ledger')
  .requiredOption('--connection <name>', 'connection name from the config')
  .requiredOption('--product <id>', 'the source product id')
  .action(async (o: { connection: string; product: string }) => {
    const { connection, client } = await temporalClient(program.opts().config);
    process.stdout.write(`${JSON.stringify(await productInventory(client, o.connection, o.product), null, 2)}\n`);
    await connection.close();
  });

program.command('worker')
  .description('run the workers only (for docker compose and multi-machine set-ups)')
  .action(async () => {
    requireOwnPayloadKey();
    const config = loadConfig(program.opts().config);
    const metrics = workerMetricsFromEnv('0.0.0.0');
    installRuntimeLogger({ sdkMetricsAddress: metrics.sdkAddress });
    const native = await connectNative(config.temporal);
    const { connection, client } = await temporalClient(program.opts().config);
    const served = await startWorkerMetrics({ client, connections: config.connections.map((c) => c.name), host: metrics.host, port: metrics.port });
    process.stdout.write(`worker metrics ${served.url ?? 'off'}; Temporal SDK metrics ${metrics.sdkAddress ? `http://${metrics.sdkAddress}/metrics` : 'off'}\n`);
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    process.once('SIGTERM', () => abort.abort());
    await runWorkers(await createWorkers({ config, client, connection: native }), abort.signal);
    await served.close();
    await native.close();
    await connection.close();
  });

program.command('receiver')
  .description('run the webhook receiver only')
  .option('--port <port>', 'listen port', port, 4200)
  .option('--host <host>', 'listen address', '0.0.0.0')
  .action(async (o: { port: number; host: string }) => {
    requireOwnPayloadKey();
    const { client, config } = await temporalClient(program.opts().config);
    const app = createReceiver({ client, connections: config.connections.map((c) => c.name), taskQueuePrefix: config.temporal.taskQueuePrefix, ...receiverSecretsFromEnv() });
    await app.listen({ host: o.host, port: o.port });
    process.stdout.write(`webhook receiver on ${o.host}:${o.port} (metrics: /metrics)\n`);
  });

program.command('codec-server')
  .description('serve the payload codec to the Temporal UI and CLI, so they show payloads decrypted (BRIDGE_CODEC_TOKEN: bearer token)')
  .option('--port <port>', 'listen port', port, CODEC_PORT)
  .option('--host <host>', 'listen address', '127.0.0.1')
  .option('--ui-origin <origins...>', 'Temporal UI origins allowed to call from a browser', ['http://127.0.0.1:8233', 'http://localhost:8233'])
  .option('--allow-no-token', 'listen beyond loopback without BRIDGE_CODEC_TOKEN (only behind a port published on loopback)')
  .action(async (o: { port: number; host: string; uiOrigin: string[]; allowNoToken?: boolean }) => {
    requireOwnPayloadKey();
    const codec = codecFromEnv();
    const served = await serveCodec({ host: o.host, port: o.port, origins: o.uiOrigin, allowNoToken: Boolean(o.allowNoToken), codec, token: process.env.BRIDGE_CODEC_TOKEN || undefined });
    process.stdout.write(`codec server on ${served.url} (keys ${codec.keyIds.join(', ')}; UI origins ${o.uiOrigin.join(', ')}${process.env.BRIDGE_CODEC_TOKEN ? '; bearer token required' : ''})\n`);
  });

program.command('simulators')
  .description('run the platform simulators for the local endpoints of the config')
  .option('--all-hosts', 'serve every endpoint of the config on 0.0.0.0, whatever its host name (compose)')
  .option('--data-dir <dir>', 'keep simulator records in this folder')
  .action(async (o: { allHosts?: boolean; dataDir?: string }) => {
    const sims = await startConfiguredSimulators(loadConfig(program.opts().config), { allHosts: Boolean(o.allHosts), dataDir: o.dataDir });
    for (const s of sims) process.stdout.write(`${s.platform} simulator ${s.url}\n`);
  });

program.command('schedules')
  .description('create or update every connection\'s Temporal Schedule (idempotent), then exit')
  .action(async () => {
    const { config, connection, client } = await temporalClient(program.opts().config);
    for (const c of config.connections) {
      process.stdout.write(`schedule ${scheduleId(c.name)}: ${await upsertCatalogSchedule(client, c, config.temporal.taskQueuePrefix)}\n`);
      process.stdout.write(`sweep schedules: ${(await upsertSweepSchedules(client, c, config.temporal.taskQueuePrefix)).join(', ')}\n`);
      process.stdout.write(`schedule ${verifyScheduleId(c.name)}: ${await upsertVerifySchedule(client, c, config.temporal.taskQueuePrefix)}\n`);
    }
    await connection.close();
  });

program.command('map')
  .description('map ONE record (its GET shape, as JSON on stdin) to the target\'s create requests and losses, as JSON')
  .requiredOption('--from <platform>', 'source platform', platformArg)
  .requiredOption('--to <platform>', 'target platform', platformArg)
  .option('--locale <xx>', 'the locale of the record', 'en')
  .action(async (o: { from: Platform; to: Platform; locale: string }) => {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (err) {
      throw new MappingError(`stdin: not valid JSON (${(err as Error).message})`, { field: 'stdin' });
    }
    process.stdout.write(`${JSON.stringify(mapRecord(o.from, o.to, record, o.locale), null, 2)}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  // Commander has printed its one line (unknown option, bad argument such as an unknown platform): bad input, like ours.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  process.stderr.write(`${err instanceof BridgeError ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(err instanceof BridgeError ? 2 : 1);
});
