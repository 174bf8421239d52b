import type { Client } from '@temporalio/client';
import type { BridgeConfig } from '../src/config.js';
import { webhookNeverMatched } from '../src/metrics/registry.js';
import { bridgeQueue, routesWorkflowId } from '../src/temporal/ids.js';
import { connectionSearchAttributes } from '../src/temporal/search-attributes.js';
import type { Route } from '../workflows/route-table.js';

export interface RouteDeps {
  config: BridgeConfig;
  client: Client;
}

/** Activities of the route tables (queue bridge): no external call. */
export function createRouteActivities({ config, client }: RouteDeps) {
  return {
    /**
     * Records channel records a product created in its connection's route table, starting the
     * table if it is not running (signal-with-start: the route is durable once this returns).
     */
    async recordRoutes(input: { connection: string; routes: Route[] }): Promise<void> {
      await client.workflow.signalWithStart('routeTableWorkflow', {
        workflowId: routesWorkflowId(input.connection),
        taskQueue: bridgeQueue(config.temporal.taskQueuePrefix),
        args: [{ connection: input.connection }],
        signal: 'routeRecorded',
        signalArgs: [{ routes: input.routes }],
        typedSearchAttributes: connectionSearchAttributes(input.connection),
      });
    },

    /** Webhooks that waited for a route that never came (not ours, or a product that failed to record it). */
    async reportUnmatched(input: { connection: string; platforms: string[] }): Promise<void> {
      for (const platform of input.platforms) webhookNeverMatched.inc({ connection: input.connection, platform });
    },
  };
}
export type RouteActivities = ReturnType<typeof createRouteActivities>;
