import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { describeIssues } from '../config.js';
import { logger } from '../logger.js';
import { SEARCH_ATTRIBUTES } from '../temporal/ids.js';
import { XolaWebhook, xolaDeliveryKey, xolaTokenMatches } from './xola.js';

export interface ReceiverOptions {
  client: Client;
  /** Per-subscription secret for Xola's URLs (env XOLA_WEBHOOK_SECRET). */
  xolaSecret: string;
  /** Largest body accepted; Xola's events are a few KB. */
  bodyLimit?: number;
}

/** Remembers recent delivery keys so a replayed delivery is absorbed (bounded, oldest dropped first). */
export class DeliveryLog {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 10_000) {}
  /** True the first time a key is seen. */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

/**
 * The webhook receiver: verifies, validates and dedups each delivery, then signals the product's
 * entity workflow and answers at once; the work happens in the workflow.
 */
export function createReceiver(opts: ReceiverOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 64 * 1024 });
  const deliveries = new DeliveryLog();
  const stats = { accepted: 0, duplicates: 0, refused: 0, unmatched: 0 };

  app.get('/healthz', async () => ({ ok: true, ...stats }));

  const handleXola = async (token: string | undefined, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    if (!xolaTokenMatches(token, opts.xolaSecret)) { stats.refused += 1; return { status: 401, body: { error: 'unknown subscription token' } }; }
    const parsed = XolaWebhook.safeParse(body);
    if (!parsed.success) { stats.refused += 1; return { status: 400, body: { error: 'malformed Xola event', details: describeIssues(parsed.error) } }; }
    const event = parsed.data;
    if (!deliveries.firstTime(xolaDeliveryKey(event))) { stats.duplicates += 1; return { status: 200, body: { duplicate: true } }; }
    if (!event.eventName.startsWith('experience.')) return { status: 202, body: { ignored: event.eventName } };
    // Someone changed an experience we publish: find its product and re-assert the source.
    const query = `${SEARCH_ATTRIBUTES.targetIds} = 'xola:${event.data.id.replace(/'/g, '')}'`;
    let signalled = 0;
    for await (const wf of opts.client.workflow.list({ query })) {
      if (wf.status.name !== 'RUNNING') continue;
      await opts.client.workflow.getHandle(wf.workflowId).signal('targetChanged', { platform: 'xola', resourceKey: 'experience' });
      signalled += 1;
    }
    if (signalled === 0) stats.unmatched += 1;
    stats.accepted += 1;
    logger.info({ event: event.eventName, xolaId: event.data.id, signalled }, 'xola webhook');
    return { status: 202, body: { accepted: true, signalled } };
  };

  app.post('/webhooks/xola/:token', async (req, reply) => {
    const r = await handleXola((req.params as { token: string }).token, req.body);
    return reply.code(r.status).send(r.body);
  });
  app.post('/webhooks/xola', async (req, reply) => {
    const r = await handleXola(req.headers['x-bridge-webhook-token'] as string | undefined, req.body);
    return reply.code(r.status).send(r.body);
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    stats.refused += 1;
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    void reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
  return app;
}
