/**
 * `npm run chaos -- --products 1000 --bookings 100 [--record]`: the chaos run of bench/chaos/run.ts
 * at full size; prints the counts and, with --record, writes them to bench/chaos-results.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../src/temporal/codec.js';
import { WORKFLOWS_PATH } from '../src/temporal/worker.js';
import { converged, runChaos } from './chaos/run.js';

const cli = new Command('chaos')
  .option('--products <n>', 'products in the generated catalog', '1000')
  .option('--bookings <n>', 'seats bought on Xola during the run', '100')
  .option('--bad <share>', 'share of malformed list rows, and of invalid records', '0.05')
  .option('--record', 'write the counts to bench/chaos-results.md')
  .parse();
const o = cli.opts<{ products: string; bookings: string; bad: string; record?: boolean }>();

const dir = mkdtempSync(join(tmpdir(), 'bridge-chaos-'));
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
writeFileSync(join(dir, 'bundle.js'), code);
const counts = await runChaos({
  products: Number(o.products), bookings: Number(o.bookings), badShare: Number(o.bad),
  killWorker: true, restartServer: true, workflowBundle: join(dir, 'bundle.js'), dataDir: join(dir, 'data'),
  say: (l) => process.stdout.write(`${l}\n`),
});
const ok = converged(counts);
const rows = [
  ['products (good / bad list rows / invalid records)', `${counts.products} (${counts.good} / ${counts.badRows} / ${counts.badRecords})`],
  ['faulty answers seen by the bridge (≥ 429, first run)', String(counts.faultsAnswered)],
  ['worker SIGKILLs / Temporal server restarts', `${counts.workerKills} / ${counts.serverRestarts}`],
  ['first run: product-target failures (faults on)', String(counts.firstRunFailures)],
  ...Object.keys(counts.published).map((p) => [`${p}: published / missing / duplicates / orphans / bad published`, `${counts.published[p]} / ${counts.missing[p]} / ${counts.duplicates[p]} / ${counts.orphans[p]} / ${counts.badPublished[p]}`]),
  ['bookings sold on Xola / in KOOB / held for an operator (outcome unknown) / lost / duplicated', `${counts.bookingsSold} / ${counts.bookingsInKoob} / ${counts.bookingsHeldForOperator} / ${counts.lostBookings} / ${counts.duplicateBookings}`],
  ['wall time (s)', String(counts.seconds)],
  ['converged', ok ? 'yes' : 'NO'],
];
const table = ['| what | count |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
process.stdout.write(`\n${table}\n`);
if (o.record) {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB (${Math.round(freemem() / 2 ** 30)} GiB free at the end), Node ${process.version}`;
  writeFileSync('bench/chaos-results.md', `# Chaos run (npm run chaos -- --products ${o.products} --bookings ${o.bookings} --record)\n\n${new Date().toISOString().slice(0, 10)}, ${machine}; the dev server, simulators, receiver and the chaos driver in one process, the worker in another.\n\nFaults on every KOOB, Xola and Gomry request while the first run goes: 10% 500, 3% 503, 5% 429 (Retry-After 1), 3% connection resets, 5% of writes stored but their answer lost, 2% answers 1.5 s late; the worker is killed (SIGKILL) at 30% of products reported and the Temporal server stopped and started again at 60%. Then faults go off, a second catalog run and one reconciliation sweep converge. A KOOB write-back that failed with a 5xx or a reset, or whose answer was lost, may or may not have booked; KOOB documents no booking search by our reference, so the bridge never resends it: it keeps the seats held and lists the booking in bridge problems for an operator ("held for an operator", not lost).\n\n${table}\n`);
}
process.exit(ok ? 0 : 1);
