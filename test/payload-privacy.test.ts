import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import { EncryptionCodec } from '../src/temporal/codec.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';
import { TEST_KEYS } from './helpers/simulators.js';

describe('workflow histories', () => {
  let bridge: Bridge;
  let raw: Connection;
  beforeAll(async () => {
    await sim('koob', 'reset', {});
    await sim('xola', 'reset', {});
    const catalog = catalogOf(3);
    catalog[2]!.record.currency = 'dollars'; // a record that fails: its failure text must not be readable either
    await seedKoob(catalog);
    bridge = await startBridge(testConfig({ locales: ['en'] }));
    raw = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  });
  afterAll(async () => { await raw.close(); await bridge.stop(); });

  it('hold only encrypted payloads and never an API key', async () => {
    const workflowId = `${catalogWorkflowId(bridge.connectionName)}/privacy`;
    await bridge.client.workflow.execute('catalogSyncWorkflow', { taskQueue: bridge.taskQueue, workflowId, args: [{ connection: bridge.connectionName }] });
    const productId = `product-sync/${bridge.connectionName}/5000`;
    const failedId = `product-sync/${bridge.connectionName}/5002`;
    const failed = JSON.stringify((await raw.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: failedId } })).history);
    expect(failed).toMatch(/activityTaskFailedEventAttributes/);
    expect(failed).not.toContain('dollars');
    for (const id of [workflowId, productId, failedId]) {
      const history = await raw.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: id } });
      const text = JSON.stringify(history.history);
      expect(text.length).toBeGreaterThan(1000);
      for (const secret of Object.values(TEST_KEYS)) expect(text).not.toContain(secret);
      // Product names travel between activities: they must not be readable in the stored history.
      expect(text).not.toContain('Cultural Discovery Tour');
      const encodings = new Set<string>();
      for (const e of history.history?.events ?? []) {
        const payloads = e.workflowExecutionStartedEventAttributes?.input?.payloads ?? e.activityTaskCompletedEventAttributes?.result?.payloads ?? [];
        for (const p of payloads) encodings.add(Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString());
      }
      expect([...encodings]).toEqual(['binary/encrypted']);
    }
  });

  it('the codec round-trips and refuses a tampered payload', async () => {
    const codec = new EncryptionCodec('k1');
    const [enc] = await codec.encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('{"a":1}') }]);
    const [back] = await codec.decode([enc!]);
    expect(new TextDecoder().decode(back!.data)).toBe('{"a":1}');
    const tampered = { ...enc!, data: Uint8Array.from(enc!.data!, (b, i) => (i === enc!.data!.length - 1 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    await expect(new EncryptionCodec('k2').decode([enc!])).rejects.toThrow();
  });
});
