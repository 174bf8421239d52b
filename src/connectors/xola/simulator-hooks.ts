import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { XolaHookEventName } from './schemas.js';
import { validation, xolaError } from './simulator-replies.js';

/** A subscription as stored; `url` carries the bridge's secret, so inspection shows only its origin. */
export interface StoredHook { id: string; url: string; eventName: string; user: { id: string }; createdAt: string }

/** One delivery attempt, for tests (no URL, no payload: they may carry secrets or customer data). */
export interface HookDelivery { seq: number; hookId: string; eventName: string; dataId: string; outcome: 'dropped' | 'delivered' | 'failed'; status?: number }

/** `{url, eventName}` (PD:sources/common/webhook.mjs, platforms.md §1.5); names from the official list plus `purchase.*` (schemas.ts). */
const HookInput = z.object({
  url: z.url({ protocol: /^https?$/ }),
  eventName: XolaHookEventName,
}).strict();

const DropKnob = z.object({ dropWebhooks: z.number().int().min(0) }).loose();

/** Deliveries wait at most this long for the receiver (a simulator choice; Xola documents none). */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * User webhooks (`/api/users/{userId}/hooks`, path from third-party code, platforms.md §1.5) and their
 * deliveries: one fire-and-forget POST of `{eventName, data}` per subscribed hook, no signature, no retry.
 */
export function registerXolaHooks(app: FastifyInstance, sellerId: string) {
  const hooks = new Map<string, StoredHook>();
  const deliveries: HookDelivery[] = [];
  const knobs = { dropWebhooks: 0 };
  let seq = 0;

  const note = (d: Omit<HookDelivery, 'seq'>) => {
    deliveries.push({ seq: ++seq, ...d });
    if (deliveries.length > 1000) deliveries.splice(0, deliveries.length - 1000);
  };

  /** Sends `data` to every hook subscribed to one of `eventNames`, each under the name it subscribed to. */
  const fire = (eventNames: readonly string[], data: { id: string }) => {
    for (const hook of hooks.values()) {
      if (!eventNames.includes(hook.eventName)) continue;
      const base = { hookId: hook.id, eventName: hook.eventName, dataId: data.id };
      if (knobs.dropWebhooks > 0) {
        knobs.dropWebhooks -= 1;
        note({ ...base, outcome: 'dropped' });
        continue;
      }
      const body = JSON.stringify({ eventName: hook.eventName, data });
      void (async () => {
        try {
          const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
          await res.arrayBuffer();
          note({ ...base, outcome: 'delivered', status: res.status });
        } catch {
          note({ ...base, outcome: 'failed' });
        }
      })();
    }
  };

  const mine = (reply: FastifyReply, userId: string): boolean => {
    if (userId === sellerId) return true;
    void xolaError(reply, 403, 'Not allowed to manage hooks of this user');
    return false;
  };
  const view = (h: StoredHook) => ({ ...h, object: 'hook' });

  app.get('/api/users/:userId/hooks', async (req, reply) => {
    const { userId } = req.params as { userId: string };
    if (!mine(reply, userId)) return reply;
    return { data: [...hooks.values()].filter((h) => h.user.id === userId).map(view), paging: { next: null } };
  });

  app.post('/api/users/:userId/hooks', { config: { write: true } }, async (req, reply) => {
    const { userId } = req.params as { userId: string };
    if (!mine(reply, userId)) return reply;
    const parsed = HookInput.safeParse(req.body ?? {});
    if (!parsed.success) return validation(reply, parsed.error);
    // Duplicates are accepted (and then delivered twice), as nothing says Xola refuses them: list first.
    const hook: StoredHook = { id: randomBytes(12).toString('hex'), ...parsed.data, user: { id: userId }, createdAt: new Date().toISOString() };
    hooks.set(hook.id, hook);
    return reply.code(201).send(view(hook));
  });

  app.delete('/api/users/:userId/hooks/:hookId', { config: { write: true } }, async (req, reply) => {
    const { userId, hookId } = req.params as { userId: string; hookId: string };
    if (!mine(reply, userId)) return reply;
    const hook = hooks.get(hookId);
    if (!hook || hook.user.id !== userId) return xolaError(reply, 404, 'Hook not found');
    hooks.delete(hookId);
    return reply.code(204).send();
  });

  const setDrop = (body: unknown): boolean => {
    const parsed = DropKnob.safeParse(body ?? {});
    if (parsed.success) knobs.dropWebhooks = parsed.data.dropWebhooks;
    return parsed.success;
  };
  // `dropWebhooks` rides on the shared /__sim/knobs body; the kit's handler ignores the field.
  app.addHook('preHandler', async (req) => {
    if (req.method === 'POST' && req.url.split('?')[0] === '/__sim/knobs') setDrop(req.body);
  });
  app.post('/__sim/xola-knobs', { config: { write: true } }, async (req, reply) => {
    if (!setDrop(req.body)) return reply.code(400).send({ error: 'dropWebhooks must be an integer >= 0' });
    return { ...knobs };
  });
  app.get('/__sim/xola-knobs', async () => ({ ...knobs }));

  return {
    hooks,
    deliveries,
    knobs,
    fire,
    reset: () => { hooks.clear(); deliveries.length = 0; knobs.dropWebhooks = 0; },
    inspect: () => ({
      hooks: [...hooks.values()].map((h) => ({ ...h, url: `${new URL(h.url).origin}/…` })),
      webhookDeliveries: [...deliveries],
    }),
    save: () => [...hooks.values()],
    load: (data: StoredHook[] | undefined) => { hooks.clear(); for (const h of data ?? []) hooks.set(h.id, h); },
  };
}
