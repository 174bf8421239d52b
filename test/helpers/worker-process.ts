// A worker in its own process, so a test can kill it mid-activity (kill -9) and start another, or
// scrape its metrics: with BRIDGE_METRICS_PORT set it serves them as `bridge worker` does.
import { parseConfig } from '../../src/config.js';
import { startWorkerMetrics, workerMetricsFromEnv } from '../../src/metrics/server.js';
import { installRuntimeLogger } from '../../src/temporal/runtime.js';
import { createWorkers, runWorkers } from '../../src/temporal/worker.js';
import { bridgeClient } from '../../src/temporal/client.js';
import { connectClient, connectNative } from '../../src/temporal/connection.js';

const config = parseConfig(JSON.parse(process.env.WORKER_CONFIG ?? '{}'), 'WORKER_CONFIG');
const metrics = process.env.BRIDGE_METRICS_PORT ? workerMetricsFromEnv('127.0.0.1') : null;
installRuntimeLogger({ sdkMetricsAddress: metrics?.sdkAddress });
const native = await connectNative(config.temporal);
const connection = await connectClient(config.temporal);
const client = bridgeClient(connection, config.temporal.namespace);
if (metrics) await startWorkerMetrics({ client, connections: config.connections.map((c) => c.name), host: metrics.host, port: metrics.port });
const workers = await createWorkers({ config, client, connection: native, workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } });
const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.stdout.write('worker-ready\n');
await runWorkers(workers, abort.signal);
// The metrics server and client connection would keep the process alive.
process.exit(0);
