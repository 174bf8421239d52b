import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { invalid, validation, xolaError } from './simulator-replies.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const hhmm = z.number().int().min(0).max(2359).refine((t) => t % 100 < 60, 'must be HHMM with minutes < 60');
/** `arrivalTime` is HHMM (S4:L3441-3470) and also "HH:MM" in the seed's own examples (S4:L4109-4110): both read as HHMM. */
const arrivalTime = z.union([hhmm, z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be HHMM or HH:MM').transform((t) => Number(t.replace(':', '')))]);
/** Statuses a create may ask for (S4:L3421). */
const PURCHASE_STATUSES = ['draft', 'waitlist', 'abandon', 'hold', 'committed'] as const;
const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time');
const ref = z.union([z.string().min(1), z.object({ id: z.string().min(1) }).loose()]).transform((r) => (typeof r === 'string' ? r : r.id));

/** `POST /api/events` (S4:L840-850): experience and start required; the other documented fields only (two array names are stripped by the render and assumed, README). */
const EventCreate = z.object({
  experience: ref, start: dateTime, title: z.string().optional(), max: z.number().int().min(0).optional(),
  manual: z.boolean().optional(), guides: z.array(z.unknown()).optional(), resourceUsages: z.array(z.unknown()).optional(),
}).strict();
/** `PUT/PATCH /api/events/{id}` (S4:L921-926, L992-996): `max` required, `manual` optional; any other field is refused ("only supports updating the max capacity", S4:L921; assumption, README). */
const EventUpdate = z.object({ max: z.number().int().min(0), manual: z.boolean().optional() }).strict();

/** `POST /api/purchases` (S4:L3407-3438; items S4:L3441-3470); other documented fields pass through (loose). */
const PurchaseCreate = z.object({
  customerName: z.string().min(1), // required (S4:L3422)
  customerEmail: z.email(), // required, <email> (S4:L3423)
  seller: ref, // required ObjectReference (S4:L3431)
  status: z.enum(PURCHASE_STATUSES).optional(), // S4:L3421
  referenceId: z.string().optional(), // S4:L3429, no length documented
  source: z.string().optional(), // S4:L3430
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code').optional(), // S4:L3427
  // Required array (S4:L3433); an empty one or a quantity below 1 is refused (assumption, README).
  items: z.array(z.object({
    product: z.object({ id: z.string().min(1) }).loose(),
    arrivalDate: date,
    arrivalTime: arrivalTime.nullable().optional(),
    quantity: z.number().int().min(1),
  }).loose()).min(1),
}).loose();

/** `GET /api/purchases` query (S4:L3359-3373): limit 1..100 + offset; `skip` is not a parameter here and, like any unknown one, is ignored. */
const PurchaseList = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20), // S4:L3369
  offset: z.coerce.number().int().min(0).default(0), // S4:L3370
  seller: z.string().optional(),
  status: z.string().optional(), // comma list (S4:L3361)
  // Any field(s), comma-separated, `-` for descending (S4:L3368).
  sort: z.string().regex(/^-?[A-Za-z_.]+(,-?[A-Za-z_.]+)*$/, 'sort is field[,field…], - for descending').optional(),
  expand: z.string().optional(),
  'updatedAt[gte]': dateTime.optional(),
  'updatedAt[gt]': dateTime.optional(),
  'updatedAt[lte]': dateTime.optional(),
  'createdAt[gte]': dateTime.optional(),
}).loose();

/** `GET /api/events` filters (S4:L789-799): limit 1..100 + skip; other documented filters pass through (loose). */
const EventList = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  skip: z.coerce.number().int().min(0).default(0),
  experience: z.string().optional(),
  seller: z.string().optional(),
  start: dateTime.optional(),
  end: dateTime.optional(),
  open: z.coerce.number().int().min(0).optional(),
}).loose();

