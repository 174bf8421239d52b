import { z } from 'zod';

/** Texts of one locale; HTML is kept as the source sent it, writers convert per target. */
export const LocaleText = z.object({
  name: z.string().min(1),
  description: z.string().nullable(),
  summary: z.string().nullable(),
  included: z.array(z.string()),
  excluded: z.array(z.string()),
  cancellationPolicy: z.string().nullable(),
});
export type LocaleText = z.infer<typeof LocaleText>;

/** ISO date (YYYY-MM-DD), the unit of every availability rule. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** A price tier: from `minPax` to `maxPax` travellers, each (or the group) pays `amount` minor units. */
export const PriceTier = z.object({
  minPax: z.number().int().min(1),
  maxPax: z.number().int().min(1),
  amount: z.number().int().min(0),
});

/** OCTO-style unit: who pays and how much, per tier. */
export const Unit = z.object({
  type: z.enum(['ADULT', 'CHILD']),
  minAge: z.number().int().min(0).nullable(),
  maxAge: z.number().int().min(0).nullable(),
  tiers: z.array(PriceTier),
});
export type Unit = z.infer<typeof Unit>;

/**
 * One source availability period, kept as a rule (targets such as Xola take rules, not slots);
 * `expandSlots` turns rules into dated slots. Weekdays are ISO: 1 = Monday … 7 = Sunday.
 */
export const AvailabilityRule = z.object({
  id: z.string(),
  kind: z.enum(['range', 'dates']),
  startDate: IsoDate,
  endDate: IsoDate,
  weekdays: z.array(z.number().int().min(1).max(7)),
  dates: z.array(IsoDate),
  /** open = instant, on_request = needs the supplier, closed = stop sale. */
  sale: z.enum(['open', 'on_request', 'closed']),
  freesale: z.boolean(),
  /** Seats per departure; null under freesale. */
  capacity: z.number().int().min(0).nullable(),
  used: z.number().int().min(0),
  perPax: z.boolean(),
  price: z.number().int().min(0),
  minPax: z.number().int().min(1),
  maxPax: z.number().int().min(1),
  units: z.array(Unit),
});
export type AvailabilityRule = z.infer<typeof AvailabilityRule>;

/** The canonical product (one experience), OCTO-shaped; see ../shared/DESIGN.md. */
export const Product = z.object({
  sourcePlatform: z.string(),
  sourceId: z.string(),
  reference: z.string().nullable(),
  type: z.enum(['program', 'activity', 'extra', 'transfer']),
  pricingType: z.enum(['fit', 'sic', 'series']),
  status: z.enum(['active', 'draft', 'inactive']),
  defaultLocale: z.string(),
  texts: z.record(z.string(), LocaleText),
  timeZone: z.string(),
  durationMinutes: z.number().int().min(0),
  location: z.object({
    lat: z.number(),
    lng: z.number(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    countryCode: z.string().nullable(),
  }).nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  instantConfirmation: z.boolean(),
  allowFreesale: z.boolean(),
  availability: z.array(AvailabilityRule),
  /** Seats each channel already sold per departure date (from the ledger), for channels that count per departure. */
  channelSeats: z.record(z.string(), z.record(z.string(), z.number().int())).optional(),
});
export type Product = z.infer<typeof Product>;

/** What a mapping could not carry, field by field; nothing is dropped silently. */
export interface Loss {
  field: string;
  reason: string;
}
