import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { createSimulatorBase, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { registerXolaBookings, type StoredEvent, type StoredPurchase } from './simulator-bookings.js';
import { registerXolaHooks, type StoredHook } from './simulator-hooks.js';
import { validation, xolaError } from './simulator-replies.js';
import { ExperienceCreate, ExperienceUpdate, ScheduleInput } from './simulator-schemas.js';

export interface XolaSimulatorOptions {
  apiKey: string;
  sellerId: string;
  port?: number;
  /** Documented: 900 requests per 30-minute window (https://developers.xola.com/docs/rate-limiting). */
  rateLimit?: { limit: number; windowMs: number };
}

interface StoredExperience { record: Record<string, unknown>; schedules: Map<string, Record<string, unknown>> }

const oid = () => randomBytes(12).toString('hex');

/** The Xola simulator: experiences, schedules, events, purchases and hooks with auth, validation, paging and 429s. */
export function createXolaSimulator(opts: XolaSimulatorOptions) {
  const base = createSimulatorBase('xola');
  const { app } = base;
  const experiences = new Map<string, StoredExperience>();
  const limiter = new FixedWindowLimiter(opts.rateLimit?.limit ?? 900, opts.rateLimit?.windowMs ?? 30 * 60_000);
  const hooks = registerXolaHooks(app, opts.sellerId);
  const bookings = registerXolaBookings(app, { sellerId: opts.sellerId, experiences, fire: hooks.fire });
  base.onReset(() => { experiences.clear(); limiter.reset(); bookings.reset(); hooks.reset(); });
  base.onInspect(() => ({
    experiences: [...experiences.values()].map((e) => ({ ...e.record, schedules: [...e.schedules.values()] })),
    ...bookings.inspect(),
    ...hooks.inspect(),
  }));

  type SavedExperience = { record: Record<string, unknown>; schedules: Array<Record<string, unknown>> };
  base.persistence(
    () => ({
      experiences: [...experiences.values()].map((e) => ({ record: e.record, schedules: [...e.schedules.values()] })),
      ...bookings.save(),
      hooks: hooks.save(),
    }),
    (data) => {
      // Files written before bookings existed hold the experiences array alone.
      const saved = (Array.isArray(data) ? { experiences: data } : data) as {
        experiences?: SavedExperience[]; events?: StoredEvent[]; purchases?: StoredPurchase[]; hooks?: StoredHook[];
      };
      experiences.clear();
      for (const e of saved.experiences ?? []) {
        experiences.set(String(e.record.id), { record: e.record, schedules: new Map(e.schedules.map((x) => [String(x.id), x])) });
      }
      bookings.load(saved);
      hooks.load(saved.hooks);
    },
  );

  const view = (e: StoredExperience) => ({ ...e.record, object: 'experience' });

  app.addHook('preHandler', async (req, reply) => {
    if (req.url.startsWith('/__sim')) return;
    if (req.headers['x-api-key'] !== opts.apiKey) return xolaError(reply, 401, 'Unauthorized');
    const rl = limiter.take();
    reply.header('X-RateLimit-Limit', String(limiter.limit)).header('X-RateLimit-Remaining', String(rl.remaining)).header('X-RateLimit-Reset', String(Math.ceil(rl.resetAt / 1000)));
    if (!rl.allowed) {
      const retryInSeconds = Math.max(1, Math.ceil((rl.resetAt - Date.now()) / 1000));
      return reply.code(429).header('Retry-After', String(retryInSeconds)).send({
        message: 'Too many requests', retryInSeconds,
        rateLimit: { limit: limiter.limit, current: rl.current, remaining: 0, resetTime: new Date(rl.resetAt).toISOString() },
      });
    }
  });

  const find = (reply: FastifyReply, id: string): StoredExperience | undefined => {
    const e = experiences.get(id);
    if (!e || e.record.deleted) {
      void xolaError(reply, 404, 'Experience not found');
      return undefined;
    }
    return e;
  };

  /** Inline `schedules` (S4:L96): one with a known `id` replaces that schedule ("for updates", S4:L6219), others are added. */
  const upsertSchedules = (e: StoredExperience, list: Array<Record<string, unknown>> | undefined) => {
    for (const input of list ?? []) {
      const id = typeof input.id === 'string' && e.schedules.has(input.id) ? input.id : oid();
      e.schedules.set(id, { repeat: 'weekly', ...input, id });
    }
  };

  app.get('/api/experiences', async (req, reply) => {
    const q = z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      skip: z.coerce.number().int().min(0).default(0),
      seller: z.string().optional(),
      search: z.string().optional(),
    }).loose().safeParse(req.query);
    if (!q.success) return validation(reply, q.error);
    const { limit, skip, seller, search } = q.data;
    const rows = [...experiences.values()].map((e) => e.record)
      .filter((r) => !r.deleted && (!seller || (r.seller as { id: string }).id === seller)
        && (!search || `${r.name} ${r.desc ?? ''}`.toLowerCase().includes(search.toLowerCase())));
    const page = rows.slice(skip, skip + limit);
    const next = skip + limit < rows.length ? `/api/experiences?limit=${limit}&skip=${skip + limit}` : null;
    return { data: page.map((r) => ({ ...r, object: 'experience' })), paging: { next } };
  });

  app.post('/api/experiences', { config: { write: true } }, async (req, reply) => {
    const parsed = ExperienceCreate.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    const seller = typeof parsed.data.seller === 'string' ? parsed.data.seller : parsed.data.seller.id;
    if (seller !== opts.sellerId) return xolaError(reply, 403, 'Not allowed to create experiences for this seller');
    const now = new Date().toISOString();
    const id = oid();
    const { schedules, ...fields } = parsed.data;
    // Answer defaults as in the create example's answer (S4:L120-137).
    const record = { complete: false, visible: false, reviewed: false, priceType: 'person', ...fields, id, seller: { id: seller }, createdAt: now, updatedAt: now };
    experiences.set(id, { record, schedules: new Map() });
    upsertSchedules(experiences.get(id)!, schedules);
    return reply.code(201).send({ ...record, object: 'experience' });
  });

  app.get('/api/experiences/:id', async (req, reply) => {
    const e = find(reply, (req.params as { id: string }).id);
    if (!e) return reply;
    // `expand=schedules` inlines the schedules (S4:L139-142).
    const expand = String((req.query as { expand?: string }).expand ?? '').split(',');
    return expand.includes('schedules') ? { ...view(e), schedules: [...e.schedules.values()] } : view(e);
  });

  app.put('/api/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = find(reply, (req.params as { id: string }).id);
    if (!e) return reply;
    // Partial (S4:L192): only sent fields change; `name` and `seller` are required (S4:L194, L201).
    // The seller cannot be changed here: the stored one is kept (assumption, README).
    const parsed = ExperienceUpdate.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    const { schedules, ...fields } = parsed.data;
    e.record = { ...e.record, ...fields, seller: e.record.seller, updatedAt: new Date().toISOString() };
    upsertSchedules(e, schedules);
    return view(e);
  });

  app.delete('/api/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = find(reply, (req.params as { id: string }).id);
    if (!e) return reply;
    e.record.deleted = true; // S4:L581: soft delete
    return reply.code(204).send();
  });

  app.get('/api/experiences/:id/schedules', async (req, reply) => {
    const e = find(reply, (req.params as { id: string }).id);
    return e ? { data: [...e.schedules.values()], paging: { next: null } } : reply;
  });

  app.post('/api/experiences/:id/schedules', { config: { write: true } }, async (req, reply) => {
    const e = find(reply, (req.params as { id: string }).id);
    if (!e) return reply;
    const parsed = ScheduleInput.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    const s = { repeat: 'weekly', ...parsed.data, id: oid() };
    e.schedules.set(s.id, s);
    return reply.code(201).send(s);
  });

  app.put('/api/experiences/:id/schedules/:sid', { config: { write: true } }, async (req, reply) => {
    const { id, sid } = req.params as { id: string; sid: string };
    const e = find(reply, id);
    if (!e) return reply;
    if (!e.schedules.has(sid)) return xolaError(reply, 404, 'Schedule not found');
    const parsed = ScheduleInput.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    // Not documented as partial (S4:L6274): the simulator replaces the schedule whole (assumption, README).
    const s = { repeat: 'weekly', ...parsed.data, id: sid };
    e.schedules.set(sid, s);
    return s;
  });

  app.delete('/api/experiences/:id/schedules/:sid', { config: { write: true } }, async (req, reply) => {
    const { id, sid } = req.params as { id: string; sid: string };
    const e = find(reply, id);
    if (!e) return reply;
    if (!e.schedules.delete(sid)) return xolaError(reply, 404, 'Schedule not found');
    return reply.code(204).send();
  });

  return {
    ...base,
    experiences,
    events: bookings.events,
    purchases: bookings.purchases,
    hooks: hooks.hooks,
    webhookDeliveries: hooks.deliveries,
    webhookKnobs: hooks.knobs,
    limiter,
    listen: (port = opts.port ?? 0, host?: string) => listen(app, port, host),
    close: () => app.close(),
  };
}
export type XolaSimulator = ReturnType<typeof createXolaSimulator>;
