import type { z } from 'zod';
import {
  FanfareExperienceCreate, FanfareExperienceUpdate, FanfareProductCreate, FanfareProductUpdate,
} from './schemas.js';

/*
 * What the Fanfare simulator validates, rule by rule, each from the OpenAPI document
 * (OA = fanfare-io/docs api/openapi/admin-api.json @055b707, schemas inline, named by path + method).
 * Never stricter than the spec: a type, a required key or an enum the spec states, nothing more.
 * The spec has no additionalProperties:false, so unknown keys are dropped, not refused (README).
 */

/** OA:POST /products requestBody: `name`, `url` required; `variants[]` sku/price(string)/inventoryQuantity/inventoryPolicy enum; sync source keys. */
export const ProductCreate = FanfareProductCreate;
/** OA:PUT /products/{productId} requestBody: description, handle, metadata, name, url; nothing required. */
export const ProductUpdate = FanfareProductUpdate;
/** OA:POST /experiences requestBody: `name` required; nested `sequence` (name required) with five distribution arrays. */
export const ExperienceCreate = FanfareExperienceCreate;
/** OA:PUT /experiences/{id} requestBody: i18n, name, products, theme, timeZone; nothing required. */
export const ExperienceUpdate = FanfareExperienceUpdate;
export type ExperienceCreate = z.infer<typeof ExperienceCreate>;

/** The distribution arrays of OA:POST /experiences `sequence` (no waitlists there). */
export const DISTRIBUTION_KINDS = ['queues', 'draws', 'auctions', 'appointments', 'timedReleases'] as const;

/** One issue of OA 400 "Bad Request - Invalid input schema": kind, type, expected, received, message, path[{type,origin,input,key}]. */
export interface OpenApiIssue {
  kind: string;
  type: string;
  expected: string;
  received: string;
  message: string;
  path: Array<{ type: string; origin: string; input: unknown; key: string | number }>;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'Array' : typeof v);

/** zod issues → OA 400 `issues[]` (every required key of the spec's issue object is filled). */
export function openApiIssues(error: z.ZodError, input: unknown): OpenApiIssue[] {
  return error.issues.map((i) => {
    let at: unknown = input;
    const path = i.path.map((key) => {
      const step = { type: Array.isArray(at) ? 'array' : 'object', origin: 'value', input: at, key: typeof key === 'number' ? key : String(key) };
      at = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[key as string] : undefined;
      return step;
    });
    const expected = 'expected' in i ? String(i.expected) : 'values' in i ? (i.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ') : i.code;
    return { kind: 'schema', type: i.code, expected, received: typeOf(at), message: i.message, path };
  });
}

/** One OA 400 issue built by hand, for a rule outside the body schema (e.g. a product id that does not exist). */
export function issueAt(keys: Array<string | number>, input: unknown, message: string): OpenApiIssue {
  let at: unknown = input;
  const path = keys.map((key) => {
    const step = { type: typeof key === 'number' ? 'array' : 'object', origin: 'value', input: at, key };
    at = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[key] : undefined;
    return step;
  });
  return { kind: 'validation', type: 'reference', expected: 'an existing product id', received: JSON.stringify(at), message, path };
}
