import { z } from 'zod';

/**
 * Request shapes the Fanfare simulator enforces, from the docs' contracts (products.mdx,
 * experiences.mdx, distributions.mdx @f461dc8). Unknown fields are refused everywhere (README).
 */

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const timeZone = z.string().refine(isZone, 'must be an IANA time zone such as Europe/Paris');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset' });
const money = z.string().regex(/^\d+(\.\d{1,4})?$/, 'money is a decimal string such as "25.00", never a number');
const positiveInt = z.number().int().min(1, 'Must be a positive integer');

const SyncSourceInput = z.object({
  syncSource: z.string().min(1),
  syncSourceId: z.string().min(1),
  syncStatus: z.enum(['PENDING', 'SUCCESS', 'FAILED']).optional(),
  lastSyncedAt: instant.optional(),
  sourceData: z.record(z.string(), z.unknown()).optional(),
}).strict();

const MediaAssetInput = z.object({
  mediaAsset: z.object({
    url: z.url(), type: z.enum(['IMAGE', 'VIDEO']), altText: z.string().optional(),
    width: positiveInt.optional(), height: positiveInt.optional(),
  }).strict(),
  purpose: z.enum(['PRODUCT', 'VARIANT', 'THUMBNAIL', 'GALLERY']),
  position: z.number().int().min(0),
}).strict();

const productStatus = z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

/** CreateProductRequest (products.mdx, "Create Product"). */
export const ProductCreate = z.object({
  name: z.string().min(1, 'Required'),
  description: z.string().optional(),
  sku: z.string().optional(),
  price: z.number().min(0).optional(),
  currencyCode: currencyCode.optional(),
  status: productStatus.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  productMediaAssets: z.array(MediaAssetInput).optional(),
  primarySyncSource: SyncSourceInput.optional(),
}).strict();

/** UpdateProductRequest (products.mdx, "Update Product"): no sync source, nullable fields. */
export const ProductUpdate = z.object({
  name: z.string().min(1).optional(),
  description: z.string().nullable().optional(),
  sku: z.string().nullable().optional(),
  price: z.number().min(0).nullable().optional(),
  currencyCode: currencyCode.nullable().optional(),
  status: productStatus.optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
}).strict();

const timing = { name: z.string().min(1, 'Required'), openAt: instant.optional(), closeAt: instant.optional(), timeZone: timeZone.optional() };
const window = <T extends { openAt?: string; closeAt?: string }>(d: T, ctx: z.RefinementCtx) => {
  if (d.openAt && d.closeAt && Date.parse(d.closeAt) <= Date.parse(d.openAt)) ctx.addIssue({ code: 'custom', path: ['closeAt'], message: 'must be after openAt' });
};

export const Queue = z.object({ ...timing, admitRate: z.number().positive(), capacity: positiveInt.optional(), maxAdmissions: positiveInt.optional(), admissionExpirationSeconds: positiveInt.optional() }).strict().superRefine(window);
export const Draw = z.object({ ...timing, drawAt: instant, winnerCount: positiveInt, capacity: positiveInt.optional(), admissionExpirationSeconds: positiveInt.optional(), continueSelectingUntilCompleted: z.boolean().optional() }).strict().superRefine(window);
export const Auction = z.object({
  ...timing, settleAt: instant, auctionType: z.enum(['english', 'dutch']).optional(),
  reservePrice: money.optional(), minBidIncrement: money.optional(), startPrice: money.optional(), floorPrice: money.optional(), priceDropAmount: money.optional(),
  autoExtendSeconds: positiveInt.optional(), priceDropIntervalSeconds: positiveInt.optional(), quantity: positiveInt.optional(),
}).strict().superRefine(window);
export const TimedRelease = z.object({ ...timing, supportsGuest: z.boolean() }).strict().superRefine(window);
export const Appointment = z.object({
  ...timing, locationId: z.string().min(1).optional(), slotDurationMinutes: positiveInt.optional(),
  bufferMinutes: z.number().int().min(0).optional(), maxCapacityPerSlot: positiveInt.optional(),
}).strict().superRefine(window);

/** The nested sequence of POST /experiences (experiences.mdx): no sequenceId inside, no waitlists. */
export const SequenceInput = z.object({
  name: z.string().min(1, 'Required'),
  audienceId: z.string().optional(),
  accessCode: z.string().optional(),
  priority: z.number().int().optional(),
  productSelectionMode: z.string().optional(),
  sequenceProducts: z.array(z.object({ productId: z.string().min(1), weight: z.number().min(0) }).strict()).optional(),
  queues: z.array(Queue).optional(),
  draws: z.array(Draw).optional(),
  auctions: z.array(Auction).optional(),
  appointments: z.array(Appointment).optional(),
  timedReleases: z.array(TimedRelease).optional(),
}).strict();

/** Text overrides per locale; the docs give no shape, the simulator takes strings only (README). */
const I18n = z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as fr or fr-FR'), z.record(z.string(), z.string()));
const Theme = z.record(z.string(), z.unknown());

export const ExperienceCreate = z.object({
  name: z.string().min(1, 'Required'),
  timeZone: timeZone.optional(),
  products: z.array(z.object({ productId: z.string().min(1) }).strict()).optional(),
  accessCode: z.string().optional(),
  theme: Theme.optional(),
  i18n: I18n.optional(),
  sequence: SequenceInput.optional(),
}).strict();
export type ExperienceCreate = z.infer<typeof ExperienceCreate>;

export const EXPERIENCE_UPDATABLE = ['name', 'timeZone', 'theme', 'i18n'];
export const ExperienceUpdate = z.object({ name: z.string().min(1), timeZone, theme: Theme, i18n: I18n }).partial().strict();

export const DISTRIBUTION_KINDS = ['queues', 'draws', 'auctions', 'appointments', 'timedReleases'] as const;

/** zod issues → Fanfare's `details: [{field, message}]` (errors.mdx), one line per unknown key. */
export function details(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.flatMap((i) => {
    const at = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: at ? `${at}.${k}` : k, message: 'Unknown field' }));
    return [{ field: at || '(body)', message: i.message }];
  });
}
