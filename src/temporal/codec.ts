import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ConfigError } from '../errors.js';

const ENCODING = 'binary/encrypted';
const ALGORITHM = 'aes-256-gcm';
const enc = new TextEncoder();
const dec = new TextDecoder();

interface RingKey { id: string; key: Buffer }

/** A key's id: a hash of the derived key, so it names the key in every payload without revealing it. */
function ringKey(secret: string): RingKey {
  const key = createHash('sha256').update(secret).digest();
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

/**
 * Encrypts every payload (workflow inputs, results, signals, activity arguments) with AES-256-GCM,
 * so booking data with traveller names never sits readable in workflow histories. Search
 * attributes are not payloads and are never encrypted: they carry ids only. Payloads that arrive
 * unencrypted (e.g. a manual start from the Temporal UI) pass through as they are.
 * A key ring: the first secret encrypts; each payload names its key (`encryption-key-id`), and
 * any secret of the ring decrypts the payloads written with it, so keys can be rotated.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly current: RingKey;
  private readonly ring: Map<string, RingKey>;
  readonly keyId: string;
  constructor(secret: string, oldSecrets: readonly string[] = []) {
    this.current = ringKey(secret);
    this.keyId = this.current.id;
    this.ring = new Map([this.current, ...oldSecrets.map(ringKey)].map((k) => [k.id, k]));
  }

  /** The ids of every key this codec can decrypt with, the encrypting one first. */
  get keyIds(): string[] {
    return [...this.ring.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
      const plain = Buffer.from(JSON.stringify({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') }));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { encoding: enc.encode(ENCODING), 'encryption-key-id': enc.encode(this.current.id) },
        data: Buffer.concat([iv, cipher.getAuthTag(), body]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata?.encoding || dec.decode(p.metadata.encoding) !== ENCODING) return p;
      const id = p.metadata['encryption-key-id'] ? dec.decode(p.metadata['encryption-key-id']) : '(none)';
      const ringed = this.ring.get(id);
      if (!ringed) throw new Error(`payload encrypted with key id ${id}, which is not in the key ring (${this.keyIds.join(', ')}): add its secret to BRIDGE_PAYLOAD_OLD_KEYS`);
      const data = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv(ALGORITHM, ringed.key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      const inner = JSON.parse(plain.toString()) as { metadata: Record<string, string>; data: string };
      return {
        metadata: Object.fromEntries(Object.entries(inner.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
        data: new Uint8Array(Buffer.from(inner.data, 'base64')),
      };
    });
  }
}

/** The demo's key: only `bridge up` with simulators, commands beside it, and the test suite use it (README). */
export const DEMO_PAYLOAD_KEY = 'channel-bridge-demo-payload-key';

/** Payload secrets from the environment: BRIDGE_PAYLOAD_KEY encrypts, BRIDGE_PAYLOAD_OLD_KEYS (comma-separated) still decrypt. */
export function payloadKeysFromEnv(env: NodeJS.ProcessEnv = process.env): { current: string; old: string[] } {
  const current = env.BRIDGE_PAYLOAD_KEY ?? '';
  if (!current) throw new ConfigError('BRIDGE_PAYLOAD_KEY is not set: every Temporal payload is encrypted with it (README, "Payload encryption")');
  return { current, old: (env.BRIDGE_PAYLOAD_OLD_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
}

/** For processes outside the demo (worker, receiver, codec server): a key of the operator's own, never the demo's. */
export function requireOwnPayloadKey(env: NodeJS.ProcessEnv = process.env): void {
  const { current } = payloadKeysFromEnv(env);
  if (current === DEMO_PAYLOAD_KEY) throw new ConfigError('BRIDGE_PAYLOAD_KEY is the demo key: set a secret of your own (README, "Payload encryption")');
}

/** The codec of the environment's key ring. */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): EncryptionCodec {
  const { current, old } = payloadKeysFromEnv(env);
  return new EncryptionCodec(current, old);
}

/** The failure converter module: failure messages and stacks become encrypted payloads too. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** The data converter every client and worker of the bridge uses. */
export function bridgeDataConverter(): { payloadCodecs: PayloadCodec[]; failureConverterPath: string } {
  return { payloadCodecs: [codecFromEnv()], failureConverterPath: FAILURE_CONVERTER_PATH };
}
