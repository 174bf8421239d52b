import { apiKeyOf, type Endpoint } from '../../config.js';
import { InvalidRequestError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { PlannedWrite } from '../../canonical/plan.js';
import type { TargetConnector } from '../types.js';
import { FanfareClient, paginate } from './client.js';
import { FanfareExperience, FanfareProduct } from './schemas.js';
import { EXPERIENCE_PUT_FIELDS, FANFARE_SYNC_SOURCE, toFanfare } from './to-fanfare.js';
import type { FanfarePageOf } from './schemas.js';
import { orNullOn404 } from '../read-back.js';

export { FanfareClient, FANFARE_MAX_PAGE, listAll, paginate } from './client.js';
export { createFanfareSimulator, FANFARE_EVENT_TYPES, type FanfareSimulator } from './simulator.js';
export { toFanfare, decimalPrice, FANFARE_SYNC_SOURCE, FANFARE_PLACEHOLDER_URL_BASE, EXPERIENCE_PUT_FIELDS } from './to-fanfare.js';
export { signFanfare, verifyFanfareSignature, FANFARE_SIGNATURE_TOLERANCE_SECONDS } from './signature.js';
export { FanfareWebhookEvent } from './schemas.js';

/** True when a `{<key>Id}` placeholder is left anywhere in a body (the planner fills known ids). */
function hasPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return /\{[a-zA-Z]+Id\}/.test(value);
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (value && typeof value === 'object') return Object.values(value).some(hasPlaceholder);
  return false;
}

/**
 * The request a planned write really sends. Every removal is a DELETE of the path, whatever an
 * older plan stored (removals recorded before the OpenAPI contract were PUTs with a body); an
 * experience update keeps only the fields PUT accepts; a body still holding an unfilled id
 * placeholder is refused, never sent.
 */
export function fanfareRequest(write: Pick<PlannedWrite, 'key' | 'op' | 'body'> & { method?: PlannedWrite['method'] }): { method: PlannedWrite['method'] | undefined; body: Record<string, unknown> | undefined } {
  if (write.op === 'delete') return { method: 'DELETE', body: undefined };
  let body = write.body;
  if (body && write.key === 'experience' && write.op === 'update') {
    body = Object.fromEntries(Object.entries(body).filter(([k]) => (EXPERIENCE_PUT_FIELDS as readonly string[]).includes(k)));
  }
  if (hasPlaceholder(body)) throw new InvalidRequestError(`fanfare ${write.key}: the body still holds an id placeholder; its parent has no id yet`);
  return { method: write.method, body };
}

/** Newest-first pages of a listing, stopping at the first page that reaches records older than `since`. */
async function findSince<T extends { id: string; createdAt: string }>(
  list: (after: string | undefined) => Promise<FanfarePageOf<T>>, since: string, match: (x: T) => boolean,
): Promise<string | null> {
  for await (const items of paginate(list)) {
    const hit = items.find((x) => x.createdAt >= since && match(x));
    if (hit) return hit.id;
    if (items.some((x) => x.createdAt < since)) return null;
  }
  return null;
}

/**
 * Fanfare as a target. Products are upserted by our sync source (POST /products: "upsert when
 * sync source provided"), so a retried create lands on the same record; experiences have no key
 * of ours, so an unanswered create is looked up by name and product among experiences created
 * since the first attempt (README, "Idempotency"). Removals DELETE only what the entity created.
 */
export function fanfareTarget(endpoint: Endpoint): TargetConnector {
  const client = new FanfareClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  const syncSource = endpoint.options.syncSource ?? FANFARE_SYNC_SOURCE;
  const productUrlBase = endpoint.options.productUrlBase;
  const newestFirst = { first: 100, sortBy: 'createdAt', sortDir: 'desc' } as const;
  return {
    desired(product) {
      const { resources, losses } = toFanfare(product, { syncSource, productUrlBase });
      return {
        resources: resources.map((r) => ({
          ...r,
          fingerprint: fingerprint(r.body),
          createSafety: r.key === 'product' ? 'natural-key' as const : 'lookup-before-create' as const,
        })),
        losses,
      };
    },
    async apply(write) {
      const { method, body } = fanfareRequest(write);
      const schema = write.key === 'product' ? FanfareProduct : FanfareExperience;
      const res = await client.http.send({ method: method ?? write.method, path: write.path, json: body }, schema);
      return { id: res.id };
    },
    async findCreated(write, since) {
      if (write.key === 'product') {
        // No search endpoint in the contract: page products newest first and match our sync source.
        const src = write.body?.primarySyncSource as { syncSource?: string; syncSourceId?: string } | undefined;
        if (!src?.syncSource || !src.syncSourceId) return null;
        return findSince((after) => client.listProducts({ ...newestFirst, after }), since,
          (p) => p.primarySyncSource?.syncSource === src.syncSource && p.primarySyncSource?.syncSourceId === src.syncSourceId);
      }
      const name = String(write.body?.name ?? '');
      // The planner fills the body's product placeholder, so the experience is matched on what it sells too.
      const productId = (write.body?.products as Array<{ productId?: string }> | undefined)?.[0]?.productId;
      const sells = productId && !hasPlaceholder(productId) ? productId : undefined;
      return findSince((after) => client.listExperiences({ ...newestFirst, after }), since,
        (e) => e.name === name && (!sells || (e.products ?? []).some((p) => p.productId === sells)));
    },
    readBackKeys: ['product', 'experience'],
    // GET /products/{productId} and GET /experiences/{id} (OA); an archived record still answers, so it is not "missing".
    async readBack(key, ids) {
      const id = ids[key];
      if (!id) return null;
      if (key === 'product') return orNullOn404(client.getProduct(id));
      return key === 'experience' ? orNullOn404(client.getExperience(id)) : null;
    },
  };
}
