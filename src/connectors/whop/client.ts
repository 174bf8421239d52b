import { createHash } from 'node:crypto';
import Whop, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@whop/sdk';
import type { z } from 'zod';
import { describeIssues } from '../../config.js';
import { type BridgeError, SchemaDriftError, TransientError } from '../../errors.js';
import { classify } from '../../http/classify.js';
import {
  WhopExperience, WhopExperiencePage, WhopMembership, WhopPaymentPage, WhopPlan, WhopPlanPage, WhopProduct, WhopProductPage, type WhopPageOf,
} from './schemas.js';
import { guardedStock, type StockMark } from './stock-guard.js';
import type {
  WhopAttach, WhopExperienceCreate, WhopExperienceUpdate, WhopPlanCreate, WhopPlanUpdate, WhopProductCreate, WhopProductUpdate,
} from './to-whop.js';

/** Whop's REST base (SDK client.ts `baseURL` default; platforms.md §4). */
export const WHOP_BASE_URL = 'https://api.whop.com/api/v1';
/** The `Api-Version-Date` `@whop/sdk` 0.0.42 sends by default (SDK client.ts, constructor `version`): pinned, not read from env. */
export const WHOP_API_VERSION_DATE = '2026-07-20';
/** Longest Idempotency-Key Whop keeps ("up to 255 bytes", https://docs.whop.com/developer/api/idempotency). */
export const WHOP_IDEMPOTENCY_KEY_MAX_BYTES = 255;

export interface WhopClientOptions {
  baseUrl: string;
  apiKey: () => string;
  /** Per-request budget (our 15 s default, as the shared Transport); Temporal's activity timeout is the outer bound. */
  timeoutMs?: number;
}

/** Cursor params shared by every list endpoint (SDK core/pagination.ts `CursorPageParams`, `first` ≤ 100). */
export interface WhopCursor { first?: number; after?: string }
type Sdk = Whop;

/** One page as Whop sent it: only `data` and `page_info`, never the SDK's page object (it holds the client and its key). */
async function pageOf(page: PromiseLike<{ data: unknown; page_info: unknown }>): Promise<{ data: unknown; page_info: unknown }> {
  const { data, page_info } = await page;
  return { data, page_info };
}

/** Our idempotency key as Whop takes it: unchanged up to 255 bytes, else a stable SHA-256 of it. */
export function whopIdempotencyKey(key: string): string {
  return Buffer.byteLength(key) <= WHOP_IDEMPOTENCY_KEY_MAX_BYTES ? key : `sha256-${createHash('sha256').update(key).digest('hex')}`;
}

/** An SDK failure → our taxonomy (STYLE.md). A 409 is Whop's "same key still in progress": retry later with the key. */
function toBridgeError(err: unknown, method: string, path: string): unknown {
  const where = { platform: 'whop', method, path };
  if (err instanceof APIConnectionTimeoutError) return classify({ ...where, code: 'ETIMEDOUT' });
  if (err instanceof APIConnectionError) return classify({ ...where, code: 'ECONNRESET' });
  if (!(err instanceof APIError) || err.status === undefined) return err;
  const body = err.error === undefined ? '' : JSON.stringify(err.error);
  const mapped: BridgeError = classify({ ...where, status: err.status, body, retryAfter: err.headers?.get('retry-after') ?? undefined });
  // https://docs.whop.com/developer/api/idempotency: 409 `idempotency_request_in_progress` — the first request still runs.
  return err.status === 409 ? new TransientError(mapped.message, mapped.details) : mapped;
}

/**
 * Whop's v1 REST API through the official `@whop/sdk` 0.0.42 (README, "Decision"): `maxRetries: 0`
 * (Temporal owns retries, one HTTP call per SDK call), errors mapped to our taxonomy, responses
 * zod-parsed (SchemaDriftError), the SDK's own logging off. The key is read when a call is made.
 */
