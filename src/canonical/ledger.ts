/**
 * The inventory ledger a product's entity workflow keeps (DESIGN.md, "Inventory and bookings").
 * KOOB counts seats per period (allotments − allotmentsUsed), so the ledger is keyed by the
 * source's period (rule) id; channel bookings are recorded once each by (channel, booking, line).
 * Pure and Node-free: the workflow is its single writer.
 */

export type LineStatus = 'confirmed' | 'pending' | 'cancelled';

/** One booked line as a channel reports it (no personal data). */
export interface BookingLine {
  channel: string;
  bookingId: string;
  lineId: string;
  date: string;
  units: number;
  status: LineStatus;
}

export interface LedgerEntry extends BookingLine {
  ruleId: string | null;
  /** Written back to the source (KOOB then counts it in allotmentsUsed). */
  reflected: boolean;
  sourceBookingId: string | null;
  /** The source booking was cancelled there too (by an operator): the source no longer counts it. */
  sourceCancelled?: boolean;
}

/** A period as the ledger needs it: when it runs and what the source last said of its seats. */
export interface RuleCapacity {
  id: string;
  startDate: string;
  endDate: string;
  weekdays: number[];
  dates: string[];
  kind: 'range' | 'dates';
  /** allotments; null under freesale (no limit). */
  capacity: number | null;
  /** allotmentsUsed as last read from the source. */
  used: number;
  closed: boolean;
}

export interface Ledger {
  rules: Record<string, RuleCapacity>;
  entries: Record<string, LedgerEntry>;
  /** Rules found oversold, with the seats over, until the source shows room again. */
  oversold: Record<string, number>;
}

export const emptyLedger = (): Ledger => ({ rules: {}, entries: {}, oversold: {} });

export const entryKey = (l: Pick<BookingLine, 'channel' | 'bookingId' | 'lineId'>) => `${l.channel}:${l.bookingId}:${l.lineId}`;

function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The period a departure date belongs to (closed periods last, so an open one is preferred). */
export function ruleFor(ledger: Ledger, date: string): RuleCapacity | null {
  // A departure-date period matches its departure dates only, never the days its trip runs on.
  const matches = Object.values(ledger.rules).filter((r) => (r.kind === 'dates'
    ? r.dates.includes(date)
    : date >= r.startDate && date <= r.endDate && r.weekdays.includes(isoWeekday(date))));
  return matches.sort((a, b) => Number(a.closed) - Number(b.closed))[0] ?? null;
}

/** Units that hold a seat in our books: confirmed or pending, not cancelled. */
const holds = (e: LedgerEntry) => e.status !== 'cancelled';

/**
 * Seats the source does not know about yet: held lines not written back. A line cancelled on its
 * channel after it was written back adds nothing and takes nothing away: KOOB documents no cancel,
 * so it keeps counting those seats in `allotmentsUsed` until an operator cancels there, and every
 * channel must keep them held until then (a channel selling them would sell seats KOOB refuses).
 */
export function unreflectedUnits(ledger: Ledger, ruleId: string): number {
  let n = 0;
  for (const e of Object.values(ledger.entries)) {
    if (e.ruleId === ruleId && holds(e) && !e.reflected) n += e.units;
  }
  return n;
}

/** Remaining seats of a period in our books; null when it has no limit. May be negative (oversold). */
export function vacancies(ledger: Ledger, ruleId: string): number | null {
  const r = ledger.rules[ruleId];
  if (!r || r.capacity === null) return null;
  return r.capacity - r.used - unreflectedUnits(ledger, ruleId);
}

export type RecordResult = 'new' | 'changed' | 'unchanged';

/**
 * Records a channel line once; a repeat with the same status changes nothing (duplicate webhooks).
 * A line already written back whose seats or date change is split: the old one is kept as
 * cancelled (the source still holds it: `superseded`) and the new one must be written back.
 */
export function recordLine(ledger: Ledger, line: BookingLine): { result: RecordResult; entry: LedgerEntry; superseded?: LedgerEntry } {
  const key = entryKey(line);
  const prev = ledger.entries[key];
  if (prev && prev.status === line.status && prev.units === line.units && prev.date === line.date) return { result: 'unchanged', entry: prev };
  let superseded: LedgerEntry | undefined;
  if (prev?.reflected && line.status !== 'cancelled' && (prev.units !== line.units || prev.date !== line.date)) {
    const n = Object.keys(ledger.entries).filter((k) => k.startsWith(`${key}#`)).length + 1;
    superseded = { ...prev, lineId: `${prev.lineId}#${n}`, status: 'cancelled' };
    ledger.entries[`${key}#${n}`] = superseded;
  }
  const keep = prev && !superseded;
  const entry: LedgerEntry = {
    ...line, ruleId: ruleFor(ledger, line.date)?.id ?? prev?.ruleId ?? null,
    reflected: keep ? prev.reflected : false, sourceBookingId: keep ? prev.sourceBookingId : null, sourceCancelled: keep ? prev.sourceCancelled : undefined,
  };
  ledger.entries[key] = entry;
  return { result: prev ? 'changed' : 'new', entry, superseded };
}

/**
 * Forgets lines of departures long past that need nothing more (cancelled, or written back), so
 * the ledger carried through continue-as-new stays small. `today` is workflow time.
 */
