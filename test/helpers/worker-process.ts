// A worker in its own process, so a test can kill it mid-activity (kill -9) and start another.
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../../src/config.js';
import { installRuntimeLogger } from '../../src/temporal/runtime.js';
import { createWorkers, runWorkers } from '../../src/temporal/worker.js';
import { bridgeClient } from '../../src/temporal/client.js';

const config = parseConfig(JSON.parse(process.env.WORKER_CONFIG ?? '{}'), 'WORKER_CONFIG');
installRuntimeLogger();
const native = await NativeConnection.connect({ address: config.temporal.address });
const connection = await Connection.connect({ address: config.temporal.address });
const client = bridgeClient(connection, config.temporal.namespace);
const workers = await createWorkers({ config, client, connection: native, workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } });
const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.stdout.write('worker-ready\n');
await runWorkers(workers, abort.signal);
