import { htmlToText } from '../../canonical/html.js';
import { clipField } from '../../canonical/text.js';
import { toMajor } from '../../canonical/money.js';
import { placeholder } from '../../canonical/plan.js';
import type { Loss, Product } from '../../canonical/product.js';
import type {
  WhopAttach, WhopExperienceCreate, WhopExperienceUpdate, WhopPlanCreate, WhopPlanUpdate, WhopProductCreate, WhopProductUpdate,
} from './bodies.js';
import { WHOP_CURRENCIES } from './schemas.js';
import { SOLD_KEY, STOCK_KEY } from './stock-guard.js';

export type {
  WhopAttach, WhopExperienceCreate, WhopExperienceUpdate, WhopPlanCreate, WhopPlanUpdate, WhopProductCreate, WhopProductUpdate,
} from './bodies.js';

interface Requests<U> {
  create: { method: 'POST'; path: string };
  update: { method: 'PATCH' | 'POST'; path: string };
  remove: { method: 'PATCH'; path: string; body: U };
  /** Sent on create only: the product is created hidden and published last. */
  createOnly?: Partial<U>;
}
/** A Whop resource body before fingerprinting, with the requests that create, update and remove it. */
export type WhopResource =
  | ({ key: 'product'; body: WhopProductCreate } & Requests<WhopProductUpdate>)
  | ({ key: 'plan'; body: WhopPlanCreate } & Requests<WhopPlanUpdate>)
  | ({ key: 'experience'; body: WhopExperienceCreate } & Requests<WhopExperienceUpdate>)
  | ({ key: 'attachment'; body: WhopAttach } & Requests<WhopExperienceUpdate>)
  | ({ key: 'publish'; body: WhopProductUpdate } & Omit<Requests<WhopProductUpdate>, 'create'> & { create: { method: 'PATCH'; path: string } });

export interface WhopMapOptions {
  companyId: string;
  appId: string;
  locale?: string;
}

/** Fields Whop takes on create but not on PATCH (absent from the SDK's *UpdateParams): `apply` drops them from updates. */
export const CREATE_ONLY: Record<string, readonly string[]> = {
  product: ['account_id'],
  plan: ['account_id', 'product_id', 'plan_type', 'release_method'],
  experience: ['app_id', 'company_id'],
  attachment: [],
};

const PRODUCT = placeholder('product');
const PLAN = placeholder('plan');
const EXPERIENCE = placeholder('experience');

const clip = (value: string, max: number, field: string, losses: Loss[]) => clipField(value, max, field, 'Whop', losses);

function section(title: string, items: string[]): string {
  return items.length ? `\n\n${title}:\n${items.map((i) => `- ${i}`).join('\n')}` : '';
}

/** Price and stock of the single plan; a product that cannot sell instantly is hidden with zero stock. */
function planTerms(product: Product, losses: Loss[]): Pick<WhopPlanCreate, 'initial_price' | 'visibility' | 'unlimited_stock' | 'stock'> {
  const open = product.availability.filter((r) => r.sale === 'open');
  const priced = open.length ? open : product.availability;
  const base = priced.length ? Math.min(...priced.map((r) => r.price)) : 0;
  if (new Set(priced.map((r) => r.price)).size > 1) losses.push({ field: 'availability[].price', reason: 'Whop plans have one price; the lowest open price is used' });
  if (priced.some((r) => r.units.some((u) => u.type === 'CHILD' || u.tiers.length > 1))) {
    losses.push({ field: 'availability[].units', reason: 'child and pax-range prices have no Whop equivalent; only the base price is carried' });
  }
  if (priced.some((r) => !r.perPax)) losses.push({ field: 'availability[].perPax', reason: 'Whop sells one unit per purchase; a per-group price is sold as one unit' });
  for (const r of product.availability.filter((x) => x.sale !== 'open')) {
    losses.push({ field: `availability[${r.id}].sale`, reason: r.sale === 'closed' ? 'stop-sale period is not sold on Whop' : 'on-request period is not sold on Whop (it must never sell as instant)' });
  }
  const sellable = product.status === 'active' && open.length > 0;
  const terms = { initial_price: toMajor(base, product.currency) };
  if (!sellable) {
    losses.push({ field: 'availability', reason: 'nothing open for instant sale: plan hidden with zero stock' });
    return { ...terms, visibility: 'hidden', unlimited_stock: false, stock: 0 };
  }
  const limited = open.filter((r) => !r.freesale && r.capacity !== null);
  if (!limited.length) return { ...terms, visibility: 'visible', unlimited_stock: true };
  const stock = Math.max(0, Math.min(...limited.map((r) => (r.capacity ?? 0) - r.used)));
  losses.push({ field: 'availability[].capacity', reason: `Whop stock is one number for the plan, not per date: the smallest open vacancy (${stock}) is used` });
  return { ...terms, visibility: 'visible', unlimited_stock: false, stock };
}

/**
 * The plan's stock mark (stock-guard.ts): the stock we set and the Whop seats our ledger holds, so
 * a later set can tell a Whop sale we recorded from one we have not.
 */
