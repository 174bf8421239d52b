import { apiKeyOf, type BridgeConfig } from '../config.js';
import { XolaClient } from '../connectors/xola/index.js';

/**
 * Xola events the receiver listens to: the official order names and the `purchase.*` names that
 * third-party integrations use (undocumented; platforms.md §1.5). Both are deduplicated as one.
 */
export const XOLA_BOOKING_EVENTS = ['order.create', 'order.update', 'order.cancel', 'order.rollback', 'purchase.create', 'purchase.update', 'purchase.cancel'] as const;

/**
 * Subscribes the receiver to each Xola target's booking events, adding only the missing ones so
 * a restart never doubles a subscription. Returns how many it added per seller.
 */
export async function ensureXolaHooks(config: BridgeConfig, receiverBaseUrl: string, secret: string): Promise<Record<string, number>> {
  const added: Record<string, number> = {};
  const url = `${receiverBaseUrl.replace(/\/+$/, '')}/webhooks/xola/${secret}`;
  for (const c of config.connections) {
    for (const t of c.targets.filter((x) => x.platform === 'xola')) {
      const seller = t.options.sellerId;
      if (!seller || added[seller] !== undefined) continue;
      const client = new XolaClient({ baseUrl: t.baseUrl, apiKey: () => apiKeyOf(t), apiVersion: t.options.apiVersion });
      const have = new Set((await client.listHooks(seller)).filter((h) => h.url === url).map((h) => h.eventName));
      const missing = XOLA_BOOKING_EVENTS.filter((e) => !have.has(e));
      for (const eventName of missing) await client.subscribeHook(seller, { url, eventName });
      added[seller] = missing.length;
    }
  }
  return added;
}
