/**
 * Workflow ids, task queues and search attribute names: public API (schedules and running
 * executions use them). Pure, so workflows import it too.
 */

/** The queue for workflows and activities that make no external call. Versioned: rename with care. */
export const BRIDGE_QUEUE = 'bridge-v1';

/** One queue per external API, so `maxTaskQueueActivitiesPerSecond` holds across all workers. */
export function apiQueue(platform: string, prefix = ''): string {
  return `${prefix}api-${platform}`;
}

/**
 * The booking lane of an API: booking reads, write-backs and the seat pushes after a booking, with
 * a reserved share of the API's rate, so a sale never waits behind bulk catalog traffic.
 */
export function bookQueue(platform: string, prefix = ''): string {
  return `${prefix}book-${platform}`;
}

/** The workflow id of a connection's route table (channel record → product). */
export function routesWorkflowId(connection: string): string {
  return `routes/${connection}`;
}

export function bridgeQueue(prefix = ''): string {
  return `${prefix}${BRIDGE_QUEUE}`;
}

/** The prefix a task queue was built with (workflows derive sibling queues from their own). */
export function prefixOf(taskQueue: string): string {
  return taskQueue.endsWith(BRIDGE_QUEUE) ? taskQueue.slice(0, -BRIDGE_QUEUE.length) : '';
}

export function catalogWorkflowId(connection: string): string {
  return `catalog-sync/${connection}`;
}

export function productWorkflowId(connection: string, sourceProductId: string): string {
  return `product-sync/${connection}/${sourceProductId}`;
}

export function scheduleId(connection: string): string {
  return `catalog-sync/${connection}`;
}

/** The drift check's Schedule, and the workflow id of its runs. */
export function verifyScheduleId(connection: string): string {
  return `verify/${connection}`;
}

export function sweepScheduleId(connection: string, tier: number): string {
  return `reconcile-sweep/${connection}/tier-${tier}`;
}

/** Custom search attributes (registered on the dev server at start; no personal data in them). */
export const SEARCH_ATTRIBUTES = {
  connection: 'BridgeConnection',
  sourceProductId: 'BridgeSourceProductId',
  lastResult: 'BridgeLastResult',
  /** `platform:id` of each experience we hold on a target, so a target's webhook finds its product. */
  targetIds: 'BridgeTargetIds',
} as const;
