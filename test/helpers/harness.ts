import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { type BridgeConfig, parseConfig } from '../../src/config.js';
import { bridgeQueue } from '../../src/temporal/ids.js';
import { installRuntimeLogger } from '../../src/temporal/runtime.js';
import { createWorkers, runWorkers } from '../../src/temporal/worker.js';
import { TEST_SELLER, TEST_WHOP } from './simulators.js';
import { bridgeClient } from '../../src/temporal/client.js';

export interface SimUrls { koob: string; xola: string; gomry: string; fanfare: string; whop: string }

export function simUrls(): SimUrls {
  const raw = process.env.TEST_SIMULATORS;
  if (!raw) throw new Error('TEST_SIMULATORS is not set: run the suite through jest (test/global-setup.ts)');
  return JSON.parse(raw) as SimUrls;
}

/** Calls a simulator's /__sim endpoint over HTTP. */
export async function sim<T = unknown>(platform: keyof SimUrls, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrls()[platform]}/__sim/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export interface LoggedRequest { method: string; path: string; status: number; write: boolean; body: unknown }

/** Requests the simulator has received (writes only when asked). */
export async function requests(platform: keyof SimUrls, opts: { writes?: boolean } = {}): Promise<LoggedRequest[]> {
  const { requests: all } = await sim<{ requests: LoggedRequest[] }>(platform, 'requests');
  return opts.writes ? all.filter((r) => r.write) : all;
}

/** A config for the suite's simulators, on task queues of its own (prefix) so tests never share workers. */
/** How the suite reaches each target simulator. */
function target(platform: TargetPlatform, urls: SimUrls, allocation?: Record<string, unknown>) {
  switch (platform) {
    case 'xola': return { platform, baseUrl: urls.xola, apiKeyEnv: 'XOLA_API_KEY', options: { sellerId: TEST_SELLER } };
    // Gomry and Fanfare cannot report sales: the suite's tests of seat propagation publish every seat (`mirror`).
    case 'gomry': return { platform, baseUrl: urls.gomry, apiKeyEnv: 'GOMRY_API_KEY', options: {}, allocation: allocation ?? { mirror: true } };
    case 'fanfare': return { platform, baseUrl: `${urls.fanfare}/api/v1`, apiKeyEnv: 'FANFARE_API_KEY', options: {}, allocation: { mirror: true } };
    case 'whop': return { platform, baseUrl: urls.whop, apiKeyEnv: 'WHOP_API_KEY', options: { ...TEST_WHOP } };
  }
}
export type TargetPlatform = 'xola' | 'gomry' | 'fanfare' | 'whop';

export function testConfig(overrides: Partial<{ locales: string[]; pageSize: number; targets: TargetPlatform[]; gomryAllocation: Record<string, unknown> }> = {}): BridgeConfig {
  const urls = simUrls();
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  return parseConfig({
    temporal: { address: process.env.TEST_TEMPORAL_ADDRESS, namespace: 'default', taskQueuePrefix: prefix },
    rateLimits: { koob: { perSecond: 200 }, xola: { perSecond: 200 }, gomry: { perSecond: 200 }, fanfare: { perSecond: 200 }, whop: { perSecond: 200 } },
    connections: [{
      name: `c-${prefix.slice(1, -1)}`,
      source: { platform: 'koob', baseUrl: urls.koob, apiKeyEnv: 'KOOB_API_KEY', locales: overrides.locales ?? ['en', 'fr'], defaultLocale: 'en', pageSize: overrides.pageSize ?? 5 },
      targets: (overrides.targets ?? ['xola']).map((p) => target(p, urls, overrides.gomryAllocation)),
      schedule: { every: '1h' },
    }],
  }, 'test config');
}

/** Workers for a config, against the suite's dev server; `stop` drains them. */
export async function startBridge(config: BridgeConfig = testConfig()) {
  installRuntimeLogger();
  const address = config.temporal.address;
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = bridgeClient(connection, config.temporal.namespace);
  const workers = await createWorkers({ config, client, connection: native, workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } });
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  return {
    config,
    client,
    connectionName: config.connections[0]!.name,
    taskQueue: bridgeQueue(config.temporal.taskQueuePrefix),
    async stop() {
      abort.abort();
      await running;
      await native.close();
      await connection.close();
    },
  };
}
export type Bridge = Awaited<ReturnType<typeof startBridge>>;

/** A Temporal client of the suite's dev server, for tests that run no workers of their own. */
export async function suiteClient() {
  const connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  return { client: bridgeClient(connection), close: () => connection.close() };
}
