import { Transport } from '../../http/client.js';
import { SchemaDriftError } from '../../errors.js';
import {
  FanfareExperience, FanfareExperiencePage, FanfareProduct, FanfareProductPage, type FanfarePageOf,
} from './schemas.js';

/** Largest page the API serves (FF:api/pagination.mdx, "Limitations": max 100). */
export const FANFARE_MAX_PAGE = 100;

export interface FanfareClientOptions {
  /** e.g. https://admin.fanfare.io/api/v1 (version in the path, FF:api/overview.mdx). */
  baseUrl: string;
  /** A secret key, `sk_test_…` or `sk_live_…`; read per request, never logged. */
  apiKey: () => string;
  timeoutMs?: number;
}

export interface PageQuery {
  first?: number;
  after?: string;
  sortBy?: string;
  sortDir?: 'asc' | 'desc';
}

const enc = encodeURIComponent;

/** Fanfare's admin API; auth `Authorization: Bearer sk_…` (https://docs.fanfare.io/api/authentication). */
export class FanfareClient {
  readonly http: Transport;
  constructor(opts: FanfareClientOptions) {
    this.http = new Transport({
      platform: 'fanfare',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ authorization: `Bearer ${opts.apiKey()}` }),
    });
  }

  // Endpoint docs: OpenAPI fanfare-io/docs api/openapi/admin-api.json @055b707 (operationId in brackets),
  // rendered under https://docs.fanfare.io/api-reference/. Query parameters of lists: FF:api/pagination.mdx.

  /** https://docs.fanfare.io/api-reference/admin-experiences/get [getExperiences] */
  listExperiences(q: PageQuery = {}): Promise<FanfarePageOf<FanfareExperience>> {
    return this.http.send({ method: 'GET', path: '/experiences', searchParams: pageParams(q) }, FanfareExperiencePage);
  }

  /** https://docs.fanfare.io/api-reference/admin-experiences/post [postExperiences]: answers 200 with the experience */
  createExperience(body: Record<string, unknown>): Promise<FanfareExperience> {
    return this.http.send({ method: 'POST', path: '/experiences', json: body }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api-reference/admin-experiences-by-id/get [getExperiencesById] */
  getExperience(id: string): Promise<FanfareExperience> {
    return this.http.send({ method: 'GET', path: `/experiences/${enc(id)}` }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api-reference/admin-experiences-by-id/put [putExperiencesById]: i18n, name, products, theme, timeZone */
  updateExperience(id: string, body: Record<string, unknown>): Promise<FanfareExperience> {
    return this.http.send({ method: 'PUT', path: `/experiences/${enc(id)}`, json: body }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api-reference/admin-experiences-by-id/delete [deleteExperiencesById]: answers the experience */
  deleteExperience(id: string): Promise<FanfareExperience> {
    return this.http.send({ method: 'DELETE', path: `/experiences/${enc(id)}` }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api-reference/admin-products/get [getProducts]: a cursor page; no filter parameter */
  listProducts(q: PageQuery = {}): Promise<FanfarePageOf<FanfareProduct>> {
    return this.http.send({ method: 'GET', path: '/products', searchParams: pageParams(q) }, FanfareProductPage);
  }

  /** https://docs.fanfare.io/api-reference/admin-products/post [postProducts]: "upsert when sync source provided"; answers 200 */
  upsertProduct(body: Record<string, unknown>): Promise<FanfareProduct> {
    return this.http.send({ method: 'POST', path: '/products', json: body }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api-reference/admin-products-by-product-id/get [getProductsByProductId] */
  getProduct(id: string): Promise<FanfareProduct> {
    return this.http.send({ method: 'GET', path: `/products/${enc(id)}` }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api-reference/admin-products-by-product-id/put [putProductsByProductId]: description, handle, metadata, name, url */
  updateProduct(id: string, body: Record<string, unknown>): Promise<FanfareProduct> {
    return this.http.send({ method: 'PUT', path: `/products/${enc(id)}`, json: body }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api-reference/admin-products-by-product-id/delete [deleteProductsByProductId]: "Archive a product" */
  archiveProduct(id: string): Promise<FanfareProduct> {
    return this.http.send({ method: 'DELETE', path: `/products/${enc(id)}` }, FanfareProduct);
  }
}

function pageParams(q: PageQuery): Record<string, string | number | undefined> {
  if (q.first !== undefined && (q.first < 1 || q.first > FANFARE_MAX_PAGE)) {
    throw new RangeError(`fanfare page size ${q.first}: must be 1..${FANFARE_MAX_PAGE}`);
  }
  return { first: q.first, after: q.after, sortBy: q.sortBy, sortDir: q.sortDir };
}

/**
 * Walks a cursor listing page by page: `first` items per page, `after` = the previous
 * `endCursor`, until `endCursor` is null (FF:api/pagination.mdx). A cursor that repeats would
 * loop forever, so it is reported as drift instead.
 */
export async function* paginate<T>(fetchPage: (after: string | undefined) => Promise<FanfarePageOf<T>>): AsyncGenerator<T[]> {
  let after: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(after);
    yield page.data;
    const next = page.pageInfo.endCursor;
    if (next === null || page.data.length === 0) return;
    if (seen.has(next)) throw new SchemaDriftError(`fanfare: cursor ${next.slice(0, 16)}… repeated; pagination would not end`, { platform: 'fanfare' });
    seen.add(next);
    after = next;
  }
}

/** Every item of a listing, e.g. `listAll((after) => client.listExperiences({ first: 100, after }))`. */
export async function listAll<T>(fetchPage: (after: string | undefined) => Promise<FanfarePageOf<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const items of paginate(fetchPage)) all.push(...items);
  return all;
}
