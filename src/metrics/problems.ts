import type { Client } from '@temporalio/client';
import { openProblems } from '../cli/problems.js';
import { logger } from '../logger.js';
import { openProblemsGauge, oversoldPeriods } from './registry.js';

/** Kinds always exported, so a dashboard sees 0 rather than no series. */
const KINDS = ['target', 'oversold', 'cancel', 'writeback', 'fetch', 'drift'];

/** Scrapes closer together than this reuse the last count (each count is one visibility list + one query per failing product); 15 s is Prometheus's own default scrape interval. */
export const PROBLEMS_MAX_AGE_MS = 15_000;

let source: { client: Client; connections: string[] } | null = null;
let last: { at: number; done: Promise<void> } | null = null;

async function refresh(client: Client, connections: string[]): Promise<void> {
  for (const connection of connections) {
    const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const p of await openProblems(client, connection)) for (const e of p.errors) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    for (const [kind, n] of Object.entries(counts)) openProblemsGauge.set({ connection, kind }, n);
    oversoldPeriods.set({ connection }, counts.oversold ?? 0);
  }
}

/**
 * Counts the open problems `bridge problems` would list, for the gauges, when the worker's
 * /metrics is scraped (at most every 15 s). Nothing stores them: each product's entity marks
 * itself in `BridgeLastResult`, so the count comes from visibility and the failing products only.
 */
export function watchProblems(client: Client, connections: string[]): void {
  source = { client, connections };
  last = null;
}

/** Brings the problem gauges up to date before a scrape (never throws: a stale gauge beats a failed scrape). */
export async function refreshProblems(now = Date.now()): Promise<void> {
  if (!source) return;
  if (!last || now - last.at >= PROBLEMS_MAX_AGE_MS) {
    const { client, connections } = source;
    last = { at: now, done: refresh(client, connections).catch((err: unknown) => { logger.warn({ err: (err as Error).message }, 'open problems not counted'); }) };
  }
  await last.done;
}
