import { z } from 'zod';
import { Transport } from '../../http/client.js';
import { SchemaDriftError } from '../../errors.js';
import {
  FanfareExperience, FanfareExperiencePage, FanfareProduct, FanfareProductList, FanfareProductSearch,
  type FanfarePageOf,
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

const Empty = z.unknown();
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

  /** https://docs.fanfare.io/api/admin-api/experiences (list; cursor paging, sortable by createdAt|name|openAt) */
  listExperiences(q: PageQuery = {}): Promise<FanfarePageOf<FanfareExperience>> {
    return this.http.send({ method: 'GET', path: '/experiences', searchParams: pageParams(q) }, FanfareExperiencePage);
  }

  /** https://docs.fanfare.io/api/admin-api/experiences ("Create Experience": name required, nested sequence) */
  createExperience(body: Record<string, unknown>): Promise<FanfareExperience> {
    return this.http.send({ method: 'POST', path: '/experiences', json: body }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api/admin-api/experiences (get one) */
  getExperience(id: string): Promise<FanfareExperience> {
    return this.http.send({ method: 'GET', path: `/experiences/${enc(id)}` }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api/admin-api/experiences ("Update Experience": name, timeZone, theme, i18n only) */
  updateExperience(id: string, body: { name?: string; timeZone?: string; theme?: unknown; i18n?: unknown }): Promise<FanfareExperience> {
    return this.http.send({ method: 'PUT', path: `/experiences/${enc(id)}`, json: body }, FanfareExperience);
  }

  /** https://docs.fanfare.io/api/admin-api/products ("List Products"; example answers a bare array) */
  listProducts(q: PageQuery & { include?: string } = {}): Promise<FanfarePageOf<FanfareProduct>> {
    return this.http.send({ method: 'GET', path: '/products', searchParams: { ...pageParams(q), include: q.include } }, FanfareProductList);
  }

  /** https://docs.fanfare.io/api/admin-api/products ("Create Product": upsert when primarySyncSource matches) */
  upsertProduct(body: Record<string, unknown>): Promise<FanfareProduct> {
    return this.http.send({ method: 'POST', path: '/products', json: body }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api/admin-api/products ("Search Products" by sync source) */
  async searchProducts(syncSource: string, syncSourceId: string): Promise<FanfareProduct[]> {
    const page = await this.http.send({ method: 'GET', path: '/products/search', searchParams: { syncSource, syncSourceId } }, FanfareProductSearch);
    return page.data;
  }

  /** https://docs.fanfare.io/api/admin-api/products ("Get Product") */
  getProduct(id: string, include?: string): Promise<FanfareProduct> {
    return this.http.send({ method: 'GET', path: `/products/${enc(id)}`, searchParams: { include } }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api/admin-api/products ("Update Product"; no primarySyncSource here) */
  updateProduct(id: string, body: Record<string, unknown>): Promise<FanfareProduct> {
    return this.http.send({ method: 'PUT', path: `/products/${enc(id)}`, json: body }, FanfareProduct);
  }

  /** https://docs.fanfare.io/api/admin-api/products ("Delete Product" archives; we prefer PUT {status:"ARCHIVED"}) */
  async deleteProduct(id: string): Promise<void> {
    await this.http.send({ method: 'DELETE', path: `/products/${enc(id)}` }, Empty);
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
