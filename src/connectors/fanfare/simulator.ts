import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { createSimulatorBase, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { signFanfare } from './signature.js';
import { pageOf, PagingError, uuidv7 } from './sim-paging.js';
import {
  details, DISTRIBUTION_KINDS, EXPERIENCE_UPDATABLE, ExperienceCreate, ExperienceUpdate, ProductCreate, ProductUpdate,
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
  /** The products list as documented for lists (`page`, default) or as its example shows (`array`). */
  productListShape?: 'page' | 'array';
  webhook?: { url: string; secret: string };
}

type Row = Record<string, unknown>;
type Detail = { field: string; message: string };

const API = '/api/v1';

function fanfareError(reply: FastifyReply, status: number, error: string, extra: { message?: string; details?: Detail[] } = {}): FastifyReply {
  return reply.code(status).send({ error, ...extra });
}
const invalid = (reply: FastifyReply, d: Detail[]) => fanfareError(reply, 400, 'Validation failed', { details: d });
const parse = <S extends z.ZodType>(schema: S, body: unknown): { ok: true; data: z.infer<S> } | { ok: false; details: Detail[] } => {
  const r = schema.safeParse(body ?? {});
  return r.success ? { ok: true, data: r.data } : { ok: false, details: details(r.error) };
};

/** The Fanfare admin-API simulator: products (upsert by sync source), experiences with nested distributions, webhooks. */
export function createFanfareSimulator(opts: FanfareSimulatorOptions) {
  const base = createSimulatorBase('fanfare');
  const { app } = base;
  const org = opts.organizationId ?? 'org_simulator';
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
      if (err instanceof PagingError) return invalid(reply, [{ field: err.field, message: err.message }]);
      throw err;
    }
  };
  const now = () => new Date().toISOString();
  const idParam = (req: FastifyRequest) => (req.params as { id: string }).id;
  const withIncludes = (p: Row, include: unknown) => {
    const wants = String(include ?? 'mediaAssets').split(',');
    return { ...p, ...(wants.includes('variants') ? { variants: [] } : {}), ...(wants.includes('mediaAssets') ? { mediaAssets: [] } : {}) };
  };

  // Products (FF:api/admin-api/products.mdx).
  app.get(`${API}/products`, async (req, reply) => {
    const page = paged(reply, [...products.values()], req.query, ['createdAt', 'name']);
    if (!('pageInfo' in page)) return page;
    const include = (req.query as Row).include;
    const data = page.data.map((p) => (include ? withIncludes(p, include) : p));
    return opts.productListShape === 'array' ? data : { data, pageInfo: page.pageInfo };
  });

  app.get(`${API}/products/search`, async (req, reply) => {
    const q = req.query as Row;
    const missing = ['syncSource', 'syncSourceId'].filter((k) => typeof q[k] !== 'string' || q[k] === '');
    if (missing.length) return invalid(reply, missing.map((field) => ({ field, message: 'Required' })));
    const hit = syncSources.get(`${q.syncSource}\u0000${q.syncSourceId}`);
    const product = hit ? products.get(String(hit.productId)) : undefined;
    return product ? [product] : [];
  });

  app.post(`${API}/products`, { config: { write: true } }, async (req, reply) => {
    const p = parse(ProductCreate, req.body);
    if (!p.ok) return invalid(reply, p.details);
    const { primarySyncSource: src, productMediaAssets: _media, ...fields } = p.data;
    const key = src ? `${src.syncSource}\u0000${src.syncSourceId}` : undefined;
    const existing = key ? syncSources.get(key) : undefined;
    if (existing && src) {
      // Upsert: the same sync source names the same record, which is updated in place.
      const record: Row = { ...products.get(String(existing.productId))!, ...fields, updatedAt: now() };
      products.set(String(record.id), record);
      syncSources.set(key!, { ...existing, ...src, updatedAt: now() });
      return reply.code(200).send(record);
    }
    const id = uuidv7();
    const syncId = src ? uuidv7() : null;
    const record: Row = {
      id, organizationId: org, name: fields.name, description: fields.description ?? null, sku: fields.sku ?? null,
      price: fields.price ?? null, currencyCode: fields.currencyCode ?? null, status: fields.status ?? 'DRAFT',
      metadata: fields.metadata ?? null, primarySyncSourceId: syncId, createdAt: now(), updatedAt: now(),
    };
    products.set(id, record);
    if (src && syncId) syncSources.set(key!, { id: syncId, productId: id, syncStatus: 'PENDING', ...src, createdAt: now() });
    return reply.code(201).send(record);
  });

  app.get(`${API}/products/:id`, async (req, reply) => {
    const p = products.get(idParam(req));
    return p ? withIncludes(p, (req.query as Row).include) : fanfareError(reply, 404, 'Product not found');
  });

  app.put(`${API}/products/:id`, { config: { write: true } }, async (req, reply) => {
    const p = products.get(idParam(req));
    if (!p) return fanfareError(reply, 404, 'Product not found');
    const u = parse(ProductUpdate, req.body);
    if (!u.ok) return invalid(reply, u.details);
    const record = { ...p, ...u.data, updatedAt: now() };
    products.set(String(p.id), record);
    return record;
  });

  app.delete(`${API}/products/:id`, { config: { write: true } }, async (req, reply) => {
    const p = products.get(idParam(req));
    if (!p) return fanfareError(reply, 404, 'Product not found');
    products.set(String(p.id), { ...p, status: 'ARCHIVED', updatedAt: now() }); // "Delete Product: archive a product"
    return reply.code(204).send();
  });

  // Experiences (FF:api/admin-api/experiences.mdx; S0).
  const timingState = (d: Row, at = Date.now()) => (d.openAt && at < Date.parse(String(d.openAt)) ? 'upcoming' : d.closeAt && at >= Date.parse(String(d.closeAt)) ? 'ended' : 'active');
  const view = (e: Row) => ({
    ...e,
    sequences: (e.sequences as Row[]).map((s) => ({
      ...s,
      ...Object.fromEntries(DISTRIBUTION_KINDS.filter((k) => s[k]).map((k) => [k, (s[k] as Row[]).map((d) => ({ ...d, state: timingState(d) }))])),
    })),
  });

  app.get(`${API}/experiences`, async (req, reply) => {
    const page = paged(reply, [...experiences.values()], req.query, ['createdAt', 'name', 'openAt']);
    return 'pageInfo' in page ? { data: page.data.map(view), pageInfo: page.pageInfo } : page;
  });

  app.post(`${API}/experiences`, { config: { write: true } }, async (req, reply) => {
    const p = parse(ExperienceCreate, req.body);
    if (!p.ok) return invalid(reply, p.details);
    const { sequence, ...fields } = p.data;
    const refs: Detail[] = [
      ...(fields.products ?? []).map((x, i) => ({ field: `products[${i}].productId`, id: x.productId })),
      ...(sequence?.sequenceProducts ?? []).map((x, i) => ({ field: `sequence.sequenceProducts[${i}].productId`, id: x.productId })),
    ].filter((r) => !products.has(r.id)).map((r) => ({ field: r.field, message: 'Product not found' }));
    if (refs.length) return invalid(reply, refs);
    const at = now();
    const seq: Row | null = sequence ? {
      ...sequence, id: uuidv7(),
      ...Object.fromEntries(DISTRIBUTION_KINDS.filter((k) => sequence[k]).map((k) => [k, sequence[k]!.map((d) => ({ ...d, id: uuidv7() }))])),
    } : null;
    const windows = seq ? DISTRIBUTION_KINDS.flatMap((k) => (seq[k] as Row[] | undefined) ?? []) : [];
    const opens = windows.map((d) => d.openAt).filter((x): x is string => typeof x === 'string').sort((a, b) => Date.parse(a) - Date.parse(b));
    const closes = windows.map((d) => d.closeAt).filter((x): x is string => typeof x === 'string').sort((a, b) => Date.parse(a) - Date.parse(b));
    const record: Row = {
      id: uuidv7(), organizationId: org, name: fields.name, timeZone: fields.timeZone ?? null, theme: fields.theme ?? null,
      i18n: fields.i18n ?? null, accessCode: fields.accessCode ?? null, products: fields.products ?? [], sequences: seq ? [seq] : [],
      // Derived from the distributions' windows, never sent (S0:L12).
      openAt: opens[0] ? new Date(opens[0]).toISOString() : null, closeAt: closes.length ? new Date(closes[closes.length - 1]!).toISOString() : null,
      createdAt: at, updatedAt: at,
    };
    experiences.set(String(record.id), record);
    return reply.code(201).send(view(record));
  });

  app.get(`${API}/experiences/:id`, async (req, reply) => {
    const e = experiences.get(idParam(req));
    return e ? view(e) : fanfareError(reply, 404, 'Experience not found');
  });

  app.put(`${API}/experiences/:id`, { config: { write: true } }, async (req, reply) => {
    const e = experiences.get(idParam(req));
    if (!e) return fanfareError(reply, 404, 'Experience not found');
    const extra = Object.keys((req.body ?? {}) as Row).filter((k) => !EXPERIENCE_UPDATABLE.includes(k));
    if (extra.length) return invalid(reply, extra.map((field) => ({ field, message: 'Not updatable here: PUT /experiences/{id} takes name, timeZone, theme and i18n only' })));
    const u = parse(ExperienceUpdate, req.body);
    if (!u.ok) return invalid(reply, u.details);
    const record = { ...e, ...u.data, updatedAt: now() };
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
