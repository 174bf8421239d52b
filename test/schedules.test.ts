import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@temporalio/client';
import { parseConfig } from '../src/config.js';
import { scheduleId, verifyScheduleId } from '../src/temporal/ids.js';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { connectionKey } from '../src/temporal/search-attributes.js';
import { upsertCatalogSchedule, upsertSweepSchedules, upsertVerifySchedule } from '../src/temporal/schedules.js';
import { suiteClient } from './helpers/harness.js';

/** The connection a schedule's action tags its runs with. */
function connectionOf(action: { type: string; typedSearchAttributes?: TypedSearchAttributes | SearchAttributePair[] }): unknown {
  const sa = action.typedSearchAttributes;
  return sa instanceof TypedSearchAttributes ? sa.get(connectionKey) : sa?.find((p) => p.key.name === connectionKey.name)?.value;
}

describe('upsertCatalogSchedule', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ client, close } = await suiteClient()); });
  afterAll(async () => { await close(); });

  it('creates once, then updates in place: never a second schedule', async () => {
    const name = `sched-${Date.now().toString(36)}`;
    const config = parseConfig({
      connections: [{
        name,
        source: { platform: 'koob', baseUrl: 'http://127.0.0.1:1', apiKeyEnv: 'KOOB_API_KEY' },
        targets: [{ platform: 'xola', baseUrl: 'http://127.0.0.1:2', apiKeyEnv: 'XOLA_API_KEY' }],
        schedule: { every: '15m', paused: true },
      }],
    });
    const conn = config.connections[0]!;
    expect(await upsertCatalogSchedule(client, conn, 'sched-')).toBe('created');
    expect(await upsertCatalogSchedule(client, { ...conn, schedule: { ...conn.schedule, every: '7m' } }, 'sched-')).toBe('updated');
    const ours: string[] = [];
    for await (const s of client.schedule.list()) if (s.scheduleId === scheduleId(name)) ours.push(s.scheduleId);
    expect(ours).toHaveLength(1);
    const d = await client.schedule.getHandle(scheduleId(name)).describe();
    expect(d.spec.intervals?.[0]?.every).toBe(7 * 60_000);
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.action.type === 'startWorkflow' && d.action.workflowType).toBe('catalogSyncWorkflow');
    // Runs it starts carry the connection, so the UI filters a connection's runs.
    expect(d.action.type === 'startWorkflow' && connectionOf(d.action)).toBe(name);
    await client.schedule.getHandle(scheduleId(name)).delete();
    for (const id of await upsertSweepSchedules(client, conn, 'sched-')) {
      const sweep = await client.schedule.getHandle(id).describe();
      expect(sweep.action.type === 'startWorkflow' && connectionOf(sweep.action)).toBe(name);
      await client.schedule.getHandle(id).delete();
    }
  });
});

describe('upsertVerifySchedule', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ client, close } = await suiteClient()); });
  afterAll(async () => { await close(); });

  it('creates verify/<connection> once, starting catalogSync with verify: true every verify.every; then updates in place', async () => {
    const name = `verify-${Date.now().toString(36)}`;
    const conn = parseConfig({
      connections: [{
        name,
        source: { platform: 'koob', baseUrl: 'http://127.0.0.1:1', apiKeyEnv: 'KOOB_API_KEY' },
        targets: [{ platform: 'xola', baseUrl: 'http://127.0.0.1:2', apiKeyEnv: 'XOLA_API_KEY' }],
        verify: { paused: true },
      }],
    }).connections[0]!;
    expect(await upsertVerifySchedule(client, conn, 'sched-')).toBe('created');
    const first = await client.schedule.getHandle(verifyScheduleId(name)).describe();
    expect(first.spec.intervals?.[0]?.every).toBe(6 * 3_600_000);
    expect(first.state.paused).toBe(true);
    expect(first.action.type === 'startWorkflow' && first.action.workflowType).toBe('catalogSyncWorkflow');
    expect(first.action.type === 'startWorkflow' && first.action.args).toEqual([{ connection: name, verify: true }]);
    expect(first.action.type === 'startWorkflow' && connectionOf(first.action)).toBe(name);
    expect(await upsertVerifySchedule(client, { ...conn, verify: { ...conn.verify, every: '2h' } }, 'sched-')).toBe('updated');
    const ours: string[] = [];
    for await (const s of client.schedule.list()) if (s.scheduleId === verifyScheduleId(name)) ours.push(s.scheduleId);
    expect(ours).toHaveLength(1);
    expect((await client.schedule.getHandle(verifyScheduleId(name)).describe()).spec.intervals?.[0]?.every).toBe(2 * 3_600_000);
    await client.schedule.getHandle(verifyScheduleId(name)).delete();
  });
});