function withStockMark<T extends Pick<WhopPlanCreate, 'stock' | 'unlimited_stock'>>(terms: T, product: Product): T & { metadata: Record<string, number> } {
  const sold = Object.values(product.channelSeats?.whop ?? {}).reduce((n, u) => n + u, 0);
  return { ...terms, metadata: terms.unlimited_stock ? { [SOLD_KEY]: sold } : { [STOCK_KEY]: terms.stock ?? 0, [SOLD_KEY]: sold } };
}

/**
 * Canonical product → Whop product, plan, experience and the experience's attachment to the
 * product, in write order, with what did not fit. `remove` never hard-deletes (README).
 */
export function toWhop(product: Product, opts: WhopMapOptions): { resources: WhopResource[]; losses: Loss[] } {
  const losses: Loss[] = [];
  const locale = opts.locale ?? product.defaultLocale;
  const text = product.texts[locale] ?? product.texts[product.defaultLocale]!;
  for (const other of Object.keys(product.texts)) {
    if (other !== locale) losses.push({ field: `texts.${other}`, reason: 'Whop products hold one language; only the default locale is written' });
  }
  losses.push({ field: 'availability[].dates', reason: 'Whop has no schedule concept (dates, weekdays, departures); buyers cannot pick a date' });
  if (product.durationMinutes > 0) losses.push({ field: 'durationMinutes', reason: 'Whop has no duration field' });
  if (product.location) losses.push({ field: 'location', reason: 'Whop has no location field' });

  const description = htmlToText(text.description)
    + section('Included', text.included) + section('Not included', text.excluded)
    + (text.cancellationPolicy ? `\n\nCancellation policy:\n${htmlToText(text.cancellationPolicy)}` : '');
  const productBody: WhopProductCreate = {
    account_id: opts.companyId,
    title: clip(text.name, 80, 'name', losses),
    description: description.trim(),
  };
  if (text.summary) productBody.headline = htmlToText(text.summary);

  const resources: WhopResource[] = [{
    key: 'product',
    body: productBody,
    // Created hidden: nothing is on sale before its plan exists (the `publish` resource, last).
    createOnly: { visibility: 'hidden' },
    create: { method: 'POST', path: '/products' },
    update: { method: 'PATCH', path: `/products/${PRODUCT}` },
    remove: { method: 'PATCH', path: `/products/${PRODUCT}`, body: { visibility: 'hidden' } },
  }];

  const currency = product.currency.toLowerCase();
  if ((WHOP_CURRENCIES as readonly string[]).includes(currency)) {
    resources.push({
      key: 'plan',
      // `product_id` is filled by `apply` from the `?product_id=` the path carries (README, "Placeholders").
      body: { account_id: opts.companyId, product_id: PRODUCT, plan_type: 'one_time', release_method: 'buy_now', currency, ...withStockMark(planTerms(product, losses), product) },
      create: { method: 'POST', path: `/plans?product_id=${PRODUCT}` },
      update: { method: 'PATCH', path: `/plans/${PLAN}` },
      remove: { method: 'PATCH', path: `/plans/${PLAN}`, body: { visibility: 'hidden', unlimited_stock: false, stock: 0 } },
    });
  } else {
    losses.push({ field: 'currency', reason: `Whop does not sell in ${product.currency}; no plan is created, the product cannot be bought` });
  }

  resources.push({
    key: 'experience',
    body: { app_id: opts.appId, company_id: opts.companyId, name: clip(text.name, 255, 'name', losses), is_public: false },
    create: { method: 'POST', path: '/experiences' },
    update: { method: 'PATCH', path: `/experiences/${EXPERIENCE}` },
    remove: { method: 'PATCH', path: `/experiences/${EXPERIENCE}`, body: { is_public: false } },
  }, {
    key: 'attachment',
    body: { product_id: PRODUCT },
    create: { method: 'POST', path: `/experiences/${EXPERIENCE}/attach?product_id=${PRODUCT}` },
    update: { method: 'POST', path: `/experiences/${EXPERIENCE}/attach?product_id=${PRODUCT}` },
    // The attachment's id is the experience id `attach` answers with. Not detached: removals run in
    // creation order and the product id is forgotten first, and buyers keep what they paid for (README).
    remove: { method: 'PATCH', path: `/experiences/${placeholder('attachment')}`, body: { is_public: false } },
  }, {
    // Published last, once plan, experience and attachment exist: a create that fails part-way
    // leaves a hidden product that the next attempt completes, never one on sale without a plan.
    key: 'publish',
    body: { visibility: product.status === 'active' ? 'visible' : 'hidden' },
    create: { method: 'PATCH', path: `/products/${PRODUCT}` },
    update: { method: 'PATCH', path: `/products/${PRODUCT}` },
    // Its recorded id is the product id the PATCH answers with.
    remove: { method: 'PATCH', path: `/products/${placeholder('publish')}`, body: { visibility: 'hidden' } },
  });
  return { resources, losses };
}
