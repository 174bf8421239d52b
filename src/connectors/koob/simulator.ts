import { z } from 'zod';
import { createSimulatorBase, fail, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { describeIssues } from '../../config.js';
import { type DemoExperience, demoCatalog } from './demo-catalog.js';
import { registerKoobBookings } from './simulator-bookings.js';

/** Fields that KOOB translates per `?locale=` (S2: "updated in multiple languages"). */
const LOCALIZED = ['name', 'summary', 'highlights', 'description', 'includedServices', 'excludedServices', 'cancellationPolicies', 'extraRemarks'] as const;

export interface KoobSimulatorOptions {
  apiKey: string;
  port?: number;
  catalog?: DemoExperience[];
  /** Anchor of the demo catalog's dates (default: today). */
  today?: string;
  /** KOOB documents no limit; we enforce 300 per minute (connector README). */
  rateLimit?: { limit: number; windowMs: number };
  oauth?: { username: string; password: string };
}

const ListBody = z.object({
  page: z.number().int().min(1),
  perPage: z.number().int().min(1).max(100),
  state: z.enum(['in_progress', 'available', 'stand_by']).optional(),
  types: z.array(z.enum(['Program', 'Activity', 'Transfer'])).optional(),
  search: z.string().optional(),
  pricingType: z.enum(['fit', 'sic', 'series']).optional(),
  minDuration: z.number().optional(),
  maxDuration: z.number().optional(),
}).strict();

const PeriodIn = z.object({
  startAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  endAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  state: z.enum(['free_sale', 'on_request', 'pre_confirmed', 'stop_sale']),
  price: z.number().min(0),
  availableDays: z.array(z.union([z.literal(0), z.literal(1)])).length(7).optional(),
  allotments: z.number().int().min(0).optional(),
  minPaxForDeparture: z.number().int().min(0).optional(),
}).loose();

const CreateBody = z.object({
  type: z.enum(['Program', 'Activity', 'Transfer']),
  name: z.string().min(1),
  state: z.enum(['in_progress', 'available', 'stand_by']),
  currency: z.string().regex(/^[A-Z]{3}$/),
  pricingType: z.enum(['fit', 'sic', 'series']).optional(),
  dmcReference: z.string().optional(),
  periods: z.array(PeriodIn).default([]),
}).loose().superRefine((b, ctx) => {
  b.periods.forEach((p, i) => {
    // S2:L1133-1141: FIT needs endAt; SIC and Series need allotments and minPaxForDeparture.
    if ((b.pricingType ?? 'fit') === 'fit' && !p.endAt) ctx.addIssue({ code: 'custom', path: ['periods', i, 'endAt'], message: 'required for fit pricing' });
    if (b.pricingType === 'sic' || b.pricingType === 'series') {
      if (p.allotments === undefined) ctx.addIssue({ code: 'custom', path: ['periods', i, 'allotments'], message: `required for ${b.pricingType} pricing` });
      if (p.minPaxForDeparture === undefined) ctx.addIssue({ code: 'custom', path: ['periods', i, 'minPaxForDeparture'], message: `required for ${b.pricingType} pricing` });
    }
  });
});

/** KOOB's error shape is not documented; we answer `{statusCode, message, errors?}` (connector README). */
function koobError(status: number, message: string, errors?: string): Record<string, unknown> {
  return errors ? { statusCode: status, message, errors } : { statusCode: status, message };
}

/** The KOOB simulator: experiences API with auth, list pagination, per-locale texts and limits. */
export function createKoobSimulator(opts: KoobSimulatorOptions) {
  const base = createSimulatorBase('koob');
  const { app } = base;
  const store = new Map<string, DemoExperience>();
  const tokens = new Set<string>();
  const limiter = new FixedWindowLimiter(opts.rateLimit?.limit ?? 300, opts.rateLimit?.windowMs ?? 60_000);
  let nextId = 9000;
  const load = () => {
    store.clear();
    for (const e of opts.catalog ?? demoCatalog(opts.today)) store.set(String(e.record.id), structuredClone(e));
  };
  load();
  const view = (e: DemoExperience, locale: string | undefined): Record<string, unknown> => {
    const t = locale && locale !== 'en' ? e.translations[locale] ?? {} : {};
    return { ...e.record, ...t };
  };

  app.post('/api/v1/oauth/token', async (req, reply) => {
    const b = (req.body ?? {}) as { username?: string; password?: string };
    if (!opts.oauth || b.username !== opts.oauth.username || b.password !== opts.oauth.password) return fail(reply, 401, koobError(401, 'Invalid credentials'));
    const token = `tok_${Math.random().toString(36).slice(2)}`;
    tokens.add(token);
    return { accessToken: token };
  });

  app.addHook('preHandler', async (req, reply) => {
    if (req.url.startsWith('/__sim') || req.url.startsWith('/api/v1/oauth')) return;
    const key = req.headers['x-api-key'];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (key !== opts.apiKey && !(bearer && tokens.has(bearer))) return fail(reply, 401, koobError(401, 'Unauthorized'));
    const rl = limiter.take();
    if (!rl.allowed) {
      return reply.code(429).header('Retry-After', String(Math.ceil((rl.resetAt - Date.now()) / 1000))).send(koobError(429, 'Too Many Requests'));
    }
  });

  // Registered after the auth hook: bookings need the key like every /api route.
  const bookings = registerKoobBookings(app, store, { today: opts.today, error: koobError });
  base.onReset(() => { load(); limiter.reset(); bookings.reset(); });
  base.onInspect(() => ({ experiences: [...store.values()].map((e) => e.record), ...bookings.inspect() }));
  base.persistence(() => ({ nextId, experiences: [...store.values()], koobBookings: bookings.save() }), (data) => {
    const d = data as { nextId: number; experiences: DemoExperience[]; koobBookings?: unknown };
    nextId = d.nextId;
    store.clear();
    for (const e of d.experiences) store.set(String(e.record.id), e);
    bookings.load(d.koobBookings);
  });

  app.post('/api/v1/experiences/liste', async (req, reply) => {
    const parsed = ListBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(reply, 400, koobError(400, 'Bad Request', describeIssues(parsed.error)));
    const { page, perPage, state, types, search, pricingType } = parsed.data;
    const locale = (req.query as { locale?: string }).locale;
    const rows = [...store.values()]
      .filter((e) => (!state || e.record.state === state) && (!types || types.includes(e.record.type as 'Program'))
        && (!pricingType || e.record.pricingType === pricingType)
        && (!search || String(view(e, locale).name).toLowerCase().includes(search.toLowerCase())))
      .sort((a, b) => Number(a.record.id) - Number(b.record.id));
    return rows.slice((page - 1) * perPage, page * perPage).map((e) => {
      const v = view(e, locale);
      return {
        id: v.id, name: v.name, durationDays: v.durationDays, durationHours: v.durationHours, durationMinutes: v.durationMinutes,
        experienceType: v.type, organizationId: v.organizationId, isExtra: (v.activity as { isExtra?: boolean } | undefined)?.isExtra ?? null,
        inCity: v.inCity, pricingType: v.pricingType, cancellationPolicies: v.cancellationPolicies,
      };
    });
  });

  app.get('/api/v1/experiences/:id', async (req, reply) => {
    const e = store.get((req.params as { id: string }).id);
    if (!e) return fail(reply, 404, koobError(404, 'Experience not found'));
    return view(e, (req.query as { locale?: string }).locale);
  });

  app.post('/api/v1/experiences', { config: { write: true } }, async (req, reply) => {
    const parsed = CreateBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(reply, 400, koobError(400, 'Bad Request', describeIssues(parsed.error)));
    const ref = parsed.data.dmcReference;
    // Conservative: a second experience with the same dmcReference is refused (docs are silent).
    const dup = ref ? [...store.values()].find((e) => e.record.dmcReference === ref) : undefined;
    if (dup) return fail(reply, 409, koobError(409, `dmcReference ${ref} already exists`, String(dup.record.id)));
    const id = String(nextId++);
    const now = new Date().toISOString();
    store.set(id, { record: { ...(req.body as object), id, createdAt: now, updatedAt: now }, translations: {} });
    return reply.code(201).send({ id, dmcReference: ref, name: parsed.data.name, type: parsed.data.type, pricingType: parsed.data.pricingType, state: parsed.data.state, createdAt: now, updatedAt: now, message: `${parsed.data.type} created successfully` });
  });

  // Named in S2:L1078 without a documented body or answer: we answer 204 and forget the record.
  app.delete('/api/v1/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!store.delete(id)) return fail(reply, 404, koobError(404, 'Experience not found'));
    return reply.code(204).send();
  });

  // Test-only: replace the catalog with raw records (even malformed ones, to test per-record failures).
  app.post('/__sim/seed', async (req) => {
    const { experiences } = (req.body ?? {}) as { experiences?: DemoExperience[] };
    store.clear();
    for (const e of experiences ?? []) store.set(String(e.record.id), structuredClone({ ...e, translations: e.translations ?? {} }));
    return { count: store.size };
  });

  // Test-only: change fields of one stored record (in one locale) as an operator editing KOOB would.
  app.post('/__sim/patch/:id', async (req, reply) => {
    const e = store.get((req.params as { id: string }).id);
    if (!e) return fail(reply, 404, koobError(404, 'Experience not found'));
    const { locale, fields } = (req.body ?? {}) as { locale?: string; fields: Record<string, unknown> };
    if (locale && locale !== 'en') e.translations[locale] = { ...e.translations[locale], ...fields };
    else e.record = { ...e.record, ...fields };
    return { ok: true };
  });

  app.put('/api/v1/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = store.get((req.params as { id: string }).id);
    if (!e) return fail(reply, 404, koobError(404, 'Experience not found'));
    const parsed = CreateBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(reply, 400, koobError(400, 'Bad Request', describeIssues(parsed.error)));
    const locale = (req.query as { locale?: string }).locale ?? 'en';
    const body = req.body as Record<string, unknown>;
    if (locale === 'en') {
      e.record = { ...body, id: e.record.id, updatedAt: new Date().toISOString() };
    } else {
      e.translations[locale] = Object.fromEntries(LOCALIZED.filter((f) => f in body).map((f) => [f, body[f]]));
    }
    return reply.code(200).send();
  });

  return {
    ...base,
    store,
    bookings: bookings.bookings,
    limiter,
    listen: (port = opts.port ?? 0, host?: string) => listen(app, port, host),
    close: () => app.close(),
  };
}
export type KoobSimulator = ReturnType<typeof createKoobSimulator>;
