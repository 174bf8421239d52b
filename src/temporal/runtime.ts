import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { logger, stripAnsi } from '../logger.js';

let installed = false;

export interface RuntimeTelemetry {
  /** `host:port` where the SDK core serves its own Prometheus metrics (its HTTP server, `/metrics`). */
  sdkMetricsAddress?: string;
}

/**
 * The SDK's metrics exporter, named by Prometheus conventions: `temporal_` prefix, counters end in
 * `_total`, durations in seconds with the unit in the name (runtime-options.d.ts of @temporalio/worker 1.24).
 */
function sdkMetrics(address: string | undefined) {
  return address ? { metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } } : {};
}

/** An SDK log line's fields for pino: span contexts dropped (noise on a console), colour codes stripped. */
function plainMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { source: meta?.sdkComponent === 'core' ? 'temporal-core' : 'temporal-sdk' };
  for (const [k, v] of Object.entries(meta ?? {})) if (k !== 'spanContexts') out[k] = typeof v === 'string' ? stripAnsi(v) : v;
  return out;
}

/** Call before the first NativeConnection or Worker. Routes the Temporal SDK's own log lines into our pino root (with its redaction), at WARN and above unless LOG_LEVEL asks for more; serves the SDK's metrics when asked. */
export function installRuntimeLogger(telemetry: RuntimeTelemetry = {}): void {
  if (installed) return;
  installed = true;
  const level: LogLevel = (process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN';
  try {
    Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      // API queues poll activities only; the SDK's warning about it is expected here.
      if (entry.message.startsWith('No workflows registered')) return;
      const method = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : entry.level === 'INFO' ? 'info' : 'debug';
      logger[method](plainMeta(entry.meta), entry.message);
    }),
    // The core's own lines (Rust) come through the same logger, not straight to the console in colour.
    telemetryOptions: { logging: { forward: {}, filter: { core: level, other: 'ERROR' } }, ...sdkMetrics(telemetry.sdkMetricsAddress) },
    });
  } catch (err) {
    // Already running with the SDK's default logger (a connection was made first): keep it.
    logger[telemetry.sdkMetricsAddress ? 'warn' : 'debug']({ err: (err as Error).message }, 'Temporal runtime logger (and SDK metrics) not installed');
  }
}
