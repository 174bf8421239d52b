import { z } from 'zod';

/** Single objects come back under `data` (S1:L16-17). */
export const GomryData = <T extends z.ZodType>(item: T) => z.object({ data: item }).loose();

/** Page metadata of every list (https://docs.gomry.com/api-reference/experiences/list-experiences). */
export const GomryPagination = z.object({
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  page_size: z.number().int().min(1),
  total_pages: z.number().int().min(0),
}).loose();
export type GomryPagination = z.infer<typeof GomryPagination>;

/** A list: `{data: [...], pagination: {...}}`. */
export const GomryPage = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), pagination: GomryPagination }).loose();

/** An experience as Gomry serialises it (S1 PATCH response; list-experiences example). */
export const GomryExperience = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.enum(['active', 'inactive']),
  registration_status: z.enum(['open', 'closed']).optional(),
  duration_minutes: z.number().int().optional(),
  default_capacity: z.number().int().optional(),
  pricing: z.object({ model: z.string(), currency: z.string(), amount: z.number() }).loose().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
}).loose();
export type GomryExperience = z.infer<typeof GomryExperience>;

/** A recurrence (https://docs.gomry.com/api-reference/recurrences/get-recurrence). */
export const GomryRecurrence = z.object({
  id: z.string().min(1),
  timezone: z.string(),
  start_date: z.string(),
  cadence: z.object({ frequency: z.string(), interval: z.number().int(), days_of_week: z.array(z.number().int()) }).loose(),
  end_condition: z.object({ type: z.string() }).loose(),
  session_templates: z.array(z.object({ start_time_of_day: z.string(), capacity: z.number().int() }).loose()),
}).loose();
export type GomryRecurrence = z.infer<typeof GomryRecurrence>;

/** Error body (https://docs.gomry.com/errors): `{error}`, validation adds `details.fieldErrors`. */
export const GomryError = z.object({
  error: z.string(),
  details: z.object({ fieldErrors: z.record(z.string(), z.array(z.string())) }).loose().optional(),
}).loose();
export type GomryError = z.infer<typeof GomryError>;

export const GomryExperienceData = GomryData(GomryExperience);
export const GomryRecurrenceData = GomryData(GomryRecurrence);
export const GomryExperiencePage = GomryPage(GomryExperience);
export const GomryRecurrencePage = GomryPage(GomryRecurrence);
export type GomryExperiencePage = z.infer<typeof GomryExperiencePage>;
export type GomryRecurrencePage = z.infer<typeof GomryRecurrencePage>;
