import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { minorDigits } from '../../canonical/money.js';
import { WhopCurrency, WhopPlanType, WhopReleaseMethod, WhopVisibility } from './schemas.js';

/**
 * Request bodies the Whop simulator accepts: the SDK's *CreateParams / *UpdateParams (0.0.42)
 * for the fields we model. Unknown fields are refused with 400 (README, "Simulator").
 */
const text = z.string().nullable().optional();
const count = z.number().int().min(0).nullable().optional();
const Logo = z.object({ id: z.string().min(1) }).strict().nullable().optional();

export const ProductCreate = z.object({
  company_id: z.string().min(1),
  title: z.string().min(1).max(80),
  description: text,
  headline: text,
  route: text,
  visibility: WhopVisibility.nullable().optional(),
}).strict();
export const ProductUpdate = ProductCreate.omit({ company_id: true }).partial().strict();

const planFields = {
  billing_period: count,
  currency: WhopCurrency.nullable().optional(),
  description: text,
  expiration_days: count,
  initial_price: z.number().min(0).nullable().optional(),
  internal_notes: text,
  renewal_price: z.number().min(0).nullable().optional(),
  stock: count,
  title: text,
  trial_period_days: count,
  unlimited_stock: z.boolean().nullable().optional(),
  visibility: WhopVisibility.nullable().optional(),
};
export const PlanCreate = z.object({
  company_id: z.string().min(1),
  product_id: z.string().min(1),
  plan_type: WhopPlanType.nullable().optional(),
  release_method: WhopReleaseMethod.nullable().optional(),
  ...planFields,
}).strict();
export const PlanUpdate = z.object({ ...planFields, strike_through_initial_price: z.number().min(0).nullable().optional() }).strict();

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

/** Semantic plan checks (422): conflicting stock, renewal without a period, price finer than the currency. */
export function planConflicts(plan: Record<string, unknown>): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  if (plan.unlimited_stock === true && typeof plan.stock === 'number' && plan.stock > 0) {
    out.push({ field: 'stock', message: 'must not be set when unlimited_stock is true' });
  }
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

/** Our chosen error body (Whop documents none): `{error:{type, message, details?}}`. */
export function whopError(reply: FastifyReply, status: number, type: string, message: string, details?: Array<{ field: string; message: string }>): FastifyReply {
  return reply.code(status).send({ error: { type, message, ...(details ? { details } : {}) } });
}

export function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const details = error.issues.map((i) => ({
    field: i.path.join('.') || (i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys?.join(',') ?? '(body)' : '(body)'),
    message: i.message,
  }));
  return whopError(reply, 400, 'invalid_request_error', 'The request is invalid', details);
}

/** List query: `first` 1..100 (docs: "default and max 100"), opaque `after` cursor, filters. */
export const ListQuery = z.object({
  company_id: z.string().min(1).optional(),
  first: z.coerce.number().int().min(1).max(100).default(100),
  after: z.string().optional(),
  before: z.string().optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  product_id: z.string().optional(),
  app_id: z.string().optional(),
  product_ids: z.union([z.string(), z.array(z.string())]).optional(),
}).loose();
export type ListQuery = z.infer<typeof ListQuery>;

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
