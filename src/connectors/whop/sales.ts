import type { WhopWebhookEvent } from './schemas.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? str((v as { id?: unknown }).id) : null);

/**
 * The sale a verified Whop delivery is about, as `{membership, product}`, or null when it names
 * none. `membership.*` events carry the membership (SDK webhooks.ts `MembershipActivatedWebhookEvent.data`:
 * Shared.Membership, with `product`); `payment.*` events the payment, with its `membership` and
 * `product` (SDK `PaymentSucceededWebhookEvent.data`: Shared.Payment). Other events sell nothing.
 */
export function whopSaleRoute(event: WhopWebhookEvent): { membership: string; product: string } | null {
  const d = event.data;
  if (event.type.startsWith('membership.')) {
    const membership = str(d.id);
    const product = idOf(d.product);
    return membership && product ? { membership, product } : null;
  }
  if (event.type.startsWith('payment.')) {
    const membership = idOf(d.membership);
    const product = idOf(d.product);
    return membership && product ? { membership, product } : null;
  }
  return null;
}
