import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether something accepts connections on the loopback port. */
const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

/** Whether we could listen on the port right now. */
const free = (port: number) => new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

/** A frontend port whose UI (+1000) and codec (+1001) ports, and the 6 after it, are all free. */
async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const base = 20000 + Math.floor(Math.random() * 9000);
    const ports = [base, base + 1000, base + 1001, ...Array.from({ length: 6 }, (_, k) => base + 1 + k)];
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

/** Processes whose command line names the folder (the dev server names its database file there). */
const processesUsing = (dir: string) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir); } catch { return false; }
});

const waitFor = async (what: string, check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('npm start stops every part on a signal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-stop-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM to the npm process mid-sync: all parts stop, it says so, every port closes', async () => {
    const base = await freeBase();
    const config = readFileSync('config/bridge.json', 'utf8')
      .replace('127.0.0.1:7233', `127.0.0.1:${base}`)
      .replace(/127\.0\.0\.1:410([1-5])/g, (_m, k: string) => `127.0.0.1:${base + Number(k)}`);
    writeFileSync(join(dir, 'bridge.json'), config);
    const receiverPort = base + 6;
    const ports = [base, base + 1000, base + 1001, base + 1, base + 2, base + 3, base + 4, base + 5, receiverPort];

    child = spawn('npm', ['start', '--', '--data-dir', join(dir, 'data'), '--receiver-port', String(receiverPort)], {
      env: { ...process.env, BRIDGE_CONFIG: join(dir, 'bridge.json'), BRIDGE_METRICS_PORT: 'off', BRIDGE_SDK_METRICS_PORT: 'off', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    // Every part is up once the first run reports progress.
    await waitFor('the first run to start', () => /products reported/.test(out) || child!.exitCode !== null, 45_000);
    expect((await Promise.all(ports.map(listening))).every(Boolean)).toBe(true);

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 30_000).unref())]);
    expect(code).toBe(0);
    const stopped = out.slice(out.indexOf('Stopping…'));
    for (const part of ['webhook receiver', 'workers', 'simulators', 'Temporal dev server', 'codec server']) expect(stopped).toContain(`  ${part} stopped`);
    expect(stopped.trimEnd().endsWith('All parts stopped.')).toBe(true);
    expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => false));
    expect(processesUsing(dir)).toEqual([]);
  }, 90_000);
});
