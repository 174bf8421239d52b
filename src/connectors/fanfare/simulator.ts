import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { createSimulatorBase, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { signFanfare } from './signature.js';
import { pageOf, PagingError, uuidv7 } from './sim-paging.js';
import {
  DISTRIBUTION_KINDS, ExperienceCreate, ExperienceUpdate, issueAt, openApiIssues, ProductCreate, ProductUpdate, type OpenApiIssue,
} from './sim-validation.js';

/** Documented webhook event types (FF:api/webhooks/events.mdx, "Event Type Summary"). */
export const FANFARE_EVENT_TYPES = [
  'queue.consumer.entered', 'queue.consumer.admitted', 'queue.consumer.completed', 'queue.consumer.left', 'queue.consumer.denied',
  'draw.consumer.entered', 'draw.consumer.won', 'draw.consumer.lost', 'draw.completed',
  'auction.bid.placed', 'auction.bid.outbid', 'auction.consumer.won', 'auction.settled',
  'order.created', 'order.completed', 'order.cancelled', 'consumer.created', 'consumer.updated',
  'distribution.updated', 'distribution.opened', 'distribution.closed',
] as const;

export interface FanfareSimulatorOptions {
  /** The one secret key accepted (`sk_test_…` or `sk_live_…`). */
  apiKey: string;
  port?: number;
  organizationId?: string;
  /** Documented: Admin API 1000 requests per minute per organization (FF:api/rate-limiting.mdx). */
  rateLimit?: { limit: number; windowMs: number };
  /** `Retry-After` on 429 in seconds (default) or as an HTTP-date; the docs allow both. */
  retryAfterAs?: 'seconds' | 'http-date';
  /** Bodies above this answer 413 (the docs give no size: 1 MB, the kit's parser limit). */
  maxBodyBytes?: number;
  webhook?: { url: string; secret: string };
}

type Row = Record<string, unknown>;

const API = '/api/v1';

/** `{error, message?}`: OA 401/403/500 require `error`; FF:api/errors.mdx adds `message` (404/413 are only there). */
function fanfareError(reply: FastifyReply, status: number, error: string, extra: { message?: string } = {}): FastifyReply {
  return reply.code(status).send({ error, ...extra });
}
/** OA 400 "Bad Request - Invalid input schema": `{error:"validation_error", issues[]}`. */
const invalid = (reply: FastifyReply, issues: OpenApiIssue[]) => reply.code(400).send({ error: 'validation_error', issues });
const parse = <S extends z.ZodType>(schema: S, body: unknown): { ok: true; data: z.infer<S> } | { ok: false; issues: OpenApiIssue[] } => {
  const r = schema.safeParse(body ?? {});
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: openApiIssues(r.error, body ?? {}) };
};

