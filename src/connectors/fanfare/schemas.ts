import { z } from 'zod';

/*
 * Fanfare's admin API shapes, written from the OpenAPI document `api/openapi/admin-api.json` of
 * fanfare-io/docs @055b707 (OAS 3.1, info.version 1.0.0). Its schemas are inline, so each one is
 * named here by path, method and operationId (`OA:POST /products postProducts`). Responses are
 * `.loose()` (fields may be added); requests keep unknown keys out of our bodies via the contract
 * test (test/connectors/fanfare/openapi-contract.test.ts), not here.
 */

const nullish = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** `pageInfo` of every list (OA:GET /products, GET /experiences; both keys required, null on the last page). */
export const FanfarePageInfo = z.object({
  startCursor: z.string().nullable(),
  endCursor: z.string().nullable(),
}).loose();

/** The list envelope `{data, pageInfo}`, both required (OA:GET /products getProducts, GET /experiences getExperiences). */
export const FanfarePage = <T extends z.ZodType>(item: T) => z.object({
  data: z.array(item),
  pageInfo: FanfarePageInfo,
}).loose();

/** A page as the client hands it on. */
export interface FanfarePageOf<T> {
  data: T[];
  pageInfo: { startCursor: string | null; endCursor: string | null };
}

/** The fields every stored record carries (required in each response object of the spec). */
const record = {
  id: z.string().min(1),
  organizationId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  archived: z.boolean(),
  updatedAt: nullish(z.string()),
};

/** A product variant in a response (OA:POST /products 200 `variants[]`): price is a decimal string. */
export const FanfareVariant = z.object({
  ...record,
  productId: z.string(),
  sku: z.string().min(1),
  price: z.string().regex(/^\d{1,12}(\.\d{1,8})?$/),
  inventoryQuantity: z.number().int(),
  inventoryPolicy: z.enum(['untracked', 'deny', 'continue']),
  options: z.array(z.object({ optionId: z.string(), optionName: z.string(), valueId: z.string(), value: z.string() }).loose()),
  metadata: nullish(z.record(z.string(), z.unknown())),
}).loose();
export type FanfareVariant = z.infer<typeof FanfareVariant>;

/** The sync source a product was created with (OA:POST /products 200 `primarySyncSource`). */
export const FanfareSyncSource = z.object({
  ...record,
  syncSource: z.string(),
  syncSourceId: z.string(),
  syncStatus: nullish(z.enum(['PENDING', 'SUCCESS', 'FAILED'])),
}).loose();

/**
 * A product (OA:POST /products, GET /products/{productId}; PUT and DELETE answer the same object
 * without `variants` and `primarySyncSource`). There is no status: `archived` says it is withdrawn.
 */
export const FanfareProduct = z.object({
  ...record,
  name: z.string().min(1),
  url: z.string(),
  description: nullish(z.string()),
  handle: nullish(z.string()),
  metadata: nullish(z.record(z.string(), z.unknown())),
  defaultVariantId: nullish(z.string()),
  primarySyncSourceId: nullish(z.string()),
  primarySyncSource: nullish(FanfareSyncSource),
  variants: nullish(z.array(FanfareVariant)),
}).loose();
export type FanfareProduct = z.infer<typeof FanfareProduct>;

/** One product an experience sells (OA:GET /experiences 200 `data[].products[]`). */
export const FanfareExperienceProduct = z.object({
  id: z.string(),
  organizationId: z.string(),
  experienceId: z.string(),
  productId: z.string(),
  position: z.number(),
  productVariantId: nullish(z.string()),
}).loose();

/** An experience (OA:POST /experiences, GET/PUT/DELETE /experiences/{id}); `openAt`/`closeAt` are derived. */
export const FanfareExperience = z.object({
  ...record,
  name: z.string().min(1),
  timeZone: z.string().min(1),
  i18n: nullish(z.record(z.string(), z.record(z.string(), z.string()))),
  products: nullish(z.array(FanfareExperienceProduct)),
  sequences: nullish(z.array(z.record(z.string(), z.unknown()))),
  openAt: nullish(z.string()),
  closeAt: nullish(z.string()),
}).loose();
export type FanfareExperience = z.infer<typeof FanfareExperience>;

