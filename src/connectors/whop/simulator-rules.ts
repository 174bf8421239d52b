import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { minorDigits } from '../../canonical/money.js';
import { WhopCurrency, WhopPlanType, WhopReleaseMethod, WhopVisibility } from './schemas.js';

/**
 * Request bodies the Whop simulator accepts: every body field of `@whop/sdk` 0.0.42's
 * *CreateParams / *UpdateParams (src/resources/{products,plans,experiences}.ts). Fields we model
 * are checked; the others are taken as given. Fields outside the SDK's types → 400 (README, "Simulator").
 */
const text = z.string().nullable().optional();
const count = z.number().int().min(0).nullable().optional();
const any = z.unknown().optional();
const Logo = z.object({ id: z.string().min(1) }).strict().nullable().optional();
/** Shared.Visibility (SDK shared.ts): the params say `string`, the objects list these values. */
const visibility = WhopVisibility.optional();
/** Currency: params `string` ("three-letter ISO code"), objects lower-case `Currency` (shared.ts): any case of a listed code. */
const currency = z.string().transform((c) => c.toLowerCase()).pipe(WhopCurrency).optional();
/** Product title: "Maximum 80 characters" (SDK products.ts `ProductCreateParams.title`). */
const title = z.string().min(1).max(80);

/** SDK products.ts `ProductCreateParams`: `title` required, `account_id` optional (defaults to the key's account: assumption). */
export const ProductCreate = z.object({
  title,
  account_id: z.string().min(1).optional(),
  collect_shipping_address: any, custom_cta: any, custom_cta_url: any, custom_statement_descriptor: any,
  description: text,
  global_affiliate_percentage: any, global_affiliate_status: any,
  headline: text,
  member_affiliate_percentage: any, member_affiliate_status: any, metadata: any, product_tax_code_id: any,
  redirect_purchase_url: any,
  route: text,
  send_welcome_message: any,
  visibility,
}).strict();
/** SDK products.ts `ProductUpdateParams` (no `account_id`, `route`). */
export const ProductUpdate = z.object({
  description: text, headline: text, metadata: any, product_tax_code_id: any, send_welcome_message: any,
  title: title.optional(), visibility,
}).strict();

/** SDK plans.ts `PlanCreateParams.CustomField` / `PlanUpdateParams.CustomField` (every field optional). */
export const CustomFieldParam = z.object({
  id: z.string().optional(),
  field_type: z.literal('text').optional(),
  name: z.string().optional(),
  order: z.number().optional(),
  placeholder: z.string().nullable().optional(),
  required: z.boolean().optional(),
}).strict();

/** Body fields `PlanCreateParams` and `PlanUpdateParams` share (SDK plans.ts). */
const planFields = {
  adaptive_pricing_enabled: any,
  billing_period: count,
  checkout_styling: any,
  currency,
  custom_fields: z.array(CustomFieldParam).nullable().optional(),
  description: text,
  expiration_days: count,
  image: any,
  initial_price: z.number().min(0).nullable().optional(),
  internal_notes: text,
  legacy_payment_method_controls: any,
  metadata: any,
  override_tax_type: any,
  payment_method_configuration: any,
  renewal_price: z.number().min(0).nullable().optional(),
  stock: count,
  three_ds_level: z.enum(['mandate_challenge', 'frictionless']).nullable().optional(),
  title: text,
  trial_period_days: count,
  unlimited_stock: z.boolean().nullable().optional(),
  visibility,
};
/** SDK plans.ts `PlanCreateParams`: nothing required (`account_id` defaults to the caller's account; no `product_id` = standalone plan). */
export const PlanCreate = z.object({
  account_id: z.string().min(1).optional(),
  product_id: z.string().min(1).optional(),
  plan_type: WhopPlanType.optional(),
  release_method: WhopReleaseMethod.optional(),
  split_pay_required_payments: any,
  ...planFields,
}).strict();
/** SDK plans.ts `PlanUpdateParams`: no `account_id`, `product_id`, `plan_type`, `release_method`. */
export const PlanUpdate = z.object({
  ...planFields,
  offer_cancel_discount: any,
  strike_through_initial_price: z.number().min(0).nullable().optional(),
  strike_through_renewal_price: z.number().min(0).nullable().optional(),
}).strict();

export const ExperienceCreate = z.object({
  app_id: z.string().min(1),
  company_id: z.string().min(1),
  name: z.string().min(1).max(255).nullable().optional(),
  is_public: z.boolean().nullable().optional(),
  section_id: text,
  logo: Logo,
}).strict();
export const ExperienceUpdate = z.object({
  access_level: z.enum(['public', 'private']).nullable().optional(),
  is_public: z.boolean().nullable().optional(),
  logo: Logo,
  name: z.string().min(1).max(255).nullable().optional(),
  order: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "123.45"').nullable().optional(),
  section_id: text,
}).strict();
export const AttachBody = z.object({ product_id: z.string().min(1) }).strict();