export class WhopClient {
  private cached: { key: string; sdk: Sdk } | undefined;
  constructor(private readonly opts: WhopClientOptions) {}

  private sdk(): Sdk {
    const key = this.opts.apiKey();
    if (this.cached?.key !== key) {
      this.cached = {
        key,
        sdk: new Whop({
          apiKey: key, baseURL: this.opts.baseUrl, maxRetries: 0, timeout: this.opts.timeoutMs ?? 15_000,
          version: WHOP_API_VERSION_DATE, appID: null, webhookKey: null, logLevel: 'off',
        }),
      };
    }
    return this.cached.sdk;
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, send: (sdk: Sdk) => PromiseLike<unknown>): Promise<z.infer<S>> {
    let raw: unknown;
    try {
      raw = await send(this.sdk());
    } catch (err) {
      throw toBridgeError(err, method, path);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new SchemaDriftError(`whop ${method} ${path}: response does not match the documented shape:\n${describeIssues(parsed.error)}`, { platform: 'whop', path });
    }
    return parsed.data;
  }

  // --- experiences (SDK resources/experiences.ts) -------------------------------------------

  /** https://docs.whop.com/api-reference/experiences/list-experiences — `company_id` required. */
  listExperiences(q: { company_id: string; product_id?: string; app_id?: string; created_after?: string; created_before?: string } & WhopCursor): Promise<WhopPageOf<WhopExperience>> {
    return this.call('GET', '/experiences', WhopExperiencePage, (s) => pageOf(s.experiences.list(q)));
  }

  /** https://docs.whop.com/api-reference/experiences/create-experience — `app_id`, `company_id` required; no Idempotency-Key in the SDK. */
  createExperience(body: WhopExperienceCreate): Promise<WhopExperience> {
    return this.call('POST', '/experiences', WhopExperience, (s) => s.experiences.create(body));
  }

  /** https://docs.whop.com/api-reference/experiences/retrieve-experience */
  getExperience(id: string): Promise<WhopExperience> {
    return this.call('GET', '/experiences/{id}', WhopExperience, (s) => s.experiences.retrieve(id));
  }

  /** https://docs.whop.com/api-reference/experiences/update-experience (S3) */
  updateExperience(id: string, body: WhopExperienceUpdate & Whop.ExperienceUpdateParams): Promise<WhopExperience> {
    return this.call('PATCH', '/experiences/{id}', WhopExperience, (s) => s.experiences.update(id, body));
  }

  /** https://docs.whop.com/api-reference/experiences/attach-experience — body `{product_id}`. */
  attachExperience(id: string, body: WhopAttach): Promise<WhopExperience> {
    return this.call('POST', '/experiences/{id}/attach', WhopExperience, (s) => s.experiences.attach(id, body));
  }

  /** https://docs.whop.com/api-reference/experiences/detach-experience — body `{product_id}`. */
  detachExperience(id: string, body: WhopAttach): Promise<WhopExperience> {
    return this.call('POST', '/experiences/{id}/detach', WhopExperience, (s) => s.experiences.detach(id, body));
  }

  // --- products (SDK resources/products.ts) -------------------------------------------------

  /** https://docs.whop.com/api-reference/products/list-products — `account_id` required; no `created_*` filters. */
  listProducts(q: Pick<Whop.ProductListParams, 'account_id' | 'order' | 'direction' | 'visibilities'> & WhopCursor): Promise<WhopPageOf<WhopProduct>> {
    return this.call('GET', '/products', WhopProductPage, (s) => pageOf(s.products.list(q)));
  }

  /** https://docs.whop.com/api-reference/products/create-product — `title` required; replayed by `Idempotency-Key`. */
  createProduct(body: WhopProductCreate, idempotencyKey?: string): Promise<WhopProduct> {
    const key = idempotencyKey === undefined ? {} : { 'Idempotency-Key': whopIdempotencyKey(idempotencyKey) };
    return this.call('POST', '/products', WhopProduct, (s) => s.products.create({ ...body, ...key }));
  }

