import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { invalid, page, whopError } from './simulator-rules.js';

type Rec = Record<string, unknown> & { id: string; company_id: string; created_at: string };

/** SDK payments.ts `PaymentListParams` (the keys the simulator models; others → 400 like every list, README). */
const PaymentListQuery = z.object({
  company_id: z.string().min(1).optional(),
  first: z.coerce.number().int().min(1).max(100).default(100),
  after: z.string().optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  created_after: z.string().optional(), created_before: z.string().optional(),
  updated_after: z.string().optional(), updated_before: z.string().optional(),
  'product_ids[]': z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
  'plan_ids[]': z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
}).strict();

const Checkout = z.object({ plan_id: z.string().min(1), name: z.string().optional(), email: z.string().optional() }).strict();

export interface SalesContext {
  companyId: string;
  plans: Map<string, Rec>;
  products: Map<string, Rec>;
  now: () => string;
  send: (type: string, data: Record<string, unknown>) => Promise<{ id: string; status: number } | null>;
}

const tag = (prefix: string) => `${prefix}_${randomBytes(7).toString('hex')}`;

/**
 * Whop's sales as the simulator models them: memberships (SDK memberships.ts `retrieve`), payments
 * (payments.ts `list` with `updated_after`) and a checkout a test calls as a customer
 * (`POST /__sim/checkout {plan_id}`): it refuses a hidden or sold-out plan, decrements the plan's
 * `stock` (SDK shared.ts `Plan.stock`, "units available for purchase"), makes one membership and one
 * paid payment, and sends `payment.succeeded` then `membership.activated` signed to the subscriber.
 */
export function registerWhopSales(app: FastifyInstance, ctx: SalesContext) {
  const memberships = new Map<string, Rec>();
  const payments = new Map<string, Rec>();
  const productRef = (id: string) => { const p = ctx.products.get(id); return { id, title: p?.title ?? '', route: p?.route ?? '', metadata: null }; };
  const viewMembership = (m: Rec) => ({ ...m, company_id: undefined, company: { id: m.company_id, title: 'Simulated Whop company' } });
  const viewPayment = (p: Rec) => ({ ...p, company_id: undefined, company: { id: p.company_id, title: 'Simulated Whop company', route: 'simulated-company' } });

  app.get('/memberships/:id', async (req, reply) => {
    const m = memberships.get((req.params as { id: string }).id);
    if (!m) return whopError(reply, 404, 'not_found', 'No membership');
    if (m.company_id !== ctx.companyId) return whopError(reply, 403, 'forbidden', 'The membership belongs to another company');
    return viewMembership(m);
  });
  app.get('/payments', async (req, reply) => {
    const r = PaymentListQuery.safeParse(req.query ?? {});
    if (!r.success) return invalid(reply, r.error);
    const q = r.data;
    if (q.company_id !== undefined && q.company_id !== ctx.companyId) return whopError(reply, 403, 'forbidden', 'The key has no access to this company');
    const after = (v: unknown, t?: string) => !t || Date.parse(String(v)) >= Date.parse(t);
    const before = (v: unknown, t?: string) => !t || Date.parse(String(v)) <= Date.parse(t);
    const rows = [...payments.values()].filter((p) => after(p.updated_at, q.updated_after) && before(p.updated_at, q.updated_before)
      && after(p.created_at, q.created_after) && before(p.created_at, q.created_before)
      && (!q['product_ids[]'] || q['product_ids[]'].includes(String((p.product as { id: string }).id)))
      && (!q['plan_ids[]'] || q['plan_ids[]'].includes(String((p.plan as { id: string }).id))));
    // "Defaults to descending" is documented for products and plans; payments keep creation order (assumption).
    if (q.direction === 'desc') rows.reverse();
    const p = page(rows, { first: q.first, after: q.after });
    if (!p) return whopError(reply, 400, 'invalid_request', 'after is not a cursor this API issued');
    return { data: p.data.map(viewPayment), page_info: p.page_info };
  });

  async function checkout(reply: FastifyReply, body: unknown) {
    const r = Checkout.safeParse(body ?? {});
    if (!r.success) return invalid(reply, r.error);
    const plan = ctx.plans.get(r.data.plan_id);
    if (!plan || plan.visibility !== 'visible') return whopError(reply, 404, 'not_found', 'No plan on sale');
    if (!plan.unlimited_stock && Number(plan.stock ?? 0) < 1) return whopError(reply, 422, 'sold_out', 'The plan has no stock left');
    if (!plan.unlimited_stock) plan.stock = Number(plan.stock) - 1;
    const at = ctx.now();
    const product = productRef(String(plan.product_id));
    const user = { id: tag('user'), name: r.data.name ?? 'Grace Hopper', username: 'grace', email: r.data.email ?? 'grace@example.com' };
    const m: Rec = { id: tag('mem'), company_id: ctx.companyId, status: 'active', plan: { id: plan.id, metadata: null }, product, user, created_at: at, updated_at: at, cancel_at_period_end: false, metadata: {} };
    const pay: Rec = {
      id: tag('pay'), company_id: ctx.companyId, status: 'paid', substatus: 'succeeded', membership: { id: m.id, status: 'active' }, product, plan: { id: plan.id },
      user, currency: plan.currency, total: plan.initial_price, created_at: at, updated_at: at, paid_at: at,
    };
    memberships.set(m.id, m);
    payments.set(pay.id, pay);
    const deliveries = [await ctx.send('payment.succeeded', viewPayment(pay)), await ctx.send('membership.activated', viewMembership(m))];
    return { membership: viewMembership(m), payment: viewPayment(pay), deliveries };
  }
  app.post('/__sim/checkout', async (req, reply) => checkout(reply, req.body));
  // A refund or cancellation ends the access (SDK payments.ts `refund`: "the membership status is updated accordingly").
  app.post('/__sim/memberships/:id/cancel', async (req, reply) => {
    const m = memberships.get((req.params as { id: string }).id);
    if (!m) return whopError(reply, 404, 'not_found', 'No membership');
    Object.assign(m, { status: 'canceled', updated_at: ctx.now(), canceled_at: ctx.now() });
    for (const p of payments.values()) if ((p.membership as { id: string }).id === m.id) Object.assign(p, { status: 'paid', substatus: 'refunded', updated_at: ctx.now() });
    return { membership: viewMembership(m), delivery: await ctx.send('membership.deactivated', viewMembership(m)) };
  });
  return { memberships, payments, clear: () => { memberships.clear(); payments.clear(); } };
}
