import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Connection } from '../config.js';
import { bridgeQueue, catalogWorkflowId, scheduleId, sweepScheduleId, verifyScheduleId } from './ids.js';
import { connectionSearchAttributes } from './search-attributes.js';

/**
 * Creates or updates the connection's catalogSync Schedule so that starting twice never adds a
 * second one. Overlap SKIP: a run still going makes the next tick a no-op.
 */
export async function upsertCatalogSchedule(client: Client, connection: Connection, prefix = ''): Promise<'created' | 'updated'> {
  const id = scheduleId(connection.name);
  const spec = { intervals: [{ every: connection.schedule.every }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'catalogSyncWorkflow',
    taskQueue: bridgeQueue(prefix),
    workflowId: catalogWorkflowId(connection.name),
    args: [{ connection: connection.name }],
    typedSearchAttributes: connectionSearchAttributes(connection.name),
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: connection.schedule.catchupWindow };
  try {
    await client.schedule.create({ scheduleId: id, spec, action, policies, state: { paused: connection.schedule.paused } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(id).update((prev) => ({ ...prev, spec, action, policies, state: { ...prev.state, paused: connection.schedule.paused } }));
    return 'updated';
  }
}

/** Starts a catalog run by hand (`bridge sync`): a second start while one runs joins it. */
export async function startCatalogSync(client: Client, connection: string, prefix = '') {
  return client.workflow.start('catalogSyncWorkflow', {
    taskQueue: bridgeQueue(prefix),
    workflowId: `${catalogWorkflowId(connection)}/manual`,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ connection }],
    typedSearchAttributes: connectionSearchAttributes(connection),
  });
}

/** Creates or updates one Schedule per sweep tier of the connection (idempotent like the catalog's). */
export async function upsertSweepSchedules(client: Client, connection: Connection, prefix = ''): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, tier] of connection.sweep.tiers.entries()) {
    const id = sweepScheduleId(connection.name, i);
    const spec = { intervals: [{ every: tier.every }] };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'reconcileSweepWorkflow',
      taskQueue: bridgeQueue(prefix),
      workflowId: id,
      args: [{ connection: connection.name, lookback: tier.lookback, horizonDays: tier.horizonDays }],
      typedSearchAttributes: connectionSearchAttributes(connection.name),
    };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: connection.schedule.catchupWindow };
    try {
      await client.schedule.create({ scheduleId: id, spec, action, policies, state: { paused: connection.schedule.paused } });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(id).update((prev) => ({ ...prev, spec, action, policies }));
    }
    ids.push(id);
  }
  return ids;
}

/**
 * Creates or updates the connection's drift-check Schedule (`verify/<connection>`, idempotent like
 * the catalog's): a catalogSync run with `verify: true` every `verify.every`, overlap SKIP.
 */
export async function upsertVerifySchedule(client: Client, connection: Connection, prefix = ''): Promise<'created' | 'updated'> {
  const id = verifyScheduleId(connection.name);
  const spec = { intervals: [{ every: connection.verify.every }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'catalogSyncWorkflow',
    taskQueue: bridgeQueue(prefix),
    workflowId: id,
    args: [{ connection: connection.name, verify: true }],
    typedSearchAttributes: connectionSearchAttributes(connection.name),
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: connection.schedule.catchupWindow };
  const paused = connection.verify.paused ?? connection.schedule.paused;
  try {
    await client.schedule.create({ scheduleId: id, spec, action, policies, state: { paused } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(id).update((prev) => ({ ...prev, spec, action, policies, state: { ...prev.state, paused } }));
    return 'updated';
  }
}
