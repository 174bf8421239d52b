import { z } from 'zod';

/** Xola's list envelope (S4:L836-837): `paging.next` is null on the last page. */
export const XolaPage = <T extends z.ZodType>(item: T) => z.object({
  data: z.array(item),
  paging: z.object({ next: z.string().nullable().optional() }).loose().optional(),
}).loose();

/** An experience as Xola returns it (S4:L30-52, L120-137). */
export const XolaExperience = z.object({
  id: z.string(),
  name: z.string(),
  visible: z.boolean().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}).loose();
export type XolaExperience = z.infer<typeof XolaExperience>;

/** A schedule (S4:L6205-6270); `days` 0 = Sunday, `times` HHMM. */
export const XolaSchedule = z.object({
  id: z.string(),
  type: z.enum(['available', 'blackout', 'unavailable']),
  repeat: z.string().optional(),
  days: z.array(z.number()).optional(),
  dates: z.array(z.string()).optional(),
  start: z.string().nullable().optional(),
  end: z.string().nullable().optional(),
}).loose();
export type XolaSchedule = z.infer<typeof XolaSchedule>;

export const XolaExperiencePage = XolaPage(XolaExperience);
export const XolaSchedulePage = XolaPage(XolaSchedule);
