import { z } from 'zod';

/**
 * Fanfare's cursor envelope (FF:api/pagination.mdx): `{data, pageInfo:{startCursor,endCursor}}`;
 * the last page has `endCursor: null`.
 */
export const FanfarePageInfo = z.object({
  startCursor: z.string().nullable(),
  endCursor: z.string().nullable(),
}).loose();

export const FanfarePage = <T extends z.ZodType>(item: T) => z.object({
  data: z.array(item),
  pageInfo: FanfarePageInfo,
}).loose();

export interface FanfarePageOf<T> {
  data: T[];
  pageInfo: { startCursor: string | null; endCursor: string | null };
}

/** A product as the admin API returns it (FF:api/admin-api/products.mdx, "Response"). */
export const FanfareProduct = z.object({
  id: z.string().min(1),
  organizationId: z.string().optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  sku: z.string().nullable().optional(),
  price: z.number().nullable().optional(),
  currencyCode: z.string().nullable().optional(),
  status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  primarySyncSourceId: z.string().nullable().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}).loose();
export type FanfareProduct = z.infer<typeof FanfareProduct>;

/**
 * The products list: documented as cursor-paginated (pagination.mdx) but its own example
 * returns a bare array (products.mdx). Both are accepted; a bare array is one final page.
 */
export const FanfareProductList = z.union([
  FanfarePage(FanfareProduct),
  z.array(FanfareProduct).transform((data) => ({ data, pageInfo: { startCursor: null, endCursor: null } })),
]);

/** One distribution as returned inside an experience's sequence (shape not documented; ids and windows only). */
export const FanfareDistribution = z.object({
  id: z.string().min(1),
  name: z.string(),
  openAt: z.string().nullable().optional(),
  closeAt: z.string().nullable().optional(),
}).loose();

export const FanfareSequence = z.object({
  id: z.string().min(1),
  name: z.string(),
  appointments: z.array(FanfareDistribution).optional(),
  timedReleases: z.array(FanfareDistribution).optional(),
}).loose();

/** An experience (FF:api/admin-api/experiences.mdx); `openAt`/`closeAt` are derived from distributions. */
export const FanfareExperience = z.object({
  id: z.string().min(1),
  name: z.string(),
  timeZone: z.string().nullable().optional(),
  i18n: z.record(z.string(), z.unknown()).nullable().optional(),
  products: z.array(z.object({ productId: z.string() }).loose()).optional(),
  sequences: z.array(FanfareSequence).optional(),
  openAt: z.string().nullable().optional(),
  closeAt: z.string().nullable().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}).loose();
export type FanfareExperience = z.infer<typeof FanfareExperience>;

export const FanfareExperiencePage = FanfarePage(FanfareExperience);
export const FanfareProductSearch = FanfareProductList;

/** The error body of every failure (FF:api/errors.mdx). */
export const FanfareError = z.object({
  error: z.string(),
  message: z.string().optional(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
}).loose();
export type FanfareError = z.infer<typeof FanfareError>;

/** A webhook delivery's body (FF:api/webhooks/events.mdx). */
export const FanfareWebhookEvent = z.object({
  id: z.string().min(1),
  type: z.string().regex(/^[a-z]+(\.[a-z]+)+$/),
  timestamp: z.string(),
  organizationId: z.string(),
  data: z.record(z.string(), z.unknown()),
}).loose();
export type FanfareWebhookEvent = z.infer<typeof FanfareWebhookEvent>;
