import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { describeIssues } from '../config.js';
import { verifyFanfareSignature } from '../connectors/fanfare/index.js';
import { verifyWhopWebhook, whopSaleRoute } from '../connectors/whop/index.js';
import { xolaExperienceIdsOf } from '../connectors/xola/index.js';
import { logger } from '../logger.js';
import { receiverRegistry, webhookDeliveries, webhookRefused, webhookUnmatched } from '../metrics/registry.js';
import { addProcessMetrics } from '../metrics/server.js';
import { holdUnmatched, productsHolding, useRouteTables } from '../temporal/lookup.js';
import { XolaWebhook, xolaDeliveryKey, xolaTokenMatches } from './xola.js';

export interface ReceiverOptions {
  client: Client;
  /** Per-subscription secret in Xola's URLs (env XOLA_WEBHOOK_SECRET). */
  xolaSecret: string;
  /** Fanfare's signing secret(s) (env FANFARE_WEBHOOK_SECRET; several during a rotation). */
  fanfareSecret?: string | string[];
  /** Whop's Standard Webhooks secret (env WHOP_WEBHOOK_SECRET). */
  whopSecret?: string;
  /** Largest body accepted; the platforms' events are a few KB. */
  bodyLimit?: number;
  /** The connections served: their route tables find a record's product and hold what matches none (lookup.ts). */
  connections?: string[];
  /** The task queue prefix of the workers serving those connections (a held event may start a route table). */
  taskQueuePrefix?: string;
}

/** Remembers recent delivery keys so a replayed delivery is absorbed (bounded, oldest dropped first). */
export class DeliveryLog {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 10_000) {}
  /** True the first time a key is seen (and remembers it). */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.remember(key);
    return true;
  }
  has(key: string): boolean {
    return this.seen.has(key);
  }
  remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as string);
  }
}

type Answer = { status: number; body: Record<string, unknown> };
const raw = (req: FastifyRequest) => (req as FastifyRequest & { rawBody?: string }).rawBody ?? '';
/** Bounded reasons for bridge_webhook_refused_total (the answer's text can echo input). */
type RefusalReason = 'token' | 'signature' | 'no_secret' | 'malformed' | 'no_delivery_id' | 'too_large' | 'other';
/** The platform a webhook path is for (`/webhooks/<platform>…`), for metrics labels. */
const platformOf = (url: string) => /^\/webhooks\/(xola|fanfare|whop)(?:[/?]|$)/.exec(url)?.[1] ?? 'unknown';

/**
 * The webhook receiver: verifies, validates and dedups each delivery, signals the entity workflows
 * concerned and answers at once; the work happens in the workflows.
 */
