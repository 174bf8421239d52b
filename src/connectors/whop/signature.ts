import { Webhook } from 'standardwebhooks';
import { WhopWebhookEvent } from './schemas.js';

/**
 * The Standard Webhooks key for a Whop secret. `whsec_<base64>` is already a key; any other
 * value is the raw secret text Whop shows, which the library needs base64-encoded (platforms.md
 * §4.2: "the key must be base64 of the secret").
 */
export function whopWebhookKey(secret: string): string {
  return secret.startsWith('whsec_') ? secret : Buffer.from(secret, 'utf8').toString('base64');
}

/** Standard Webhooks headers for one delivery (the simulator signs with this; tests forge with it). */
export function signWhop(secret: string, id: string, timestamp: Date | number, body: string): Record<string, string> {
  const at = typeof timestamp === 'number' ? new Date(timestamp * 1000) : timestamp;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(whopWebhookKey(secret)).sign(id, at, body),
  };
}

export type WhopVerification = { ok: true; event: WhopWebhookEvent } | { ok: false; reason: string };

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(hit) ? hit[0] : hit;
}

/**
 * Verifies a Whop delivery over the exact raw body (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`; 5-minute tolerance from the library). Reasons never echo the secret.
 */
export function verifyWhopWebhook(input: { rawBody: string | Buffer; headers: Record<string, string | string[] | undefined>; secret: string }): WhopVerification {
  const names = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
  const values = names.map((n) => header(input.headers, n));
  const missing = names.filter((_, i) => !values[i]);
  if (missing.length) return { ok: false, reason: `missing header(s): ${missing.join(', ')}` };
  let payload: unknown;
  try {
    payload = new Webhook(whopWebhookKey(input.secret)).verify(input.rawBody, Object.fromEntries(names.map((n, i) => [n, values[i]!])));
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : 'signature verification failed' };
  }
  const event = WhopWebhookEvent.safeParse(payload);
  if (!event.success) return { ok: false, reason: `signed body is not a Whop event: ${event.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, event: event.data };
}
