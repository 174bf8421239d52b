import { Transport } from '../../http/client.js';
import {
  WhopExperience, WhopExperiencePage, WhopPlan, WhopPlanPage, WhopProduct, WhopProductPage, type WhopPageOf,
} from './schemas.js';

/** Whop's REST base (platforms.md §4; SDK client.js L360). */
export const WHOP_BASE_URL = 'https://api.whop.com/api/v1';

export interface WhopClientOptions {
  baseUrl: string;
  apiKey: () => string;
  timeoutMs?: number;
}

/** Cursor params shared by every list endpoint (`first` ≤ 100 is our own cap; README). */
export interface WhopCursor { first?: number; after?: string }
type Query = Record<string, string | number | boolean | undefined>;

/**
 * Whop's v1 REST API over the project's shared got `Transport` (one error taxonomy, Retry-After,
 * redaction for every connector; Temporal owns retries), not the `@whop/sdk` (README).
 * Auth: `Authorization: Bearer <key>` (https://docs.whop.com/api-reference/experiences/list-experiences).
 */
export class WhopClient {
  readonly http: Transport;
  constructor(opts: WhopClientOptions) {
    this.http = new Transport({
      platform: 'whop',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ authorization: `Bearer ${opts.apiKey()}` }),
    });
  }

  // --- experiences -------------------------------------------------------------------------

  /** https://docs.whop.com/api-reference/experiences/list-experiences — `company_id` required. */
  listExperiences(q: { company_id: string; product_id?: string; app_id?: string; created_after?: string; created_before?: string } & WhopCursor): Promise<WhopPageOf<WhopExperience>> {
    return this.http.send({ method: 'GET', path: '/experiences', searchParams: { ...q } as Query }, WhopExperiencePage);
  }

  /** https://docs.whop.com/api-reference/experiences/create-experience — `app_id`, `company_id` required. */
  createExperience(body: Record<string, unknown>): Promise<WhopExperience> {
    return this.http.send({ method: 'POST', path: '/experiences', json: body }, WhopExperience);
  }

  /** https://docs.whop.com/api-reference/experiences/retrieve-experience */
  getExperience(id: string): Promise<WhopExperience> {
    return this.http.send({ method: 'GET', path: `/experiences/${encodeURIComponent(id)}` }, WhopExperience);
  }

  /** https://docs.whop.com/api-reference/experiences/update-experience (S3) */
  updateExperience(id: string, body: Record<string, unknown>): Promise<WhopExperience> {
    return this.http.send({ method: 'PATCH', path: `/experiences/${encodeURIComponent(id)}`, json: body }, WhopExperience);
  }

  /** https://docs.whop.com/api-reference/experiences/attach-experience — body `{product_id}`. */
  attachExperience(id: string, productId: string): Promise<WhopExperience> {
    return this.http.send({ method: 'POST', path: `/experiences/${encodeURIComponent(id)}/attach`, json: { product_id: productId } }, WhopExperience);
  }

  /** https://docs.whop.com/api-reference/experiences/detach-experience — body `{product_id}`. */
  detachExperience(id: string, productId: string): Promise<WhopExperience> {
    return this.http.send({ method: 'POST', path: `/experiences/${encodeURIComponent(id)}/detach`, json: { product_id: productId } }, WhopExperience);
  }

  // --- products ----------------------------------------------------------------------------

  /** https://docs.whop.com/api-reference/products/list-products — `company_id` required. */
  listProducts(q: { company_id: string; created_after?: string; created_before?: string } & WhopCursor): Promise<WhopPageOf<WhopProduct>> {
    return this.http.send({ method: 'GET', path: '/products', searchParams: { ...q } as Query }, WhopProductPage);
  }

  /** https://docs.whop.com/api-reference/products/create-product — `company_id`, `title` required. */
  createProduct(body: Record<string, unknown>): Promise<WhopProduct> {
    return this.http.send({ method: 'POST', path: '/products', json: body }, WhopProduct);
  }

  /** https://docs.whop.com/api-reference/products/retrieve-product */
  getProduct(id: string): Promise<WhopProduct> {
    return this.http.send({ method: 'GET', path: `/products/${encodeURIComponent(id)}` }, WhopProduct);
  }

  /** https://docs.whop.com/api-reference/products/update-product */
  updateProduct(id: string, body: Record<string, unknown>): Promise<WhopProduct> {
    return this.http.send({ method: 'PATCH', path: `/products/${encodeURIComponent(id)}`, json: body }, WhopProduct);
  }

  // --- plans -------------------------------------------------------------------------------

  /** https://docs.whop.com/api-reference/plans/list-plans — `company_id` required; one `product_ids` value. */
  listPlans(q: { company_id: string; product_ids?: string; created_after?: string; created_before?: string } & WhopCursor): Promise<WhopPageOf<WhopPlan>> {
    return this.http.send({ method: 'GET', path: '/plans', searchParams: { ...q } as Query }, WhopPlanPage);
  }

  /** https://docs.whop.com/api-reference/plans/create-plan — `company_id`, `product_id` required. */
  createPlan(body: Record<string, unknown>): Promise<WhopPlan> {
    return this.http.send({ method: 'POST', path: '/plans', json: body }, WhopPlan);
  }

  /** https://docs.whop.com/api-reference/plans/retrieve-plan */
  getPlan(id: string): Promise<WhopPlan> {
    return this.http.send({ method: 'GET', path: `/plans/${encodeURIComponent(id)}` }, WhopPlan);
  }

  /** https://docs.whop.com/api-reference/plans/update-plan — `plan_type`, `release_method` are create-only. */
  updatePlan(id: string, body: Record<string, unknown>): Promise<WhopPlan> {
    return this.http.send({ method: 'PATCH', path: `/plans/${encodeURIComponent(id)}`, json: body }, WhopPlan);
  }
}

/**
 * Every item of a cursor-paged list: asks `first` per page and follows `end_cursor` until
 * `has_next_page` is false (SDK core/pagination.ts). `maxPages` bounds a misbehaving cursor.
 */
export async function* paginate<T>(
  fetchPage: (cursor: WhopCursor) => Promise<WhopPageOf<T>>,
  opts: { first?: number; maxPages?: number } = {},
): AsyncGenerator<T> {
  let after: string | undefined;
  for (let page = 0; page < (opts.maxPages ?? 1000); page += 1) {
    const res = await fetchPage({ first: opts.first ?? 100, ...(after ? { after } : {}) });
    yield* res.data;
    const next = res.page_info.end_cursor ?? undefined;
    if (!res.page_info.has_next_page || !next || next === after) return;
    after = next;
  }
}

/** All items of a paged list, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