export function createReceiver(opts: ReceiverOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 64 * 1024 });
  const deliveries = new DeliveryLog();
  if (opts.connections) useRouteTables(opts.client, opts.connections, opts.taskQueuePrefix);
  const stats = { accepted: 0, duplicates: 0, refused: 0, unmatched: 0 };
  const count = {
    accepted: (platform: string) => { stats.accepted += 1; webhookDeliveries.inc({ platform, outcome: 'accepted' }); },
    duplicate: (platform: string) => { stats.duplicates += 1; webhookDeliveries.inc({ platform, outcome: 'duplicate' }); },
    refused: (platform: string, reason: RefusalReason) => {
      stats.refused += 1;
      webhookDeliveries.inc({ platform, outcome: 'refused' });
      webhookRefused.inc({ platform, reason });
    },
  };
  // Signatures are over the exact bytes: keep the raw body beside the parsed one.
  // Every platform's webhook body is a JSON object: anything else (empty, null, a number, an array) is a 400.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    (req as FastifyRequest & { rawBody?: string }).rawBody = body as string;
    const refuse = (message: string) => done(Object.assign(new Error(message), { statusCode: 400 }), undefined);
    if ((body as string).trim() === '') { refuse('empty body: a JSON object is expected'); return; }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body as string);
    } catch {
      refuse('body is not valid JSON');
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) { refuse(`body is ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}: a JSON object is expected`); return; }
    done(null, parsed);
  });
  // Every refusal and failure is logged with its reason; the route pattern, never the URL (Xola's holds our secret).
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    let reason = '';
    try { reason = String((JSON.parse(String(payload)) as { error?: unknown }).error ?? ''); } catch { reason = ''; }
    const line = { route: req.routeOptions.url ?? 'unknown route', method: req.method, status: reply.statusCode, reason };
    if (reply.statusCode >= 500) logger.error(line, 'webhook failed'); else logger.warn(line, 'webhook refused');
    return payload;
  });

  app.get('/healthz', async () => ({ ok: true, ...stats }));
  addProcessMetrics(receiverRegistry);
  app.get('/metrics', async (_req, reply) => reply.type(receiverRegistry.contentType).send(await receiverRegistry.metrics()));

  const signalProducts = async (platform: string, targetIds: string[], signal: string, arg: unknown): Promise<number> => {
    let n = 0;
    for (const id of targetIds) {
      for (const wf of await productsHolding(opts.client, platform, id)) {
        await opts.client.workflow.getHandle(wf).signal(signal, arg);
        n += 1;
      }
    }
    if (n === 0) {
      stats.unmatched += 1;
      webhookUnmatched.inc({ platform });
      // A sale on a record whose route is not recorded yet is kept by the route tables, never lost.
      if (signal === 'bookingEvent') for (const id of targetIds) await holdUnmatched(opts.client, platform, id, signal, arg);
    }
    return n;
  };

  const handleXola = async (token: string | undefined, body: unknown): Promise<Answer> => {
    if (!opts.xolaSecret) { count.refused('xola', 'no_secret'); return { status: 401, body: { error: 'unknown subscription token' } }; }
    if (!xolaTokenMatches(token, opts.xolaSecret)) { count.refused('xola', 'token'); return { status: 401, body: { error: 'unknown subscription token' } }; }
    const parsed = XolaWebhook.safeParse(body);
    if (!parsed.success) { count.refused('xola', 'malformed'); return { status: 400, body: { error: 'malformed Xola event', details: describeIssues(parsed.error) } }; }
    const event = parsed.data;
    // Without updatedAt a later change of the same purchase would look like a replay: no dedup then
    // (the ledger counts each line once anyway). A delivery is remembered only once handled, so a
    // retry after a failure here is not swallowed.
    const key = event.data.updatedAt ? xolaDeliveryKey(event) : null;
    if (key && deliveries.has(key)) { count.duplicate('xola'); return { status: 200, body: { duplicate: true } }; }
    const answer = await dispatchXola(event);
    if (key) deliveries.remember(key);
    count.accepted('xola');
    return answer;
  };

  const dispatchXola = async (event: XolaWebhook): Promise<Answer> => {
    const [kind] = event.eventName.split('.');
    if (kind === 'order' || kind === 'purchase') {
      // The payload is a prompt: the product re-reads the purchase. Experience ids come from its items.
      let experienceIds: string[] = [];
      try { experienceIds = xolaExperienceIdsOf(event.data); } catch { experienceIds = []; }
      const signalled = await signalProducts('xola', experienceIds, 'bookingEvent', { channel: 'xola', bookingId: event.data.id, via: event.eventName, at: event.data.updatedAt ?? new Date().toISOString() });
      logger.info({ event: event.eventName, purchase: event.data.id, signalled }, 'xola booking webhook');
      return { status: 202, body: { accepted: true, signalled } };
    }
    if (kind === 'experience') {
      // Someone changed an experience we publish: its product re-asserts the source.
      const signalled = await signalProducts('xola', [event.data.id], 'targetChanged', { platform: 'xola', resourceKey: 'experience' });
      return { status: 202, body: { accepted: true, signalled } };
    }
    return { status: 202, body: { ignored: event.eventName } };
  };

  app.post('/webhooks/xola/:token', async (req, reply) => {
    const r = await handleXola((req.params as { token: string }).token, req.body);
    return reply.code(r.status).send(r.body);
  });
  app.post('/webhooks/xola', async (req, reply) => {
    const r = await handleXola(req.headers['x-bridge-webhook-token'] as string | undefined, req.body);
    return reply.code(r.status).send(r.body);
  });

  // Fanfare signs `timestamp.body` with HMAC-SHA256 (300 s tolerance). It sends no product or
  // appointment events; order events are verified, deduplicated and acknowledged (README).
  app.post('/webhooks/fanfare', async (req, reply) => {
    if (!opts.fanfareSecret) { count.refused('fanfare', 'no_secret'); return reply.code(401).send({ error: 'no Fanfare secret configured' }); }
    const v = verifyFanfareSignature({ rawBody: raw(req), headers: req.headers, secret: opts.fanfareSecret });
    if (!v.ok) { count.refused('fanfare', 'signature'); return reply.code(401).send({ error: v.reason }); }
    const delivery = String(req.headers['x-fanfare-delivery-id'] ?? (req.body as { id?: string }).id ?? '');
    if (!delivery) { count.refused('fanfare', 'no_delivery_id'); return reply.code(400).send({ error: 'no delivery id' }); }
    if (!deliveries.firstTime(`fanfare:${delivery}`)) { count.duplicate('fanfare'); return reply.code(200).send({ duplicate: true }); }
    count.accepted('fanfare');
    logger.info({ platform: 'fanfare', type: (req.body as { type?: string }).type, delivery }, 'fanfare webhook');
    return reply.code(202).send({ accepted: true });
  });

  // Whop uses Standard Webhooks (webhook-id / -timestamp / -signature). No experience events exist;
  // payment.* and membership.* are sales (README, "which channel learns of sales how").
  app.post('/webhooks/whop', async (req, reply) => {
    if (!opts.whopSecret) { count.refused('whop', 'no_secret'); return reply.code(401).send({ error: 'no Whop secret configured' }); }
    const v = verifyWhopWebhook({ rawBody: raw(req), headers: req.headers, secret: opts.whopSecret });
    if (!v.ok) { count.refused('whop', 'signature'); return reply.code(401).send({ error: v.reason }); }
    const key = `whop:${String(req.headers['webhook-id'])}`;
    if (deliveries.has(key)) { count.duplicate('whop'); return reply.code(200).send({ duplicate: true }); }
    // A payment or membership names the membership (our booking) and the product it bought: the
    // products publishing that Whop product re-read the membership (the payload is only a prompt).
    const sale = whopSaleRoute(v.event);
    const signalled = sale
      ? await signalProducts('whop', [sale.product], 'bookingEvent', { channel: 'whop', bookingId: sale.membership, via: v.event.type, at: v.event.timestamp })
      : 0;
    // Remembered once handled, so Whop's retry after a failure here is not swallowed.
    deliveries.remember(key);
    count.accepted('whop');
    logger.info({ platform: 'whop', type: v.event.type, signalled }, 'whop webhook');
    return reply.code(202).send({ accepted: true, ...(sale ? { signalled } : { ignored: v.event.type }) });
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) { stats.refused += 1; webhookDeliveries.inc({ platform: platformOf(req.url), outcome: 'error' }); } else count.refused(platformOf(req.url), status === 413 ? 'too_large' : status === 400 ? 'malformed' : 'other');
    // A 500 keeps its cause out of the answer but not out of the log (no body, no headers logged).
    if (status === 500) logger.error({ route: req.routeOptions.url ?? 'unknown route', err: err.message }, 'webhook handler error');
    void reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
  return app;
}

/** The receiver's secrets from the environment. */
export function receiverSecretsFromEnv(): Pick<ReceiverOptions, 'xolaSecret' | 'fanfareSecret' | 'whopSecret'> {
  return {
    xolaSecret: process.env.XOLA_WEBHOOK_SECRET ?? '',
    fanfareSecret: process.env.FANFARE_WEBHOOK_SECRET?.split(',').filter(Boolean),
    whopSecret: process.env.WHOP_WEBHOOK_SECRET,
  };
}
