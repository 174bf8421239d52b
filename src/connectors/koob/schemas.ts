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

/**
 * One element of the array sent to `POST /api/v1/experiences/book`
 * (https://docs.dev.v2koob.tech/experiences/booking). The docs list the customer fields only as
 * `customer*`; the names below are our reading (connector README, "Bookings").
 */
export interface KoobBookingRequest {
  experienceId: string;
  /** `YYYY-MM-DD`, or a local `YYYY-MM-DDTHH:mm:ss` (KOOB carries no time zone). */
  startAt: string;
  endAt: string;
  customerFirstName?: string;
  customerLastName: string;
  customerEmail: string;
  travelers: Array<{ kind: 'adult' | 'child'; birthdate?: string; firstName?: string; lastName?: string }>;
  /** Our own reference (`bridge:<channel>:<purchase>:<item>`): the idempotency key of `bookOnce`. */
  toReference?: string;
  extras?: unknown[];
  selectedHotels?: unknown[];
  replaceBookingId?: string;
}

const Id = z.union([z.string(), z.number()]).transform(String);
const WithId = z.object({ id: Id }).loose();

/**
 * The answer of `POST /api/v1/experiences/book` is not documented. We accept, in this order: a
 * bare array of created bookings, `{bookings: [...]}`, `{ids: [...]}`, or one `{id}`; each gives ids.
 */
export const KoobBooked = z.union([
  z.array(WithId).transform((rows) => rows.map((r) => r.id)),
  z.object({ bookings: z.array(WithId) }).loose().transform((b) => b.bookings.map((r) => r.id)),
  z.object({ ids: z.array(Id) }).loose().transform((b) => b.ids),
  WithId.transform((b) => [b.id]),
]);

/** GET /api/v1/bookings/{id} (https://docs.dev.v2koob.tech/bookings); state values are not listed, so free strings. */
export const KoobBooking = z.object({
  id: Id,
  state: z.string(),
  dmcState: z.string().nullish(),
  canceledAt: z.string().nullish(),
  cancellationFees: z.unknown().optional(),
  dmcReference: z.string().nullish(),
  toReference: z.string().nullish(),
  bookingRef: z.string().nullish(),
  totalPrice: KoobNumber.nullish(),
  currency: z.string().nullish(),
  startAt: z.string().nullish(),
  endAt: z.string().nullish(),
}).loose();
export type KoobBooking = z.infer<typeof KoobBooking>;
