import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from './cli-path.js';
import { DEV_SERVER_SEARCH_ATTRIBUTE_FLAGS } from './search-attributes.js';

export interface DevServerOptions {
  dataDir: string;
  ip?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** The codec server the Web UI asks to decode payloads (src/temporal/codec-server.ts). */
  uiCodecEndpoint?: string;
}

/**
 * Starts `temporal server start-dev` with its SQLite file in the data folder, so a second start
 * resumes where the first stopped. Resolves once the frontend answers.
 */
export async function startDevServer(opts: DevServerOptions): Promise<{ address: string; uiUrl: string; child: ChildProcess; stop: () => Promise<void> }> {
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? 8233;
  mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn(temporalCliPath(), [
    'server', 'start-dev',
    '--ip', ip, '--port', String(port), '--ui-port', String(uiPort),
    '--db-filename', `${opts.dataDir}/temporal.db`,
    '--namespace', opts.namespace ?? 'default',
    '--log-level', 'error',
    ...DEV_SERVER_SEARCH_ATTRIBUTE_FLAGS,
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${ip}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('wait'), 500))]);
    if (early !== 'wait') throw new Error(`temporal server start-dev exited (${String(early)}): ${stderr.trim() || 'no output'}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) { child.kill('SIGTERM'); throw new Error(`Temporal dev server did not answer on ${address} within 60 s: ${(err as Error).message}`); }
    }
  }
  return {
    address,
    uiUrl: `http://${ip}:${uiPort}`,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
