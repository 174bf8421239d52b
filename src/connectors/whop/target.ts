import type { PlannedWrite } from '../../canonical/plan.js';
import { InvalidRequestError } from '../../errors.js';
import { paginate, type WhopClient } from './client.js';
import {
  CREATE_ONLY, type WhopAttach, type WhopExperienceCreate, type WhopExperienceUpdate, type WhopPlanCreate, type WhopPlanUpdate,
  type WhopProductCreate, type WhopProductUpdate,
} from './to-whop.js';

/**
 * A planned write → the request Whop takes. Paths may carry `?field=<id>` (the activity fills
 * `{<key>Id}` placeholders in paths only): those move into the JSON body and never go on the
 * wire as query. Updates drop the fields Whop takes on create only (CREATE_ONLY).
 */
export function writeRequest(write: PlannedWrite): { path: string; body: Record<string, unknown> | undefined } {
  const [bare = write.path, query] = write.path.split('?', 2);
  let body = write.body ? { ...write.body } : undefined;
  for (const [k, v] of new URLSearchParams(query ?? '')) body = { ...body, [k]: v };
  if (write.op === 'update' && body) for (const f of CREATE_ONLY[write.key] ?? []) delete body[f];
  const unfilled = Object.entries(body ?? {}).find(([, v]) => typeof v === 'string' && /^\{[^}]+Id\}$/.test(v));
  if (unfilled) throw new InvalidRequestError(`whop ${write.key}: body field ${unfilled[0]} needs an id not assigned yet`);
  return { path: bare, body };
}

const ID = '([^/?]+)';
const route = (re: string) => new RegExp(`^${re}$`);

/**
 * Sends one planned write through the SDK method of its endpoint (README, "Writes"). Product and
 * plan creates carry `Idempotency-Key` (SDK `ProductCreateParams`/`PlanCreateParams`); a plan PATCH
 * sends back the plan's current `custom_fields`, which Whop clears when they are left out.
 */
export async function applyWhopWrite(client: WhopClient, write: PlannedWrite, idempotencyKey: string): Promise<{ id: string }> {
  const { path, body = {} } = writeRequest(write);
  const id = (m: RegExpExecArray) => decodeURIComponent(m[1]!);
  let m: RegExpExecArray | null;
  if (write.method === 'POST' && path === '/products') return client.createProduct(body as WhopProductCreate, idempotencyKey);
  if (write.method === 'POST' && path === '/plans') return client.createPlan(body as WhopPlanCreate, idempotencyKey);
  if (write.method === 'POST' && path === '/experiences') return client.createExperience(body as WhopExperienceCreate);
  if (write.method === 'POST' && (m = route(`/experiences/${ID}/attach`).exec(path))) return client.attachExperience(id(m), body as WhopAttach);
  if (write.method === 'PATCH' && (m = route(`/products/${ID}`).exec(path))) return client.updateProduct(id(m), body as WhopProductUpdate);
  if (write.method === 'PATCH' && (m = route(`/plans/${ID}`).exec(path))) return client.updatePlanKeepingFields(id(m), body as Omit<WhopPlanUpdate, 'custom_fields'>);
  if (write.method === 'PATCH' && (m = route(`/experiences/${ID}`).exec(path))) return client.updateExperience(id(m), body as WhopExperienceUpdate);
  throw new InvalidRequestError(`whop ${write.key}: no Whop endpoint for ${write.method} ${path}`);
}

const after = (createdAt: string, since: string) => Date.parse(createdAt) >= Date.parse(since);
const queryOf = (path: string, name: string) => new URLSearchParams(path.split('?', 2)[1] ?? '').get(name);

/**
 * Finds a record an unanswered create may have made, created at or after `since` (README,
 * "Idempotency"): product by title and description, plan by its product, experience by name
 * among this app's unattached experiences, attachment by the experience's product list. For
 * product and plan (replayed by Idempotency-Key for 24 h) it is the net for a later run.
 */
export async function findWhopCreated(client: WhopClient, companyId: string, appId: string, write: PlannedWrite, since: string): Promise<string | null> {
  const created_after = since;
  switch (write.key) {
    case 'product': {
      const title = String(write.body?.title ?? '');
      const description = String(write.body?.description ?? '');
      // No `created_*` filter on products (SDK `ProductListParams`): newest first, stop at the first older one.
      for await (const p of paginate((c) => client.listProducts({ account_id: companyId, order: 'created_at', direction: 'desc', ...c }))) {
        if (!after(p.created_at, since)) return null;
        if (p.title !== title) continue;
        const full = await client.getProduct(p.id);
        if ((full.description ?? '') === description) return p.id;
      }
      return null;
    }
    case 'plan': {
      const productId = queryOf(write.path, 'product_id');
      if (!productId) return null;
      for await (const p of paginate((c) => client.listPlans({ account_id: companyId, product_ids: [productId], created_after, ...c }))) {
        if (p.product?.id === productId && after(p.created_at, since)) return p.id;
      }
      return null;
    }
    case 'experience': {
      const name = String(write.body?.name ?? '');
      for await (const e of paginate((c) => client.listExperiences({ company_id: companyId, app_id: appId, created_after, ...c }))) {
        if (e.name !== name || !after(e.created_at, since)) continue;
        const full = await client.getExperience(e.id);
        if ((full.products ?? []).length === 0) return e.id;
      }
      return null;
    }
    case 'attachment': {
      const experienceId = /\/experiences\/([^/?]+)\/attach/.exec(write.path)?.[1];
      const productId = queryOf(write.path, 'product_id');
      if (!experienceId || !productId) return null;
      const e = await client.getExperience(decodeURIComponent(experienceId));
      return (e.products ?? []).some((p) => p.id === productId) ? e.id : null;
    }
    default:
      return null;
  }
}
