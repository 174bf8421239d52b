/**
 * KOOB's PUT replaces the whole experience (S2:L870-995: "first retrieve the experience in the
 * specific language you want to update, then submit the updated data"). This module merges our
 * body into the record KOOB holds, so that a PUT changes only what the bridge owns. Pure.
 *
 * Rules (connector README, "Updates"):
 * - Top level: the record as KOOB returned it, with each key of our body written over it. Keys we
 *   never send (organizationId, inCity, pictures, programs, extras, themes, an unknown field…)
 *   stay as they were.
 * - Nested objects (`activity`, `transfer`, `startPosition`, `endPosition`): KOOB's object with
 *   only the keys we own written over it; an object we send as null leaves KOOB's in place.
 * - `periods`: ours matched to KOOB's (`matchPeriods`); a matched period keeps its `id`, every
 *   field we do not model, and KOOB's own counters (`allotmentsUsed`, `currentPaxForDeparture`:
 *   KOOB counts its own bookings there). KOOB periods matched by none of ours are removed when no
 *   seat is counted on them, kept and closed (`stop_sale`) when some are.
 */

type Rec = Record<string, unknown>;

/** Keys of nested objects the bridge owns; the others are the DMC's (e.g. `activity.guiding`). */
const OWNED_NESTED: Record<string, readonly string[] | 'all'> = {
  activity: ['isExtra'],
  // Our `transfer.type` is a default (the canonical model has no transfer mode): KOOB's wins.
  transfer: [],
  startPosition: 'all',
  endPosition: 'all',
};

/** KOOB's counters of its own bookings: never overwritten by an update. */
const KOOB_COUNTERS = ['allotmentsUsed', 'currentPaxForDeparture'] as const;

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const day = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');
const num = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : Number(v));

function mergeNested(key: string, existing: unknown, ours: unknown): unknown {
  if (!isObject(ours)) return isObject(existing) ? existing : ours;
  if (!isObject(existing)) return ours;
  const owned = OWNED_NESTED[key] ?? 'all';
  const mine = owned === 'all' ? ours : Object.fromEntries(Object.entries(ours).filter(([k]) => owned.includes(k)));
  return { ...ours, ...existing, ...mine };
}

/** Price tiers matched by their range (`paxRange` / `ageRange`): a matched tier keeps KOOB's `id` and extra fields. */
function mergeTiers(existing: unknown, ours: unknown, range: 'paxRange' | 'ageRange'): unknown {
  if (!Array.isArray(ours) || !Array.isArray(existing)) return ours;
  const key = (t: unknown) => (isObject(t) && Array.isArray(t[range]) ? (t[range] as unknown[]).map(Number).join('-') : '');
  const left = [...existing];
  return ours.map((t) => {
    const i = left.findIndex((e) => key(e) === key(t));
    if (i < 0 || !isObject(t)) return t;
    const [e] = left.splice(i, 1);
    return { ...(e as Rec), ...t };
  });
}

/**
 * Pairs our periods with KOOB's, most certain first: same start and end day, then same start day,
 * then overlapping days. Each KOOB period is used once. Returns, per our period, the index of its
 * KOOB period (or -1), and the KOOB periods left unmatched.
 */
export function matchPeriods(existing: Rec[], ours: Rec[]): { pairs: number[]; unmatched: number[] } {
  const pairs = ours.map(() => -1);
  const used = new Set<number>();
  const end = (p: Rec) => day(p.endAt) || day(p.startAt);
  const passes: Array<(e: Rec, o: Rec) => boolean> = [
    (e, o) => day(e.startAt) === day(o.startAt) && end(e) === end(o),
    (e, o) => day(e.startAt) === day(o.startAt),
    (e, o) => day(e.startAt) <= end(o) && day(o.startAt) <= end(e),
  ];
  for (const same of passes) {
    ours.forEach((o, i) => {
      if (pairs[i]! >= 0) return;
      const j = existing.findIndex((e, k) => !used.has(k) && same(e, o));
      if (j >= 0) { pairs[i] = j; used.add(j); }
    });
  }
  return { pairs, unmatched: existing.map((_, k) => k).filter((k) => !used.has(k)) };
}

function mergePeriods(existing: unknown, ours: unknown): unknown {
  if (!Array.isArray(ours)) return existing;
  const theirs = (Array.isArray(existing) ? existing : []).filter(isObject);
  const mine = ours.filter(isObject);
  const { pairs, unmatched } = matchPeriods(theirs, mine);
  const merged = mine.map((o, i) => {
    const e = pairs[i]! >= 0 ? theirs[pairs[i]!]! : undefined;
    if (!e) return o;
    const out: Rec = { ...e, ...o };
    for (const c of KOOB_COUNTERS) if (c in e) out[c] = e[c];
    out.adultPax = mergeTiers(e.adultPax, o.adultPax, 'paxRange');
    out.childrenPax = mergeTiers(e.childrenPax, o.childrenPax, 'ageRange');
    return out;
  });
  // A KOOB period the source no longer has: gone if nothing is booked on it, else closed with its bookings.
  const kept = unmatched.map((k) => theirs[k]!).filter((e) => num(e.allotmentsUsed) > 0 || num(e.currentPaxForDeparture) > 0)
    .map((e) => ({ ...e, state: 'stop_sale', periodType: 'stop_sale' }));
  return [...merged, ...kept];
}

/** The body of a KOOB PUT: the record KOOB holds (same locale) with only what the bridge owns replaced. */
export function mergeForPut(existing: Rec, ours: Rec): Rec {
  const out: Rec = { ...existing };
  for (const [key, value] of Object.entries(ours)) {
    if (key === 'periods') out.periods = mergePeriods(existing.periods, value);
    else if (key in OWNED_NESTED) out[key] = mergeNested(key, existing[key], value);
    else out[key] = value;
  }
  return out;
}