/** The Fanfare admin-API simulator (OpenAPI @055b707): products (upsert by sync source), experiences with nested distributions, webhooks. */
export function createFanfareSimulator(opts: FanfareSimulatorOptions) {
  const base = createSimulatorBase('fanfare');
  const { app } = base;
  const org = opts.organizationId ?? '0190a0a0-0000-7000-8000-000000000001'; // organization ids are UUIDs (OA format uuid)
  const createdBy = 'api-key'; // OA requires `createdBy` (a string) on every record; the spec gives no form
  const products = new Map<string, Row>();
  const syncSources = new Map<string, Row>();
  const experiences = new Map<string, Row>();
  const limiter = new FixedWindowLimiter(opts.rateLimit?.limit ?? 1000, opts.rateLimit?.windowMs ?? 60_000);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  base.onReset(() => { products.clear(); syncSources.clear(); experiences.clear(); limiter.reset(); });
  base.onInspect(() => ({ products: [...products.values()], syncSources: [...syncSources.values()], experiences: [...experiences.values()] }));
  base.persistence(
    () => ({ products: [...products.values()], syncSources: [...syncSources.values()], experiences: [...experiences.values()] }),
    (data) => {
      const d = data as Record<'products' | 'syncSources' | 'experiences', Row[]>;
      for (const [map, rows] of [[products, d.products], [syncSources, d.syncSources], [experiences, d.experiences]] as const) {
        map.clear();
        for (const r of rows ?? []) map.set(String(r.id), r);
      }
    },
  );

  app.setNotFoundHandler((_req, reply) => fanfareError(reply, 404, 'Not found'));
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    if (err.statusCode === 413) return fanfareError(reply, 413, 'Payload too large', { message: `request bodies are limited to ${maxBody} bytes` });
    if (err.statusCode && err.statusCode < 500) return fanfareError(reply, err.statusCode, 'Invalid request', { message: err.message });
    return fanfareError(reply, 500, 'Internal server error');
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/__sim')) return;
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (!token) return fanfareError(reply, 401, 'Authentication required');
    if (!/^sk_(test|live)_/.test(token)) return fanfareError(reply, 401, 'Secret key required');
    if (token !== opts.apiKey) return fanfareError(reply, 401, 'Invalid API key');
    const rl = limiter.take();
    reply.header('X-RateLimit-Limit', String(limiter.limit)).header('X-RateLimit-Remaining', String(rl.remaining)).header('X-RateLimit-Reset', String(Math.ceil(rl.resetAt / 1000)));
    if (!rl.allowed) {
      const retryAfter = Math.max(1, Math.ceil((rl.resetAt - Date.now()) / 1000));
      const header = opts.retryAfterAs === 'http-date' ? new Date(Date.now() + retryAfter * 1000).toUTCString() : String(retryAfter);
      return reply.code(429).header('Retry-After', header).send({ error: 'Rate limit exceeded', retryAfter });
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBody) {
      return fanfareError(reply, 413, 'Payload too large', { message: `request bodies are limited to ${maxBody} bytes` });
    }
  });

  const paged = <T extends Row>(reply: FastifyReply, rows: T[], q: unknown, sortable: string[]) => {
    try {
      return pageOf(rows, (q ?? {}) as Record<string, unknown>, sortable);
    } catch (err) {
      if (err instanceof PagingError) return invalid(reply, [issueAt([err.field], q, err.message)]);
      throw err;
    }
  };
  const now = () => new Date().toISOString();
  const idParam = (req: FastifyRequest) => (req.params as { id: string }).id;
  const stamp = () => ({ organizationId: org, createdAt: now(), createdBy, archived: false, updatedAt: now() });
  // PUT and DELETE answer the product without variants and sync source (OA:PUT/DELETE /products/{productId} 200).
  const productBase = (p: Row) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'variants' && k !== 'primarySyncSource'));
  const variantsOf = (productId: string, sent: Row[], kept: Row[] = []) => sent.map((v) => {
    const same = kept.find((k) => k.sku === v.sku); // assumption: an upsert keeps a variant's id by sku (README)
    return { ...stamp(), options: [], metadata: null, ...(same ?? {}), ...v, id: same?.id ?? uuidv7(), productId, updatedAt: now() };
  });

  // Products (OA:/products, /products/{productId}).
  app.get(`${API}/products`, async (req, reply) => {
    const page = paged(reply, [...products.values()], req.query, ['createdAt', 'name']);
    return 'pageInfo' in page ? { data: page.data, pageInfo: page.pageInfo } : page;
  });

  app.post(`${API}/products`, { config: { write: true } }, async (req, reply) => {
    const p = parse(ProductCreate, req.body);
    if (!p.ok) return invalid(reply, p.issues);
    const { primarySyncSource: src, productMediaAssets: _media, variants, ...fields } = p.data;
    const key = src ? `${src.syncSource}\u0000${src.syncSourceId}` : undefined;
    const existing = key ? syncSources.get(key) : undefined;
    if (existing && src) {
      // "Create or update a product (upsert when sync source provided)": the same source names the same record.
      const old = products.get(String(existing.productId))!;
      const sync = { ...existing, ...src, updatedAt: now() };
      syncSources.set(key!, sync);
      const record: Row = { ...old, ...fields, primarySyncSource: sync, updatedAt: now(), ...(variants ? { variants: variantsOf(String(old.id), variants, old.variants as Row[]) } : {}) };
      products.set(String(record.id), record);
      return reply.code(200).send(record);
    }
    const id = uuidv7();
    const sync: Row | null = src ? { id: uuidv7(), ...stamp(), syncStatus: 'PENDING', lastSyncedAt: null, sourceData: null, ...src, productId: id } : null;
    const record: Row = {
      id, ...stamp(), name: fields.name, url: fields.url, description: fields.description ?? null, handle: fields.handle ?? null,
      metadata: fields.metadata ?? null, defaultVariantId: fields.defaultVariantId ?? null,
      primarySyncSourceId: sync ? sync.id : null, primarySyncSource: sync, variants: variantsOf(id, variants ?? []), productMediaAssets: [],
    };
    products.set(id, record);
    if (sync) syncSources.set(key!, sync);
    return reply.code(200).send(record); // OA documents 200 only, for a create as for an update
  });

  app.get(`${API}/products/:id`, async (req, reply) => {
    const p = products.get(idParam(req));
    return p ?? fanfareError(reply, 404, 'Product not found');
  });

  app.put(`${API}/products/:id`, { config: { write: true } }, async (req, reply) => {
    const p = products.get(idParam(req));
    if (!p) return fanfareError(reply, 404, 'Product not found');
    const u = parse(ProductUpdate, req.body);
    if (!u.ok) return invalid(reply, u.issues);
    const record = { ...p, ...u.data, updatedAt: now() };
    products.set(String(p.id), record);
    return productBase(record);
  });

  app.delete(`${API}/products/:id`, { config: { write: true } }, async (req, reply) => {
    const p = products.get(idParam(req));
    if (!p) return fanfareError(reply, 404, 'Product not found');
    const record = { ...p, archived: true, updatedAt: now() }; // "Archive a product": kept, marked archived
    products.set(String(p.id), record);
    return productBase(record);
  });

  // Experiences (OA:/experiences, /experiences/{id}).
  const timingState = (d: Row, at = Date.now()) => (d.openAt && at < Date.parse(String(d.openAt)) ? 'upcoming' : d.closeAt && at >= Date.parse(String(d.closeAt)) ? 'ended' : 'active');
  const view = (e: Row) => ({
    ...e,
    sequences: (e.sequences as Row[]).map((s) => ({
      ...s,
      ...Object.fromEntries(DISTRIBUTION_KINDS.filter((k) => s[k]).map((k) => [k, (s[k] as Row[]).map((d) => ({ ...d, state: timingState(d) }))])),
    })),
  });
  const missingProducts = (body: unknown, refs: Array<{ at: Array<string | number>; id: string }>) =>
    refs.filter((r) => !products.has(r.id)).map((r) => issueAt(r.at, body, 'Product not found'));
  const links = (experienceId: string, items: Array<{ productId: string; productVariantId?: string | null }>) =>
    items.map((x, position) => ({ id: uuidv7(), organizationId: org, experienceId, productId: x.productId, productVariantId: x.productVariantId ?? null, position }));

  app.get(`${API}/experiences`, async (req, reply) => {
    const page = paged(reply, [...experiences.values()], req.query, ['createdAt', 'name', 'openAt']);
    return 'pageInfo' in page ? { data: page.data.map(view), pageInfo: page.pageInfo } : page;
  });

  app.post(`${API}/experiences`, { config: { write: true } }, async (req, reply) => {
    const p = parse(ExperienceCreate, req.body);
    if (!p.ok) return invalid(reply, p.issues);
    const { sequence, ...fields } = p.data;
    const refs = missingProducts(req.body, [
      ...(fields.products ?? []).map((x, i) => ({ at: ['products', i, 'productId'], id: x.productId })),
      ...(sequence?.sequenceProducts ?? []).map((x, i) => ({ at: ['sequence', 'sequenceProducts', i, 'productId'], id: x.productId })),
    ]);
    if (refs.length) return invalid(reply, refs);
    const id = uuidv7();
    const seq: Row | null = sequence ? {
      ...sequence, id: uuidv7(), ...stamp(), experienceId: id,
      ...Object.fromEntries(DISTRIBUTION_KINDS.filter((k) => sequence[k]).map((k) => [k, sequence[k]!.map((d) => ({ ...stamp(), ...d, id: uuidv7(), timeZone: d.timeZone ?? fields.timeZone ?? 'UTC' }))])),
    } : null;
    const windows = seq ? DISTRIBUTION_KINDS.flatMap((k) => (seq[k] as Row[] | undefined) ?? []) : [];
    const times = (k: 'openAt' | 'closeAt') => windows.map((d) => Date.parse(String(d[k] ?? ''))).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
    const [opens, closes] = [times('openAt'), times('closeAt')];
    const record: Row = {
      id, ...stamp(), name: fields.name, timeZone: fields.timeZone || 'UTC', theme: fields.theme ?? null, i18n: fields.i18n ?? null,
      products: links(id, fields.products ?? []), sequences: seq ? [seq] : [],
      // Derived from the distributions' windows, never sent (S0:L12); unparseable times are left out.
      openAt: opens.length ? new Date(opens[0]!).toISOString() : null, closeAt: closes.length ? new Date(closes[closes.length - 1]!).toISOString() : null,
    };
    experiences.set(id, record);
    return reply.code(200).send(view(record)); // OA documents 200
  });

  app.get(`${API}/experiences/:id`, async (req, reply) => {
    const e = experiences.get(idParam(req));
    return e ? view(e) : fanfareError(reply, 404, 'Experience not found');
  });

  app.put(`${API}/experiences/:id`, { config: { write: true } }, async (req, reply) => {
    const e = experiences.get(idParam(req));
    if (!e) return fanfareError(reply, 404, 'Experience not found');
    const u = parse(ExperienceUpdate, req.body);
    if (!u.ok) return invalid(reply, u.issues);
    const refs = missingProducts(req.body, (u.data.products ?? []).map((x, i) => ({ at: ['products', i, 'productId'], id: x.productId })));
    if (refs.length) return invalid(reply, refs);
    const { products: items, ...fields } = u.data;
    const record = { ...e, ...fields, ...(items ? { products: links(String(e.id), items) } : {}), updatedAt: now() };
    experiences.set(String(e.id), record);
    return view(record);
  });

  app.delete(`${API}/experiences/:id`, { config: { write: true } }, async (req, reply) => {
    const e = experiences.get(idParam(req));
    if (!e) return fanfareError(reply, 404, 'Experience not found');
    const record = { ...e, archived: true, updatedAt: now() }; // "Delete an experience": the answer keeps `archived`; kept, marked (README)
    experiences.set(String(e.id), record);
    return view(record);
  });

  /** Delivers one signed event to the configured URL, as Fanfare would (FF:api/webhooks/overview.mdx, signatures.mdx). */
  async function sendWebhook(type: (typeof FANFARE_EVENT_TYPES)[number], data: Record<string, unknown>) {
    if (!opts.webhook) throw new Error('fanfare simulator: no webhook url configured');
    if (!FANFARE_EVENT_TYPES.includes(type)) throw new Error(`fanfare simulator: ${type} is not a documented event type`);
    const event = { id: uuidv7(), type, timestamp: now(), organizationId: org, data };
    const rawBody = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const deliveryId = randomUUID();
    const res = await fetch(opts.webhook.url, {
      method: 'POST',
      body: rawBody,
      headers: {
        'content-type': 'application/json',
        'X-Fanfare-Signature': signFanfare(opts.webhook.secret, timestamp, rawBody),
        'X-Fanfare-Timestamp': timestamp,
        'X-Fanfare-Event-Type': type,
        'X-Fanfare-Delivery-Id': deliveryId,
      },
      signal: AbortSignal.timeout(30_000), // deliveries time out after 30 s (FF:api/webhooks/retry-policy.mdx)
    });
    return { status: res.status, deliveryId, event };
  }

  return {
    ...base,
    products,
    experiences,
    limiter,
    sendWebhook,
    listen: (port = opts.port ?? 0, host?: string) => listen(app, port, host),
    close: () => app.close(),
  };
}
export type FanfareSimulator = ReturnType<typeof createFanfareSimulator>;