/** OA:GET /products getProducts 200. */
export const FanfareProductPage = FanfarePage(FanfareProduct);
/** OA:GET /experiences getExperiences 200. */
export const FanfareExperiencePage = FanfarePage(FanfareExperience);

/* Request bodies: properties, required keys and enums exactly as the spec lists them. */

const SyncSourceInput = z.object({
  syncSource: z.string(),
  syncSourceId: z.string(),
  syncStatus: nullish(z.enum(['PENDING', 'SUCCESS', 'FAILED'])),
  lastSyncedAt: nullish(z.string()),
  sourceData: nullish(z.record(z.string(), z.unknown())),
});

/** OA:POST /products `variants[]`: sku, price (a decimal string), inventoryQuantity and inventoryPolicy required. */
export const FanfareVariantInput = z.object({
  sku: z.string(),
  price: z.string(),
  inventoryQuantity: z.number(),
  inventoryPolicy: z.enum(['untracked', 'deny', 'continue']),
  metadata: nullish(z.record(z.string(), z.unknown())),
  optionAssignments: z.array(z.object({ optionId: z.string(), valueId: z.string() })).optional(),
  optionValues: z.array(z.object({ optionName: z.string(), value: z.string() })).optional(),
});

const MediaAssetInput = z.object({
  position: z.number(),
  purpose: z.string(),
  mediaAsset: z.object({
    name: z.string(),
    mimeType: z.enum(['image/jpeg', 'image/jpg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/webm', 'video/quicktime']),
    altText: nullish(z.string()), description: nullish(z.string()), sourceUrl: nullish(z.string()), thumbnailUrl: nullish(z.string()),
  }),
});

/** OA:POST /products postProducts ("Create or update a product (upsert when sync source provided)"): name and url required. */
export const FanfareProductCreate = z.object({
  name: z.string(),
  url: z.string(),
  description: nullish(z.string()),
  handle: nullish(z.string()),
  metadata: nullish(z.record(z.string(), z.unknown())),
  defaultVariantId: nullish(z.string()),
  primarySyncSource: nullish(SyncSourceInput),
  productMediaAssets: nullish(z.array(MediaAssetInput)),
  variantOptionIds: nullish(z.array(z.string())),
  variants: nullish(z.array(FanfareVariantInput)),
});
export type FanfareProductCreate = z.infer<typeof FanfareProductCreate>;

/** OA:PUT /products/{productId} putProductsByProductId: nothing required; no variants, no sync source. */
export const FanfareProductUpdate = z.object({
  name: z.string().optional(),
  url: z.string().optional(),
  description: nullish(z.string()),
  handle: nullish(z.string()),
  metadata: nullish(z.record(z.string(), z.unknown())),
});

/** OA:POST /experiences `sequence.appointments[]`: only name required; numbers and times are plain (nullable) numbers and strings. */
export const FanfareAppointmentInput = z.object({
  name: z.string(),
  openAt: nullish(z.string()),
  closeAt: nullish(z.string()),
  timeZone: nullish(z.string()),
  locationId: nullish(z.string()),
  slotDurationMinutes: nullish(z.number()),
  bufferMinutes: nullish(z.number()),
  maxCapacityPerSlot: nullish(z.number()),
});

const window = { name: z.string(), openAt: nullish(z.string()), closeAt: nullish(z.string()), timeZone: nullish(z.string()) };

