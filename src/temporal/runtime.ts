import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { logger } from '../logger.js';

let installed = false;

/** Call before the first NativeConnection or Worker. Routes the Temporal SDK's own log lines into our pino root (with its redaction), at WARN and above unless LOG_LEVEL asks for more. */
export function installRuntimeLogger(): void {
  if (installed) return;
  installed = true;
  const level: LogLevel = (process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN';
  try {
    Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      // API queues poll activities only; the SDK's warning about it is expected here.
      if (entry.message.startsWith('No workflows registered')) return;
      const method = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : entry.level === 'INFO' ? 'info' : 'debug';
      logger[method]({ ...(entry.meta ?? {}), source: 'temporal-sdk' }, entry.message);
    }),
    });
  } catch (err) {
    // Already running with the SDK's default logger (a connection was made first): keep it.
    logger.debug({ err: (err as Error).message }, 'Temporal runtime logger not installed');
  }
}