  /** https://docs.whop.com/api-reference/products/retrieve-product */
  getProduct(id: string): Promise<WhopProduct> {
    return this.call('GET', '/products/{id}', WhopProduct, (s) => s.products.retrieve(id));
  }

  /** https://docs.whop.com/api-reference/products/update-product */
  updateProduct(id: string, body: WhopProductUpdate): Promise<WhopProduct> {
    return this.call('PATCH', '/products/{id}', WhopProduct, (s) => s.products.update(id, body));
  }

  // --- plans (SDK resources/plans.ts) -------------------------------------------------------

  /** https://docs.whop.com/api-reference/plans/list-plans — `account_id` required; `product_ids[]` filter. */
  listPlans(q: Pick<Whop.PlanListParams, 'account_id' | 'product_ids' | 'created_after' | 'created_before'> & WhopCursor): Promise<WhopPageOf<z.infer<typeof WhopPlanPage>['data'][number]>> {
    return this.call('GET', '/plans', WhopPlanPage, (s) => pageOf(s.plans.list(q)));
  }

  /** https://docs.whop.com/api-reference/plans/create-plan — replayed by `Idempotency-Key`. */
  createPlan(body: WhopPlanCreate, idempotencyKey?: string): Promise<WhopPlan> {
    const key = idempotencyKey === undefined ? {} : { 'Idempotency-Key': whopIdempotencyKey(idempotencyKey) };
    return this.call('POST', '/plans', WhopPlan, (s) => s.plans.create({ ...body, ...key }));
  }

  /** https://docs.whop.com/api-reference/plans/retrieve-plan */
  getPlan(id: string): Promise<WhopPlan> {
    return this.call('GET', '/plans/{id}', WhopPlan, (s) => s.plans.retrieve(id));
  }

  /**
   * https://docs.whop.com/api-reference/plans/update-plan — a body without `custom_fields` clears
   * them (SDK `PlanUpdateParams.custom_fields`); callers that do not own them use `updatePlanKeepingFields`.
   */
  updatePlan(id: string, body: WhopPlanUpdate): Promise<WhopPlan> {
    return this.call('PATCH', '/plans/{id}', WhopPlan, (s) => s.plans.update(id, body));
  }

  /**
   * GET the plan, then PATCH with its `custom_fields` sent back unchanged, so checkout fields set by
   * others survive; a stock we set never erases a sale Whop made that we have not recorded
   * (`stock-guard.ts`: our last push and the sales we had recorded travel in `metadata`).
   */
  async updatePlanKeepingFields(id: string, body: Omit<WhopPlanUpdate, 'custom_fields'>): Promise<WhopPlan> {
    const current = await this.getPlan(id);
    const custom_fields = current.custom_fields.map((f) => ({
      id: f.id, field_type: 'text' as const, name: f.name, order: f.order, placeholder: f.placeholder, required: f.required,
    }));
    return this.updatePlan(id, { ...body, ...guardedStock(current, body as StockMark), custom_fields });
  }

  // --- sales (SDK resources/memberships.ts, payments.ts) --------------------------------------

  /** https://docs.whop.com/api-reference/memberships/retrieve-membership — one buyer's access (plan, product, status). */
  getMembership(id: string): Promise<WhopMembership> {
    return this.call('GET', '/memberships/{id}', WhopMembership, (s) => s.memberships.retrieve(id));
  }

  /** https://docs.whop.com/api-reference/payments/list-payments — `updated_after` (SDK `PaymentListParams`) drives the sweep. */
  listPayments(q: Pick<Whop.PaymentListParams, 'company_id' | 'updated_after' | 'product_ids'> & WhopCursor): Promise<WhopPageOf<z.infer<typeof WhopPaymentPage>['data'][number]>> {
    return this.call('GET', '/payments', WhopPaymentPage, (s) => pageOf(s.payments.list(q)));
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
