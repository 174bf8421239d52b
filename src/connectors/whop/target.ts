import type { PlannedWrite } from '../../canonical/plan.js';
import { InvalidRequestError } from '../../errors.js';
import { paginate, type WhopClient } from './client.js';
import { CREATE_ONLY } from './to-whop.js';

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

const after = (createdAt: string, since: string) => Date.parse(createdAt) >= Date.parse(since);
const queryOf = (path: string, name: string) => new URLSearchParams(path.split('?', 2)[1] ?? '').get(name);

/**
 * Finds a record an unanswered create may have made, created at or after `since` (README,
 * "Idempotency"): product by title and description, plan by its product, experience by name
 * among this app's unattached experiences, attachment by the experience's product list.
 */
export async function findWhopCreated(client: WhopClient, companyId: string, appId: string, write: PlannedWrite, since: string): Promise<string | null> {
  const created_after = since;
  switch (write.key) {
    case 'product': {
      const title = String(write.body?.title ?? '');
      const description = String(write.body?.description ?? '');
      for await (const p of paginate((c) => client.listProducts({ company_id: companyId, created_after, ...c }))) {
        if (p.title !== title || !after(p.created_at, since)) continue;
        const full = await client.getProduct(p.id);
        if ((full.description ?? '') === description) return p.id;
      }
      return null;
    }
    case 'plan': {
      const productId = queryOf(write.path, 'product_id');
      if (!productId) return null;
      for await (const p of paginate((c) => client.listPlans({ company_id: companyId, product_ids: productId, created_after, ...c }))) {
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
