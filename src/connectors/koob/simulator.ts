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

/**
 * POST /api/v1/experiences/liste body (S2:L1003-1014). Unknown keys pass: the seed points to more
 * filters in the API Reference (S2:L1001). `perPage` ≤ 100 is our assumption (README).
 */
const ListBody = z.object({
  page: z.number().int().min(1),
  perPage: z.number().int().min(1).max(100),
  state: z.enum(['in_progress', 'available', 'stand_by']).optional(),
  types: z.array(z.enum(['Program', 'Activity', 'Transfer'])).optional(),
  search: z.string().optional(),
  pricingType: z.enum(['fit', 'sic', 'series']).optional(),
  minDuration: z.number().optional(),
  maxDuration: z.number().optional(),
}).loose();

/** One period of a create or PUT body (S2:L96-140, L815-842); fields we do not list pass unchanged. */
const PeriodIn = z.object({
  // Dates as in every seed example (S2:L99-100, L817-818).
  startAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  endAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  // S2:L1108-1112: the four period types.
  state: z.enum(['free_sale', 'on_request', 'pre_confirmed', 'stop_sale']),
  price: z.number().min(0),
  // S2:L1118-1120: seven 0/1 flags, Monday first.
  availableDays: z.array(z.union([z.literal(0), z.literal(1)])).length(7).optional(),
  allotments: z.number().int().min(0).optional(),
  minPaxForDeparture: z.number().int().min(0).optional(),
}).loose();

/**
 * Create and PUT bodies. Required: `type` (S2:L5-13), `name`, `state` (S2:L1104-1107) and
 * `currency`, present in every create example (S2:L29-37, L636-646); that they are required is
 * our reading (README, assumptions). Every other field passes unchanged.
 */
const CreateBody = z.object({
  type: z.enum(['Program', 'Activity', 'Transfer']),
  name: z.string().min(1),
  state: z.enum(['in_progress', 'available', 'stand_by']),
  currency: z.string().regex(/^[A-Z]{3}$/),
  // S2:L1097-1103.
  pricingType: z.enum(['fit', 'sic', 'series']).optional(),
  dmcReference: z.string().optional(),
  // S2:L1091-1096: a Transfer names its mode in `transfer.type`.
  transfer: z.object({ type: z.enum(['RAIL', 'LAND', 'AIR', 'BOAT']).optional() }).loose().nullish(),
  periods: z.array(PeriodIn).default([]),
}).loose().superRefine((b, ctx) => {
  if (b.type === 'Transfer' && !b.transfer?.type) ctx.addIssue({ code: 'custom', path: ['transfer', 'type'], message: 'required for a Transfer (RAIL, LAND, AIR or BOAT)' });
  b.periods.forEach((p, i) => {
    // S2:L1133-1141: FIT needs endAt; SIC and Series need allotments and minPaxForDeparture.
    if ((b.pricingType ?? 'fit') === 'fit' && !p.endAt) ctx.addIssue({ code: 'custom', path: ['periods', i, 'endAt'], message: 'required for fit pricing' });
    if (b.pricingType === 'sic' || b.pricingType === 'series') {
      if (p.allotments === undefined) ctx.addIssue({ code: 'custom', path: ['periods', i, 'allotments'], message: `required for ${b.pricingType} pricing` });
      if (p.minPaxForDeparture === undefined) ctx.addIssue({ code: 'custom', path: ['periods', i, 'minPaxForDeparture'], message: `required for ${b.pricingType} pricing` });
    }
  });
});

