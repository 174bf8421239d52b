import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { fillBody } from '../../../src/canonical/plan.js';
import type { Product } from '../../../src/canonical/product.js';
import { createFanfareSimulator, fanfareRequest, toFanfare } from '../../../src/connectors/fanfare/index.js';
import {
  FanfareExperience, FanfareExperienceCreate, FanfareExperienceUpdate, FanfareExperiencePage, FanfareProduct,
  FanfareProductCreate, FanfareProductPage, FanfareProductUpdate, FanfareValidationError,
} from '../../../src/connectors/fanfare/schemas.js';
import { api, canonical, demoProducts, KEY, parisActivity, seedTransfer } from './fixtures.js';

/**
 * Holds our zod schemas and the mapper's request bodies against facts extracted from Fanfare's
 * OpenAPI (test/fixtures/fanfare/admin-api-facts.json, commit recorded inside): required keys
 * present, nothing outside the allowed properties, enums within the spec's, and response schemas
 * that accept a spec-shaped example and require exactly what the spec requires.
 */

interface ObjectFacts {
  required: string[];
  properties?: string[];
  enums?: Record<string, string[]>;
  types?: Record<string, string>;
  patterns?: Record<string, string>;
  children?: Record<string, ObjectFacts>;
}
interface OperationFacts { method: string; path: string; request?: ObjectFacts; response: { status: number; shape: string; item?: string } }
const facts = JSON.parse(readFileSync('test/fixtures/fanfare/admin-api-facts.json', 'utf8')) as {
  source: { repo: string; path: string; commit: string };
  shared: Record<string, ObjectFacts>;
  operations: Record<string, OperationFacts>;
  absent: { postProductsProperties: string[]; postExperiencesProperties: string[]; productResponseProperties: string[] };
};
const op = (id: string) => facts.operations[id]!;

/* zod introspection: unwrap optional/nullable, walk into arrays and objects by a facts key. */
type AnyZod = z.ZodType & { def: { type: string }; unwrap?: () => AnyZod; element?: AnyZod; shape?: Record<string, AnyZod>; options?: unknown[] };
const inner = (t: AnyZod): AnyZod => (t.def.type === 'optional' || t.def.type === 'nullable' ? inner(t.unwrap!()) : t);
const at = (schema: AnyZod, key: string): AnyZod => key.split('.').reduce((t, part) => {
  const [name, isArray] = part.endsWith('[]') ? [part.slice(0, -2), true] : [part, false];
  const field = inner(inner(t).shape![name]!);
  return isArray ? inner(field.element!) : field;
}, schema);
const requiredKeys = (t: AnyZod) => Object.entries(inner(t).shape!).filter(([, v]) => !v.safeParse(undefined).success).map(([k]) => k).sort();
const keys = (t: AnyZod) => Object.keys(inner(t).shape!).sort();

/** Checks one zod request object against its facts, then each child the facts name. */
function expectSchemaMatches(schema: AnyZod, f: ObjectFacts, where: string) {
  expect([where, keys(schema)]).toEqual([where, [...(f.properties ?? keys(schema))].sort()]);
  expect([where, requiredKeys(schema)]).toEqual([where, [...f.required].sort()]);
  for (const [k, values] of Object.entries(f.enums ?? {})) {
    expect([where, k, [...(inner(inner(schema).shape![k]!).options as string[])].sort()]).toEqual([where, k, [...values].sort()]);
  }
}

/** Checks a body the mapper sends: required keys present, no key outside the allowed set, enums and types as the spec says. */
function expectBodyMatches(body: Record<string, unknown>, f: ObjectFacts, where: string) {
  for (const k of f.required) expect([where, k, body[k] !== undefined]).toEqual([where, k, true]);
  if (f.properties) for (const k of Object.keys(body)) expect([where, k, f.properties.includes(k)]).toEqual([where, k, true]);
  for (const [k, values] of Object.entries(f.enums ?? {})) if (body[k] !== undefined) expect(values).toContain(body[k]);
  for (const [k, type] of Object.entries(f.types ?? {})) {
    if (body[k] !== undefined && body[k] !== null && !type.startsWith('object')) expect([where, k, typeof body[k]]).toEqual([where, k, type]);
  }
}

