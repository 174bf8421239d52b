import { randomBytes } from 'node:crypto';

/** Cursors idle longer than this are refused (FF:api/pagination.mdx, "Limitations": 24 h). */
export const CURSOR_TTL_MS = 24 * 60 * 60_000;

/** A UUIDv7 (FF:api/overview.mdx: ids are UUIDv7): 48-bit milliseconds, then random bits. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface CursorKey { v: string; id: string; by: string; dir: string; at: number }

export class PagingError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

function encode(k: CursorKey): string {
  return Buffer.from(JSON.stringify(k)).toString('base64url');
}

function decode(cursor: string, by: string, dir: string, now: number): CursorKey {
  let k: CursorKey;
  try {
    k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorKey;
  } catch {
    throw new PagingError('after', 'Invalid cursor');
  }
  if (typeof k?.v !== 'string' || typeof k.id !== 'string' || k.by !== by || k.dir !== dir) throw new PagingError('after', 'Invalid cursor for this sort order');
  if (now - k.at > CURSOR_TTL_MS) throw new PagingError('after', 'Cursor expired');
  return k;
}

export interface PageRequest { first?: unknown; after?: unknown; before?: unknown; last?: unknown; sortBy?: unknown; sortDir?: unknown }

/**
 * Keyset paging over records sorted by (sortBy value, id): `first` 1..100 (default 20),
 * `after` an opaque cursor; `endCursor` is null on the last page, so a client loop ends.
 */
export function pageOf<T extends Record<string, unknown>>(rows: T[], q: PageRequest, sortable: string[], now = Date.now()) {
  if (q.before !== undefined || q.last !== undefined) throw new PagingError('before', 'Backward paging is not modelled by the simulator');
  const first = q.first === undefined ? 20 : Number(q.first);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new PagingError('first', 'Must be an integer from 1 to 100');
  const by = q.sortBy === undefined ? 'createdAt' : String(q.sortBy);
  if (!sortable.includes(by)) throw new PagingError('sortBy', `Must be one of ${sortable.join(', ')}`);
  const dir = q.sortDir === undefined ? 'asc' : String(q.sortDir);
  if (dir !== 'asc' && dir !== 'desc') throw new PagingError('sortDir', 'Must be asc or desc');
  const sign = dir === 'asc' ? 1 : -1;
  const keyOf = (r: T) => ({ v: String(r[by] ?? ''), id: String(r.id) });
  const cmp = (a: { v: string; id: string }, b: { v: string; id: string }) => sign * (a.v < b.v ? -1 : a.v > b.v ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = [...rows].sort((a, b) => cmp(keyOf(a), keyOf(b)));
  const from = q.after === undefined ? 0 : (() => {
    const k = decode(String(q.after), by, dir, now);
    const i = sorted.findIndex((r) => cmp(keyOf(r), k) > 0);
    return i < 0 ? sorted.length : i;
  })();
  const data = sorted.slice(from, from + first);
  const cursor = (r: T | undefined) => (r ? encode({ ...keyOf(r), by, dir, at: now }) : null);
  const more = from + first < sorted.length;
  return { data, pageInfo: { startCursor: cursor(data[0]), endCursor: more ? cursor(data[data.length - 1]) : null } };
}
