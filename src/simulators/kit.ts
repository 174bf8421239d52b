import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

/** One request as the simulator saw it, for tests and the demo's live summary. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  /** True for requests that change stored records (the "zero writes" assertions count these). */
  write: boolean;
}

/** A fault to inject on the next matching requests. */
export interface Fault {
  /** `delay` holds the answer `ms` milliseconds (with afterWrite: after the write is stored). */
  kind: 'status' | 'reset' | 'timeout' | 'delay';
  ms?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  count: number;
  method?: string;
  pathPrefix?: string;
  /** For `reset`/`timeout` on writes: apply the write first, then drop the answer (a lost response). */
  afterWrite?: boolean;
  /** A standing fault (chaos): each matching request takes it with this probability; `count` is ignored. */
  probability?: number;
  /** Only requests that change records (POST, PUT, PATCH, DELETE). */
  writesOnly?: boolean;
}

export interface Knobs {
  latencyMs: number;
  faults: Fault[];
}

/** A fixed-window counter: `limit` requests per `windowMs`, as Xola, Gomry and Fanfare document. */
export class FixedWindowLimiter {
  private windowStart = 0;
  private count = 0;
  constructor(public limit: number, public windowMs: number) {}
  /** Counts one request; returns the state the 429 headers report. */
  take(now = Date.now()): { allowed: boolean; remaining: number; resetAt: number; current: number } {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    const allowed = this.count < this.limit;
    if (allowed) this.count += 1;
    return { allowed, remaining: Math.max(0, this.limit - this.count), resetAt: this.windowStart + this.windowMs, current: this.count };
  }
  reset(): void {
    this.windowStart = 0;
    this.count = 0;
  }
}

export interface SimulatorBase {
  app: FastifyInstance;
  log: LoggedRequest[];
  knobs: Knobs;
  /** Drops stored records and the request log; each simulator adds its own state reset. */
  onReset: (fn: () => void) => void;
  /** Adds the platform's records to GET /__sim/records. */
  onInspect: (fn: () => Record<string, unknown>) => void;
  /** How the platform saves and restores its records, so the demo resumes from its data folder. */
  persistence: (save: () => unknown, load: (data: unknown) => void) => void;
  /** Loads `file` if it exists and saves to it every few seconds and on close. */
  persistTo: (file: string) => void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a route as changing records (counted as a write in the log). */
    write?: boolean;
  }
}

function takeFault(knobs: Knobs, req: FastifyRequest): Fault | undefined {
  const path = req.url.split('?')[0] ?? '';
  const matches = (f: Fault) => (!f.method || f.method === req.method) && (!f.pathPrefix || path.startsWith(f.pathPrefix)) && (!f.writesOnly || req.method !== 'GET');
  for (const f of knobs.faults) if (f.probability !== undefined && matches(f) && Math.random() < f.probability) return f;
  const i = knobs.faults.findIndex((f) => f.probability === undefined && f.count > 0 && matches(f));
  if (i < 0) return undefined;
  const fault = knobs.faults[i]!;
  fault.count -= 1;
  if (fault.count <= 0) knobs.faults.splice(i, 1);
  return fault;
}

/**
 * A Fastify app with what every simulator shares: request log, latency and fault knobs, and the
 * unauthenticated test endpoints under /__sim (requests, records, reset, knobs).
 */