/** Walks a body into a child key of the facts (`sequence.appointments[]` → each appointment). */
function childrenOf(body: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  return key.split('.').reduce<Array<Record<string, unknown>>>((acc, part) => acc.flatMap((b) => {
    const [name, isArray] = part.endsWith('[]') ? [part.slice(0, -2), true] : [part, false];
    const v = b[name];
    if (v === undefined || v === null) return [];
    return isArray ? (v as Array<Record<string, unknown>>) : [v as Record<string, unknown>];
  }), [body]);
}

function expectBodyTree(body: Record<string, unknown>, f: ObjectFacts, where: string) {
  expectBodyMatches(body, f, where);
  for (const [key, child] of Object.entries(f.children ?? {})) {
    for (const [i, b] of childrenOf(body, key).entries()) expectBodyMatches(b, child, `${where} ${key}#${i}`);
  }
}

/* A spec-shaped response example: only the required keys, with a value of the spec's type. */
const SAMPLE: Record<string, unknown> = {
  id: '0190a0a0-0000-7000-8000-0000000000aa', organizationId: '0190a0a0-0000-7000-8000-000000000001', createdAt: '2026-12-01T10:00:00.000Z',
  createdBy: 'user_1', archived: false, name: 'Seine Evening Walk', url: 'https://tours.example.com/koob/5001', timeZone: 'Europe/Paris',
  syncSource: 'channel-bridge', syncSourceId: 'koob:5001', productId: '0190a0a0-0000-7000-8000-0000000000bb', sku: 'koob:5001', price: '40.00',
  inventoryQuantity: 0, inventoryPolicy: 'untracked', options: [], experienceId: '0190a0a0-0000-7000-8000-0000000000cc', position: 0,
  startCursor: null, endCursor: null,
};
const example = (f: ObjectFacts) => Object.fromEntries(f.required.map((k) => [k, SAMPLE[k]]));
const shapes: Record<string, { schema: AnyZod; facts: ObjectFacts }> = {
  product: { schema: FanfareProduct as unknown as AnyZod, facts: facts.shared.product! },
  productBase: { schema: FanfareProduct as unknown as AnyZod, facts: facts.shared.productBase! },
  experience: { schema: FanfareExperience as unknown as AnyZod, facts: facts.shared.experience! },
};

let catalog: Product[] | undefined;
/** The demo catalog (every KOOB type), the seed transfer and a two-locale activity, built once. */
const products = (): Product[] => (catalog ??= [...demoProducts(), canonical(seedTransfer()), canonical(parisActivity(), { name: 'Balade du soir' })]);
const FILLED = { product: '0190a0a0-0000-7000-8000-0000000000bb', experience: '0190a0a0-0000-7000-8000-0000000000cc' };

