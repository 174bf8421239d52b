import { condition, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CatalogActivities } from '../activities/catalog.js';
import { apiQueue, bridgeQueue, prefixOf } from '../src/temporal/ids.js';
import { CONNECTION_ATTRIBUTE_PATCH, connectionKey } from '../src/temporal/search-attributes.js';
import { type CatalogSummary, type ProductOutcome, type ProductReport, catalogSummary, productSynced } from './messages.js';
import { externalCall, internalCall } from './retry-policies.js';

/** The single object the Schedule, the Temporal UI's Start Workflow form and the CLI all send. */
export interface CatalogSyncInput {
  connection: string;
  /** How long to wait for the products' reports before closing the summary. */
  reportTimeout?: string;
  /** A drift check (the `verify/<connection>` Schedule): each product reads its records back first. */
  verify?: boolean;
}

const OUTCOMES: ProductOutcome[] = ['created', 'updated', 'unchanged', 'unpublished', 'failed'];

/**
 * One pass over the source catalog: pages through it (ids only in history), asks each product's
 * entity workflow to sync (signal-with-start), and gathers their reports into a summary.
 */
export async function catalogSyncWorkflow(input: CatalogSyncInput): Promise<CatalogSummary> {
  const info = workflowInfo();
  // Started without it (the UI's form): tag the run with its connection, so filters find it.
  if (!info.typedSearchAttributes.get(connectionKey) && patched(CONNECTION_ATTRIBUTE_PATCH)) upsertSearchAttributes([{ key: connectionKey, value: input.connection }]);
  const prefix = prefixOf(info.taskQueue);
  const bridge = proxyActivities<CatalogActivities>({ ...internalCall, taskQueue: bridgeQueue(prefix) });
  const requestId = `${info.workflowId}/${info.runId}`;
  const summary: CatalogSummary = { connection: input.connection, requestId, products: 0, reported: 0, byTarget: {}, failures: [], done: false };
  const seen = new Set<string>();
  const reported = new Set<string>();

  setHandler(catalogSummary, () => summary);
  setHandler(productSynced, (r: ProductReport) => {
    if (r.requestId !== requestId || reported.has(r.sourceProductId)) return;
    reported.add(r.sourceProductId);
    summary.reported = reported.size;
    for (const t of r.targets) {
      const row = (summary.byTarget[t.platform] ??= { ...Object.fromEntries(OUTCOMES.map((o) => [o, 0])), writes: 0 } as CatalogSummary['byTarget'][string]);
      row[t.outcome] += 1;
      row.writes += t.writes;
      if (t.error) summary.failures.push({ sourceProductId: r.sourceProductId, platform: t.platform, error: t.error });
    }
  });

  const route = await bridge.describeConnection({ connection: input.connection });
  const source = proxyActivities<CatalogActivities>({ ...externalCall, taskQueue: apiQueue(route.source, prefix) });
  const replyTo = { workflowId: info.workflowId, runId: info.runId };
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<CatalogActivities['listSourcePage']>> = await source.listSourcePage({ connection: input.connection, cursor });
    const fresh = page.ids.filter((id) => !seen.has(id));
    fresh.forEach((id) => seen.add(id));
    if (fresh.length) {
      await bridge.dispatchProducts({ connection: input.connection, ids: fresh, request: { requestId, replyTo, ...(input.verify ? { verify: true } : {}) } });
    }
    // A malformed row fails alone: its product records the problem (bridge problems) and writes nothing.
    for (const r of page.rejected) {
      summary.rejected = (summary.rejected ?? 0) + 1;
      const reason = `SourceRowRejected: list row ${r.field}: ${r.reason}`;
      if (r.id === null || seen.has(r.id)) {
        summary.failures.push({ sourceProductId: r.id ?? `(row without id, page ${cursor ?? 'first'})`, platform: route.source, error: reason });
        continue;
      }
      seen.add(r.id);
      await bridge.dispatchProducts({ connection: input.connection, ids: [r.id], request: { requestId, replyTo, rejected: reason } });
    }
    summary.products = seen.size;
    cursor = page.next;
  } while (cursor !== null);

  // Products we hold that the source no longer lists: each finds out for itself and unpublishes.
  const missing = (await bridge.listKnownProducts({ connection: input.connection })).filter((id) => !seen.has(id));
  if (missing.length) {
    missing.forEach((id) => seen.add(id));
    await bridge.dispatchProducts({ connection: input.connection, ids: missing, request: { requestId, replyTo } });
    summary.products = seen.size;
  }

  await condition(() => summary.reported >= summary.products, input.reportTimeout ?? '30 minutes');
  summary.done = true;
  return summary;
}
