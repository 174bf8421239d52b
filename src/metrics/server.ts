import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { refreshProblems, watchProblems } from './problems.js';
import { ConfigError } from '../errors.js';
import { workerRegistry } from './registry.js';

const withProcessMetrics = new WeakSet<Registry>();

/** Adds Node's process metrics (CPU, memory, event-loop lag) to a registry, once. */
export function addProcessMetrics(registry: Registry): void {
  if (withProcessMetrics.has(registry)) return;
  withProcessMetrics.add(registry);
  collectDefaultMetrics({ register: registry });
}

/** The registry's text exposition; the worker's problem gauges are brought up to date first. */
export async function exposition(registry: Registry): Promise<string> {
  if (registry === workerRegistry) await refreshProblems();
  return registry.metrics();
}

/**
 * The worker's own metrics on a small HTTP server (`GET /metrics`); the Temporal SDK's metrics
 * are served by its core on another port (src/temporal/runtime.ts).
 */
export async function serveWorkerMetrics(host: string, port: number): Promise<{ url: string; close: () => Promise<void> }> {
  addProcessMetrics(workerRegistry);
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') { res.writeHead(404).end('not found: try GET /metrics\n'); return; }
    exposition(workerRegistry).then(
      (text) => res.writeHead(200, { 'content-type': workerRegistry.contentType }).end(text),
      (err: unknown) => res.writeHead(500).end(`${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Default ports: ours (9464, the usual Prometheus exporter port) and the SDK core's exporter beside it. */
export const METRICS_PORT = 9464;
export const SDK_METRICS_PORT = 9465;

/** Where a worker process serves metrics: BRIDGE_METRICS_HOST / _PORT (ours), BRIDGE_SDK_METRICS_PORT (the SDK's); null ports are off. */
export function workerMetricsFromEnv(defaultHost: string): { host: string; port: number | null; sdkPort: number | null; sdkAddress: string | undefined } {
  const host = process.env.BRIDGE_METRICS_HOST || defaultHost;
  const port = metricsPort(process.env.BRIDGE_METRICS_PORT, METRICS_PORT);
  const sdkPort = metricsPort(process.env.BRIDGE_SDK_METRICS_PORT, SDK_METRICS_PORT);
  return { host, port, sdkPort, sdkAddress: sdkPort === null ? undefined : `${host}:${sdkPort}` };
}

/** Serves the worker's metrics (if a port is set) and points the problem gauges at the connections. */
export async function startWorkerMetrics(opts: { client: Client; connections: string[]; host: string; port: number | null }): Promise<{ url: string | null; close: () => Promise<void> }> {
  watchProblems(opts.client, opts.connections);
  if (opts.port === null) return { url: null, close: async () => undefined };
  return serveWorkerMetrics(opts.host, opts.port);
}

/** A port from the environment: unset gives the default, `0` or `off` turns the endpoint off (null). */
export function metricsPort(value: string | undefined, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  if (value === 'off' || value === '0') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(`metrics port "${value}" is not a port number (or 0/off)`);
  return n;
}
