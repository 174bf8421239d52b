import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { createCatalogActivities } from '../../activities/catalog.js';
import type { ProductState } from '../../workflows/messages.js';
import { adjustments, channelSeats } from '../canonical/ledger.js';
import { fillPath } from '../canonical/plan.js';
import { type BridgeConfig, getConnection } from '../config.js';
import { productWorkflowId } from '../temporal/ids.js';

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

/**
 * The writes the next catalog run would make, computed with the very functions its activities
 * run (list, fetch, plan) against each product's recorded state, without writing anything.
 */
export async function planConnection(config: BridgeConfig, name: string, client: Client): Promise<ConnectionPlan> {
  const c = getConnection(config, name);
  const acts = createCatalogActivities({ config, client });
  const ids: string[] = [];
  for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
    const page: { ids: string[]; next: string | null } = await acts.listSourcePage({ connection: name, cursor });
    ids.push(...page.ids.filter((id) => !ids.includes(id)));
    cursor = page.next;
  }
  for (const id of await acts.listKnownProducts({ connection: name })) if (!ids.includes(id)) ids.push(id);
  const plan: ConnectionPlan = { connection: name, writes: [], failures: [] };
  const locales = [c.source.defaultLocale, ...c.source.locales.filter((l) => l !== c.source.defaultLocale)];
  for (const id of ids) {
    const state = await stateOf(client, name, id);
    let records: Record<string, unknown> | null = {};
    for (const locale of locales) {
      const rec = await acts.fetchSourceRecord({ connection: name, sourceProductId: id, locale });
      if (rec === null) {
        if (locale === c.source.defaultLocale) { records = null; break; }
        continue;
      }
      records[locale] = rec;
    }
    try {
      const p = await acts.planProduct({ connection: name, records, targets: state?.targets ?? {}, adjustments: state?.ledger ? adjustments(state.ledger) : {}, channelSeats: state?.ledger ? channelSeats(state.ledger) : {} });
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
