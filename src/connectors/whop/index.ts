import { apiKeyOf, type Endpoint } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { CreateSafety } from '../../canonical/plan.js';
import type { TargetConnector } from '../types.js';
import { WhopClient } from './client.js';
import { applyWhopWrite, findWhopCreated } from './target.js';
import { toWhop, type WhopResource } from './to-whop.js';
import { orNullOn404 } from '../read-back.js';

export { whopChannel } from './channel.js';
export { whopSaleRoute } from './sales.js';
export { WhopClient, WHOP_BASE_URL, WHOP_API_VERSION_DATE, paginate, collect } from './client.js';
export { createWhopSimulator, type WhopSimulator, type WhopSimulatorOptions } from './simulator.js';
export { toWhop, type WhopResource } from './to-whop.js';
export { signWhop, verifyWhopWebhook, whopWebhookKey, type WhopVerification } from './signature.js';
export type { WhopWebhookEvent } from './schemas.js';

/** SDK `ProductCreateParams`/`PlanCreateParams` take `Idempotency-Key`; experience create and attach do not. */
const SAFETY: Record<WhopResource['key'], CreateSafety> = {
  product: 'idempotency-key', plan: 'idempotency-key', experience: 'lookup-before-create', attachment: 'lookup-before-create',
  // A PATCH of visibility: sending it twice leaves the same product.
  publish: 'natural-key',
};

/**
 * Whop as a target: product, plan, experience and the experience's attachment to the product.
 * Product and plan creates are replayed by `Idempotency-Key` (SDK); experiences and attachments,
 * where the SDK documents no key, are `lookup-before-create` (README, "Idempotency").
 */
export function whopTarget(endpoint: Endpoint): TargetConnector {
  const { companyId, appId } = endpoint.options;
  if (!companyId) throw new ConfigError(`Whop target ${endpoint.baseUrl}: options.companyId is required (Whop scopes every list and create to a company)`);
  if (!appId) throw new ConfigError(`Whop target ${endpoint.baseUrl}: options.appId is required (experiences are created for an app)`);
  const client = new WhopClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    desired(product) {
      const { resources, losses } = toWhop(product, { companyId, appId });
      return { resources: resources.map((r) => ({ ...r, body: { ...r.body }, fingerprint: fingerprint(r.body), createSafety: SAFETY[r.key] })), losses };
    },
    async apply(write, idempotencyKey) {
      return { id: (await applyWhopWrite(client, write, idempotencyKey)).id };
    },
    findCreated(write, since) {
      return findWhopCreated(client, companyId, appId, write, since);
    },
    readBackKeys: ['product', 'plan'],
    // SDK retrieve (GET /products/{id}, GET /plans/{id}); a 404 is a record deleted on Whop.
    async readBack(key, ids) {
      const id = ids[key];
      if (!id) return null;
      if (key === 'product') return orNullOn404(client.getProduct(id));
      return key === 'plan' ? orNullOn404(client.getPlan(id)) : null;
    },
  };
}
