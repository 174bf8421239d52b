import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Xola signs nothing (platforms.md §1.5), so each subscription URL carries a secret of ours:
 * `/webhooks/xola/<secret>` (or header `X-Bridge-Webhook-Token`). Compared in constant time.
 */
export function xolaTokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Xola's webhook payload: `{eventName, data, audit?}` (https://developers.xola.com/reference/webhook-introduction). */
export const XolaWebhook = z.object({
  eventName: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must be an event name such as experience.update'),
  data: z.object({ id: z.string().min(1), updatedAt: z.string().optional() }).loose(),
  audit: z.unknown().optional(),
}).loose();
export type XolaWebhook = z.infer<typeof XolaWebhook>;

/**
 * Xola sends no delivery id: a replay is the same action on the same record at the same update
 * time. `order.create` and `purchase.create` about one purchase are one delivery for us.
 */
export function xolaDeliveryKey(event: XolaWebhook): string {
  const action = event.eventName.split('.').slice(1).join('.');
  const family = /^(order|purchase)\./.test(event.eventName) ? 'booking' : event.eventName.split('.')[0];
  return `${family}.${action}:${event.data.id}:${event.data.updatedAt ?? ''}`;
}
