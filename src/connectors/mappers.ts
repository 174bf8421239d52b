import type { Platform } from '../config.js';
import { describeIssues } from '../config.js';
import { MappingError } from '../errors.js';
import type { HttpMethod } from '../canonical/plan.js';
import type { Loss, Product } from '../canonical/product.js';
import { validateProduct } from '../canonical/validate.js';
import { koobToCanonical, toKoob } from './koob/index.js';
import { KoobExperience } from './koob/schemas.js';
import { toFanfare } from './fanfare/index.js';
import { toGomry } from './gomry/index.js';
import { toWhop } from './whop/index.js';
import { toXola } from './xola/index.js';
import { xolaToCanonical } from './xola/to-canonical.js';

/** A pure reader: one record in the platform's own GET shape → canonical product. */
export type Reader = (record: unknown, locale: string) => { product: Product; losses: Loss[] };

/** A pure writer: canonical product → the target's create requests, in order, with losses. */
export type Writer = (product: Product) => { resources: Array<{ key: string; body: Record<string, unknown>; createOnly?: Record<string, unknown>; create: { method: HttpMethod; path: string } }>; losses: Loss[] };

export const READERS: Partial<Record<Platform, Reader>> = {
  koob: (record, locale) => {
    const parsed = KoobExperience.safeParse(record);
    if (!parsed.success) throw new MappingError(`KOOB experience: ${describeIssues(parsed.error).split('\n')[0]}`, { field: String(parsed.error.issues[0]?.path.join('.')) });
    return koobToCanonical({ [locale]: parsed.data }, locale);
  },
  xola: (record, locale) => xolaToCanonical(record, locale),
};

/** Ids and settings a writer needs from the target account appear as `{name}` placeholders. */
export const WRITERS: Partial<Record<Platform, Writer>> = {
  xola: (p) => toXola(p, { sellerId: '{sellerId}' }),
  koob: (p) => toKoob(p),
  gomry: (p) => toGomry(p, {}),
  fanfare: (p) => toFanfare(p),
  whop: (p) => toWhop(p, { companyId: '{companyId}', appId: '{appId}' }),
};

export interface MapResult {
  requests: Array<{ method: HttpMethod; path: string; body: Record<string, unknown> }>;
  losses: Loss[];
}

/** `bridge map`: one source record → the writes that would create it on the target, and what is lost. */
export function mapRecord(from: Platform, to: Platform, record: unknown, locale = 'en'): MapResult {
  const read = READERS[from];
  const write = WRITERS[to];
  if (!read) throw new MappingError(`--from ${from}: no reader for this platform (readers: ${Object.keys(READERS).join(', ')})`, { field: 'from' });
  if (!write) throw new MappingError(`--to ${to}: no writer for this platform (writers: ${Object.keys(WRITERS).join(', ')})`, { field: 'to' });
  const { product, losses } = read(record, locale);
  const out = write(validateProduct(product));
  return {
    requests: out.resources.map((r) => ({ method: r.create.method, path: r.create.path, body: { ...r.body, ...r.createOnly } })),
    losses: [...losses, ...out.losses],
  };
}
