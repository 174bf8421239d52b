import { z } from 'zod';

/**
 * Request bodies the Xola simulator accepts, each rule from seed 004 ("S4", the Xola OpenAPI render
 * for API version 2025-07-07, S4:L8-9) with its line. Where the render drops a nested schema
 * (LocationInput, GroupOptionsInput, …) the object is accepted as is: we cannot know its rules.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
/** HHMM 0..2359 (S4:L6229: "900 = 9:00 AM"); minutes past 59 are not HHMM. */
export const hhmm = z.number().int().min(0).max(2359).refine((t) => t % 100 < 60, 'must be HHMM with minutes < 60');
const nested = z.object({}).loose();
const privacies = z.array(z.enum(['private', 'public']));

/** ScheduleInput (S4:L6219-6232 create, L6276-6289 update); `timeRanges` is accepted as the answers show it (S4:L6337). */
export const ScheduleInput = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.enum(['available', 'blackout']), // required (S4:L6221)
  repeat: z.enum(['daily', 'weekly', 'monthly', 'custom', 'once']).optional(), // S4:L6222
  days: z.array(z.number().int().min(0).max(6)).optional(), // 0 = Sunday (S4:L6223)
  dates: z.array(date).optional(), // S4:L6224
  start: date.nullable().optional(), // S4:L6225
  end: date.nullable().optional(), // S4:L6226
  source: z.string().optional(), // S4:L6227
  departure: z.enum(['fixed', 'varies']).optional(), // S4:L6228
  times: z.array(hhmm).optional(), // S4:L6229
  priceDelta: z.number().optional(), // S4:L6230
  priceOverride: z.boolean().optional(), // S4:L6231
  allowedPrivacies: privacies.optional(), // S4:L6232
  timeRanges: z.array(nested).optional(),
}).strict().superRefine((s, ctx) => {
  // Not in the seed: a period that ends before it starts is refused (assumption, README).
  if (s.start && s.end && s.end < s.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
});

/** Experience create/update fields (S4:L54-100, repeated for update at L194-240). */
export const ExperienceFields = z.object({
  name: z.string().min(1).max(255), // S4:L54
  desc: z.string(), // S4:L55
  excerpt: z.string().max(500), // S4:L56
  price: z.number().min(0), // S4:L57
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be three capital letters (ISO 4217)'), // S4:L58
  priceType: z.enum(['person', 'outing']), // S4:L59
  guestType: z.enum(['normal', 'passenger']), // S4:L60
  seller: z.union([z.string(), z.object({ id: z.string() }).loose()]), // S4:L61 (name from the example, L104)
  category: z.string(), // S4:L62
  duration: z.number().int().min(1), // S4:L63
  eventDuration: z.number().int().min(1), // S4:L64
  requireAdult: z.boolean(), // S4:L65
  geo: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), address: z.string() }).partial().loose(), // LocationInput, S4:L66, example L112-116
  pickupAddress: z.string().max(500), // S4:L67
  scheduleType: z.enum(['open', 'day', 'time']), // S4:L68
  cancellationPolicy: z.string(), // S4:L69
  other: z.string(), // S4:L70
  sortDemographics: z.boolean(), // S4:L71
  isScheduled: z.boolean(), // S4:L72 (deprecated)
  balanceDueOffset: z.number().int().min(0), // S4:L73
  balanceDueReminder: z.boolean(), // S4:L74
  cutoff: z.number().int().min(1), // S4:L75
  cutoffType: z.enum(['pre_start', 'pre_end']), // S4:L76
  alternateCutoff: z.number().int().min(1), // S4:L77
  arrivalOffset: z.number().int(), // S4:L78
  visible: z.boolean(), // S4:L79
  complete: z.boolean(), // S4:L80
  reviewed: z.boolean(), // S4:L81
  customerNamePreference: z.enum(['required', 'optional_confirmation', 'optional_no_confirmation', 'not_collected']), // S4:L82
  allowedPrivacies: privacies, // S4:L83
  purchaseExpirationOffset: z.number().int().min(0), // S4:L84
  firstCheckinExpirationOffset: z.number().int().min(0), // S4:L85
  businessHours: z.string(), // S4:L86
  paymentMethod: z.enum(['cc', 'later']), // S4:L87
  requireCCForSources: z.array(z.string()), // S4:L88
  emailFooter: z.string(), // S4:L89
  // Nested inputs whose fields the render drops (S4:L90-95); names from the answer examples (L357, L369, L494, L544, L565, L572).
  group: nested,
  downDeposit: nested,
  futureCutoff: nested,
  virtualMeeting: nested,
  catalogPreference: nested,
  upsellPreference: nested,
  schedules: z.array(ScheduleInput), // S4:L96
  included: z.array(z.string()), // S4:L97
  notIncluded: z.array(z.string()), // S4:L98
  medias: z.array(nested), // S4:L99
  attachments: z.array(nested), // S4:L100
}).partial().strict();

/** Create: `name` and `seller` required (S4:L54, L61). */
export const ExperienceCreate = ExperienceFields.required({ name: true, seller: true });
/** Update: partial (S4:L192), yet `name` and `seller` are required as on create (S4:L194, L201). */
export const ExperienceUpdate = ExperienceFields.required({ name: true, seller: true });
