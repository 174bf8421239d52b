import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { ConfigError } from '../src/errors.js';
import { DEMO_PAYLOAD_KEY, EncryptionCodec, FAILURE_CONVERTER_PATH, payloadKeysFromEnv, requireOwnPayloadKey } from '../src/temporal/codec.js';
import { catalogWorkflowId } from '../src/temporal/ids.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';

/** Runs the operator CLI with exactly this environment (no key unless given). */
function bridgeCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BRIDGE_'))) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bridge.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('payload keys', () => {
  it('read the encrypting key and the older ones from the environment, and refuse a missing or demo key', () => {
    expect(payloadKeysFromEnv({ BRIDGE_PAYLOAD_KEY: 'new', BRIDGE_PAYLOAD_OLD_KEYS: ' old-1 , old-2,' })).toEqual({ current: 'new', old: ['old-1', 'old-2'] });
    expect(() => payloadKeysFromEnv({})).toThrow(ConfigError);
    expect(() => payloadKeysFromEnv({ BRIDGE_PAYLOAD_KEY: '' })).toThrow(/BRIDGE_PAYLOAD_KEY is not set/);
    expect(() => requireOwnPayloadKey({ BRIDGE_PAYLOAD_KEY: DEMO_PAYLOAD_KEY })).toThrow(/demo key/);
    expect(() => requireOwnPayloadKey({ BRIDGE_PAYLOAD_KEY: 'an operator secret' })).not.toThrow();
  });

  it('a ring encrypts with its first key and decrypts with any; a payload of a key outside it names the key id', async () => {
    const data = new TextEncoder().encode('"x"');
    const [old] = await new EncryptionCodec('old').encode([{ metadata: {}, data }]);
    const ring = new EncryptionCodec('new', ['old']);
    const [fresh] = await ring.encode([{ metadata: {}, data }]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe(new EncryptionCodec('new').keyId);
    expect((await ring.decode([old!, fresh!])).map((p) => new TextDecoder().decode(p.data))).toEqual(['"x"', '"x"']);
    await expect(new EncryptionCodec('new').decode([old!])).rejects.toThrow(`key id ${new EncryptionCodec('old').keyId}, which is not in the key ring`);
  });

  it('bridge worker, receiver and codec-server exit with one line when the key is missing or is the demo key', async () => {
    const runs = await Promise.all([
      bridgeCli(['worker'], {}),
      bridgeCli(['receiver'], { BRIDGE_PAYLOAD_KEY: DEMO_PAYLOAD_KEY }),
      bridgeCli(['codec-server', '--port', '0'], {}),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^BRIDGE_PAYLOAD_KEY (is not set|is the demo key)/);
    }
  });
});

describe('payload key rotation on a real Temporal server', () => {
  let raw: Connection;
  const saved = { key: process.env.BRIDGE_PAYLOAD_KEY, old: process.env.BRIDGE_PAYLOAD_OLD_KEYS };
  beforeAll(async () => {
    for (const p of ['koob', 'xola'] as const) await sim(p, 'reset', {});
    await seedKoob(catalogOf(2));
    raw = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    process.env.BRIDGE_PAYLOAD_KEY = saved.key;
    if (saved.old === undefined) delete process.env.BRIDGE_PAYLOAD_OLD_KEYS;
    else process.env.BRIDGE_PAYLOAD_OLD_KEYS = saved.old;
    await raw.close();
  });

  const keyIdsIn = async (workflowId: string) => {
    const { history } = await raw.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const ids = new Set<string>();
    for (const e of history?.events ?? []) {
      for (const p of e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []) ids.add(Buffer.from(p.metadata?.['encryption-key-id'] ?? new Uint8Array()).toString());
    }
    return [...ids];
  };

  it('histories written with the old key keep running and replaying after a new key is added, and the new key encrypts', async () => {
    const config = testConfig({ locales: ['en'] });
    const run = (bridge: Bridge, suffix: string) => bridge.client.workflow.execute('catalogSyncWorkflow', {
      taskQueue: bridge.taskQueue, workflowId: `${catalogWorkflowId(bridge.connectionName)}/${suffix}`, args: [{ connection: bridge.connectionName }],
    }) as Promise<CatalogSummary>;

    const before = await startBridge(config);
    const first = await run(before, 'old-key');
    await before.stop();
    expect(first.byTarget.xola?.created).toBe(2);

    const oldId = new EncryptionCodec(process.env.BRIDGE_PAYLOAD_KEY!).keyId;
    process.env.BRIDGE_PAYLOAD_OLD_KEYS = process.env.BRIDGE_PAYLOAD_KEY;
    process.env.BRIDGE_PAYLOAD_KEY = 'rotated operator secret';
    const newId = new EncryptionCodec('rotated operator secret').keyId;
    const after = await startBridge(config);
    try {
      // The product workflows' histories hold old-key payloads: the new workers replay them to answer.
      const second = await run(after, 'new-key');
      expect(second.failures).toEqual([]);
      expect(second.byTarget.xola?.unchanged).toBe(2);
      expect(await keyIdsIn(`${catalogWorkflowId(after.connectionName)}/old-key`)).toEqual([oldId]);
      expect(await keyIdsIn(`${catalogWorkflowId(after.connectionName)}/new-key`)).toEqual([newId]);

      const oldRun = `${catalogWorkflowId(after.connectionName)}/old-key`;
      const history = await after.client.workflow.getHandle(oldRun).fetchHistory();
      const replay = (codec: EncryptionCodec) => Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter: { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH } }, history, oldRun);
      await expect(replay(new EncryptionCodec('rotated operator secret', [DEMO_PAYLOAD_KEY]))).resolves.toBeUndefined();
      // Without the old key the replay's workflow task fails (its failure text is itself encrypted).
      await expect(replay(new EncryptionCodec('rotated operator secret'))).rejects.toThrow(/workflow task failure/);
    } finally {
      await after.stop();
    }
  });
});
