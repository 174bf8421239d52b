import { fileURLToPath } from 'node:url';
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

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface WorkerSetOptions {
  config: BridgeConfig;
  client: Client;
  connection: NativeConnection;
  /** A pre-built bundle (tests build one for the suite); otherwise workflows/ is bundled here. */
  workflowBundle?: { code: string } | { codePath: string };
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
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'activities' | 'interceptors' | 'dataConverter'> = {
    connection: opts.connection,
    dataConverter: bridgeDataConverter(),
    namespace: config.temporal.namespace,
    activities,
    interceptors: { activity: [() => ({ inbound: new ErrorMappingInterceptor() })] },
  };
  const bridge = await Worker.create({
    ...common,
    taskQueue: bridgeQueue(prefix),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
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
  return [bridge, ...apis];
}

/** Runs all workers until `signal` aborts; resolves once they have drained. */
export async function runWorkers(workers: Worker[], signal: AbortSignal): Promise<void> {
  const onAbort = () => workers.forEach((w) => { if (w.getState() === 'RUNNING') w.shutdown(); });
  signal.addEventListener('abort', onAbort, { once: true });
  await Promise.all(workers.map((w) => w.run()));
}
