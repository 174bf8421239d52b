import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { fail } from '../../simulators/kit.js';
import { describeIssues } from '../../config.js';
import { koobDaysToIso } from './to-canonical.js';
import type { DemoExperience } from './demo-catalog.js';

/** One booking as the simulator keeps it: no customer or traveler personal data is stored. */
export interface SimBooking {
  id: string;
  bookingRef: string;
  toReference: string | null;
  dmcReference: string | null;
  state: 'confirmed' | 'pending' | 'canceled';
  dmcState: 'confirmed' | 'pending' | 'canceled';
  startAt: string;
  endAt: string;
  experienceId: string;
  /** The period booked (its id, else `#<index>`), to give the allotment back on cancel. */
  periodKey: string;
  countsAllotment: boolean;
  travelers: number;
  totalPrice: number;
  currency: string;
  createdAt: string;
  canceledAt: string | null;
  cancellationFees: number | null;
}

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
const DateIn = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/, 'must be a date YYYY-MM-DD (optionally with a local time)')
  .refine(isCalendarDate, 'not a calendar date');
const NotSimulated = (what: string) => z.array(z.unknown()).max(0, `${what} are not simulated`).optional();

/** Required fields from https://docs.dev.v2koob.tech/experiences/booking, customer names as we read `customer*`. */
const BookingIn = z.object({
  experienceId: z.union([z.string().min(1), z.number()]).transform(String),
  startAt: DateIn,
  endAt: DateIn,
  customerFirstName: z.string().optional(),
  customerLastName: z.string().trim().min(1),
  customerEmail: z.email(),
  // https://docs.dev.v2koob.tech/experiences/booking: travelers with `kind` adult | child; its
  // example birthdates carry a time ("1980-05-15T00:00:00Z"), so one is accepted.
  travelers: z.array(z.object({ kind: z.enum(['adult', 'child']), birthdate: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/).optional() }).loose()).min(1),
  // Named on GET /api/v1/bookings/{id} (https://docs.dev.v2koob.tech/bookings); no length is documented.
  toReference: z.string().min(1).optional(),
  extras: NotSimulated('extras'),
  selectedHotels: NotSimulated('selectedHotels'),
  replaceBookingId: z.undefined({ error: 'replacing a booking is not simulated' }).optional(),
}).loose().superRefine((b, ctx) => {
  if (b.endAt.slice(0, 10) < b.startAt.slice(0, 10)) ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'before startAt' });
});
const BookBody = z.array(BookingIn).min(1);
type BookingIn = z.infer<typeof BookingIn>;

type Period = Record<string, unknown>;
const num = (v: unknown, fallback = 0) => (v === null || v === undefined || v === '' ? fallback : Number(v));
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Where a date can be booked: SIC/Series on a departure date, FIT within a period on an open weekday. */
function periodsOn(e: Record<string, unknown>, date: string): Array<{ p: Period; key: string }> {
  const singleDate = e.pricingType === 'sic' || e.pricingType === 'series';
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return ((e.periods ?? []) as Period[]).flatMap((p, i) => {
    const start = String(p.startAt ?? '').slice(0, 10);
    const end = String(p.endAt ?? p.startAt ?? '').slice(0, 10);
    const days = Array.isArray(p.availableDays) ? (p.availableDays as unknown[]).map(Number) : null;
    const on = singleDate ? start === date : start <= date && date <= end && koobDaysToIso(days).includes(weekday);
    return on ? [{ p, key: p.id ? String(p.id) : `#${i}` }] : [];
  });
}

/** FIT free sale without allotments is unlimited; SIC/Series and periods with allotments are counted. */
function countsAllotment(e: Record<string, unknown>, p: Period): boolean {
  return e.pricingType === 'sic' || e.pricingType === 'series' || num(p.allotments) > 0;
}

/** Per-person periods: the adult tier for the group size, the first child price (else the adult one). */
function priceOf(p: Period, b: BookingIn): number {
  const n = b.travelers.length;
  if (p.perPax === false) return round2(num(p.price));
  const tiers = (p.adultPax ?? []) as Array<{ price: unknown; paxRange: unknown[] }>;
  const adult = num(tiers.find((t) => num(t.paxRange[0]) <= n && n <= num(t.paxRange[1]))?.price, num(p.price));
  const child = num(((p.childrenPax ?? []) as Array<{ price: unknown }>)[0]?.price, adult);
  const children = b.travelers.filter((t) => t.kind === 'child').length;
  return round2((n - children) * adult + children * child);
}

/**
 * Booking routes of the KOOB simulator, registered on its app (after its auth hook). Every rule
 * the docs leave open is a conservative choice listed in the connector README ("Bookings").
 */
