import { z } from 'zod';

/**
 * Request bodies the Gomry simulator accepts. Sources: seed 001 ("S1", the Update Experience page,
 * with its line), docs.gomry.com pages as recorded in platforms.md §2 ("P§2.x"). Unknown fields are
 * refused (S1:L47, applied at every depth: assumption, README). Where the docs give a field but no
 * range or enum, any value of its type is accepted.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'must be a real date');
const zone = z.string().refine((tz) => {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}, 'must be an IANA time zone');

/** Replaced whole on PATCH, `type` required when sent (S1:L60-62); keys from the list example (P§2.2); no enum documented. */
const Location = z.object({
  type: z.string().min(1),
  venue: z.string(), address: z.string(), city: z.string(), state: z.string(), country: z.string(),
  instructions: z.string(), video_link: z.string(),
}).partial().required({ type: true }).strict();

/**
 * Replaced whole on PATCH, currency lower-cased on save (S1:L63-65); keys from the list example (P§2.2).
 * Only `per_session` is ever shown, but no enum is documented: any model is accepted. Which keys a
 * pricing object needs, and that money is ≥ 0, are assumptions (README).
 */
const Pricing = z.object({
  model: z.string().min(1),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  amount: z.number().min(0),
  base_price: z.number().min(0).optional(),
  floor_price: z.number().min(0).optional(),
  ceiling_price: z.number().min(0).optional(),
  sessions_included: z.number().int().min(1).optional(),
  interval: z.string().optional(),
}).strict();

/** Each nested object replaced whole; min_hours_before ≥ 0, max_days_ahead > 0, refundable_until_hours_before ≥ 0 (S1:L66-68). */
const SchedulingRules = z.object({
  booking_window: z.object({ min_hours_before: z.number().min(0), max_days_ahead: z.number().gt(0) }).strict(),
  // No range is documented for the fee (S1:L68 lists the invariants): any number.
  cancellation_policy: z.object({ refundable_until_hours_before: z.number().min(0), late_cancel_fee: z.number().optional() }).strict(),
}).partial().strict();

/** Writable experience fields (PATCH takes any subset, at least one). */
export const ExperienceFields = z.object({
  name: z.string().min(1).max(120), // S1:L48-50
  description: z.string(), // S1:L51-53
  duration_minutes: z.number().int().min(1).max(1440), // S1:L54-56
  default_capacity: z.number().int().min(1).max(10_000), // S1:L57-59
  location: Location, // S1:L60-62
  pricing: Pricing, // S1:L63-65
  scheduling_rules: SchedulingRules, // S1:L66-68
  providers: z.array(z.string()), // S1:L69-71
  required_contact_method: z.enum(['none', 'email', 'email_and_phone']), // S1:L72-74
  max_booking_quantity: z.number().int().min(1).max(50), // S1:L75-77
  status: z.enum(['active', 'inactive']), // S1:L78-80
  registration_status: z.enum(['open', 'closed']), // S1:L81-83
}).partial().strict();

/** Recurrence shape from the get/create-recurrence pages (P§2.3). Only `weekly` is shown, no enum documented: any frequency is accepted. */
const Cadence = z.object({
  frequency: z.string().min(1),
  // ≥ 1 and a non-empty list of distinct days are assumptions (README).
  interval: z.number().int().min(1),
  // 0..6 under our reading (0 = Sunday), see README "Weekday numbering".
  days_of_week: z.array(z.number().int().min(0).max(6)).min(1).refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
}).strict();

/** `never` or `date` are the documented types (P§2.3); the `end_date` field name is assumed (README). */
const EndCondition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('never') }).strict(),
  z.object({ type: z.literal('date'), end_date: date }).strict(),
]);

/** `start_time_of_day` "HH:MM" (P§2.3); capacity bounded like `default_capacity` (S1:L57-59; assumption). */
const SessionTemplate = z.object({
  start_time_of_day: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
  capacity: z.number().int().min(1).max(10_000),
  provider_id: z.string().optional(),
  days_of_week: z.array(z.number().int().min(0).max(6)).nullable().optional(),
}).strict();

/** Recurrence fields; create needs all but provider_id/status, PATCH any subset. */
export const RecurrenceFields = z.object({
  provider_id: z.string(),
  timezone: zone,
  start_date: date,
  cadence: Cadence,
  end_condition: EndCondition,
  session_templates: z.array(SessionTemplate).min(1),
  status: z.enum(['active', 'inactive']),
}).partial().strict();

export const RecurrenceCreate = RecurrenceFields.required({ timezone: true, start_date: true, cadence: true, end_condition: true, session_templates: true });

/** Create: the fields a bookable experience needs are required (assumption, README), plus the create-only `default_recurrence` and `space` (P§2.2). */
export const ExperienceCreate = ExperienceFields.extend({
  default_recurrence: RecurrenceCreate.optional(),
  space: z.string().optional(),
}).required({ name: true, duration_minutes: true, default_capacity: true, pricing: true }).strict();

/** `page` from 1, `page_size` ≤ 200 (P§2 table: https://docs.gomry.com/api-reference/experiences/list-experiences, https://docs.gomry.com/errors). */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(20),
}).loose();

/** `{error, details:{fieldErrors}}` from a zod error; unknown keys are named one by one. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (k: string, m: string) => { (out[k] ??= []).push(m); };
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') issue.keys.forEach((k) => add(base ? `${base}.${k}` : k, 'Unknown field'));
    else add(base || '(body)', issue.message);
  }
  return out;
}