export interface StoredEvent {
  id: string; experienceId: string; start: string; end: string; title?: string;
  /** PUT's `max`; null = follow the experience's `group.outingMax`. */
  maxOverride: number | null;
  manual: boolean; createdAt: string; updated: string;
}
export interface StoredItem {
  id: string; object: string; status: 'confirmed' | 'pending' | 'canceled'; product: { id: string }; productName?: unknown;
  arrivalDate: string; arrivalTime: number | null; arrivalDateTime: string; quantity: number; amount: number; event: { id: string };
}
export type StoredPurchase = Record<string, unknown> & {
  id: string; status: (typeof PURCHASE_STATUSES)[number]; items: StoredItem[]; seller: { id: string }; createdAt: string; updatedAt: string; deletedAt?: string;
};

export interface XolaBookingsDeps {
  sellerId: string;
  experiences: Map<string, { record: Record<string, unknown> }>;
  /** Webhook fan-out (simulator-hooks.ts). */
  fire: (eventNames: readonly string[], data: { id: string }) => void;
}

const oid = () => randomBytes(12).toString('hex');
/** Seconds-precision UTC, as the seed's examples write event starts (S4:L803). */
const isoSecond = (s: string | number) => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');
const pad = (n: number) => String(n).padStart(2, '0');

