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

/** Seat counts of one event (S4:L812-819); legacy docs spell `canceled`, so every key is optional. */
export const XolaEventQuantity = z.object({
  reserved: z.number(),
  confirmed: z.number(),
  pending: z.number(),
  cancelled: z.number(),
  total: z.number(),
}).partial().loose();

/** One departure of one experience (S4:L786-870); `max` overrides `group.outingMax`, null = unlimited in the simulator. */
export const XolaEvent = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string().nullable().optional(),
  experience: z.object({ id: z.string() }).loose(),
  max: z.number().int().nullable().optional(),
  open: z.number().int().nullable().optional(),
  quantity: XolaEventQuantity.optional(),
  manual: z.boolean().optional(),
}).loose();
export type XolaEvent = z.infer<typeof XolaEvent>;

/** A purchase item as read back (S4:L3393-3400, L3580-3600); list answers may omit product and quantity. */
export const XolaPurchaseItem = z.object({
  id: z.string(),
  status: z.string().optional(),
  product: z.object({ id: z.string() }).loose().optional(),
  arrivalDate: z.string().nullable().optional(),
  arrivalTime: z.union([z.number(), z.string()]).nullable().optional(),
  arrivalDateTime: z.string().nullable().optional(),
  quantity: z.number().optional(),
}).loose();

/** A purchase (= booking) (S4:L3351-3410); `status` draft|waitlist|abandon|hold|committed. */
export const XolaPurchase = z.object({
  id: z.string(),
  status: z.string(),
  referenceId: z.string().nullable().optional(),
  items: z.array(XolaPurchaseItem).default([]),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}).loose();
export type XolaPurchase = z.infer<typeof XolaPurchase>;

/** A user webhook subscription (third-party code path, platforms.md §1.5). */
export const XolaHook = z.object({ id: z.string(), url: z.string(), eventName: z.string() }).loose();
export type XolaHook = z.infer<typeof XolaHook>;

export const XolaEventPage = XolaPage(XolaEvent);
export const XolaPurchasePage = XolaPage(XolaPurchase);
/** Hook lists come back as a plain array or a `{data}` envelope (shape undocumented): both read as an array. */
export const XolaHookList = z.union([z.array(XolaHook), XolaPage(XolaHook).transform((p) => p.data)]);

/**
 * Event names a hook may subscribe to: the official list (https://developers.xola.com/reference/webhook-introduction)
 * for orders and experiences, plus `purchase.*`, used by third-party code but undocumented (platforms.md §1.5).
 */
export const XOLA_HOOK_EVENTS = [
  'order.create', 'order.update', 'order.cancel', 'order.rollback',
  'purchase.create', 'purchase.update', 'purchase.cancel',
  'experience.create', 'experience.update', 'experience.delete',
] as const;
export const XolaHookEventName = z.enum(XOLA_HOOK_EVENTS);
export type XolaHookEventName = z.infer<typeof XolaHookEventName>;
