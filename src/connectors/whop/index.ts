import { apiKeyOf, type Endpoint } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { TargetConnector } from '../types.js';
import { WhopClient } from './client.js';
import { findWhopCreated, writeRequest } from './target.js';
import { toWhop } from './to-whop.js';

export { WhopClient, WHOP_BASE_URL, paginate, collect } from './client.js';
export { createWhopSimulator, type WhopSimulator, type WhopSimulatorOptions } from './simulator.js';
export { toWhop, type WhopResource } from './to-whop.js';
export { signWhop, verifyWhopWebhook, whopWebhookKey, type WhopVerification } from './signature.js';
export type { WhopWebhookEvent } from './schemas.js';

const idOf = (body: unknown): string | null => (body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : null);

/**
 * Whop as a target: product, plan, experience and the experience's attachment to the product.
 * Whop has no idempotency key, so every create is `lookup-before-create` (README, "Idempotency").
 */
export function whopTarget(endpoint: Endpoint): TargetConnector {
  const { companyId, appId } = endpoint.options;
  if (!companyId) throw new ConfigError(`Whop target ${endpoint.baseUrl}: options.companyId is required (Whop scopes every list and create to a company)`);
  if (!appId) throw new ConfigError(`Whop target ${endpoint.baseUrl}: options.appId is required (experiences are created for an app)`);
  const client = new WhopClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    desired(product) {
      const { resources, losses } = toWhop(product, { companyId, appId });
      return { resources: resources.map((r) => ({ ...r, fingerprint: fingerprint(r.body), createSafety: 'lookup-before-create' as const })), losses };
    },
    async apply(write) {
      const { path, body } = writeRequest(write);
      return { id: idOf(await client.http.raw({ method: write.method, path, json: body })) };
    },
    findCreated(write, since) {
      return findWhopCreated(client, companyId, appId, write, since);
    },
  };
}