/** Events (departures with seat counts) and purchases (bookings), with capacity checks and webhooks. */
export function registerXolaBookings(app: FastifyInstance, deps: XolaBookingsDeps) {
  const events = new Map<string, StoredEvent>();
  const purchases = new Map<string, StoredPurchase>();
  let last = 0;
  /** Strictly increasing timestamps, so `updatedAt` orders every change even within one millisecond. */
  const stamp = () => { last = Math.max(Date.now(), last + 1); return new Date(last).toISOString(); };

  const liveExperience = (id: string) => {
    const e = deps.experiences.get(id);
    return e && !e.record.deleted ? e.record : undefined;
  };
  /** A departure without an event of its own is capped by the experience's `group.outingMax` (S4:L373). */
  const defaultMax = (experienceId: string): number | null => {
    const outingMax = (deps.experiences.get(experienceId)?.record.group as { outingMax?: unknown } | undefined)?.outingMax;
    return typeof outingMax === 'number' ? outingMax : null;
  };
  const counts = (eventId: string) => {
    const q = { reserved: 0, confirmed: 0, pending: 0, cancelled: 0, total: 0 };
    for (const p of purchases.values()) {
      for (const it of p.items) {
        if (it.event.id !== eventId) continue;
        if (it.status === 'canceled') q.cancelled += it.quantity;
        else if (p.status === 'hold') q.reserved += it.quantity;
        else if (it.status === 'confirmed') q.confirmed += it.quantity;
        else q.pending += it.quantity;
      }
    }
    q.total = q.reserved + q.confirmed + q.pending;
    return q;
  };
  /**
   * An event's `max` overrides "the maximum trip capacity configured in the experience" (S4:L921,
   * S4:L845), whether it was set at creation (POST /api/events) or by PUT; `open` is what is left
   * (S4:L810-811). A purchase is checked and stored in one synchronous step, so concurrent
   * purchases never take more than `open` together.
   */
  const capacity = (ev: Pick<StoredEvent, 'id' | 'experienceId' | 'maxOverride'>) => {
    const max = ev.maxOverride ?? defaultMax(ev.experienceId);
    const quantity = counts(ev.id);
    // Never below 0: an oversell shows as quantity.confirmed + reserved > max.
    return { max, quantity, open: max === null ? null : Math.max(0, max - quantity.confirmed - quantity.reserved) };
  };
  const eventView = (ev: StoredEvent) => {
    const items = [...purchases.values()].flatMap((p) => p.items.filter((i) => i.event.id === ev.id).map((i) => ({ p: p.id, i: i.id })));
    return {
      id: ev.id, object: 'event', experience: { id: ev.experienceId }, seller: { id: deps.sellerId }, start: ev.start, end: ev.end,
      title: ev.title ?? null, manual: ev.manual, private: false, ...capacity(ev),
      orders: [...new Set(items.map((x) => x.p))], purchaseItems: items.map((x) => x.i), createdAt: ev.createdAt, updated: ev.updated,
    };
  };
  const findEvent = (experienceId: string, start: string) => [...events.values()].find((e) => e.experienceId === experienceId && e.start === start);
  const newEvent = (experienceId: string, start: string, over: Partial<StoredEvent> = {}): StoredEvent => {
    const minutes = Number(liveExperience(experienceId)?.duration ?? 60);
    const now = stamp();
    return {
      id: oid(), experienceId, start, end: isoSecond(Date.parse(start) + minutes * 60_000),
      maxOverride: null, manual: false, createdAt: now, updated: now, ...over,
    };
  };
  const purchaseView = (p: StoredPurchase, expandItems = true) => ({
    ...p,
    object: 'purchase',
    // Without expand=items a list shows items as compactly as the seed's list example (S4:L3393-3400).
    items: expandItems ? p.items : p.items.map((i) => ({ id: i.id, object: i.object, status: i.status, amount: i.amount, arrivalDateTime: i.arrivalDateTime })),
  });
  const findPurchase = (reply: FastifyReply, id: string) => {
    const p = purchases.get(id);
    if (!p) void xolaError(reply, 404, 'Purchase not found');
    return p;
  };

  app.get('/api/events', async (req, reply) => {
    const q = EventList.safeParse(req.query);
    if (!q.success) return validation(reply, q.error);
    const { limit, skip, experience, seller, start, end, open } = q.data;
    const rows = [...events.values()]
      .filter((e) => (!experience || e.experienceId === experience) && (!seller || seller === deps.sellerId)
        && (!start || Date.parse(e.start) >= Date.parse(start)) && (!end || Date.parse(e.end) <= Date.parse(end)))
      .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
      .map(eventView)
      .filter((e) => open === undefined || e.open === null || e.open >= open);
    const next = skip + limit < rows.length ? `/api/events?limit=${limit}&skip=${skip + limit}` : null;
    return { data: rows.slice(skip, skip + limit), paging: { next } };
  });

  app.get('/api/events/:id', async (req, reply) => {
    const ev = events.get((req.params as { id: string }).id);
    return ev ? eventView(ev) : xolaError(reply, 404, 'Event not found');
  });

  app.post('/api/events', { config: { write: true } }, async (req, reply) => {
    const parsed = EventCreate.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    const { experience, start, max, manual, title } = parsed.data;
    if (!liveExperience(experience)) return invalid(reply, { experience: 'experience not found' });
    const at = isoSecond(start);
    // One event per departure in the simulator: a second one for the same start is refused (README).
    if (findEvent(experience, at)) return xolaError(reply, 409, 'An event already exists at this start', { code: 'event_exists' });
    const ev = newEvent(experience, at, { maxOverride: max ?? null, manual: manual ?? false, title });
    events.set(ev.id, ev);
    return reply.code(201).send(eventView(ev));
  });

  const updateEvent = async (req: { params: unknown; body: unknown }, reply: FastifyReply) => {
    const ev = events.get((req.params as { id: string }).id);
    if (!ev) return xolaError(reply, 404, 'Event not found');
    const parsed = EventUpdate.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    ev.maxOverride = parsed.data.max;
    if (parsed.data.manual !== undefined) ev.manual = parsed.data.manual;
    ev.updated = stamp();
    return eventView(ev);
  };
  app.put('/api/events/:id', { config: { write: true } }, updateEvent);
  app.patch('/api/events/:id', { config: { write: true } }, updateEvent);

  app.post('/api/purchases', { config: { write: true } }, async (req, reply) => {
    const parsed = PurchaseCreate.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    const body = parsed.data;
    if (body.seller !== deps.sellerId) return xolaError(reply, 403, 'Not allowed to create purchases for this seller');
    const status = body.status ?? 'committed';
    const plan = body.items.map((item, index) => {
      const time = item.arrivalTime ?? null;
      const start = `${item.arrivalDate}T${time === null ? '00:00' : `${pad(Math.floor(time / 100))}:${pad(time % 100)}`}:00Z`;
      return { item, index, time, start, key: `${item.product.id}|${start}` };
    });
    const missing = plan.filter((x) => !liveExperience(x.item.product.id));
    if (missing.length > 0) {
      return invalid(reply, Object.fromEntries(missing.map((x) => [`items.${x.index}.product.id`, 'experience not found'])));
    }
    // Only hold and committed purchases take seats; draft, waitlist and abandon ones do not (assumption, README).
    const takesSeats = status === 'hold' || status === 'committed';
    if (takesSeats && req.headers['x-sim-ignore-capacity'] !== 'true') {
      const wanted = new Map<string, number>();
      for (const x of plan) wanted.set(x.key, (wanted.get(x.key) ?? 0) + x.item.quantity);
      const short: Record<string, string> = {};
      for (const x of plan) {
        const ev = findEvent(x.item.product.id, x.start);
        const { open } = capacity(ev ?? { id: '', experienceId: x.item.product.id, maxOverride: null });
        if (open !== null && wanted.get(x.key)! > open) short[`items.${x.index}.quantity`] = `only ${open} seats open`;
      }
      // All or nothing; 409 is a simulator choice (Xola's answer is undocumented, README).
      if (Object.keys(short).length > 0) return xolaError(reply, 409, 'Not enough seats available', { code: 'insufficient_capacity', details: short });
    }
    const now = stamp();
    const items: StoredItem[] = plan.map(({ item, time, start }) => {
      const exp = liveExperience(item.product.id)!;
      let ev = findEvent(item.product.id, start);
      if (!ev) { ev = newEvent(item.product.id, start); events.set(ev.id, ev); }
      const price = typeof exp.price === 'number' ? exp.price : 0;
      return {
        id: oid(), object: time === null ? 'experience_purchase_item' : 'scheduled_experience_purchase_item',
        status: status === 'committed' ? 'confirmed' : 'pending', product: { id: item.product.id }, productName: exp.name,
        arrivalDate: item.arrivalDate, arrivalTime: time, arrivalDateTime: start, quantity: item.quantity,
        amount: exp.priceType === 'outing' ? price : price * item.quantity, event: { id: ev.id },
      };
    });
    const p: StoredPurchase = {
      id: oid(), status, customerName: body.customerName, customerEmail: body.customerEmail, seller: { id: deps.sellerId },
      referenceId: body.referenceId ?? null, source: body.source ?? null, currency: body.currency ?? 'USD',
      amount: items.reduce((n, i) => n + i.amount, 0), items, createdAt: now, updatedAt: now,
    };
    purchases.set(p.id, p);
    deps.fire(['order.create', 'purchase.create'], purchaseView(p));
    return reply.code(201).send(purchaseView(p));
  });

  app.get('/api/purchases/:id', async (req, reply) => {
    const p = findPurchase(reply, (req.params as { id: string }).id);
    return p ? purchaseView(p) : reply;
  });

  app.get('/api/purchases', async (req, reply) => {
    const q = PurchaseList.safeParse(req.query);
    if (!q.success) return validation(reply, q.error);
    const { limit, offset, seller, status, sort, expand } = q.data;
    const statuses = status ? status.split(',').map((s) => s.trim()) : undefined;
    const after = (field: 'createdAt' | 'updatedAt', op: 'gte' | 'gt' | 'lte', v: string | undefined, p: StoredPurchase) => {
      if (!v) return true;
      const d = Date.parse(p[field]) - Date.parse(v);
      return op === 'gte' ? d >= 0 : op === 'gt' ? d > 0 : d <= 0;
    };
    const keys = (sort ?? '-createdAt').split(',').map((k) => ({ field: k.replace(/^-/, ''), dir: k.startsWith('-') ? -1 : 1 }));
    const rows = [...purchases.values()]
      .filter((p) => (!seller || p.seller.id === seller) && (!statuses || statuses.includes(p.status))
        && after('updatedAt', 'gte', q.data['updatedAt[gte]'], p) && after('updatedAt', 'gt', q.data['updatedAt[gt]'], p)
        && after('updatedAt', 'lte', q.data['updatedAt[lte]'], p) && after('createdAt', 'gte', q.data['createdAt[gte]'], p))
      .sort((a, b) => keys.reduce((c, k) => c || k.dir * String(a[k.field] ?? '').localeCompare(String(b[k.field] ?? '')), 0) || a.id.localeCompare(b.id));
    const expandItems = (expand ?? '').split(',').includes('items');
    const params = new URLSearchParams(Object.entries(req.query as Record<string, string>).filter(([k]) => k !== 'offset'));
    params.set('offset', String(offset + limit));
    params.set('limit', String(limit));
    const next = offset + limit < rows.length ? `/api/purchases?${params}` : null;
    return { data: rows.slice(offset, offset + limit).map((p) => purchaseView(p, expandItems)), paging: { next } };
  });

  // Test-only state changes that Xola makes on its own (customer or seller actions, hold expiry).
  app.post('/__sim/purchases/:id/cancel', { config: { write: true } }, async (req, reply) => {
    const p = findPurchase(reply, (req.params as { id: string }).id);
    if (!p) return reply;
    if (p.items.every((i) => i.status === 'canceled')) return xolaError(reply, 409, 'Purchase already canceled', { code: 'already_canceled' });
    // A canceled booking stays `committed` with items `canceled` (platforms.md §1.4).
    for (const i of p.items) i.status = 'canceled';
    p.updatedAt = stamp();
    deps.fire(['order.cancel', 'purchase.cancel'], purchaseView(p));
    return purchaseView(p);
  });

  app.post('/__sim/purchases/:id/rollback', { config: { write: true } }, async (req, reply) => {
    const p = findPurchase(reply, (req.params as { id: string }).id);
    if (!p) return reply;
    if (p.status !== 'hold') return reply.code(409).send({ error: { code: 'status_not_hold', message: 'Purchase not in HOLD state' } });
    purchases.delete(p.id);
    const now = stamp();
    deps.fire(['order.rollback'], purchaseView({ ...p, updatedAt: now, deletedAt: now }));
    return { id: p.id, deleted: true };
  });

  app.post('/__sim/purchases/:id/commit', { config: { write: true } }, async (req, reply) => {
    const p = findPurchase(reply, (req.params as { id: string }).id);
    if (!p) return reply;
    if (p.status !== 'hold') return reply.code(409).send({ error: { code: 'status_not_hold', message: 'Purchase not in HOLD state' } });
    p.status = 'committed';
    for (const i of p.items) if (i.status === 'pending') i.status = 'confirmed';
    p.updatedAt = stamp();
    deps.fire(['order.update', 'purchase.update'], purchaseView(p));
    return purchaseView(p);
  });

  return {
    events,
    purchases,
    reset: () => { events.clear(); purchases.clear(); },
    inspect: () => ({ events: [...events.values()].map(eventView), purchases: [...purchases.values()].map((p) => purchaseView(p)) }),
    save: () => ({ events: [...events.values()], purchases: [...purchases.values()] }),
    load: (data: { events?: StoredEvent[]; purchases?: StoredPurchase[] } | undefined) => {
      events.clear();
      purchases.clear();
      for (const e of data?.events ?? []) events.set(e.id, e);
      for (const p of data?.purchases ?? []) purchases.set(p.id, p);
    },
  };
}