/**
 * Semantic plan checks (422, assumptions): renewal without a period, price finer than the currency.
 * `stock` beside `unlimited_stock: true` is not refused: it is "ignored" (SDK plans.ts `stock`).
 */
export function planConflicts(plan: Record<string, unknown>): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  if (plan.plan_type === 'renewal' && !plan.billing_period) out.push({ field: 'billing_period', message: 'is required for renewal plans' });
  const currency = String(plan.currency ?? 'usd');
  let digits = 2;
  try { digits = minorDigits(currency.toUpperCase()); } catch { /* crypto codes: keep 2 */ }
  for (const f of ['initial_price', 'renewal_price'] as const) {
    const v = plan[f];
    if (typeof v === 'number' && Math.abs(Math.round(v * 10 ** digits) - v * 10 ** digits) > 1e-6) {
      out.push({ field: f, message: `has more than ${digits} decimals for ${currency}` });
    }
  }
  return out;
}

/** Error body `{error:{code, message}}` (https://docs.whop.com/developer/troubleshooting); `details` is our addition. */
export function whopError(reply: FastifyReply, status: number, code: string, message: string, details?: Array<{ field: string; message: string }>): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(details ? { details } : {}) } });
}

export function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const details = error.issues.map((i) => ({
    field: i.path.join('.') || (i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys?.join(',') ?? '(body)' : '(body)'),
    message: i.message,
  }));
  return whopError(reply, 400, 'invalid_request', 'The request is invalid', details);
}

/** A bracketed array query param (`product_ids[]=a&product_ids[]=b`: SDK internal/utils/query.ts, `arrayFormat: 'brackets'`). */
const list = z.union([z.string(), z.array(z.string())]).transform((v) => [v].flat()).optional();
const cursor = {
  after: z.string().optional(),
  before: z.string().optional(),
  /** "default and max 100" (SDK `*ListParams.first`). */
  first: z.coerce.number().int().min(1).max(100).default(100),
  last: z.coerce.number().int().min(1).max(100).optional(),
};
const direction = z.enum(['asc', 'desc']).default('desc');
const time = z.iso.datetime({ offset: true }).optional();

/** SDK products.ts `ProductListParams`: `account_id` required; no `created_*` filters. Unknown params → 400 (assumption). */
export const ProductListQuery = z.object({
  account_id: z.string().min(1), ...cursor, direction,
  order: z.literal('created_at').default('created_at'),
  'access_pass_types[]': list, 'visibilities[]': list,
}).strict();
/** SDK plans.ts `PlanListParams`. */
export const PlanListQuery = z.object({
  account_id: z.string().min(1), ...cursor, direction,
  order: z.enum(['id', 'active_members_count', 'created_at', 'internal_notes', 'expiration_days']).default('created_at'),
  created_after: time, created_before: time,
  'plan_types[]': list, 'product_ids[]': list, 'release_methods[]': list, 'visibilities[]': list,
}).strict();
/** SDK experiences.ts `ExperienceListParams` (no `direction`/`order`: creation order kept, assumption). */
export const ExperienceListQuery = z.object({
  company_id: z.string().min(1), ...cursor,
  app_id: z.string().optional(), product_id: z.string().optional(), created_after: time, created_before: time,
}).strict();
export type ListQuery = { first: number; after?: string; before?: string; last?: number; created_after?: string; created_before?: string };

const encodeCursor = (n: number) => Buffer.from(`cursor:${n}`).toString('base64url');
function decodeCursor(c: string): number | null {
  const m = /^cursor:(\d+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** One cursor page of `rows` (already filtered and ordered), or null when `after` is unreadable. */
export function page<T>(rows: T[], q: ListQuery): { data: T[]; page_info: Record<string, unknown> } | null {
  const start = q.after === undefined ? 0 : decodeCursor(q.after);
  if (start === null) return null;
  const data = rows.slice(start, start + q.first);
  const end = start + data.length;
  return {
    data,
    page_info: {
      start_cursor: data.length ? encodeCursor(start + 1) : null,
      end_cursor: data.length ? encodeCursor(end) : null,
      has_next_page: end < rows.length,
      has_previous_page: start > 0,
    },
  };
}

/** Creation-time filters shared by the list endpoints. */
export function createdWithin(createdAt: string, q: ListQuery): boolean {
  const t = Date.parse(createdAt);
  return (!q.created_after || t >= Date.parse(q.created_after)) && (!q.created_before || t <= Date.parse(q.created_before));
}
