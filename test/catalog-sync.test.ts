import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import { type Bridge, requests, sim, startBridge } from './helpers/harness.js';

interface XolaRecords { experiences: Array<{ id: string; name: string; currency: string; schedules: Array<{ type: string; days?: number[] }> }> }

describe('catalogSync KOOB → Xola on a real Temporal server', () => {
  let bridge: Bridge;
  beforeAll(async () => { bridge = await startBridge(); });
  afterAll(async () => { await bridge.stop(); });
  beforeEach(async () => { await sim('koob', 'reset', {}); await sim('xola', 'reset', {}); });

  const run = (suffix: string) => bridge.client.workflow.execute('catalogSyncWorkflow', {
    taskQueue: bridge.taskQueue,
    workflowId: `${catalogWorkflowId(bridge.connectionName)}/${suffix}`,
    args: [{ connection: bridge.connectionName }],
  }) as Promise<CatalogSummary>;

  it('lands every KOOB experience with its schedules in Xola, then a rerun makes zero writes', async () => {
    const { experiences: source } = await sim<{ experiences: unknown[] }>('koob', 'records');
    const first = await run('first');
    expect(first.products).toBe(source.length);
    expect(first.reported).toBe(source.length);
    expect(first.failures).toEqual([]);
    expect(first.byTarget.xola?.created).toBe(source.length);

    const xola = await sim<XolaRecords>('xola', 'records');
    expect(xola.experiences).toHaveLength(source.length);
    expect(xola.experiences.every((e) => /^[A-Z]{3}$/.test(e.currency))).toBe(true);
    expect(xola.experiences.some((e) => e.schedules.some((s) => s.type === 'blackout'))).toBe(true);
    const writesAfterFirst = (await requests('xola', { writes: true })).length;
    expect(writesAfterFirst).toBe(first.byTarget.xola?.writes);

    const second = await run('second');
    expect(second.byTarget.xola?.unchanged).toBe(source.length);
    expect(second.byTarget.xola?.writes).toBe(0);
    expect((await requests('xola', { writes: true })).length).toBe(writesAfterFirst);
  });
});
