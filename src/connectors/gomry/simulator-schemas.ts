import { z } from 'zod';

/** Request bodies the Gomry simulator accepts (S1:L48-83; create-experience and recurrence pages); all strict. */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'must be a real date');
const zone = z.string().refine((tz) => {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}, 'must be an IANA time zone');

const Location = z.object({
  type: z.string().min(1),
  venue: z.string(), address: z.string(), city: z.string(), state: z.string(), country: z.string(),
  instructions: z.string(), video_link: z.string(),
}).partial().required({ type: true }).strict();

const Pricing = z.object({
  model: z.enum(['per_session']),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  amount: z.number().min(0),
  base_price: z.number().min(0).optional(),
  floor_price: z.number().min(0).optional(),
  ceiling_price: z.number().min(0).optional(),
  sessions_included: z.number().int().min(1).optional(),
  interval: z.string().optional(),
}).strict();

const SchedulingRules = z.object({
  booking_window: z.object({ min_hours_before: z.number().min(0), max_days_ahead: z.number().gt(0) }).strict(),
  cancellation_policy: z.object({ refundable_until_hours_before: z.number().min(0), late_cancel_fee: z.number().min(0).optional() }).strict(),
}).partial().strict();

/** Writable experience fields (PATCH takes any subset, at least one). */
export const ExperienceFields = z.object({
  name: z.string().min(1).max(120),
  description: z.string(),
  duration_minutes: z.number().int().min(1).max(1440),
  default_capacity: z.number().int().min(1).max(10_000),
  location: Location,
  pricing: Pricing,
  scheduling_rules: SchedulingRules,
  providers: z.array(z.string()),
  required_contact_method: z.enum(['none', 'email', 'email_and_phone']),
  max_booking_quantity: z.number().int().min(1).max(50),
  status: z.enum(['active', 'inactive']),
  registration_status: z.enum(['open', 'closed']),
}).partial().strict();

const Cadence = z.object({
  frequency: z.enum(['weekly']),
  interval: z.number().int().min(1),
  // 0..6 under our reading (0 = Sunday), see README "Weekday numbering".
  days_of_week: z.array(z.number().int().min(0).max(6)).min(1).refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
}).strict();

const EndCondition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('never') }).strict(),
  z.object({ type: z.literal('date'), end_date: date }).strict(),
]);

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

/** Create: the fields a bookable experience needs are required (conservative), plus create-only extras. */
export const ExperienceCreate = ExperienceFields.extend({
  default_recurrence: RecurrenceCreate.optional(),
  space: z.string().optional(),
}).required({ name: true, duration_minutes: true, default_capacity: true, pricing: true }).strict();

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
