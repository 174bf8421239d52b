/**
 * The delta planner: compares the resources a target should hold with what the entity workflow
 * last wrote there (ids and fingerprints) and lists the minimal writes. Pure and Node-free, so
 * workflows may import it; fingerprints arrive computed.
 */

export type HttpMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a create of this resource is kept from making a second record when retried:
 * - `idempotency-key`: the platform replays a create sent again with the same key (Gomry);
 * - `natural-key`: the create is an upsert on a key of ours (Fanfare products by sync source, KOOB dmcReference);
 * - `lookup-before-create`: nothing on the platform helps; an unanswered create is looked up before it is resent.
 */
export type CreateSafety = 'idempotency-key' | 'natural-key' | 'lookup-before-create';

/** One record a target should hold, as its own request body. */
export interface DesiredResource {
  /** Stable name within the product, e.g. `experience` or `schedule.p1`. */
  key: string;
  body: Record<string, unknown>;
  fingerprint: string;
  /** Paths may hold `{<key>Id}` placeholders for ids the target assigns. */
  create: { method: HttpMethod; path: string };
  update: { method: HttpMethod; path: string };
  /** Absent when leaving the resource in place is the safe removal (e.g. a locale no longer synced). */
  remove?: Removal;
  createSafety: CreateSafety;
  /** Fields sent on create only (e.g. "hidden until published"), outside the fingerprint and updates. */
  createOnly?: Record<string, unknown>;
}

/** One HTTP write the next run would make. */
export interface PlannedWrite {
  key: string;
  op: 'create' | 'update' | 'delete';
  method: HttpMethod;
  path: string;
  body?: Record<string, unknown>;
  /** Fingerprint to record once the write succeeds (null after a delete). */
  fingerprint: string | null;
  /** How to remove the resource later; the workflow keeps it with the id. */
  remove?: Removal;
  /** Set on creates: how a retry of this create stays single. */
  createSafety?: CreateSafety;
}

export interface Removal {
  method: HttpMethod;
  path: string;
  body?: Record<string, unknown>;
}

/** What a product's entity workflow remembers about one target. */
export interface TargetState {
  ids: Record<string, string>;
  fingerprints: Record<string, string>;
  /** How to remove each resource we hold, kept so a resource that disappears can still be removed. */
  removals: Record<string, Removal>;
}

export function emptyTargetState(): TargetState {
  return { ids: {}, fingerprints: {}, removals: {} };
}

/** The placeholder a path uses for the id of resource `key`. */
export function placeholder(key: string): string {
  return `{${key}Id}`;
}

/** Replaces known `{<key>Id}` placeholders with ids; unknown ones stay for the caller to see. */
export function fillPath(path: string, ids: Record<string, string>): string {
  return path.replace(/\{([^}]+)Id\}/g, (m, key: string) => (ids[key] !== undefined ? encodeURIComponent(ids[key]) : m));
}

/** Replaces `{<key>Id}` placeholders inside a body's string values (e.g. a child naming its parent's id). */
export function fillBody<T>(value: T, ids: Record<string, string>): T {
  if (typeof value === 'string') return value.replace(/\{([^}]+)Id\}/g, (m, key: string) => ids[key] ?? m) as T;
  if (Array.isArray(value)) return value.map((v) => fillBody(v, ids)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillBody(v, ids)])) as T;
  return value;
}

/** Creates and updates in the mapper's order (parents before children), then removals of what is gone. */
export function planWrites(desired: DesiredResource[], state: TargetState): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  const wanted = new Set(desired.map((d) => d.key));
  for (const d of desired) {
    if (state.ids[d.key] === undefined) {
      writes.push({ key: d.key, op: 'create', method: d.create.method, path: d.create.path, body: { ...d.body, ...d.createOnly }, fingerprint: d.fingerprint, remove: d.remove, createSafety: d.createSafety });
    } else if (state.fingerprints[d.key] !== d.fingerprint) {
      writes.push({ key: d.key, op: 'update', method: d.update.method, path: d.update.path, body: d.body, fingerprint: d.fingerprint, remove: d.remove });
    }
  }
  // Removals run children first (reverse creation order), while their parents' ids are still known.
  for (const key of Object.keys(state.ids).reverse()) {
    if (wanted.has(key)) continue;
    const how = state.removals[key];
    if (how) writes.push({ key, op: 'delete', method: how.method, path: how.path, body: how.body, fingerprint: null });
  }
  return writes;
}
