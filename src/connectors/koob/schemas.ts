import { z } from 'zod';

/**
 * KOOB documents numbers but its availability guide serialises some as strings
 * (https://docs.dev.v2koob.tech/experiences/availability): accept both, emit numbers.
 */
export const KoobNumber = z.union([
  z.number(),
  z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'must be a number').transform(Number),
]);
const optionalNumber = KoobNumber.nullish();

export const KoobPosition = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  address: z.string().nullish(),
  city: z.string().nullish(),
  country: z.string().nullish(),
  lat: optionalNumber,
  lon: optionalNumber,
  isCity: z.boolean().nullish(),
}).loose();

export const KoobCity = z.object({
  id: z.string().nullish(),
  title: z.string().nullish(),
  lat: optionalNumber,
  lon: optionalNumber,
  code: z.string().nullish(),
  country: z.object({ alpha2: z.string().nullish(), title: z.string().nullish() }).loose().nullish(),
}).loose();

export const KoobPaxTier = z.object({ price: KoobNumber, paxRange: z.tuple([KoobNumber, KoobNumber]) }).loose();
export const KoobChildTier = z.object({ price: KoobNumber, ageRange: z.tuple([KoobNumber, KoobNumber]) }).loose();

export const KoobPeriodState = z.enum(['free_sale', 'on_request', 'pre_confirmed', 'stop_sale']);

/** One availability period (S2:L815-842). */
export const KoobPeriod = z.object({
  id: z.union([z.string(), z.number()]).transform(String).nullish(),
  periodType: KoobPeriodState.nullish(),
  startAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD'),
  endAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD').nullish(),
  /** Seven 0/1 flags, index 0 = Monday (S2:L1118); the guide's weekday-number list is accepted too. */
  availableDays: z.array(KoobNumber).nullish(),
  state: KoobPeriodState,
  price: KoobNumber,
  perPax: z.boolean().nullish(),
  minPax: optionalNumber,
  maxPax: optionalNumber,
  minPaxForDeparture: optionalNumber,
  currentPaxForDeparture: optionalNumber,
  allotments: optionalNumber,
  allotmentsUsed: optionalNumber,
  adultPax: z.array(KoobPaxTier).nullish(),
  childrenPax: z.array(KoobChildTier).nullish(),
}).loose();
export type KoobPeriod = z.infer<typeof KoobPeriod>;

export const KoobType = z.enum(['Program', 'Activity', 'Transfer']);
export const KoobState = z.enum(['in_progress', 'available', 'stand_by']);
export const KoobPricingType = z.enum(['fit', 'sic', 'series']);

/** GET /api/v1/experiences/{id} (S2:L742-870). */
export const KoobExperience = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  summary: z.string().nullish(),
  highlights: z.string().nullish(),
  state: KoobState,
  type: KoobType,
  pricingType: KoobPricingType.nullish(),
  description: z.string().nullish(),
  dmcReference: z.string().nullish(),
  currency: z.string(),
  durationDays: optionalNumber,
  durationHours: optionalNumber,
  durationMinutes: optionalNumber,
  inCity: KoobCity.nullish(),
  startPosition: KoobPosition.nullish(),
  endPosition: KoobPosition.nullish(),
  includedServices: z.string().nullish(),
  excludedServices: z.string().nullish(),
  cancellationPolicies: z.string().nullish(),
  hasToRequest: z.boolean().nullish(),
  activity: z.object({ isExtra: z.boolean().nullish() }).loose().nullish(),
  transfer: z.object({ type: z.string().nullish() }).loose().nullish(),
  periods: z.array(KoobPeriod).default([]),
  updatedAt: z.string().nullish(),
}).loose();
export type KoobExperience = z.infer<typeof KoobExperience>;

/** One row of POST /api/v1/experiences/liste (S2:L1030-1076): a bare array, no total. */
export const KoobListItem = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  experienceType: KoobType.nullish(),
  pricingType: KoobPricingType.nullish(),
}).loose();
export const KoobList = z.array(KoobListItem);
export type KoobListItem = z.infer<typeof KoobListItem>;

/** POST /api/v1/experiences response (S2:L180-190). */
export const KoobCreated = z.object({ id: z.union([z.string(), z.number()]).transform(String), message: z.string().nullish() }).loose();
