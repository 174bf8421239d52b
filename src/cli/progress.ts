import cliProgress from 'cli-progress';
import type { WorkflowHandle } from '@temporalio/client';
import type { CatalogSummary, ProductOutcome } from '../../workflows/messages.js';
import { divertLogLines } from '../logger.js';

type TargetCounts = CatalogSummary['byTarget'][string];
const OUTCOMES: ProductOutcome[] = ['created', 'updated', 'unchanged', 'unpublished', 'failed'];

/** One target's counts in words, e.g. "12 created, 0 updated, 12 unchanged, 0 failed, 40 writes" (unpublished only when some are). */
export function countsInWords(t: TargetCounts): string {
  const words = OUTCOMES.filter((o) => o !== 'unpublished' || (t.unpublished ?? 0) > 0).map((o) => `${t[o] ?? 0} ${o}`);
  return `${words.join(', ')}, ${t.writes} writes`;
}

/** A run's summary on one line, every number named: for logs, and each change of a run not watched on a terminal. */
export function summaryLine(workflowId: string, s: CatalogSummary): string {
  const targets = Object.entries(s.byTarget).map(([p, t]) => `${p}: ${countsInWords(t)}`).join(' | ');
  return `[${workflowId}] ${s.reported}/${s.products} products reported — ${targets || 'waiting'}${s.done ? ' — done' : ''}`;
}

/** A finished run as a block: one line per target, then each failure with its reason. */
export function summaryBlock(workflowId: string, s: CatalogSummary): string {
  const width = Math.max(0, ...Object.keys(s.byTarget).map((p) => p.length)) + 1;
  return [
    `[${workflowId}] ${s.reported}/${s.products} products reported${s.done ? ' — done' : ''}${s.rejected ? ` (${s.rejected} source rows rejected)` : ''}`,
    ...Object.entries(s.byTarget).map(([p, t]) => `  ${`${p}:`.padEnd(width)} ${countsInWords(t)}`),
    ...(s.failures.length ? ['  failures:', ...s.failures.map((f) => `    ${f.sourceProductId} → ${f.platform}: ${f.error}`)] : []),
  ].join('\n');
}

const reportedOf = (t: TargetCounts) => OUTCOMES.reduce((n, o) => n + (t[o] ?? 0), 0);

/**
 * A running catalog run, shown as it goes: on a terminal a bar for the products reported and one
 * per target (log lines print above the bars, never through them); elsewhere a summary line each
 * time the numbers change.
 */
export class SyncProgress {
  private readonly bars: cliProgress.MultiBar | null;
  private readonly rows = new Map<string, cliProgress.SingleBar>();
  private last = '';

  constructor(private readonly workflowId: string, tty = Boolean(process.stdout.isTTY)) {
    this.bars = tty ? new cliProgress.MultiBar({
      stream: process.stdout,
      // {shown}: the real count, also before the total is known (the bar itself needs a total of at least 1).
      format: '{label} {bar} {shown} {detail}',
      barsize: 20,
      hideCursor: false, // a Ctrl-C mid-run must not leave the terminal without its cursor
      clearOnComplete: true,
      linewrap: false,
    }, cliProgress.Presets.shades_classic) : null;
    if (this.bars) divertLogLines((line) => this.bars?.log(line));
  }

  /** Shows the numbers of the run's latest summary. */
  update(s: CatalogSummary): void {
    if (!this.bars) {
      const line = summaryLine(this.workflowId, s);
      if (line !== this.last) process.stdout.write(`${line}\n`);
      this.last = line;
      return;
    }
    const width = Math.max(8, ...Object.keys(s.byTarget).map((p) => p.length));
    this.row('', width, s.reported, s.products, `products reported  ${this.workflowId}`);
    for (const [p, t] of Object.entries(s.byTarget)) this.row(p, width, reportedOf(t), s.products, countsInWords(t));
  }

  private row(key: string, width: number, value: number, total: number, detail: string): void {
    const payload = { label: (key || 'products').padEnd(width), shown: `${value}/${total}`, detail };
    const bar = this.rows.get(key);
    if (bar) {
      bar.setTotal(Math.max(total, 1));
      bar.update(value, payload);
    } else {
      this.rows.set(key, this.bars!.create(Math.max(total, 1), value, payload));
    }
  }

  /** Removes the bars (the caller prints the outcome) and gives log lines back to stderr. */
  stop(): void {
    this.bars?.stop();
    divertLogLines(null);
  }
}

/** Waits for a catalog run and returns its summary; on a terminal it shows the run's progress meanwhile. */
export async function followRun(handle: WorkflowHandle, tty = Boolean(process.stdout.isTTY)): Promise<CatalogSummary> {
  const result = handle.result() as Promise<CatalogSummary>;
  if (!tty) return result;
  let closed = false;
  const settled = result.then(() => { closed = true; }, () => { closed = true; });
  const progress = new SyncProgress(handle.workflowId, true);
  try {
    while (!closed) {
      const s = await handle.query<CatalogSummary>('catalogSummary').catch(() => null);
      if (s && !closed) progress.update(s);
      // The query's own pace: once a second is live enough and costs the server nothing.
      await Promise.race([settled, new Promise((r) => setTimeout(r, 1000))]);
    }
  } finally {
    progress.stop();
  }
  return result;
}