export function registerKoobBookings(app: FastifyInstance, store: Map<string, DemoExperience>, opts: { today?: string; error: (status: number, message: string, errors?: string) => Record<string, unknown> }) {
  const bookings = new Map<string, SimBooking>();
  /** false = "no 409" mode (a KOOB that does not enforce unique references); set by the simulator's knob. */
  const knobs = { uniqueReferences: true };
  let nextId = 70001;
  let nextRef = 101;
  const year = (opts.today ?? new Date().toISOString()).slice(0, 4);
  const view = (b: SimBooking) => {
    const { periodKey: _p, countsAllotment: _c, ...rest } = b;
    return rest;
  };
  const periodOf = (b: SimBooking): Period | undefined => {
    const periods = (store.get(b.experienceId)?.record.periods ?? []) as Period[];
    return periods.find((p, i) => (p.id ? String(p.id) : `#${i}`) === b.periodKey);
  };

  app.post('/api/v1/experiences/book', { config: { write: true } }, async (req, reply) => {
    const parsed = BookBody.safeParse(req.body);
    if (!parsed.success) return fail(reply, 400, opts.error(400, 'Bad Request', describeIssues(parsed.error)));
    const rows = parsed.data;

    // Our conservative reading (docs silent): a repeated toReference is refused with 409 naming the
    // booking that holds it (README), unless the "no 409" knob is on.
    for (const b of rows.filter(() => knobs.uniqueReferences)) {
      const dup = b.toReference ? [...bookings.values()].find((x) => x.toReference === b.toReference) : undefined;
      if (dup) return fail(reply, 409, opts.error(409, `toReference ${b.toReference} is already booked`, dup.id));
    }

    const issues: string[] = [];
    const refs = new Set<string>();
    const plans = rows.map((b, i) => {
      if (knobs.uniqueReferences && b.toReference && refs.has(b.toReference)) issues.push(`[${i}].toReference: repeated in this request`);
      if (b.toReference) refs.add(b.toReference);
      const e = store.get(b.experienceId)?.record;
      if (!e) return void issues.push(`[${i}].experienceId: experience not found`);
      if (e.state !== 'available') return void issues.push(`[${i}].experienceId: experience is not available for booking`);
      const date = b.startAt.slice(0, 10);
      const found = periodsOn(e, date);
      if (found.length === 0) return void issues.push(`[${i}].startAt: no period of experience ${b.experienceId} is open on ${date}`);
      if (found.some(({ p }) => (p.state ?? p.periodType) === 'stop_sale')) return void issues.push(`[${i}].startAt: ${date} is on stop_sale`);
      const { p, key } = found[0]!;
      const n = b.travelers.length;
      const [min, max] = [num(p.minPax, 1), num(p.maxPax, Infinity)];
      if (n < min || n > max) return void issues.push(`[${i}].travelers: ${n} travelers, the period takes ${min} to ${max}`);
      return { b, e, p, key };
    });
    if (issues.length) return fail(reply, 400, opts.error(400, 'Bad Request', issues.join('\n')));

    // All or nothing: every booking of the array must fit what is left, counting the earlier ones.
    const taking = new Map<Period, number>();
    const short: string[] = [];
    plans.forEach((x, i) => {
      if (!x || !countsAllotment(x.e, x.p)) return;
      const want = (taking.get(x.p) ?? 0) + x.b.travelers.length;
      const left = num(x.p.allotments) - num(x.p.allotmentsUsed);
      if (want > left) short.push(`[${i}].travelers: ${x.b.travelers.length} requested, ${Math.max(0, left - (taking.get(x.p) ?? 0))} left in period ${x.key}`);
      taking.set(x.p, want);
    });
    if (short.length) return fail(reply, 422, opts.error(422, 'Not enough allotment', short.join('\n')));

    const now = new Date().toISOString();
    const created = plans.map((x) => {
      const { b, e, p, key } = x!;
      const counts = countsAllotment(e, p);
      if (counts) p.allotmentsUsed = num(p.allotmentsUsed) + b.travelers.length;
      const state = (p.state ?? p.periodType) === 'free_sale' && !e.hasToRequest ? 'confirmed' : 'pending';
      const booking: SimBooking = {
        id: String(nextId++), bookingRef: `KOOB-${year}-${nextRef++}`, toReference: b.toReference ?? null, dmcReference: null,
        state, dmcState: state, startAt: b.startAt, endAt: b.endAt, experienceId: b.experienceId, periodKey: key, countsAllotment: counts,
        travelers: b.travelers.length, totalPrice: priceOf(p, b), currency: String(e.currency), createdAt: now, canceledAt: null, cancellationFees: null,
      };
      bookings.set(booking.id, booking);
      return view(booking);
    });
    return reply.code(201).send(created);
  });

  app.get('/api/v1/bookings/:id', async (req, reply) => {
    const b = bookings.get((req.params as { id: string }).id);
    if (!b) return fail(reply, 404, opts.error(404, 'Booking not found'));
    return view(b);
  });

  // Test-only: KOOB documents no cancel endpoint. Cancels once (a repeat changes nothing) and gives the allotment back.
  app.post('/__sim/bookings/:id/cancel', { config: { write: true } }, async (req, reply) => {
    const b = bookings.get((req.params as { id: string }).id);
    if (!b) return fail(reply, 404, opts.error(404, 'Booking not found'));
    if (b.state !== 'canceled') {
      const p = b.countsAllotment ? periodOf(b) : undefined;
      if (p) p.allotmentsUsed = Math.max(0, num(p.allotmentsUsed) - b.travelers);
      Object.assign(b, { state: 'canceled', dmcState: 'canceled', canceledAt: new Date().toISOString(), cancellationFees: 0 });
    }
    return view(b);
  });

  return {
    bookings,
    knobs,
    inspect: () => ({ bookings: [...bookings.values()].map(view) }),
    reset: () => { bookings.clear(); nextId = 70001; nextRef = 101; },
    save: () => ({ nextId, nextRef, bookings: [...bookings.values()] }),
    load: (data: unknown) => {
      const d = (data ?? {}) as { nextId?: number; nextRef?: number; bookings?: SimBooking[] };
      bookings.clear();
      for (const b of d.bookings ?? []) bookings.set(b.id, b);
      nextId = d.nextId ?? nextId;
      nextRef = d.nextRef ?? nextRef;
    },
  };
}
