import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createBookingActivities } from '../../activities/bookings.js';
import { createCatalogActivities } from '../../activities/catalog.js';
import { createRouteActivities } from '../../activities/routes.js';
import { type BridgeConfig, laneRates, type Platform } from '../config.js';
import { logger } from '../logger.js';
import { apiQueue, bookQueue, bridgeQueue } from './ids.js';
import { ErrorMappingInterceptor } from './interceptors.js';
import { installRuntimeLogger } from './runtime.js';
import { bridgeDataConverter } from './codec.js';
import { buildIdOf, workerBundle } from './bundle.js';
import { promoteIfNone } from './deployment.js';

export { WORKFLOWS_PATH } from './bundle.js';

export interface WorkerSetOptions {
  config: BridgeConfig;
  client: Client;
  connection: NativeConnection;
  /** A pre-built bundle (tests build one for the suite); otherwise BRIDGE_WORKFLOW_BUNDLE, else workflows/ bundled here. */
  workflowBundle?: { code: string } | { codePath: string };
}

/**
 * Heartbeats reach the server at least every 2 s (the SDK throttles to min(80% of the heartbeat
 * timeout, this)), so the 6 s heartbeat timeout of retry-policies.ts sees three before it fires.
 */
const MAX_HEARTBEAT_THROTTLE = '2s';

/** Worker Deployment options: every queue of a process declares the same version (its bundle's build id). */
function deploymentOptions(config: BridgeConfig, buildId: string): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  const d = config.temporal.deployment;
  if (!d) return {};
  // Catalog and sweep runs stay on the version that started them; productSyncWorkflow declares AUTO_UPGRADE itself.
  return { workerDeploymentOptions: { version: { deploymentName: d.name, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' } };
}

/** The platforms a config talks to, each of which gets its own rate-limited task queue. */
export function platformsOf(config: BridgeConfig): Platform[] {
  return [...new Set(config.connections.flatMap((c) => [c.source.platform, ...c.targets.map((t) => t.platform)]))];
}

/**
 * Builds the bridge worker (workflows + internal activities) and one worker per external API
 * queue with `maxTaskQueueActivitiesPerSecond` from the config: the limit holds across every
 * worker process polling that queue.
 */
export async function createWorkers(opts: WorkerSetOptions): Promise<Worker[]> {
  installRuntimeLogger();
  const { config } = opts;
  const prefix = config.temporal.taskQueuePrefix;
  const activities = { ...createCatalogActivities({ config, client: opts.client }), ...createBookingActivities({ config, client: opts.client }), ...createRouteActivities({ config, client: opts.client }) };
  const given = opts.workflowBundle;
  const bundle = given ? { code: 'code' in given ? given.code : readFileSync(given.codePath, 'utf8') } : await workerBundle();
  const buildId = buildIdOf(bundle.code);
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'activities' | 'interceptors' | 'dataConverter' | 'workerDeploymentOptions' | 'maxHeartbeatThrottleInterval'> = {
    ...deploymentOptions(config, buildId),
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    connection: opts.connection,
    dataConverter: bridgeDataConverter(),
    namespace: config.temporal.namespace,
    activities,
    interceptors: { activity: [() => ({ inbound: new ErrorMappingInterceptor() })] },
  };
  const bridge = await Worker.create({
    ...common,
    taskQueue: bridgeQueue(prefix),
    workflowBundle: bundle,
  });
  // Each API's documented rate is split between its catalog queue and its booking lane (laneRates):
  // the two limits add up to the API's, whichever workers poll them.
  const lanes = platformsOf(config).flatMap((platform) => {
    const rate = laneRates(config, platform);
    return [{ taskQueue: apiQueue(platform, prefix), rate: rate.catalog }, { taskQueue: bookQueue(platform, prefix), rate: rate.booking }];
  });
  const apis = await Promise.all(lanes.map((l) => Worker.create({
    ...common,
    taskQueue: l.taskQueue,
    maxTaskQueueActivitiesPerSecond: l.rate,
    maxConcurrentActivityTaskExecutions: 20,
  })));
  logger.info({ queues: [bridgeQueue(prefix), ...lanes.map((l) => l.taskQueue)] }, 'workers created');
  const d = config.temporal.deployment;
  logger.info({ buildId, deployment: d?.name ?? null }, 'workflow bundle');
  if (d?.promote === 'if-none') promoteOnceRunning([bridge, ...apis], opts.client, { deploymentName: d.name, buildId });
  return [bridge, ...apis];
}

/** Once the workers poll, makes their version current if the deployment has none (never blocks startup or shutdown). */
function promoteOnceRunning(workers: Worker[], client: Client, version: { deploymentName: string; buildId: string }): void {
  const stop = new AbortController();
  let started = false;
  const timer = setInterval(() => {
    if (workers.some((w) => ['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'].includes(w.getState()))) { stop.abort(); clearInterval(timer); return; }
    if (started || !workers.every((w) => w.getState() === 'RUNNING')) return;
    started = true;
    void promoteIfNone(client, version, stop.signal)
      .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'deployment promotion failed'))
      .finally(() => clearInterval(timer));
  }, 200);
  timer.unref();
}

/** Runs all workers until `signal` aborts; resolves once they have drained. */
export async function runWorkers(workers: Worker[], signal: AbortSignal): Promise<void> {
  const onAbort = () => workers.forEach((w) => { if (w.getState() === 'RUNNING') w.shutdown(); });
  signal.addEventListener('abort', onAbort, { once: true });
  await Promise.all(workers.map((w) => w.run()));
}
