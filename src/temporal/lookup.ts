import type { Client } from '@temporalio/client';
import { logger } from '../logger.js';
import { connectionSearchAttributes } from './search-attributes.js';
import { bridgeQueue, routesWorkflowId, SEARCH_ATTRIBUTES } from './ids.js';

const quote = (v: string) => `'${v.replace(/['\\]/g, '')}'`;

/** The connections whose route tables a client's lookups ask (set by the receiver from the config). */
const scopes = new WeakMap<Client, { connections: string[]; prefix: string }>();
/** Routes found once never change (a record belongs to one product for its life): bounded cache. */
const known = new Map<string, string>();
const KNOWN_MAX = 50_000;

/** Lookups through `client` ask these connections' route tables (`routes/<connection>`). */
export function useRouteTables(client: Client, connections: string[], taskQueuePrefix = ''): void {
  scopes.set(client, { connections: [...new Set(connections)], prefix: taskQueuePrefix });
}

const tablesFor = (client: Client, connection?: string) => (connection ? [connection] : scopes.get(client)?.connections ?? []);

/**
 * Product entity workflows that hold a channel record (`platform`, `targetId`). First the route
 * table each product writes when it creates a record (workflows/route-table.ts: durable, no lag);
 * then, for products that recorded nothing yet (synced before route tables existed), the
 * `BridgeTargetIds` search attribute, which visibility updates a little after each sync.
 */
export async function productsHolding(client: Client, platform: string, targetId: string, connection?: string): Promise<string[]> {
  const found = new Set<string>();
  for (const c of tablesFor(client, connection)) {
    const key = `${c}|${platform}:${targetId}`;
    let wf = known.get(key) ?? null;
    if (wf === null) {
      try {
        wf = await client.workflow.getHandle(routesWorkflowId(c)).query<string | null, [{ platform: string; targetId: string }]>('routeOf', { platform, targetId });
      } catch (err) {
        logger.warn({ connection: c, err: (err as Error).message }, 'route table not answering; falling back to visibility');
      }
      if (wf) {
        known.set(key, wf);
        if (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string);
      }
    }
    if (wf) found.add(wf);
  }
  if (found.size) return [...found];
  const clauses = [
    `WorkflowType = 'productSyncWorkflow'`,
    `ExecutionStatus = 'Running'`,
    `${SEARCH_ATTRIBUTES.targetIds} = ${quote(`${platform}:${targetId}`)}`,
    ...(connection ? [`${SEARCH_ATTRIBUTES.connection} = ${quote(connection)}`] : []),
  ];
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) ids.push(wf.workflowId);
  return ids;
}

/**
 * A webhook that matched no product is handed to the route tables, which keep it and deliver
 * `signal(arg)` to the product that records this record later (a sale on an experience created a
 * moment ago), or report it after 15 minutes. A signal: durable even while no worker is up.
 * Returns how many tables took it.
 */
export async function holdUnmatched(client: Client, platform: string, targetId: string, signal: string, arg: unknown, connection?: string): Promise<number> {
  let n = 0;
  const prefix = scopes.get(client)?.prefix ?? '';
  for (const c of tablesFor(client, connection)) {
    try {
      // Started here if no product of the connection has recorded a route yet (same start as recordRoutes).
      await client.workflow.signalWithStart('routeTableWorkflow', {
        workflowId: routesWorkflowId(c), taskQueue: bridgeQueue(prefix), args: [{ connection: c }],
        signal: 'eventHeld', signalArgs: [{ platform, targetId, signal, arg }], typedSearchAttributes: connectionSearchAttributes(c),
      });
      n += 1;
    } catch (err) {
      logger.warn({ connection: c, err: (err as Error).message }, 'route table not reachable: webhook not held');
    }
  }
  return n;
}
