/**
 * Side-by-side timings of one catalog, in one run, on a real dev server and the simulators:
 * first sync (everything created) vs a no-op resync vs a resync after one product changed.
 * Reported as ratios to the first sync; absolute times depend on the machine.
 * Run: npm run bench   (writes bench/results.md)
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../src/config.js';
import { bridgeClient } from '../src/temporal/client.js';
import { bridgeQueue, catalogWorkflowId } from '../src/temporal/ids.js';
import { createWorkers, runWorkers } from '../src/temporal/worker.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { temporalCliPath } from '../src/temporal/cli-path.js';
import { startBenchEnv } from './env.js';
import { TEST_SELLER, TEST_WHOP } from '../test/helpers/simulators.js';

const { env, sims, stop } = await startBenchEnv();
const limits = { perSecond: 500 };
const config = parseConfig({
  temporal: { address: env.address },
  rateLimits: { koob: limits, xola: limits, gomry: limits, fanfare: limits, whop: limits },
  connections: [{
    name: 'bench',
    source: { platform: 'koob', baseUrl: sims.urls.koob, apiKeyEnv: 'KOOB_API_KEY', locales: ['en', 'fr'], pageSize: 10 },
    targets: [
      { platform: 'xola', baseUrl: sims.urls.xola, apiKeyEnv: 'XOLA_API_KEY', options: { sellerId: TEST_SELLER } },
      { platform: 'gomry', baseUrl: sims.urls.gomry, apiKeyEnv: 'GOMRY_API_KEY' },
      { platform: 'fanfare', baseUrl: `${sims.urls.fanfare}/api/v1`, apiKeyEnv: 'FANFARE_API_KEY' },
      { platform: 'whop', baseUrl: sims.urls.whop, apiKeyEnv: 'WHOP_API_KEY', options: TEST_WHOP },
    ],
  }],
});
const native = await NativeConnection.connect({ address: env.address });
const connection = await Connection.connect({ address: env.address });
const client = bridgeClient(connection);
const abort = new AbortController();
const running = runWorkers(await createWorkers({ config, client, connection: native }), abort.signal);

const writes = async () => {
  let n = 0;
  for (const url of [sims.urls.xola, sims.urls.gomry, sims.urls.fanfare, sims.urls.whop]) {
    const { requests } = await (await fetch(`${url}/__sim/requests`)).json() as { requests: Array<{ write: boolean }> };
    n += requests.filter((r) => r.write).length;
  }
  return n;
};
async function run(label: string): Promise<{ label: string; ms: number; writes: number; products: number }> {
  const before = await writes();
  const t0 = performance.now();
  const s = await client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridgeQueue(), workflowId: `${catalogWorkflowId('bench')}/${label}`, args: [{ connection: 'bench' }] }) as CatalogSummary;
  const ms = performance.now() - t0;
  if (s.failures.length) throw new Error(`${label}: ${JSON.stringify(s.failures)}`);
  return { label, ms, writes: (await writes()) - before, products: s.products };
}

const first = await run('first-sync');
const noop = await run('no-op-resync');
await fetch(`${sims.urls.koob}/__sim/patch/4105`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fields: { summary: 'Changed for the benchmark' } }) });
const one = await run('one-product-changed');
abort.abort();
await running;
await native.close();
await connection.close();
await stop();

const rows = [first, noop, one].map((r) => `| ${r.label} | ${r.products} | ${r.writes} | ${(r.ms / 1000).toFixed(2)} s | ${(r.ms / first.ms).toFixed(2)} |`);
const md = `# Benchmarks

## Catalog sync: first run vs resyncs (\`npm run bench\`)
Demo catalog (24 KOOB products, en + fr) to Xola, Gomry, Fanfare and Whop simulators, on the
Temporal dev server (CLI ${temporalCliPath().includes('.tools') ? 'from .tools' : 'from PATH'}),
rate limits raised to 500/s so the queues do not throttle. Measured side by side in one run on
${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores. The ratio column is each run's wall time over the first run's.

| run | products | writes to targets | wall time | ratio to first |
|---|---|---|---|---|
${rows.join('\n')}

A resync still reads every product in every locale from the source (2 GETs per product) and
runs each entity's plan; what it saves is the target writes: ${noop.writes} instead of ${first.writes}.
`;
writeFileSync('bench/results.md', md);
process.stdout.write(md);