/** OA:POST /experiences `sequence`: name required; five distribution arrays (no waitlists, no sequenceId). */
export const FanfareSequenceInput = z.object({
  name: z.string(),
  accessCode: nullish(z.string()),
  audienceId: nullish(z.string()),
  color: nullish(z.string()),
  priority: nullish(z.number()),
  productSelectionMode: nullish(z.enum(['USER_SELECTED', 'SYSTEM_ASSIGNED'])),
  sequenceProducts: nullish(z.array(z.object({ productId: z.string(), weight: z.number() }))),
  appointments: nullish(z.array(FanfareAppointmentInput)),
  queues: nullish(z.array(z.object({
    ...window, admitRate: z.number(), capacity: nullish(z.number()), maxAdmissions: nullish(z.number()),
    admissionExpirationSeconds: nullish(z.number()), loyaltyBiasEnabled: z.boolean().optional(), supportsGuest: z.boolean().optional(),
  }))),
  draws: nullish(z.array(z.object({
    ...window, drawAt: z.string(), winnerCount: z.number(), capacity: nullish(z.number()), admissionExpirationSeconds: nullish(z.number()),
    continueSelectingUntilCompleted: nullish(z.boolean()), loyaltyBiasEnabled: z.boolean().optional(), supportsGuest: z.boolean().optional(),
  }))),
  auctions: nullish(z.array(z.object({
    ...window, settleAt: z.string(), auctionType: z.enum(['english', 'dutch']).optional(),
    reservePrice: nullish(z.string()), minBidIncrement: nullish(z.string()), startPrice: nullish(z.string()), floorPrice: nullish(z.string()),
    priceDropAmount: nullish(z.string()), autoExtendSeconds: nullish(z.number()), priceDropIntervalSeconds: nullish(z.number()), quantity: nullish(z.number()),
  }))),
  timedReleases: nullish(z.array(z.object({ ...window, supportsGuest: z.boolean().optional() }))),
});

const ExperienceProductInput = z.object({ productId: z.string(), productVariantId: nullish(z.string()) });
const I18nInput = z.record(z.string(), z.record(z.string(), z.string()));
const themeColor = z.string().optional();
/** OA:POST /experiences `theme`: colours and fonts as strings, `variant` an enum; nothing required. */
const ThemeInput = z.object({
  variant: z.enum(['default', 'retro', 'rounded', 'clean']).optional(),
  background: themeColor, danger: themeColor, fontFamily: themeColor, fontHeading: themeColor, headerImageUrl: themeColor,
  logoUrl: themeColor, muted: themeColor, primary: themeColor, secondary: themeColor, success: themeColor,
  surface: themeColor, text: themeColor, warning: themeColor,
});

/** OA:POST /experiences postExperiences: name required; i18n, products, sequence, theme, timeZone optional. */
export const FanfareExperienceCreate = z.object({
  name: z.string(),
  timeZone: nullish(z.string()),
  i18n: nullish(I18nInput),
  products: nullish(z.array(ExperienceProductInput)),
  sequence: nullish(FanfareSequenceInput),
  theme: nullish(ThemeInput),
});
export type FanfareExperienceCreate = z.infer<typeof FanfareExperienceCreate>;

/** OA:PUT /experiences/{id} putExperiencesById: i18n, name, products, theme, timeZone; nothing required. */
export const FanfareExperienceUpdate = z.object({
  name: z.string().optional(),
  timeZone: nullish(z.string()),
  i18n: nullish(I18nInput),
  products: nullish(z.array(ExperienceProductInput)),
  theme: nullish(ThemeInput),
});

/** 400 of every operation (OA: `{error:"validation_error", issues[]}`); 401/403/500 are `{error}`. */
export const FanfareValidationError = z.object({
  error: z.literal('validation_error'),
  issues: z.array(z.object({
    kind: z.string(), type: z.string(), expected: z.string(), received: z.string(), message: z.string(),
    path: z.array(z.object({ type: z.string(), origin: z.string(), input: z.unknown(), key: z.union([z.string(), z.number()]) }).loose()),
  }).loose()),
}).loose();

/** Any other failure body (OA 401/403/500 `{error}`; FF:api/errors.mdx adds `message`). */
export const FanfareError = z.object({ error: z.string(), message: z.string().optional() }).loose();

/** A webhook delivery's body (FF:api/webhooks/events.mdx). */
export const FanfareWebhookEvent = z.object({
  id: z.string().min(1),
  type: z.string().regex(/^[a-z]+(\.[a-z]+)+$/),
  timestamp: z.string(),
  organizationId: z.string(),
  data: z.record(z.string(), z.unknown()),
}).loose();
export type FanfareWebhookEvent = z.infer<typeof FanfareWebhookEvent>;
