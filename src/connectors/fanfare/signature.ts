import { createHmac, timingSafeEqual } from 'node:crypto';

/** Replays older than this are refused (FF:api/webhooks/signatures.mdx recommends 300 s). */
export const FANFARE_SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureHeaders = Record<string, string | string[] | undefined>;
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<rawBody>")>`, the value of X-Fanfare-Signature. */
export function signFanfare(secret: string, timestamp: string | number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

function header(headers: SignatureHeaders, name: string): string | undefined {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(hit) ? hit[0] : hit;
}

/**
 * Checks a delivery the way Fanfare signs it: the signature over the raw body and timestamp,
 * compared in constant time, and a timestamp no more than `toleranceSeconds` away from now
 * (either way: a clock far in the future is as suspect as a replay). Several secrets may be
 * given while one is rotated. Reasons never contain the secret or the expected signature.
 */
export function verifyFanfareSignature(input: {
  rawBody: string | Buffer;
  headers: SignatureHeaders;
  secret: string | string[];
  /** Milliseconds since the epoch; defaults to Date.now(). */
  now?: number;
  toleranceSeconds?: number;
}): VerifyResult {
  const signature = header(input.headers, 'x-fanfare-signature');
  const timestamp = header(input.headers, 'x-fanfare-timestamp');
  if (!signature) return { ok: false, reason: 'missing X-Fanfare-Signature header' };
  if (!timestamp) return { ok: false, reason: 'missing X-Fanfare-Timestamp header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Fanfare-Timestamp is not a Unix time in seconds' };
  const age = Math.floor((input.now ?? Date.now()) / 1000) - Number(timestamp);
  const tolerance = input.toleranceSeconds ?? FANFARE_SIGNATURE_TOLERANCE_SECONDS;
  if (age > tolerance) return { ok: false, reason: `timestamp is ${age} s old (more than ${tolerance} s)` };
  if (age < -tolerance) return { ok: false, reason: `timestamp is ${-age} s in the future (more than ${tolerance} s)` };
  if (!/^sha256=[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: 'X-Fanfare-Signature is not sha256=<64 hex digits>' };
  const given = Buffer.from(signature.toLowerCase());
  const secrets = Array.isArray(input.secret) ? input.secret : [input.secret];
  if (secrets.length === 0 || secrets.some((s) => !s)) return { ok: false, reason: 'no webhook secret configured' };
  const match = secrets.some((s) => {
    const expected = Buffer.from(signFanfare(s, timestamp, input.rawBody));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return match ? { ok: true } : { ok: false, reason: 'signature does not match the body and timestamp' };
}
