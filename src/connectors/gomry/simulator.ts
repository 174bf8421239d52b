import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { stableStringify } from '../../canonical/fingerprint.js';
import { createSimulatorBase, FixedWindowLimiter, listen } from '../../simulators/kit.js';
import { ExperienceCreate, ExperienceFields, fieldErrors, PageQuery, RecurrenceCreate, RecurrenceFields } from './simulator-schemas.js';

export interface GomrySimulatorOptions {
  apiKey: string;
  port?: number;
  /** Documented: 60 requests per 10 s per IP (https://docs.gomry.com/rate-limits). */
  rateLimit?: { limit: number; windowMs: number };
  /** Scopes per key; `apiKey` has experiences:read and experiences:write unless listed here. Listed keys belong to the same organisation. */
  keyScopes?: Record<string, string[]>;
  /** A key of another organisation (full scopes), to show that cross-org ids answer 404. */
  otherOrgKey?: string;
}

type Rec = Record<string, unknown>;
interface StoredExperience { org: string; record: Rec; recurrences: Map<string, Rec> }
interface Stored { at: number; hash: string; status?: number; body?: unknown }
type Answer = { status: number; body?: unknown };

/** Replays last 24 h (https://docs.gomry.com/api-reference/experiences/create-experience). */
const REPLAY_MS = 24 * 3600_000;
const FULL = ['experiences:read', 'experiences:write'];
const gid = () => randomBytes(15).toString('base64url').replace(/[-_]/g, 'x').slice(0, 20);
const bad = (error: z.ZodError): Answer => ({ status: 400, body: { error: 'Validation failed', details: { fieldErrors: fieldErrors(error) } } });
const err = (status: number, error: string): Answer => ({ status, body: { error } });
const send = (reply: FastifyReply, a: Answer) => (a.body === undefined ? reply.code(a.status).send() : reply.code(a.status).send(a.body));
const isObject = (b: unknown): b is Rec => !!b && typeof b === 'object' && !Array.isArray(b);

