import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { createSimulatorBase, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { signWhop } from './signature.js';
import {
  AttachBody, createdWithin, ExperienceCreate, ExperienceListQuery, ExperienceUpdate, invalid, type ListQuery, page, planConflicts,
  PlanCreate, PlanListQuery, PlanUpdate, ProductCreate, ProductListQuery, ProductUpdate, whopError,
} from './simulator-rules.js';
import { createIdempotency } from './simulator-idempotency.js';
import { registerWhopSales } from './simulator-sales.js';

export interface WhopSimulatorOptions {
  apiKey: string;
  companyId: string;
  appId: string;
  port?: number;
  /** REST limits are undocumented: 300 per minute (the bridge's own 5/s) unless told otherwise (README). */
  rateLimit?: { limit: number; windowMs: number };
  webhook?: { url: string; secret: string };
  /** `iso` as the current docs; `epoch` (seconds) as the seed S3:L21. */
  createdAt?: 'iso' | 'epoch';
}

type Rec = Record<string, unknown> & { id: string; company_id: string; created_at: string };
/** Headers of one request the tests look at (the SDK's version and idempotency headers). */
export interface WhopSeenHeaders { method: string; path: string; apiVersionDate: string | null; idempotencyKey: string | null }
interface Store { products: Map<string, Rec>; plans: Map<string, Rec>; experiences: Map<string, Rec> }

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const tag = (prefix: string, n: number) => `${prefix}_${[...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('')}`;
const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The Whop simulator: products, plans and experiences with bearer auth, company scoping, cursor pages, 429s and signed webhooks. */
export function createWhopSimulator(opts: WhopSimulatorOptions) {
  const base = createSimulatorBase('whop');
  const { app } = base;
  const store: Store = { products: new Map(), plans: new Map(), experiences: new Map() };
  const limiter = new FixedWindowLimiter(opts.rateLimit?.limit ?? 300, opts.rateLimit?.windowMs ?? 60_000);
  const company = { id: opts.companyId, title: 'Simulated Whop company', route: 'simulated-company' };
  let clock = 0;
  // Strictly increasing creation times, so "created since" filters are exact even within one millisecond.
  const now = () => new Date((clock = Math.max(Date.now(), clock + 1))).toISOString();

  const idempotency = createIdempotency(app);
  const seen: WhopSeenHeaders[] = [];
  const header = (req: FastifyRequest, name: string) => { const v = req.headers[name]; return typeof v === 'string' ? v : null; };
  let hook = opts.webhook;
  const sales = registerWhopSales(app, { companyId: opts.companyId, plans: store.plans, products: store.products, now: () => now(), send: (type, data) => (hook ? sendWebhook(type, data) : Promise.resolve(null)) });
  // Where signed deliveries go (a test or the demo subscribes its receiver): `{url, secret}`.
  app.post('/__sim/webhook', async (req) => { hook = req.body as { url: string; secret: string }; return { ok: true }; });
  base.onReset(() => { store.products.clear(); store.plans.clear(); store.experiences.clear(); sales.clear(); limiter.reset(); idempotency.clear(); seen.length = 0; });
  base.onInspect(() => ({ products: [...store.products.values()], plans: [...store.plans.values()], experiences: [...store.experiences.values()] }));
  base.persistence(
    () => ({ products: [...store.products.values()], plans: [...store.plans.values()], experiences: [...store.experiences.values()] }),
    (data) => {
      const d = data as Record<keyof Store, Rec[]>;
      for (const k of ['products', 'plans', 'experiences'] as const) store[k] = new Map((d[k] ?? []).map((r) => [r.id, r]));
    },
  );

  const stamp = (iso: string) => (opts.createdAt === 'epoch' ? Math.floor(Date.parse(iso) / 1000) : iso);
  const companyOf = (id: string) => (id === opts.companyId ? company : { id, title: 'Another company', route: 'another' });
  const productRef = (id: string) => { const p = store.products.get(id); return p ? { id: p.id, title: p.title, route: p.route } : null; };
  const viewProduct = (p: Rec) => ({ ...p, company_id: undefined, company: companyOf(p.company_id), created_at: stamp(p.created_at) });
  // SDK shared.ts `Plan`: `account` (not `company`) and `product` (null for a standalone plan).
  const viewPlan = (p: Rec) => ({ ...p, company_id: undefined, product_id: undefined, account: companyOf(p.company_id), product: p.product_id ? productRef(String(p.product_id)) : null, created_at: stamp(p.created_at) });
  const viewExperience = (e: Rec) => ({
    ...e, company_id: undefined, product_ids: undefined, company: companyOf(e.company_id), created_at: stamp(e.created_at),
    app: { id: e.app_id, name: 'Bridge app', icon: null }, app_id: undefined,
    products: (e.product_ids as string[]).map(productRef).filter(Boolean),
  });

  app.setNotFoundHandler((_req, reply) => whopError(reply, 404, 'not_found', 'No such route'));
  app.addHook('preHandler', async (req, reply) => {
    if (req.url.startsWith('/__sim')) return;
    seen.push({ method: req.method, path: req.url.split('?')[0] ?? '', apiVersionDate: header(req, 'api-version-date'), idempotencyKey: header(req, 'idempotency-key') });
    if (seen.length > 1000) seen.shift();
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return whopError(reply, 401, 'unauthorized', 'A valid bearer token is required');
    // `Api-Version-Date` is optional ("Defaults to the latest version", SDK client.ts `ClientOptions.version`), an ISO date when sent.
    const version = header(req, 'api-version-date');
    if (version !== null && !/^\d{4}-\d{2}-\d{2}$/.test(version)) return whopError(reply, 400, 'invalid_request', 'Api-Version-Date must be an ISO date (YYYY-MM-DD)');
    const rl = limiter.take();
    if (!rl.allowed) {
      const seconds = Math.max(1, Math.ceil((rl.resetAt - Date.now()) / 1000));
      return whopError(reply.header('Retry-After', String(seconds)), 429, 'rate_limited', 'Too many requests');
    }
  });

  /** 404 when absent, 403 when another company's (README: a key sees one company). */
  function owned(reply: FastifyReply, kind: keyof Store, id: string): Rec | undefined {
    const rec = store[kind].get(id);
    if (!rec) { void whopError(reply, 404, 'not_found', `No ${kind.slice(0, -1)} ${id}`); return undefined; }
    if (rec.company_id !== opts.companyId) { void whopError(reply, 403, 'forbidden', `The ${kind.slice(0, -1)} belongs to another company`); return undefined; }
    return rec;
  }
  function parse<S extends z.ZodType>(reply: FastifyReply, schema: S, body: unknown): z.infer<S> | undefined {
    const r = schema.safeParse(body ?? {});
    if (!r.success) { void invalid(reply, r.error); return undefined; }
    return r.data;
  }
  /** Parses a list query; the owner param (`account_id` or `company_id`) must be the key's own (403 otherwise). */
  function listQuery<S extends z.ZodType<ListQuery & Record<string, unknown>>>(req: FastifyRequest, reply: FastifyReply, schema: S, owner: 'account_id' | 'company_id'): z.infer<S> | undefined {
    const q = parse(reply, schema, req.query);
    if (!q) return undefined;
    if (q[owner] !== opts.companyId) { void whopError(reply, 403, 'forbidden', 'The key has no access to this account'); return undefined; }
    if (q.before !== undefined || q.last !== undefined) { void whopError(reply, 400, 'invalid_request', 'before/last paging is not supported by the simulator'); return undefined; }
    return q;
  }
  /** One page of the key's own rows, oldest first unless `direction: desc` (the SDK's documented default for products and plans). */
  function list(reply: FastifyReply, q: ListQuery & { direction?: 'asc' | 'desc'; order?: string }, rows: Rec[], view: (r: Rec) => unknown) {
    const mine = rows.filter((r) => r.company_id === opts.companyId && createdWithin(r.created_at, q));
    const key = q.order === 'id' ? 'id' : 'created_at';
    mine.sort((a, b) => String(a[key]).localeCompare(String(b[key])));
    if (q.direction === 'desc') mine.reverse();
    const p = page(mine, q);
    if (!p) return whopError(reply, 400, 'invalid_request', 'after is not a cursor this API issued', [{ field: 'after', message: 'unknown cursor' }]);
    return { data: p.data.map(view), page_info: p.page_info };
  }
  const forCompany = (reply: FastifyReply, companyId: string | undefined) => {
    if (companyId === undefined || companyId === opts.companyId) return true;
    void whopError(reply, 403, 'forbidden', 'The key has no access to this company');
    return false;
  };

  /** Checkout fields as stored (SDK shared.ts `Plan.CustomField`): ids kept for known ones, new ids for the rest. */
  function customFields(given: Array<Record<string, unknown>> | null | undefined, before: unknown): Array<Record<string, unknown>> {
    const old = new Map(((before ?? []) as Array<Record<string, unknown>>).map((f) => [String(f.id), f]));
    return (given ?? []).map((f, i) => {
      const prev = typeof f.id === 'string' ? old.get(f.id) : undefined;
      return { field_type: 'text', name: '', order: i, placeholder: null, required: false, ...prev, ...clean(f), id: prev?.id ?? tag('field', 12) };
    });
  }
  /** Filters of a bracketed array param (`visibilities[]` …): no filter when absent. */
  const within = (values: string[] | undefined, v: unknown) => !values || values.includes(String(v));

  // --- products ------------------------------------------------------------------------------
  app.get('/products', async (req, reply) => {
    const q = listQuery(req, reply, ProductListQuery, 'account_id');
    if (!q) return reply;
    // Every product here is a regular one (SDK shared.ts `AccessPassType`).
    const rows = [...store.products.values()].filter((p) => within(q['visibilities[]'], p.visibility) && within(q['access_pass_types[]'], 'regular'));
    return list(reply, q, rows, (p) => ({ ...viewProduct(p), description: undefined, company: undefined }));
  });
  app.post('/products', { config: { write: true }, preHandler: idempotency.begin }, async (req, reply) => {
    const body = parse(reply, ProductCreate, req.body);
    if (!body || !forCompany(reply, body.account_id)) return reply;
    const at = now();
    const { account_id: _owner, ...fields } = body;
    const rec: Rec = { visibility: 'visible', description: null, headline: null, route: null, external_identifier: null, ...clean(fields), company_id: opts.companyId, id: tag('prod', 13), created_at: at, updated_at: at };
    rec.route ??= rec.id.toLowerCase();
    store.products.set(rec.id, rec);
    return viewProduct(rec);
  });
  app.get('/products/:id', async (req, reply) => {
    const p = owned(reply, 'products', (req.params as { id: string }).id);
    return p ? viewProduct(p) : reply;
  });
  app.patch('/products/:id', { config: { write: true } }, async (req, reply) => {
    const p = owned(reply, 'products', (req.params as { id: string }).id);
    const body = p && parse(reply, ProductUpdate, req.body);
    if (!p || !body) return reply;
    Object.assign(p, clean(body), { updated_at: now() });
    return viewProduct(p);
  });

  // --- plans ---------------------------------------------------------------------------------
  app.get('/plans', async (req, reply) => {
    const q = listQuery(req, reply, PlanListQuery, 'account_id');
    if (!q) return reply;
    const rows = [...store.plans.values()].filter((p) => within(q['product_ids[]'], p.product_id) && within(q['plan_types[]'], p.plan_type)
      && within(q['release_methods[]'], p.release_method) && within(q['visibilities[]'], p.visibility));
    // List items carry no `custom_fields` (SDK plans.ts `PlanListResponse`).
    return list(reply, q, rows, (p) => ({ ...viewPlan(p), custom_fields: undefined }));
  });
  app.post('/plans', { config: { write: true }, preHandler: idempotency.begin }, async (req, reply) => {
    const body = parse(reply, PlanCreate, req.body);
    if (!body || !forCompany(reply, body.account_id)) return reply;
    if (body.product_id !== undefined) {
      const product = store.products.get(body.product_id);
      if (!product) return whopError(reply, 422, 'unprocessable_entity', 'product_id does not name a product', [{ field: 'product_id', message: 'not found' }]);
      if (product.company_id !== opts.companyId) return whopError(reply, 403, 'forbidden', 'The product belongs to another company');
    }
    const at = now();
    const { account_id: _owner, custom_fields, ...fields } = body;
    const rec: Rec = {
      plan_type: 'renewal', release_method: 'buy_now', visibility: 'visible', currency: 'usd', initial_price: 0, renewal_price: 0,
      stock: 0, unlimited_stock: false, title: null, description: null, billing_period: null, product_id: null,
      ...clean(fields), custom_fields: customFields(custom_fields, []), company_id: opts.companyId, id: tag('plan', 13), created_at: at, updated_at: at,
    };
    const conflicts = planConflicts(rec);
    if (conflicts.length) return whopError(reply, 422, 'unprocessable_entity', 'The plan is inconsistent', conflicts);
    rec.purchase_url = `https://whop.com/checkout/${rec.id}`;
    store.plans.set(rec.id, rec);
    return viewPlan(rec);
  });
  app.get('/plans/:id', async (req, reply) => {
    const p = owned(reply, 'plans', (req.params as { id: string }).id);
    return p ? viewPlan(p) : reply;
  });
  app.patch('/plans/:id', { config: { write: true } }, async (req, reply) => {
    const p = owned(reply, 'plans', (req.params as { id: string }).id);
    const body = p && parse(reply, PlanUpdate, req.body);
    if (!p || !body) return reply;
    const { custom_fields, ...fields } = body;
    // "Omitting this field clears existing custom fields" (SDK plans.ts `PlanUpdateParams.custom_fields`).
    const next = { ...p, ...clean(fields), custom_fields: customFields(custom_fields, p.custom_fields) };
    const conflicts = planConflicts(next);
    if (conflicts.length) return whopError(reply, 422, 'unprocessable_entity', 'The plan is inconsistent', conflicts);
    Object.assign(p, next, { updated_at: now() });
    return viewPlan(p);
  });

  // --- experiences ---------------------------------------------------------------------------
  app.get('/experiences', async (req, reply) => {
    const q = listQuery(req, reply, ExperienceListQuery, 'company_id');
    if (!q) return reply;
    const rows = [...store.experiences.values()].filter((e) => (!q.app_id || e.app_id === q.app_id) && (!q.product_id || (e.product_ids as string[]).includes(q.product_id)));
    return list(reply, q, rows, (e) => ({ ...viewExperience(e), products: undefined }));
  });
  app.post('/experiences', { config: { write: true } }, async (req, reply) => {
    const body = parse(reply, ExperienceCreate, req.body);
    if (!body || !forCompany(reply, body.company_id)) return reply;
    if (body.app_id !== opts.appId) return whopError(reply, 422, 'unprocessable_entity', 'app_id is not installed on this company', [{ field: 'app_id', message: 'not installed' }]);
    const rec: Rec = { order: null, is_public: false, image: null, section_id: null, ...clean(body), company_id: body.company_id, name: body.name ?? 'Bridge app', id: tag('exp', 14), product_ids: [], created_at: now() };
    store.experiences.set(rec.id, rec);
    return viewExperience(rec);
  });
  app.get('/experiences/:id', async (req, reply) => {
    const e = owned(reply, 'experiences', (req.params as { id: string }).id);
    return e ? viewExperience(e) : reply;
  });
  app.patch('/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = owned(reply, 'experiences', (req.params as { id: string }).id);
    const body = e && parse(reply, ExperienceUpdate, req.body);
    if (!e || !body) return reply;
    Object.assign(e, clean(body));
    return viewExperience(e);
  });
  for (const verb of ['attach', 'detach'] as const) {
    app.post(`/experiences/:id/${verb}`, { config: { write: true } }, async (req, reply) => {
      const e = owned(reply, 'experiences', (req.params as { id: string }).id);
      const body = e && parse(reply, AttachBody, req.body);
      if (!e || !body) return reply;
      if (!owned(reply, 'products', body.product_id)) return reply;
      const ids = e.product_ids as string[];
      const attached = ids.includes(body.product_id);
      // Strictest reading: attaching twice or detaching what is not attached is refused (README).
      if (verb === 'attach' && attached) return whopError(reply, 422, 'unprocessable_entity', 'The experience is already attached to this product');
      if (verb === 'detach' && !attached) return whopError(reply, 422, 'unprocessable_entity', 'The experience is not attached to this product');
      e.product_ids = verb === 'attach' ? [...ids, body.product_id] : ids.filter((i) => i !== body.product_id);
      return viewExperience(e);
    });
  }

  /** Seeds a record of another company (tests of 403). */
  function seedForeign(kind: 'products' | 'experiences', companyId: string): string {
    const at = now();
    const rec: Rec = kind === 'products'
      ? { id: tag('prod', 13), company_id: companyId, title: 'Foreign product', visibility: 'visible', created_at: at }
      : { id: tag('exp', 14), company_id: companyId, app_id: opts.appId, name: 'Foreign experience', product_ids: [], created_at: at };
    store[kind].set(rec.id, rec);
    return rec.id;
  }

  /** POSTs one signed delivery `{id, api_version, type, timestamp, data, company_id}` to the configured URL. */
  async function sendWebhook(type: string, data: Record<string, unknown>): Promise<{ id: string; status: number }> {
    if (!hook) throw new Error('whop simulator: no webhook URL configured');
    const id = tag('msg', 20);
    const at = new Date();
    const body = JSON.stringify({ id, api_version: 'v1', type, timestamp: at.toISOString(), data, company_id: opts.companyId });
    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', ...signWhop(hook.secret, id, at, body) }, body });
    return { id, status: res.status };
  }

  return {
    ...base,
    store,
    limiter,
    /** Version and idempotency headers of recent requests (newest last). */
    seen,
    seedForeign,
    sendWebhook,
    listen: (port = opts.port ?? 0, host?: string) => listen(app, port, host),
    close: () => app.close(),
  };
}
export type WhopSimulator = ReturnType<typeof createWhopSimulator>;
