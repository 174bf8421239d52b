import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { catalogWorkflowId, bridgeQueue } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { requests, sim, suiteClient, testConfig } from './helpers/harness.js';
import { inject } from './helpers/knobs.js';

function startWorker(config: unknown): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/worker-process.ts'], {
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('worker-ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('crash safety', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ client, close } = await suiteClient()); });
  afterAll(async () => { await close(); });

  it('a worker killed between a create request and its recorded result leaves exactly one record', async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    await seedKoob(catalogOf(3));
    const config = testConfig({ locales: ['en'] });
    const name = config.connections[0]!.name;
    // The first experience create is stored by Xola, but its answer is held back 20 s.
    await inject(JSON.parse(process.env.TEST_SIMULATORS!).xola as string, { kind: 'delay', ms: 20_000, afterWrite: true, count: 1, method: 'POST', pathPrefix: '/api/experiences' });
    let worker = await startWorker(config);
    const handle = await client.workflow.start('catalogSyncWorkflow', {
      taskQueue: bridgeQueue(config.temporal.taskQueuePrefix), workflowId: `${catalogWorkflowId(name)}/crash`, args: [{ connection: name }],
    });
    await until(async () => (await requests('xola', { writes: true })).some((r) => r.method === 'POST'), 'the first create to reach Xola');
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    worker = await startWorker(config);
    try {
      const summary = await handle.result() as CatalogSummary;
      expect(summary.failures).toEqual([]);
      expect(summary.byTarget.xola?.created).toBe(3);
    } finally {
      worker.kill('SIGTERM');
    }
    const { experiences } = await sim<{ experiences: Array<{ name: string }> }>('xola', 'records');
    expect(experiences.map((e) => e.name).sort()).toEqual(catalogOf(3).map((e) => String(e.record.name)).sort());
    const creates = (await requests('xola', { writes: true })).filter((r) => r.method === 'POST' && r.path === '/api/experiences');
    expect(creates).toHaveLength(3);
  });
});
