import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { whopError } from './simulator-rules.js';

/** How long a keyed answer is replayed: "stored for 24 hours" (https://docs.whop.com/developer/api/idempotency). */
export const WHOP_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_BYTES = 255;

interface Entry { fingerprint: string; at: number; answer?: { status: number; payload: unknown; type: string } }
type Keyed = FastifyRequest & { whopIdempotency?: { key: string; entry: Entry } };

/**
 * `Idempotency-Key` on the POSTs whose SDK params take it (products.ts `ProductCreateParams`,
 * plans.ts `PlanCreateParams`), as https://docs.whop.com/developer/api/idempotency describes it:
 * the answer (2xx or 4xx) is stored 24 h and replayed byte for byte with `Idempotent-Replayed: true`;
 * the same key with another method, path, query, body or Api-Version-Date → 400
 * `idempotency_key_mismatch`; a retry while the first still runs → 409 `idempotency_request_in_progress`;
 * keys over 255 bytes → 400 (assumption). Keys are per caller: the simulator has one key.
 */
export function createIdempotency(app: FastifyInstance) {
  const entries = new Map<string, Entry>();

  /** Route preHandler: replays, refuses, or marks the request as the first of its key. */
  async function begin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) {
      await whopError(reply, 400, 'invalid_request', `Idempotency-Key must be 1..${MAX_KEY_BYTES} bytes`);
      return;
    }
    const fingerprint = JSON.stringify([req.method, req.url, req.body ?? null, req.headers['api-version-date'] ?? null]);
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < WHOP_IDEMPOTENCY_TTL_MS) {
      if (hit.fingerprint !== fingerprint) {
        await whopError(reply, 400, 'idempotency_key_mismatch', 'This Idempotency-Key was used with a different request');
      } else if (!hit.answer) {
        await whopError(reply, 409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still in progress');
      } else {
        await reply.code(hit.answer.status).header('content-type', hit.answer.type).header('Idempotent-Replayed', 'true').send(hit.answer.payload);
      }
      return;
    }
    const entry: Entry = { fingerprint, at: now };
    entries.set(key, entry);
    (req as Keyed).whopIdempotency = { key, entry };
  }

  // The first answer of a key is kept when it is below 500 (a 5xx or a crash leaves the key free: assumption).
  app.addHook('onSend', async (req, reply, payload) => {
    const mine = (req as Keyed).whopIdempotency;
    if (!mine) return payload;
    if (reply.statusCode >= 500) entries.delete(mine.key);
    else mine.entry.answer = { status: reply.statusCode, payload, type: String(reply.getHeader('content-type') ?? 'application/json') };
    return payload;
  });

  return { begin, clear: () => entries.clear(), size: () => entries.size };
}
