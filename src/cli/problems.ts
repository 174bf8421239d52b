import type { Client } from '@temporalio/client';
import type { ProductState } from '../../workflows/messages.js';
import { SEARCH_ATTRIBUTES } from '../temporal/ids.js';

export interface OpenProblem {
  sourceProductId: string;
  workflowId: string;
  name: string | null;
  /** kind: `target` (the last sync failed there), the inventory problem's kind (oversold, cancel, writeback, fetch), or `drift` (a verify pass found a record changed or deleted on that platform). */
  errors: Array<{ platform: string; error: string; kind: string }>;
}

/**
 * A connection's open problems: products whose last sync failed on some target, or that hold an
 * inventory problem (an oversell, a booking to cancel by hand) or a drift note (until a later
 * verify finds the record as we wrote it). Nothing stores
 * the list: each product's entity says so in `BridgeLastResult`, so a later good sync clears it.
 */
export async function openProblems(client: Client, connection: string): Promise<OpenProblem[]> {
  const query = `WorkflowType = 'productSyncWorkflow' AND ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.connection} = '${connection.replace(/'/g, '')}' AND ${SEARCH_ATTRIBUTES.lastResult} = 'failed'`;
  const out: OpenProblem[] = [];
  for await (const wf of client.workflow.list({ query })) {
    const state = await client.workflow.getHandle(wf.workflowId).query<ProductState>('productState');
    // Visibility lags the workflow a little: trust the state, not the index.
    const errors = [
      ...(state.last?.targets ?? []).filter((t) => t.outcome === 'failed').map((t) => ({ platform: t.platform, error: t.error ?? 'failed', kind: 'target' })),
      // Problems of the product itself (oversells, bookings to cancel by hand), not of one target.
      ...Object.entries(state.problems ?? {}).map(([key, error]) => ({ platform: key.startsWith('drift:') ? key.split(':')[1]! : 'inventory', error, kind: key.split(':')[0]! })),
    ];
    if (errors.length) out.push({ sourceProductId: state.sourceProductId, workflowId: wf.workflowId, name: state.name, errors });
  }
  return out.sort((a, b) => a.sourceProductId.localeCompare(b.sourceProductId));
}
