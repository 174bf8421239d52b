import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Payload, PayloadCodec } from '@temporalio/common';

const ENCODING = 'binary/encrypted';
const ALGORITHM = 'aes-256-gcm';
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Encrypts every payload (workflow inputs, results, signals, activity arguments) with AES-256-GCM,
 * so booking data with traveller names never sits readable in workflow histories. Search
 * attributes are not payloads and are never encrypted: they carry ids only. Payloads that arrive
 * unencrypted (e.g. a manual start from the Temporal UI) pass through as they are.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly key: Buffer;
  readonly keyId: string;
  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 12);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, this.key, iv);
      const plain = Buffer.from(JSON.stringify({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') }));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { encoding: enc.encode(ENCODING), 'encryption-key-id': enc.encode(this.keyId) },
        data: Buffer.concat([iv, cipher.getAuthTag(), body]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata?.encoding || dec.decode(p.metadata.encoding) !== ENCODING) return p;
      const data = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv(ALGORITHM, this.key, data.subarray(0, 12));
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

/** The demo's key when BRIDGE_PAYLOAD_KEY is unset; production sets its own (README). */
export const DEMO_PAYLOAD_KEY = 'channel-bridge-demo-payload-key';

/** The failure converter module: failure messages and stacks become encrypted payloads too. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** The data converter every client and worker of the bridge uses. */
export function bridgeDataConverter(): { payloadCodecs: PayloadCodec[]; failureConverterPath: string } {
  return { payloadCodecs: [new EncryptionCodec(process.env.BRIDGE_PAYLOAD_KEY ?? DEMO_PAYLOAD_KEY)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