export function createSimulatorBase(platform: string): SimulatorBase {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const log: LoggedRequest[] = [];
  const knobs: Knobs = { latencyMs: 0, faults: [] };
  const resets: Array<() => void> = [];
  const inspectors: Array<() => Record<string, unknown>> = [];
  let seq = 0;

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/__sim')) return;
    if (knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, knobs.latencyMs));
    // Traffic of the platform's own customers (a test's purchases) is not the bridge's: no faults for it.
    const fault = req.headers['x-sim-no-faults'] === 'true' ? undefined : takeFault(knobs, req);
    if (!fault) return;
    if (fault.afterWrite) {
      (req as FastifyRequest & { dropAnswer?: Fault }).dropAnswer = fault;
      return;
    }
    if (fault.kind === 'delay') {
      await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
      return;
    }
    if (fault.kind === 'status') {
      await reply.code(fault.status ?? 500).headers(fault.headers ?? {}).send(fault.body ?? { error: `${platform} simulator: injected ${fault.status ?? 500}` });
      return reply;
    }
    dropConnection(req, reply, fault.kind);
    return reply;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const dropped = (req as FastifyRequest & { dropAnswer?: Fault }).dropAnswer;
    if (dropped && reply.statusCode < 300) {
      record(req, reply.statusCode, log, ++seq);
      if (dropped.kind === 'delay') {
        // The write happened; its answer is late (time for a test to kill the caller).
        await new Promise((r) => setTimeout(r, dropped.ms ?? 1000));
        return payload;
      }
      // The write happened; the client never hears of it (a lost response).
      req.raw.socket.destroy();
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (req.url.startsWith('/__sim') || (req as FastifyRequest & { dropAnswer?: Fault }).dropAnswer) return;
    record(req, reply.statusCode, log, ++seq);
  });

  app.get('/__sim/requests', async () => ({ platform, requests: log }));
  app.get('/__sim/records', async () => Object.assign({ platform }, ...inspectors.map((f) => f())));
  app.post('/__sim/reset', async () => {
    log.length = 0;
    knobs.faults = [];
    knobs.latencyMs = 0;
    resets.forEach((f) => f());
    return { ok: true };
  });
  app.post('/__sim/knobs', async (req) => {
    const body = (req.body ?? {}) as Partial<Knobs> & { clearFaults?: boolean };
    if (body.clearFaults) knobs.faults = [];
    if (typeof body.latencyMs === 'number') knobs.latencyMs = body.latencyMs;
    if (Array.isArray(body.faults)) knobs.faults.push(...body.faults);
    return knobs;
  });

  let saver: { save: () => unknown; load: (data: unknown) => void } | undefined;
  const persistTo = (file: string) => {
    if (!saver) return;
    const s = saver;
    if (existsSync(file)) s.load(JSON.parse(readFileSync(file, 'utf8')));
    const write = () => { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, JSON.stringify(s.save())); };
    const timer = setInterval(write, 5000);
    timer.unref();
    app.addHook('onClose', async () => { clearInterval(timer); write(); });
  };
  return {
    app, log, knobs,
    onReset: (fn) => resets.push(fn),
    onInspect: (fn) => inspectors.push(fn),
    persistence: (save, load) => { saver = { save, load }; },
    persistTo,
  };
}

function record(req: FastifyRequest, status: number, log: LoggedRequest[], seq: number): void {
  log.push({
    seq,
    at: new Date().toISOString(),
    method: req.method,
    path: req.url.split('?')[0] ?? '',
    query: (req.query ?? {}) as Record<string, unknown>,
    body: req.body ?? null,
    status,
    write: Boolean(req.routeOptions.config?.write) && status < 400,
  });
  if (log.length > 20_000) log.splice(0, log.length - 20_000);
}

function dropConnection(req: FastifyRequest, reply: FastifyReply, kind: Fault['kind']): void {
  reply.hijack();
  if (kind === 'reset') {
    req.raw.socket.destroy();
    return;
  }
  // timeout: hold the socket open without answering; the client's own timeout fires.
  setTimeout(() => req.raw.socket.destroy(), 60_000).unref();
}

/** Listens on 127.0.0.1 unless told otherwise (port 0 = a free port) and returns the base URL. */
export async function listen(app: FastifyInstance, port = 0, host = '127.0.0.1'): Promise<string> {
  await app.listen({ host, port });
  const addr = app.server.address() as AddressInfo;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
}

/** Sends a platform-shaped error body with a status. */
export function fail(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).send(body);
}
