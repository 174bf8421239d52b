import { htmlToText } from '../../canonical/html.js';
import { minorDigits, toMajor } from '../../canonical/money.js';
import { placeholder } from '../../canonical/plan.js';
import type { LocaleText, Loss, Product } from '../../canonical/product.js';
import { appointmentsOf, MAX_APPOINTMENTS } from './appointments.js';

/** A Fanfare resource body before fingerprinting, with the writes that create, update and remove it. */
export interface FanfareResource {
  key: 'product' | 'experience';
  body: Record<string, unknown>;
  create: { method: 'POST'; path: string };
  update: { method: 'POST' | 'PUT'; path: string };
  remove: { method: 'DELETE'; path: string };
}

export interface FanfareMapOptions {
  /** Our name as a sync source on Fanfare products (the upsert's natural key). */
  syncSource?: string;
  /** Where the product is sold (`url` is required by POST /products); `<base>/<sourcePlatform>/<sourceId>`. */
  productUrlBase?: string;
  maxAppointments?: number;
}

export const FANFARE_SYNC_SOURCE = 'channel-bridge';
/** Used when no `productUrlBase` is configured: `.invalid` never resolves (RFC 2606), so nobody is sent to it. */
export const FANFARE_PLACEHOLDER_URL_BASE = 'https://channel-bridge.invalid/products';
/** The only fields PUT /experiences/{id} takes (OA:PUT /experiences/{id} putExperiencesById). */
export const EXPERIENCE_PUT_FIELDS = ['name', 'timeZone', 'theme', 'i18n', 'products'] as const;

const PRODUCT = placeholder('product');
const EXPERIENCE = placeholder('experience');

/** Integer minor units → the decimal string a variant price is (OA: `^\\d{1,12}(\\.\\d{1,8})?$`), exact, no float. */
export function decimalPrice(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  return digits ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
}

/** One locale's texts as Fanfare text overrides: plain strings, lists one item per line, nulls left out. */
function localeTexts(t: LocaleText): Record<string, string> {
  const out: Record<string, string> = { name: t.name };
  const description = htmlToText(t.description);
  const summary = htmlToText(t.summary);
  const policy = htmlToText(t.cancellationPolicy);
  if (description) out.description = description;
  if (summary) out.summary = summary;
  if (t.included.length) out.included = t.included.join('\n');
  if (t.excluded.length) out.excluded = t.excluded.join('\n');
  if (policy) out.cancellationPolicy = policy;
  return out;
}

function priceLosses(product: Product, base: number, losses: Loss[]): void {
  const open = product.availability.filter((r) => r.sale === 'open');
  for (const r of open) {
    const field = `availability[${r.id}]`;
    if (r.price !== base) losses.push({ field: `${field}.price`, reason: `one variant price is sent; ${toMajor(r.price, product.currency)} ${product.currency} of this period is not carried (${toMajor(base, product.currency)} is)` });
    if (r.units.some((u) => u.type === 'CHILD') || r.units.some((u) => u.tiers.length > 1)) losses.push({ field: `${field}.units`, reason: 'child and pax-range prices need product variants, which we do not manage; only the base price is carried' });
    if (!r.perPax) losses.push({ field: `${field}.perPax`, reason: 'price is per group; a Fanfare variant price has no per-person or per-group flag' });
  }
  if (open.length) losses.push({ field: 'availability[].minPax/maxPax', reason: 'Fanfare has no per-booking traveller limits in the documented contracts' });
}

/**
 * Canonical product → the Fanfare product (upserted by sync source) and the experience that
 * sells it (one appointment per departure), in write order, with what did not fit.
 */