/** The Gomry simulator: experiences and recurrences with scopes, strict validation, paging, 429s and idempotent creates. */
export function createGomrySimulator(opts: GomrySimulatorOptions) {
  const base = createSimulatorBase('gomry');
  const { app } = base;
  const experiences = new Map<string, StoredExperience>();
  const idem = new Map<string, Stored>();
  const tuning = { createDelayMs: 0 };
  const limiter = new FixedWindowLimiter(opts.rateLimit?.limit ?? 60, opts.rateLimit?.windowMs ?? 10_000);
  const keys = new Map<string, { org: string; scopes: string[] }>([[opts.apiKey, { org: 'org-1', scopes: FULL }]]);
  for (const [k, scopes] of Object.entries(opts.keyScopes ?? {})) keys.set(k, { org: 'org-1', scopes });
  if (opts.otherOrgKey) keys.set(opts.otherOrgKey, { org: 'org-2', scopes: FULL });
  base.onReset(() => { experiences.clear(); idem.clear(); limiter.reset(); tuning.createDelayMs = 0; });
  base.onInspect(() => ({ experiences: [...experiences.values()].map((e) => ({ ...e.record, recurrences: [...e.recurrences.values()] })) }));
  base.persistence(
    () => [...experiences.values()].map((e) => ({ org: e.org, record: e.record, recurrences: [...e.recurrences.values()] })),
    (data) => {
      experiences.clear();
      for (const e of data as Array<{ org: string; record: Rec; recurrences: Rec[] }>) {
        experiences.set(String(e.record.id), { org: e.org, record: e.record, recurrences: new Map(e.recurrences.map((r) => [String(r.id), r])) });
      }
    },
  );
  const orgOf = (req: FastifyRequest) => keys.get(String(req.headers['x-api-key']))!.org;

  app.addHook('preHandler', async (req, reply) => {
    if (req.url.startsWith('/__sim')) return;
    // Per IP, so unauthenticated calls count too; no Retry-After: the docs document none.
    if (!limiter.take().allowed) return send(reply, err(429, 'Rate limit exceeded. Try again shortly.'));
    const key = keys.get(String(req.headers['x-api-key'] ?? ''));
    if (!key) return send(reply, err(401, 'Unauthorized: missing or invalid API key'));
    const need = req.method === 'GET' ? 'experiences:read' : 'experiences:write';
    if (!key.scopes.includes(need)) return send(reply, { status: 403, body: { error: 'insufficient_scope', details: { required: need } } });
    if (req.method === 'POST' || req.method === 'PATCH') {
      if (!isObject(req.body)) return send(reply, err(400, 'Request body must be a JSON object'));
    }
  });

  /** Runs a create once per (organisation, Idempotency-Key); a replay answers the stored response. */
  async function idempotent(req: FastifyRequest, reply: FastifyReply, run: () => Promise<Answer>): Promise<FastifyReply> {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return send(reply, await run());
    const key = String(raw);
    if (key.length < 1 || key.length > 255) return send(reply, { status: 400, body: { error: 'Validation failed', details: { fieldErrors: { 'Idempotency-Key': ['must be 1..255 characters'] } } } });
    const id = `${orgOf(req)}\n${key}`;
    const hash = stableStringify([req.method, req.url, req.body]);
    const hit = idem.get(id);
    if (hit && Date.now() - hit.at < REPLAY_MS) {
      if (hit.status === undefined) return send(reply, err(409, 'idempotent_request_in_progress'));
      if (hit.hash !== hash) return send(reply, err(400, 'Idempotency-Key was already used with a different request'));
      return send(reply.header('Idempotent-Replay', 'true'), { status: hit.status, body: hit.body });
    }
    const entry: Stored = { at: Date.now(), hash };
    idem.set(id, entry);
    let answer: Answer;
    try {
      answer = await run();
    } catch (e) {
      idem.delete(id);
      throw e;
    }
    if (answer.status >= 500) idem.delete(id);
    else Object.assign(entry, { status: answer.status, body: answer.body });
    return send(reply, answer);
  }

  const find = (req: FastifyRequest): StoredExperience | undefined => {
    const e = experiences.get((req.params as { id: string }).id);
    return e && e.org === orgOf(req) ? e : undefined; // cross-org: 404, never 403
  };
  const NO_EXP = err(404, 'Experience not found');
  const NO_REC = err(404, 'Recurrence not found');
  const page = (req: FastifyRequest, rows: Rec[]): Answer => {
    const q = PageQuery.safeParse(req.query);
    if (!q.success) return bad(q.error);
    const { page: p, page_size: size } = q.data;
    return { status: 200, body: { data: rows.slice((p - 1) * size, p * size), pagination: { total: rows.length, page: p, page_size: size, total_pages: Math.ceil(rows.length / size) } } };
  };
  const now = () => new Date().toISOString();
  const delay = () => (tuning.createDelayMs > 0 ? new Promise((r) => setTimeout(r, tuning.createDelayMs)) : Promise.resolve());
  const afterStart = (r: Rec) => {
    const end = r.end_condition as { type: string; end_date?: string };
    return end.type !== 'date' || String(end.end_date) >= String(r.start_date);
  };

  app.get('/experiences', async (req, reply) => send(reply, page(req, [...experiences.values()].filter((e) => e.org === orgOf(req)).map((e) => e.record))));

  app.post('/experiences', { config: { write: true } }, async (req, reply) => idempotent(req, reply, async () => {
    const parsed = ExperienceCreate.safeParse(req.body);
    if (!parsed.success) return bad(parsed.error);
    await delay();
    const { default_recurrence: first, ...fields } = parsed.data;
    const id = gid();
    const record: Rec = {
      // Documented defaults (create-experience page): 1 h / 60 days / 24 h, email contact, 5 seats per booking.
      status: 'active', registration_status: 'open', required_contact_method: 'email', max_booking_quantity: 5, providers: [], space: 'GENERAL',
      ...fields,
      scheduling_rules: { booking_window: { min_hours_before: 1, max_days_ahead: 60 }, cancellation_policy: { refundable_until_hours_before: 24 }, ...fields.scheduling_rules },
      pricing: { ...fields.pricing, currency: fields.pricing.currency.toLowerCase() },
      id, bookings_count: 0, photos: [], cover_image: null, use_ticket_classes: false, remove_service_fees: false, created_at: now(), updated_at: now(),
    };
    const stored: StoredExperience = { org: orgOf(req), record, recurrences: new Map() };
    if (first) { const rid = gid(); stored.recurrences.set(rid, { status: 'active', ...first, id: rid }); }
    experiences.set(id, stored);
    return { status: 201, body: { data: record } };
  }));

  app.get('/experiences/:id', async (req, reply) => {
    const e = find(req);
    return send(reply, e ? { status: 200, body: { data: e.record } } : NO_EXP);
  });

  app.patch('/experiences/:id', { config: { write: true } }, async (req, reply) => {
    const e = find(req);
    if (!e) return send(reply, NO_EXP);
    const parsed = ExperienceFields.safeParse(req.body);
    if (!parsed.success) return send(reply, bad(parsed.error));
    if (Object.keys(parsed.data).length === 0) return send(reply, err(400, 'At least one field is required'));
    const patch = parsed.data;
    const next: Rec = { ...e.record, ...patch, updated_at: now() };
    if (patch.scheduling_rules) next.scheduling_rules = { ...(e.record.scheduling_rules as Rec), ...patch.scheduling_rules };
    if (patch.pricing) next.pricing = { ...patch.pricing, currency: patch.pricing.currency.toLowerCase() };
    e.record = next;
    return send(reply, { status: 200, body: { data: next } });
  });

  app.get('/experiences/:id/recurrences', async (req, reply) => {
    const e = find(req);
    return send(reply, e ? page(req, [...e.recurrences.values()]) : NO_EXP);
  });

  app.post('/experiences/:id/recurrences', { config: { write: true } }, async (req, reply) => idempotent(req, reply, async () => {
    const e = find(req);
    if (!e) return NO_EXP;
    const parsed = RecurrenceCreate.safeParse(req.body);
    if (!parsed.success) return bad(parsed.error);
    if (!afterStart(parsed.data)) return { status: 400, body: { error: 'Validation failed', details: { fieldErrors: { 'end_condition.end_date': ['must not be before start_date'] } } } };
    await delay();
    const rid = gid();
    const record: Rec = { status: 'active', ...parsed.data, id: rid, experience_id: e.record.id, created_at: now(), updated_at: now() };
    e.recurrences.set(rid, record);
    return { status: 201, body: { data: record } };
  }));

  app.get('/experiences/:id/recurrences/:rid', async (req, reply) => {
    const e = find(req);
    const r = e?.recurrences.get((req.params as { rid: string }).rid);
    return send(reply, !e ? NO_EXP : r ? { status: 200, body: { data: r } } : NO_REC);
  });

  app.patch('/experiences/:id/recurrences/:rid', { config: { write: true } }, async (req, reply) => {
    const e = find(req);
    const rid = (req.params as { rid: string }).rid;
    const r = e?.recurrences.get(rid);
    if (!e || !r) return send(reply, !e ? NO_EXP : NO_REC);
    const parsed = RecurrenceFields.safeParse(req.body);
    if (!parsed.success) return send(reply, bad(parsed.error));
    if (Object.keys(parsed.data).length === 0) return send(reply, err(400, 'At least one field is required'));
    const next: Rec = { ...r, ...parsed.data, updated_at: now() };
    if (!afterStart(next)) return send(reply, { status: 400, body: { error: 'Validation failed', details: { fieldErrors: { 'end_condition.end_date': ['must not be before start_date'] } } } });
    e.recurrences.set(rid, next);
    return send(reply, { status: 200, body: { data: next } });
  });

  app.delete('/experiences/:id/recurrences/:rid', { config: { write: true } }, async (req, reply) => {
    const e = find(req);
    if (!e) return send(reply, NO_EXP);
    return send(reply, e.recurrences.delete((req.params as { rid: string }).rid) ? { status: 204 } : NO_REC);
  });

  return {
    ...base,
    experiences,
    limiter,
    /** Holds each create open this long after validation, so a concurrent duplicate can be shown (409). */
    setCreateDelay: (ms: number) => { tuning.createDelayMs = ms; },
    listen: (port = opts.port ?? 0, host?: string) => listen(app, port, host),
    close: () => app.close(),
  };
}
export type GomrySimulator = ReturnType<typeof createGomrySimulator>;
