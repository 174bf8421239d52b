import { apiKeyOf, type Endpoint } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { TargetConnector } from '../types.js';
import { GomryClient } from './client.js';
import { toGomry } from './to-gomry.js';
import { gomryExperiencePatch, replacesShared } from './merge.js';
import { orNullOn404 } from '../read-back.js';

export { GomryClient, collectPages, idempotencyHeader, GOMRY_MAX_PAGE_SIZE } from './client.js';
export { createGomrySimulator, type GomrySimulator, type GomrySimulatorOptions } from './simulator.js';
export { gomryExperiencePatch } from './merge.js';
export { toGomry, GOMRY_DAY_OF_ISO, GOMRY_DEFAULT_START_TIME, GOMRY_FREESALE_CAPACITY, type GomryResource, type GomryMapOptions } from './to-gomry.js';

/** `data.id` of a Gomry answer (empty for a DELETE's 204). */
const idOf = (body: unknown): string | null => {
  const data = body && typeof body === 'object' ? (body as { data?: { id?: unknown } }).data : undefined;
  return data && typeof data.id === 'string' ? data.id : null;
};

/**
 * Gomry as a target. Creates carry an `Idempotency-Key` that Gomry replays for 24 h, so a create
 * whose answer was lost is simply sent again with the same key (README, "Idempotency").
 * Options: `locale`, `startTime` (HH:MM, default 09:00), `providerId`, `timeoutMs`.
 */
export function gomryTarget(endpoint: Endpoint): TargetConnector {
  const { locale, startTime, providerId, timeoutMs } = endpoint.options;
  if (startTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(startTime)) {
    throw new ConfigError(`Gomry target ${endpoint.baseUrl}: options.startTime must be HH:MM (24 h)`);
  }
  if (timeoutMs !== undefined && !/^\d+$/.test(timeoutMs)) throw new ConfigError(`Gomry target ${endpoint.baseUrl}: options.timeoutMs must be a whole number of milliseconds`);
  const client = new GomryClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint), timeoutMs: timeoutMs ? Number(timeoutMs) : undefined });
  return {
    desired(product) {
      const { resources, losses } = toGomry(product, { locale, startTime, providerId });
      return { resources: resources.map((r) => ({ ...r, fingerprint: fingerprint(r.body), createSafety: 'idempotency-key' as const })), losses };
    },
    async apply(write, idempotencyKey) {
      // PATCH replaces pricing and location whole (S1:L62, L65): read the experience, keep what others set there.
      const id = /^\/experiences\/([^/]+)$/.exec(write.path)?.[1];
      const body = write.method === 'PATCH' && id && write.body && replacesShared(write.body)
        ? gomryExperiencePatch(write.body, await client.getExperience(decodeURIComponent(id)))
        : write.body;
      return { id: idOf(await client.write(write.method, write.path, body, idempotencyKey)) };
    },
    // Creates are replayed by Idempotency-Key, never looked up.
    async findCreated() {
      return null;
    },
    readBackKeys: ['experience'],
    // GET /experiences/{id} (https://docs.gomry.com/scopes).
    async readBack(key, ids) {
      return key === 'experience' && ids.experience ? orNullOn404(client.getExperience(ids.experience)) : null;
    },
  };
}
