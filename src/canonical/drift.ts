/**
 * The drift check's pure parts: which records of a target a verify pass reads back, and which of
 * their fields differ from what we asked for. Node-free, so workflows may import its types.
 */
import { type DesiredResource, fillBody, fillPath, type TargetState } from './plan.js';

/** One record a verify pass reads back, with the body we want it to hold. */
export interface VerifyEntry {
  key: string;
  id: string;
  /** The body we want there, ids filled. */
  desired: Record<string, unknown>;
  /** Its update path, ids filled (KOOB reads the locale from it). */
  path: string;
  /** Keys whose records live under this one or point at it: forgotten with it when it is gone. */
  dependents: string[];
}

/** What a read-back found: the record as we wrote it, gone, or with these fields changed. */
export type VerifyResult = { result: 'ok' } | { result: 'missing' } | { result: 'changed'; fields: string[] };

const PLACEHOLDER = /\{([^}]+)Id\}/g;

/** The keys whose `{<key>Id}` placeholders appear anywhere in a value. */
function referenced(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) out.add(m[1]!);
  else if (Array.isArray(value)) value.forEach((v) => referenced(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => referenced(v, out));
  return out;
}

/**
 * The records to verify on one target: each of the connector's read-back keys that the product
 * wants and that we hold an id for. Dependents are found from the placeholders of every resource
 * we hold (paths, bodies, stored removals), transitively: a schedule under an experience, a plan
 * or an attachment naming a product.
 */
export function verifyEntries(desired: DesiredResource[], state: TargetState, keys: readonly string[]): VerifyEntry[] {
  const byKey = new Map(desired.map((d) => [d.key, d]));
  const refs = new Map(Object.keys(state.ids).map((k) => {
    const d = byKey.get(k);
    return [k, referenced([d?.create.path, d?.update.path, d?.body, state.removals[k]])] as const;
  }));
  const dependentsOf = (key: string): string[] => {
    const out = new Set<string>();
    for (let grew = true; grew;) {
      grew = false;
      for (const [k, r] of refs) {
        if (k === key || out.has(k)) continue;
        if (r.has(key) || [...out].some((o) => r.has(o))) { out.add(k); grew = true; }
      }
    }
    return [...out];
  };
  return keys.flatMap((key) => {
    const d = byKey.get(key);
    const id = state.ids[key];
    if (!d || id === undefined) return [];
    return [{ key, id, desired: fillBody(d.body, state.ids), path: fillPath(d.update.path, state.ids), dependents: dependentsOf(key) }];
  });
}

const text = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * True only when two scalars clearly differ. Representation is forgiven: whitespace and Unicode
 * normal form, the case of a three-letter code (`eur`/`EUR`), the same instant written two ways,
 * a number sent as a decimal string (`"12.50"`/`12.5`), a boolean as `"true"`. Values of kinds
 * that cannot be compared (a number and a word) are not called different.
 */
function differs(want: unknown, have: unknown): boolean {
  if (typeof want === 'string' && typeof have === 'string') {
    const [a, b] = [text(want), text(have)];
    if (a === b || (/^[A-Za-z]{3}$/.test(a) && a.toLowerCase() === b.toLowerCase())) return false;
    return !(ISO_TIME.test(a) && ISO_TIME.test(b) && Date.parse(a) === Date.parse(b));
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : null);
  if (typeof want === 'number' || typeof have === 'number') {
    const [a, b] = [num(want), num(have)];
    return a !== null && b !== null && Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a));
  }
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null);
  const [a, b] = [bool(want), bool(have)];
  return a !== null && b !== null && a !== b;
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The top-level scalar fields present in both the body we want and the record read back whose
 * values clearly differ (sorted). Nested objects, lists, fields only one side has and values still
 * holding an id placeholder are left out: the check stays conservative.
 */
export function driftedFields(desired: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return Object.keys(desired)
    .filter((f) => isScalar(desired[f]) && isScalar(actual[f]) && !(typeof desired[f] === 'string' && /\{[^}]+Id\}/.test(desired[f])))
    .filter((f) => differs(desired[f], actual[f]))
    .sort();
}
