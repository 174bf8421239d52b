import type { Client } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from './ids.js';

const quote = (v: string) => `'${v.replace(/['\\]/g, '')}'`;

/**
 * Running product entity workflows that publish a target record with this id, found through the
 * `BridgeTargetIds` search attribute (`platform:id`). Visibility lags a little behind workflows.
 */
export async function productsHolding(client: Client, platform: string, targetId: string, connection?: string): Promise<string[]> {
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