export function prune(ledger: Ledger, today: string, keepDays = 60): number {
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - keepDays * 86_400_000).toISOString().slice(0, 10);
  let n = 0;
  for (const [k, e] of Object.entries(ledger.entries)) {
    if (e.date < cutoff && (e.status === 'cancelled' ? e.sourceCancelled || !e.reflected : e.reflected)) {
      delete ledger.entries[k];
      n += 1;
    }
  }
  return n;
}

/** The date of a line whose channel sells no dated seat (Whop sells access): the ledger places it. */
export const UNDATED = '';

/** The first departure on or after `today` of a period that is open and still has a seat (or no limit). */
export function nextOpenDeparture(ledger: Ledger, today: string): string | null {
  let best: string | null = null;
  for (const r of Object.values(ledger.rules)) {
    const left = vacancies(ledger, r.id);
    if (r.closed || (left !== null && left <= 0)) continue;
    let date: string | null = null;
    if (r.kind === 'dates') {
      date = [...r.dates].sort().find((d) => d >= today) ?? null;
    } else {
      // A range's departures are its weekdays between start and end; a year ahead is enough to find the first.
      for (let t = Date.parse(`${today > r.startDate ? today : r.startDate}T00:00:00Z`), i = 0; i < 366; i += 1, t += 86_400_000) {
        const d = new Date(t).toISOString().slice(0, 10);
        if (d > r.endDate) break;
        if (r.weekdays.includes(isoWeekday(d))) { date = d; break; }
      }
    }
    if (date && (best === null || date < best)) best = date;
  }
  return best;
}

/**
 * An undated line gets the date it was first recorded with, else the next open departure with a
 * seat (README, "which channel learns of sales how"): the seat is taken there on every channel and
 * written back to the source with that date. With no open departure it keeps `today`, belongs to
 * no period and its write-back is refused and reported.
 */
export function placeLine(ledger: Ledger, line: BookingLine, today: string): BookingLine {
  if (line.date !== UNDATED) return line;
  const prev = ledger.entries[entryKey(line)];
  return { ...line, date: prev?.date ?? nextOpenDeparture(ledger, today) ?? today };
}

/** Our reference on the source for a line: a line split after a change gets a new one (`~n`). */
export function referenceFor(ledger: Ledger, key: string): string {
  const splits = Object.keys(ledger.entries).filter((k) => k.startsWith(`${key}#`)).length;
  return `bridge:${key}${splits ? `~${splits}` : ''}`;
}

/** Marks a line written back to the source; the source's next read counts it. */
export function markReflected(ledger: Ledger, key: string, sourceBookingId: string): void {
  const e = ledger.entries[key];
  if (!e) return;
  e.reflected = true;
  e.sourceBookingId = sourceBookingId;
  // Mirror what the source now holds until the next read replaces it.
  const r = e.ruleId ? ledger.rules[e.ruleId] : undefined;
  if (r && r.capacity !== null) r.used += e.units;
}

/**
 * The source booking of a line is cancelled there too (an operator did it): its seats are free
 * again, mirrored in `used` until the next read of the source replaces it.
 */
export function markSourceCancelled(ledger: Ledger, key: string): void {
  const e = ledger.entries[key];
  if (!e || e.sourceCancelled) return;
  e.sourceCancelled = true;
  const r = e.ruleId ? ledger.rules[e.ruleId] : undefined;
  if (r && r.capacity !== null) r.used = Math.max(0, r.used - e.units);
}

/** Replaces the periods with what the source says now, keeping entries. */
export function setRules(ledger: Ledger, rules: RuleCapacity[]): void {
  ledger.rules = Object.fromEntries(rules.map((r) => [r.id, r]));
  for (const e of Object.values(ledger.entries)) e.ruleId = ruleFor(ledger, e.date)?.id ?? e.ruleId;
}

/** Periods whose seats went below zero in our books; clears those that recovered. */
export function detectOversold(ledger: Ledger): Array<{ ruleId: string; over: number }> {
  const found: Array<{ ruleId: string; over: number }> = [];
  for (const id of Object.keys(ledger.rules)) {
    const v = vacancies(ledger, id);
    if (v !== null && v < 0) {
      ledger.oversold[id] = -v;
      found.push({ ruleId: id, over: -v });
    } else {
      delete ledger.oversold[id];
    }
  }
  return found;
}

/**
 * What the targets must be told: per period, seats taken beyond the source's own count, and
 * whether it must be closed (sold out or oversold). Feeds the planner.
 */
export function adjustments(ledger: Ledger): Record<string, { extraUsed: number; close: boolean }> {
  const out: Record<string, { extraUsed: number; close: boolean }> = {};
  for (const id of Object.keys(ledger.rules)) {
    const extra = unreflectedUnits(ledger, id);
    const v = vacancies(ledger, id);
    const close = v !== null && v <= 0;
    if (extra !== 0 || close) out[id] = { extraUsed: extra, close };
  }
  return out;
}

/**
 * Seats each channel holds per departure date (confirmed or pending lines), for channels that
 * count per departure. A date whose lines were all cancelled stays listed with 0, so the channel's
 * departure keeps being managed.
 */
export function channelSeats(ledger: Ledger): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const e of Object.values(ledger.entries)) {
    const byDate = (out[e.channel] ??= {});
    byDate[e.date] = (byDate[e.date] ?? 0) + (e.status === 'cancelled' ? 0 : e.units);
  }
  return out;
}
