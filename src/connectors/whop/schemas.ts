import { z } from 'zod';

/**
 * `created_at` is an ISO string in the current docs and SDK but epoch seconds in the seed
 * (S3:L21 vs https://docs.whop.com/api-reference/experiences/experience): accept both, emit ISO.
 */
export const WhopTimestamp = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => {
  if (typeof v === 'string') return v;
  return new Date(v < 1e12 ? v * 1000 : v).toISOString();
});

/** Cursor page (https://docs.whop.com/api-reference/experiences/list-experiences): follow `end_cursor` while `has_next_page`. */
export const WhopPageInfo = z.object({
  end_cursor: z.string().nullable().optional(),
  start_cursor: z.string().nullable().optional(),
  has_next_page: z.boolean(),
  has_previous_page: z.boolean().optional(),
}).loose();

export const WhopPage = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), page_info: WhopPageInfo }).loose();

/** Shared.Visibility in the SDK (shared.ts L4244). */
export const WhopVisibility = z.enum(['visible', 'hidden', 'archived', 'quick_link']);
export type WhopVisibility = z.infer<typeof WhopVisibility>;

/** Shared.PlanType / ReleaseMethod (shared.ts L3571, L3968). */
export const WhopPlanType = z.enum(['renewal', 'one_time']);
export const WhopReleaseMethod = z.enum(['buy_now', 'waitlist']);

/** Shared.Currency: lower-case codes (shared.ts L1063), not ISO upper case. */
export const WHOP_CURRENCIES = [
  'usd', 'sgd', 'inr', 'aud', 'brl', 'cad', 'dkk', 'eur', 'nok', 'gbp', 'sek', 'chf', 'hkd', 'huf', 'jpy', 'mxn', 'myr',
  'pln', 'czk', 'nzd', 'aed', 'eth', 'ape', 'cop', 'ron', 'thb', 'bgn', 'idr', 'dop', 'php', 'try', 'krw', 'twd', 'vnd',
  'pkr', 'clp', 'uyu', 'ars', 'zar', 'dzd', 'tnd', 'mad', 'kes', 'kwd', 'jod', 'all', 'xcd', 'amd', 'bsd', 'bhd', 'bob',
  'bam', 'khr', 'crc', 'xof', 'egp', 'etb', 'gmd', 'ghs', 'gtq', 'gyd', 'ils', 'jmd', 'mop', 'mga', 'mur', 'mdl', 'mnt',
  'nad', 'ngn', 'mkd', 'omr', 'pyg', 'pen', 'qar', 'rwf', 'sar', 'rsd', 'lkr', 'tzs', 'ttd', 'uzs', 'rub', 'btc', 'cny',
  'usdt', 'kzt', 'awg', 'whop_usd', 'xau',
] as const;
export const WhopCurrency = z.enum(WHOP_CURRENCIES);

const Ref = z.object({ id: z.string() }).loose();

/** An experience (https://docs.whop.com/api-reference/experiences/experience); `products` only on retrieve/update. */
export const WhopExperience = z.object({
  id: z.string(),
  name: z.string(),
  order: z.string().nullable().optional(),
  is_public: z.boolean().optional(),
  app: Ref.optional(),
  company: Ref.optional(),
  products: z.array(z.object({ id: z.string(), title: z.string().optional() }).loose()).optional(),
  created_at: WhopTimestamp,
}).loose();
export type WhopExperience = z.infer<typeof WhopExperience>;

/** A product (SDK Shared.Product / ProductListItem); list items carry no description. */
export const WhopProduct = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable().optional(),
  visibility: WhopVisibility.optional(),
  external_identifier: z.string().nullable().optional(),
  created_at: WhopTimestamp,
  updated_at: WhopTimestamp.optional(),
}).loose();
export type WhopProduct = z.infer<typeof WhopProduct>;

/** A plan's checkout field (SDK shared.ts `Plan.CustomField`): a PATCH without them clears them (plans.ts `PlanUpdateParams.custom_fields`). */
export const WhopCustomField = z.object({
  id: z.string(),
  field_type: z.string(),
  name: z.string(),
  order: z.number(),
  placeholder: z.string().nullable(),
  required: z.boolean(),
}).loose();
export type WhopCustomField = z.infer<typeof WhopCustomField>;

/** `product` / `account` are typed `unknown | null` on plans (SDK shared.ts `Plan`): an object with an id, or a bare id. */
const LooseRef = z.union([Ref, z.string().transform((id) => ({ id }))]).nullable().optional();

/** A plan in a list (SDK plans.ts `PlanListResponse`): no `custom_fields`. */
export const WhopPlanListItem = z.object({
  id: z.string(),
  product: LooseRef,
  plan_type: WhopPlanType,
  release_method: WhopReleaseMethod,
  initial_price: z.number(),
  currency: z.string(),
  stock: z.number().int().nullable().optional(),
  unlimited_stock: z.boolean(),
  visibility: WhopVisibility,
  created_at: WhopTimestamp,
}).loose();

/** A plan (SDK shared.ts `Plan`, from retrieve/create/update): where price, stock and checkout fields live. */
export const WhopPlan = WhopPlanListItem.extend({ custom_fields: z.array(WhopCustomField) });
export type WhopPlan = z.infer<typeof WhopPlan>;

export const WhopExperiencePage = WhopPage(WhopExperience);
export const WhopProductPage = WhopPage(WhopProduct);
export const WhopPlanPage = WhopPage(WhopPlanListItem);
export type WhopPageOf<T> = { data: T[]; page_info: z.infer<typeof WhopPageInfo> };

/** A webhook delivery body (SDK webhooks.ts, PaymentSucceededWebhookEvent). */
export const WhopWebhookEvent = z.object({
  id: z.string().min(1),
  api_version: z.string(),
  type: z.string().min(1),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
  company_id: z.string().nullable().optional(),
}).loose();
export type WhopWebhookEvent = z.infer<typeof WhopWebhookEvent>;

/** SDK shared.ts `MembershipStatus`: the access a purchase gave. */
export const WhopMembershipStatus = z.enum(['trialing', 'active', 'past_due', 'completed', 'canceled', 'expired', 'unresolved', 'drafted', 'canceling']);

/** A membership (SDK shared.ts `Membership`; docs.whop.com/api-reference/memberships/retrieve-membership): one buyer's access to one product through one plan. */
export const WhopMembership = z.object({
  id: z.string().min(1),
  status: WhopMembershipStatus,
  plan: z.object({ id: z.string() }).loose(),
  product: z.object({ id: z.string() }).loose(),
  created_at: z.string(),
  updated_at: z.string().optional(),
  user: z.object({ name: z.string().nullable().optional(), email: z.string().nullable().optional() }).loose().nullable().optional(),
}).loose();
export type WhopMembership = z.infer<typeof WhopMembership>;

/** A payment in a list (SDK payments.ts `PaymentListResponse`): the sweep reads its membership, product and update time. */
export const WhopPaymentListItem = z.object({
  id: z.string().min(1),
  membership: z.object({ id: z.string() }).loose().nullable().optional(),
  product: z.object({ id: z.string() }).loose().nullable().optional(),
  plan: z.object({ id: z.string() }).loose().nullable().optional(),
  updated_at: z.string().optional(),
  created_at: z.string(),
}).loose();
export const WhopPaymentPage = WhopPage(WhopPaymentListItem);