describe('Fanfare OpenAPI facts fixture', () => {
  it('names the document and the commit it was taken from', () => {
    expect(facts.source).toMatchObject({ repo: 'fanfare-io/docs', path: 'api/openapi/admin-api.json', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(Object.keys(facts.operations).length).toBeGreaterThanOrEqual(10);
  });
});

describe('our request schemas are the spec\'s, key for key', () => {
  it('POST /products, its sync source and variants', () => {
    const f = op('postProducts').request!;
    expectSchemaMatches(FanfareProductCreate as unknown as AnyZod, f, 'postProducts');
    for (const [key, child] of Object.entries(f.children!)) expectSchemaMatches(at(FanfareProductCreate as unknown as AnyZod, key), child, `postProducts ${key}`);
  });

  it('PUT /products/{productId}', () => {
    expectSchemaMatches(FanfareProductUpdate as unknown as AnyZod, op('putProductsByProductId').request!, 'putProductsByProductId');
  });

  it('POST /experiences, its products, sequence, appointments and theme', () => {
    const f = op('postExperiences').request!;
    expectSchemaMatches(FanfareExperienceCreate as unknown as AnyZod, f, 'postExperiences');
    for (const [key, child] of Object.entries(f.children!)) expectSchemaMatches(at(FanfareExperienceCreate as unknown as AnyZod, key), child, `postExperiences ${key}`);
  });

  it('PUT /experiences/{id}', () => {
    const f = op('putExperiencesById').request!;
    expectSchemaMatches(FanfareExperienceUpdate as unknown as AnyZod, f, 'putExperiencesById');
    expectSchemaMatches(at(FanfareExperienceUpdate as unknown as AnyZod, 'products[]'), f.children!['products[]']!, 'putExperiencesById products[]');
  });
});

describe('the mapper\'s requests follow the spec', () => {
  it('every create, update and removal of the demo catalog and the seeds uses a documented method and path', () => {
    const documented = new Set(Object.values(facts.operations).map((o) => `${o.method} ${o.path}`));
    const asSpec = (path: string) => path.replace('{experienceId}', '{id}');
    for (const p of products()) {
      for (const r of toFanfare(p).resources) {
        for (const w of [r.create, r.update, r.remove]) expect([p.sourceId, r.key, documented.has(`${w.method} ${asSpec(w.path)}`)]).toEqual([p.sourceId, r.key, true]);
      }
    }
  });

  it('product bodies: name and url present, only allowed keys, variants with string prices of the response pattern', () => {
    const f = op('postProducts').request!;
    const pattern = new RegExp(facts.shared.product!.children!['variants[]']!.patterns!.price!);
    for (const p of products()) {
      const body = toFanfare(p).resources[0]!.body;
      expectBodyTree(body, f, `product ${p.sourceId}`);
      for (const k of facts.absent.postProductsProperties) expect(body).not.toHaveProperty(k);
      for (const v of childrenOf(body, 'variants[]')) expect(String(v.price)).toMatch(pattern);
      expect(FanfareProductCreate.safeParse(body).success).toBe(true);
    }
  });

  it('experience bodies: create and the PUT-filtered update hold only allowed keys, appointments only theirs', () => {
    for (const p of products()) {
      const exp = toFanfare(p).resources[1]!;
      const create = fanfareRequest({ key: 'experience', op: 'create', body: fillBody(exp.body, FILLED) }).body!;
      expectBodyTree(create, op('postExperiences').request!, `experience ${p.sourceId}`);
      for (const k of facts.absent.postExperiencesProperties) expect(create).not.toHaveProperty(k);
      expect(FanfareExperienceCreate.safeParse(create).success).toBe(true);
      const update = fanfareRequest({ key: 'experience', op: 'update', body: fillBody(exp.body, FILLED) }).body!;
      expectBodyTree(update, op('putExperiencesById').request!, `experience update ${p.sourceId}`);
      expect(update).not.toHaveProperty('sequence');
    }
  });

  it('removals send no body (DELETE takes none)', () => {
    for (const key of ['product', 'experience'] as const) {
      expect(fanfareRequest({ key, op: 'delete', body: { name: 'x' } })).toEqual({ method: 'DELETE', body: undefined });
    }
  });
});

describe('our response schemas accept the spec\'s shapes and require what it requires', () => {
  it.each(Object.keys(shapes))('%s: a minimal spec-shaped example passes; dropping any required key fails', (name) => {
    const { schema, facts: f } = shapes[name]!;
    const minimal = example(f);
    expect(schema.safeParse(minimal).success).toBe(true);
    for (const k of f.required) {
      const { [k]: _dropped, ...rest } = minimal;
      expect([name, k, schema.safeParse(rest).success]).toEqual([name, k, false]);
    }
  });

  it('nested objects too: variants, sync source and an experience\'s products', () => {
    const p = facts.shared.product!.children!;
    const product = { ...example(facts.shared.product!), primarySyncSource: example(p.primarySyncSource!), variants: [example(p['variants[]']!)] };
    expect(FanfareProduct.safeParse(product).success).toBe(true);
    expect(FanfareProduct.safeParse({ ...product, variants: [{ ...product.variants[0], price: 40 }] }).success).toBe(false);
    expect(FanfareProduct.safeParse({ ...product, variants: [{ ...product.variants[0], inventoryPolicy: 'tracked' }] }).success).toBe(false);
    for (const k of p['variants[]']!.required) {
      const { [k]: _dropped, ...rest } = product.variants[0]!;
      expect([k, FanfareProduct.safeParse({ ...product, variants: [rest] }).success]).toEqual([k, false]);
    }
    const e = facts.shared.experience!;
    const experience = { ...example(e), products: [example(e.children!['products[]']!)] };
    expect(FanfareExperience.safeParse(experience).success).toBe(true);
    for (const k of e.children!['products[]']!.required) {
      const { [k]: _dropped, ...rest } = experience.products[0]!;
      expect([k, FanfareExperience.safeParse({ ...experience, products: [rest] }).success]).toEqual([k, false]);
    }
  });

  it('lists are {data, pageInfo:{startCursor, endCursor}}, every key required', () => {
    const page = { data: [example(facts.shared.product!)], pageInfo: { startCursor: null, endCursor: null } };
    expect(FanfareProductPage.safeParse(page).success).toBe(true);
    expect(FanfareExperiencePage.safeParse({ data: [example(facts.shared.experience!)], pageInfo: page.pageInfo }).success).toBe(true);
    expect(FanfareProductPage.safeParse(page.data).success).toBe(false);
    expect(FanfareProductPage.safeParse({ ...page, pageInfo: { endCursor: null } }).success).toBe(false);
  });

  it('the status, sku, price and currency the old docs had are not required (the spec has none)', () => {
    const minimal = example(facts.shared.product!);
    for (const k of facts.absent.productResponseProperties) expect(minimal).not.toHaveProperty(k);
    expect(FanfareProduct.safeParse(minimal).success).toBe(true);
  });
});

describe('the simulator answers what the spec documents', () => {
  const sim = createFanfareSimulator({ apiKey: KEY });
  let url = '';
  beforeAll(async () => { url = await sim.listen(); });
  afterAll(async () => { await sim.close(); });

  it('status codes and bodies of each operation the bridge uses parse with our schemas', async () => {
    const p = toFanfare(canonical(parisActivity())).resources;
    const created = await api(url, 'POST', '/products', p[0]!.body);
    expect(created.status).toBe(op('postProducts').response.status);
    expect(FanfareProduct.safeParse(created.body).success).toBe(true);
    const ids = { product: String(created.body.id) };
    const e = await api(url, 'POST', '/experiences', fillBody(p[1]!.body, ids));
    expect(e.status).toBe(op('postExperiences').response.status);
    expect(FanfareExperience.safeParse(e.body).success).toBe(true);
    const checks: Array<[string, string, string, unknown]> = [
      ['getProducts', 'GET', '/products', undefined],
      ['getProductsByProductId', 'GET', `/products/${ids.product}`, undefined],
      ['putProductsByProductId', 'PUT', `/products/${ids.product}`, { name: 'Renamed' }],
      ['getExperiences', 'GET', '/experiences', undefined],
      ['getExperiencesById', 'GET', `/experiences/${String(e.body.id)}`, undefined],
      ['putExperiencesById', 'PUT', `/experiences/${String(e.body.id)}`, { name: 'Renamed' }],
      ['deleteExperiencesById', 'DELETE', `/experiences/${String(e.body.id)}`, undefined],
      ['deleteProductsByProductId', 'DELETE', `/products/${ids.product}`, undefined],
    ];
    for (const [id, method, path, body] of checks) {
      const r = await api(url, method, path, body);
      const o = op(id);
      const schema = o.response.shape === 'page' ? (o.response.item === 'product' ? FanfareProductPage : FanfareExperiencePage) : shapes[o.response.shape]!.schema;
      expect([id, r.status, schema.safeParse(r.body).success]).toEqual([id, o.response.status, true]);
    }
  });

  it('a 400 is {error:"validation_error", issues[]} with every key the spec requires of an issue', async () => {
    const r = await api(url, 'POST', '/products', { name: 'No url' });
    expect(r.status).toBe(400);
    expect(FanfareValidationError.safeParse(r.body).success).toBe(true);
    const issue = (r.body.issues as unknown as Array<Record<string, unknown>>)[0]!;
    const f = (facts as unknown as { errors: Record<string, ObjectFacts> }).errors['400']!.children!['issues[]']!;
    for (const k of f.required) expect(issue).toHaveProperty(k);
    for (const step of issue.path as Array<Record<string, unknown>>) for (const k of f.children!['path[]']!.required) expect(step).toHaveProperty(k);
  });
});
