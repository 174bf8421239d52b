// `npm run replay:capture -- <release> [dir]`: runs the real scenarios (a catalog sync, a product's
// sync, a booking, its cancellation, an oversell, a continue-as-new) on a fresh dev server with the
// simulators, and writes each history as JSON to test/fixtures/histories/<release>/ (or [dir]).
// test/replay.test.ts replays every committed release's histories against the current bundle, so a
// workflow change that would break running executions fails the suite (README, "How to ship a change to workflow code").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { temporalCliPath } from '../src/temporal/cli-path.js';
import { DEMO_PAYLOAD_KEY } from '../src/temporal/codec.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { catalogWorkflowId, productWorkflowId } from '../src/temporal/ids.js';
import type { ProductState } from '../workflows/messages.js';
import { cancelOnXola, eventually, inDays, sellOnXola, sicProduct, xolaExperienceId } from '../test/helpers/bookings.js';
import { catalogOf, seedKoob } from '../test/helpers/catalog.js';
import { startBridge, testConfig } from '../test/helpers/harness.js';
import { startSimulators } from '../test/helpers/simulators.js';
import { buildWorkflowBundle, writeWorkflowBundle } from '../src/temporal/bundle.js';

const release = process.argv[2];
if (!release || !/^[A-Za-z0-9._-]+$/.test(release)) {
  process.stderr.write('usage: npm run replay:capture -- <release, e.g. 0.1.0> [output dir]\n');
  process.exit(2);
}
const out = process.argv[3] ?? `test/fixtures/histories/${release}`;
// The corpus is encrypted with the demo key, the one the suite replays it with (test/helpers/suite-setup.ts).
process.env.BRIDGE_PAYLOAD_KEY = DEMO_PAYLOAD_KEY;
delete process.env.BRIDGE_PAYLOAD_OLD_KEYS;
process.env.LOG_LEVEL ??= 'warn';

const data = mkdtempSync(join(tmpdir(), 'replay-capture-'));
const server = await startDevServer({ dataDir: data, port: 17533, uiPort: 18533 });
const sims = await startSimulators();
Object.assign(process.env, sims.env);
process.env.TEST_SIMULATORS = JSON.stringify(sims.urls);
process.env.TEST_TEMPORAL_ADDRESS = server.address;
process.env.TEST_WORKFLOW_BUNDLE = writeWorkflowBundle(await buildWorkflowBundle(), join(data, 'bundle'));
const bridge = await startBridge(testConfig({ locales: ['en', 'fr'] }));
const { client, connectionName: connection, taskQueue } = bridge;
const product = (id: string) => client.workflow.getHandle(productWorkflowId(connection, id));
const state = (id: string) => product(id).query<ProductState>('productState');

try {
  await seedKoob([...catalogOf(2), sicProduct('7100', 'Replay departure', inDays(15), 6, 1), sicProduct('7101', 'Replay last seat', inDays(16), 1, 0)]);
  const catalogId = `${catalogWorkflowId(connection)}/replay`;
  await client.workflow.execute('catalogSyncWorkflow', { taskQueue, workflowId: catalogId, args: [{ connection }] });

  // A booking, then its cancellation, on 7100.
  const sale = await sellOnXola(await xolaExperienceId('Replay departure'), inDays(15), 1);
  await product('7100').signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'capture' });
  await eventually(() => state('7100'), (s) => Object.keys(s.ledger.entries).length === 1, 'the booking in the ledger');
  await cancelOnXola(sale.id);
  await product('7100').signal('bookingEvent', { channel: 'xola', bookingId: sale.id, via: 'capture' });
  await eventually(() => state('7100'), (s) => Object.keys(s.problems).some((k) => k.startsWith('cancel:')), 'the cancellation handled');

  // An oversell on 7101: two seats sold on its last one.
  const over = await sellOnXola(await xolaExperienceId('Replay last seat'), inDays(16), 2, { ignoreCapacity: true });
  await product('7101').signal('bookingEvent', { channel: 'xola', bookingId: over.id, via: 'capture' });
  await eventually(() => state('7101'), (s) => Object.keys(s.problems).some((k) => k.startsWith('oversold:')), 'the oversell reported');

  // Continue-as-new: product 5001 with a run of two syncs, asked three times.
  await product('5001').terminate('replay capture: restarted with a short run').catch(() => undefined);
  await client.workflow.signalWithStart('productSyncWorkflow', {
    taskQueue, workflowId: productWorkflowId(connection, '5001'), args: [{ connection, sourceProductId: '5001', syncsPerRun: 2 }], signal: 'syncRequested', signalArgs: [{ requestId: 'capture-1' }],
  });
  await eventually(() => state('5001'), (s) => s.syncs >= 1, 'the first sync');
  // One at a time, so each is a turn of its own: the second ends the run, the third starts the next.
  for (const n of [2, 3]) {
    await product('5001').signal('syncRequested', { requestId: `capture-${n}` });
    await eventually(() => state('5001'), (s) => s.syncs >= n, `sync ${n}`);
  }

  const runs: Array<{ name: string; workflowId: string; runId?: string }> = [
    { name: 'catalog', workflowId: catalogId },
    { name: 'product-sync', workflowId: productWorkflowId(connection, '5000') },
    { name: 'booking-and-cancel', workflowId: productWorkflowId(connection, '7100') },
    { name: 'oversell', workflowId: productWorkflowId(connection, '7101') },
  ];
  const chain: string[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowId = "${productWorkflowId(connection, '5001')}"` })) chain.push(w.runId);
  chain.reverse().forEach((runId, i) => runs.push({ name: `continue-as-new-run-${i + 1}`, workflowId: productWorkflowId(connection, '5001'), runId }));
  if (chain.length < 2) throw new Error('the continue-as-new scenario did not continue as new');

  mkdirSync(out, { recursive: true });
  // Each file's workflow id: replay needs it (a catalog run's request id is its own workflow and run id).
  const index: Record<string, string> = {};
  for (const r of runs) {
    index[`${r.name}.json`] = r.workflowId;
    // The CLI writes the standard JSON history file (the format of the UI's download and of historyFromJSON).
    const runId = r.runId ?? (await client.workflow.getHandle(r.workflowId).describe()).runId;
    const json = execFileSync(temporalCliPath(), ['workflow', 'show', '--address', server.address, '--workflow-id', r.workflowId, '--run-id', runId, '--output', 'json'], { maxBuffer: 64 << 20 }).toString();
    writeFileSync(join(out, `${r.name}.json`), json.endsWith('\n') ? json : `${json}\n`);
    process.stdout.write(`${join(out, `${r.name}.json`)}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events\n`);
  }
  writeFileSync(join(out, 'workflow-ids.json'), `${JSON.stringify(index, null, 2)}\n`);
} finally {
  await bridge.stop();
  await sims.close();
  await server.stop();
  rmSync(data, { recursive: true, force: true });
}