/** The organization of the simulator's API key (records created without one get it). */
const DEFAULT_ORG = 'org-sim';

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
  let nextPeriod = 1;
  const knobs = { uniqueReferences: true };
  const withPeriodIds = (periods: unknown): unknown => (Array.isArray(periods)
    ? periods.map((p) => (p && typeof p === 'object' && !(p as { id?: unknown }).id ? { ...p, id: `period-sim-${nextPeriod++}` } : p))
    : periods);
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
  const setKnobs = (body: unknown) => {
    const v = (body as { uniqueReferences?: unknown } | null)?.uniqueReferences;
    if (typeof v === 'boolean') { knobs.uniqueReferences = v; bookings.knobs.uniqueReferences = v; }
  };
  // `uniqueReferences` rides on the shared /__sim/knobs body (the kit's handler ignores it):
  // false = "no 409" mode, a repeated dmcReference or toReference makes a new record.
  app.addHook('preHandler', async (req) => {
    if (req.method === 'POST' && req.url.split('?')[0] === '/__sim/knobs') setKnobs(req.body);
  });
  app.get('/__sim/koob-knobs', async () => ({ ...knobs }));
  base.onReset(() => { load(); limiter.reset(); bookings.reset(); setKnobs({ uniqueReferences: true }); });
  base.onInspect(() => ({ experiences: [...store.values()].map((e) => e.record), ...bookings.inspect() }));
  base.persistence(() => ({ nextId, nextPeriod, experiences: [...store.values()], koobBookings: bookings.save() }), (data) => {
    const d = data as { nextId: number; nextPeriod?: number; experiences: DemoExperience[]; koobBookings?: unknown };
    nextId = d.nextId;
    nextPeriod = d.nextPeriod ?? nextPeriod;
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
    // Our conservative reading (docs silent): a second experience with the same dmcReference is
    // refused with 409, unless the "no 409" knob makes the simulator accept it as a new record.
    const dup = ref && knobs.uniqueReferences ? [...store.values()].find((e) => e.record.dmcReference === ref) : undefined;
    if (dup) return fail(reply, 409, koobError(409, `dmcReference ${ref} already exists`, String(dup.record.id)));
    const id = String(nextId++);
    const now = new Date().toISOString();
    const body = req.body as Record<string, unknown>;
    // Every create answer of the seed names the organization (S2:L187, L319, L629); the record gets the key's.
    const record = { organizationId: DEFAULT_ORG, ...body, id, periods: withPeriodIds(body.periods), createdAt: now, updatedAt: now };
    store.set(id, { record, translations: {} });
    return reply.code(201).send({ id, dmcReference: ref, name: parsed.data.name, type: parsed.data.type, pricingType: parsed.data.pricingType, state: parsed.data.state, organizationId: record.organizationId, createdAt: now, updatedAt: now, message: `${parsed.data.type} created successfully` });
  });

  // Named in S2:L1078 without a documented body or answer: we answer 204 and forget the record.
  app.delete('/api/v1/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!store.delete(id)) return fail(reply, 404, koobError(404, 'Experience not found'));
    return reply.code(204).send();
  });

  // Test-only: replace the catalog with raw records (even malformed ones, to test per-record failures).
  // Test-only; a generated catalog of thousands of records is larger than the API's 1 MiB body limit.
  app.post('/__sim/seed', { bodyLimit: 256 * 1024 * 1024 }, async (req) => {
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

  // S2:L870-995: a full replacement. The body becomes the record (what it leaves out is gone);
  // localized fields go to `?locale=` (default en), the rest to the record. Periods keep the ids
  // they carry and get new ones otherwise (GET shows an id on every period, S2:L816).
  app.put('/api/v1/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = store.get((req.params as { id: string }).id);
    if (!e) return fail(reply, 404, koobError(404, 'Experience not found'));
    const parsed = CreateBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(reply, 400, koobError(400, 'Bad Request', describeIssues(parsed.error)));
    const locale = (req.query as { locale?: string }).locale ?? 'en';
    const body = req.body as Record<string, unknown>;
    const server = { id: e.record.id, createdAt: e.record.createdAt, updatedAt: new Date().toISOString() };
    if (locale === 'en') {
      e.record = { ...body, ...server, periods: withPeriodIds(body.periods) };
    } else {
      const shared = Object.fromEntries(Object.entries(body).filter(([k]) => !(LOCALIZED as readonly string[]).includes(k)));
      const english = Object.fromEntries(LOCALIZED.filter((f) => f in e.record).map((f) => [f, e.record[f]]));
      e.record = { ...shared, ...english, ...server, periods: withPeriodIds(body.periods) };
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
