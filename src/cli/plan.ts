import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { createCatalogActivities } from '../../activities/catalog.js';
import type { ProductState } from '../../workflows/messages.js';
import { adjustments, channelSeats } from '../canonical/ledger.js';
import { fillPath } from '../canonical/plan.js';
import { type BridgeConfig, getConnection } from '../config.js';
import { productWorkflowId } from '../temporal/ids.js';
import { RateLimitedError, TransientError } from '../errors.js';
import { logger } from '../logger.js';

/** One write the next run would make. */
export interface PlannedRow {
  sourceProductId: string;
  name: string | null;
  platform: string;
  op: string;
  method: string;
  path: string;
  key: string;
  body?: Record<string, unknown>;
}

export interface ConnectionPlan {
  connection: string;
  writes: PlannedRow[];
  failures: Array<{ sourceProductId: string; platform: string; error: string }>;
}

async function stateOf(client: Client, connection: string, id: string): Promise<ProductState | null> {
  try {
    return await client.workflow.getHandle(productWorkflowId(connection, id)).query<ProductState>('productState');
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** How `bridge plan` rides out a busy platform, as the workers do: wait at Retry-After, retry transient failures. */
export interface PlanPatience {
  /** Total time spent waiting out 429s before giving up (a scheduled sync can hold the quota for a while): 2 min. */
  rateLimitBudgetMs?: number;
  /** Tries of a call that fails transiently (5xx, reset, timeout; got already retried once). */
  transientTries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs one platform call of the plan with the patience above; the budget is shared by the whole plan. */
function patient(p: PlanPatience) {
  const budgetMs = p.rateLimitBudgetMs ?? 120_000;
  const sleep = p.sleep ?? wait;
  let waitedMs = 0;
  return async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (err) {
        if (err instanceof RateLimitedError) {
          // No Retry-After: 1 s, where the workers' retry policy starts too (workflows/retry-policies.ts).
          const ms = Math.max(err.retryAfterMs ?? 1000, 100);
          if (waitedMs + ms > budgetMs) {
            throw new RateLimitedError(`${err.message}: still rate limited after waiting ${Math.round(waitedMs / 1000)} s in all (a sync is probably using the quota); try again when it is done`, err.retryAfterMs, err.details);
          }
          logger.warn({ waitMs: ms }, `${err.message}: waiting ${Math.ceil(ms / 1000)} s as the platform asks`);
          waitedMs += ms;
          await sleep(ms);
        } else if (err instanceof TransientError && attempt < (p.transientTries ?? 4)) {
          await sleep(1000 * 2 ** (attempt - 1)); // 1 s, 2 s, 4 s: the workers' backoff, shortened to a few tries
        } else {
          throw err;
        }
      }
    }
  };
}

/**
 * The writes the next catalog run would make, computed with the very functions its activities
 * run (list, fetch, plan) against each product's recorded state, without writing anything.
 */
export async function planConnection(config: BridgeConfig, name: string, client: Client, patience: PlanPatience = {}): Promise<ConnectionPlan> {
  const c = getConnection(config, name);
  const acts = createCatalogActivities({ config, client });
  const call = patient(patience);
  const ids: string[] = [];
  for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
    const page: { ids: string[]; next: string | null } = await call(() => acts.listSourcePage({ connection: name, cursor }));
    ids.push(...page.ids.filter((id) => !ids.includes(id)));
    cursor = page.next;
  }
  for (const id of await call(() => acts.listKnownProducts({ connection: name }))) if (!ids.includes(id)) ids.push(id);
  const plan: ConnectionPlan = { connection: name, writes: [], failures: [] };
  const locales = [c.source.defaultLocale, ...c.source.locales.filter((l) => l !== c.source.defaultLocale)];
  for (const id of ids) {
    const state = await stateOf(client, name, id);
    let records: Record<string, unknown> | null = {};
    for (const locale of locales) {
      const rec = await call(() => acts.fetchSourceRecord({ connection: name, sourceProductId: id, locale }));
      if (rec === null) {
        if (locale === c.source.defaultLocale) { records = null; break; }
        continue;
      }
      records[locale] = rec;
    }
    try {
      const p = await call(() => acts.planProduct({ connection: name, records, targets: state?.targets ?? {}, adjustments: state?.ledger ? adjustments(state.ledger) : {}, channelSeats: state?.ledger ? channelSeats(state.ledger) : {} }));
      for (const [platform, tp] of Object.entries(p.targets)) {
        if (tp.error) plan.failures.push({ sourceProductId: id, platform, error: tp.error });
        const ids = state?.targets[platform]?.ids ?? {};
        for (const w of tp.writes) {
          plan.writes.push({ sourceProductId: id, name: p.name ?? state?.name ?? null, platform, op: w.op, method: w.method, path: fillPath(w.path, ids), key: w.key, body: w.body });
        }
      }
    } catch (err) {
      for (const t of c.targets) plan.failures.push({ sourceProductId: id, platform: t.platform, error: (err as Error).message });
    }
  }
  return plan;
}

/** The plan as an aligned text table. */
export function planTable(plan: ConnectionPlan): string {
  const rows = plan.writes.map((w) => [w.sourceProductId, (w.name ?? '').slice(0, 36), w.platform, w.op, w.method, w.path]);
  const head = ['product', 'name', 'target', 'op', 'method', 'path'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push('', `${plan.writes.length} write(s) for connection ${plan.connection}${plan.failures.length ? `; ${plan.failures.length} product/target pair(s) would fail:` : ''}`);
  for (const f of plan.failures) out.push(`  ${f.sourceProductId} → ${f.platform}: ${f.error}`);
  return out.join('\n');
}