export function toFanfare(product: Product, opts: FanfareMapOptions = {}): { resources: FanfareResource[]; losses: Loss[] } {
  const losses: Loss[] = [];
  const text = product.texts[product.defaultLocale] ?? Object.values(product.texts)[0]!;
  const open = product.availability.filter((r) => r.sale === 'open');
  const base = open.length ? Math.min(...open.map((r) => r.price)) : product.availability.length ? Math.min(...product.availability.map((r) => r.price)) : null;
  if (base !== null) priceLosses(product, base, losses);
  if (product.status !== 'active') losses.push({ field: 'status', reason: `Fanfare products have no status (only \`archived\`): a ${product.status === 'inactive' ? 'stand-by' : product.status} product is sent without departures` });
  const src = `${product.sourcePlatform}:${product.sourceId}`;
  const urlBase = (opts.productUrlBase ?? FANFARE_PLACEHOLDER_URL_BASE).replace(/\/+$/, '');
  if (!opts.productUrlBase) losses.push({ field: 'url', reason: `no productUrlBase in the target options: the required product url is a placeholder under ${FANFARE_PLACEHOLDER_URL_BASE}` });
  const productBody: Record<string, unknown> = {
    name: text.name,
    url: `${urlBase}/${encodeURIComponent(product.sourcePlatform)}/${encodeURIComponent(product.sourceId)}`,
    description: htmlToText(text.description),
    // Prices live on variants as decimal strings; seats are capped per appointment, so the variant's stock is untracked.
    ...(base !== null ? { variants: [{ sku: product.reference || src, price: decimalPrice(base, product.currency), inventoryQuantity: 0, inventoryPolicy: 'untracked' }] } : {}),
    metadata: { productType: product.type, pricingType: product.pricingType, durationMinutes: product.durationMinutes, timeZone: product.timeZone, currency: product.currency, location: product.location },
    primarySyncSource: { syncSource: opts.syncSource ?? FANFARE_SYNC_SOURCE, syncSourceId: src },
  };
  if (base !== null) losses.push({ field: 'currency', reason: `Fanfare variant prices carry no currency (the organization's applies); ${product.currency} is kept in metadata.currency` });
  if (product.location) losses.push({ field: 'location', reason: 'appointments take a Fanfare locationId, which we do not manage; coordinates stay in product metadata' });
  if (product.durationMinutes === 0) losses.push({ field: 'durationMinutes', reason: 'no duration at the source; slots last 1 minute' });

  let appointments: Record<string, unknown>[] = [];
  if (product.status !== 'active') {
    if (product.availability.length) losses.push({ field: 'availability', reason: `product is ${product.status}: no departure is published` });
  } else if (!product.instantConfirmation) {
    losses.push({ field: 'instantConfirmation', reason: 'the product needs supplier confirmation; Fanfare appointments book instantly, so no departure is published' });
  } else {
    appointments = appointmentsOf(product, losses, opts.maxAppointments ?? MAX_APPOINTMENTS);
  }
  const experienceBody: Record<string, unknown> = {
    name: text.name,
    timeZone: product.timeZone,
    // Every locale, the default included: the experience has no other field for summary, lists or policy.
    i18n: Object.fromEntries(Object.entries(product.texts).map(([locale, t]) => [locale, localeTexts(t)])),
    products: [{ productId: PRODUCT }],
    ...(appointments.length ? { sequence: { name: 'Departures', appointments } } : {}),
  };
  if (appointments.length) {
    losses.push({ field: 'experience.sequence', reason: 'departures are set when the experience is created; PUT /experiences/{id} takes only name, timeZone, theme, i18n and products, so later changes to dates or seats are not carried' });
  }
  return {
    resources: [
      {
        key: 'product',
        body: productBody,
        create: { method: 'POST', path: '/products' },
        // The upsert again ("Create or update a product"): PUT /products/{productId} takes no variants, so prices would stay.
        update: { method: 'POST', path: '/products' },
        remove: { method: 'DELETE', path: `/products/${PRODUCT}` }, // "Archive a product"
      },
      {
        key: 'experience',
        body: experienceBody,
        create: { method: 'POST', path: '/experiences' },
        update: { method: 'PUT', path: `/experiences/${EXPERIENCE}` },
        // Only ever removes an experience this bridge created: removals come from the entity's own ids.
        remove: { method: 'DELETE', path: `/experiences/${EXPERIENCE}` },
      },
    ],
    losses,
  };
}
