import { z } from 'zod';
import { BridgeError, SchemaDriftError } from '../../errors.js';
import { Transport } from '../../http/client.js';
import { KoobBooked, KoobBooking, type KoobBookingRequest, KoobCreated, KoobExperience, KoobList, KoobListItem } from './schemas.js';
import { parseRows, type RejectedRow } from '../rows.js';

/** The list filters the seed documents (S2:L1003-1014). */
export interface KoobListFilters {
  state?: 'in_progress' | 'available' | 'stand_by';
  types?: Array<'Program' | 'Activity' | 'Transfer'>;
  search?: string;
  pricingType?: 'fit' | 'sic' | 'series';
}

export interface KoobClientOptions {
  baseUrl: string;
  apiKey: () => string;
  timeoutMs?: number;
}

/** KOOB's experience API; auth by `X-API-Key` (https://docs.dev.v2koob.tech/authentication). */
export class KoobClient {
  private readonly http: Transport;
  constructor(opts: KoobClientOptions) {
    this.http = new Transport({
      platform: 'koob',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ 'X-API-Key': opts.apiKey() }),
    });
  }

  /**
   * https://docs.v2koob.tech/experiences/management#list-experiences — one page, bare array. The
   * filters are the documented ones (S2:L1003-1014); rows carry no `dmcReference` (S2:L1016-1045).
   */
  listPage(page: number, perPage: number, locale?: string, filters: KoobListFilters = {}): Promise<KoobListItem[]> {
    return this.http.send({ method: 'POST', path: '/api/v1/experiences/liste', searchParams: { locale }, json: { page, perPage, ...filters } }, KoobList);
  }

  /** The same list page with rows unparsed, for callers that check each row on its own (readPage). */
  listRows(page: number, perPage: number, locale?: string): Promise<unknown[]> {
    return this.http.send({ method: 'POST', path: '/api/v1/experiences/liste', searchParams: { locale }, json: { page, perPage } }, z.array(z.unknown()));
  }

  /** https://docs.v2koob.tech/experiences/management#get-experience-details */
  getExperience(id: string, locale?: string): Promise<KoobExperience> {
    return this.http.send({ method: 'GET', path: `/api/v1/experiences/${encodeURIComponent(id)}`, searchParams: { locale } }, KoobExperience);
  }

  /**
   * https://docs.v2koob.tech/experiences/management#get-experience-details — the record exactly as
   * KOOB sent it (no coercion), to be merged and PUT back (merge.ts).
   */
  getExperienceRaw(id: string, locale?: string): Promise<Record<string, unknown>> {
    return this.http.send({ method: 'GET', path: `/api/v1/experiences/${encodeURIComponent(id)}`, searchParams: { locale } }, z.record(z.string(), z.unknown()));
  }

  /** https://docs.v2koob.tech/experiences/management#create-experience */
  createExperience(body: Record<string, unknown>, locale?: string): Promise<{ id: string }> {
    return this.http.send({ method: 'POST', path: '/api/v1/experiences', searchParams: { locale }, json: body }, KoobCreated);
  }

  /** https://docs.v2koob.tech/experiences/management#update-experience — full replacement, 200 with an empty body. */
  async updateExperience(id: string, body: Record<string, unknown>, locale?: string): Promise<void> {
    await this.http.send({ method: 'PUT', path: `/api/v1/experiences/${encodeURIComponent(id)}`, searchParams: { locale }, json: body }, z.unknown());
  }

  /**
   * https://docs.dev.v2koob.tech/experiences/booking — an array of bookings in, their ids out, in
   * request order. The answer's shape is undocumented (`KoobBooked`); a count mismatch is drift.
   * Errors never carry the customer's or travelers' personal data, even if KOOB echoes it.
   */
  async book(bookings: KoobBookingRequest[]): Promise<string[]> {
    let ids: string[];
    try {
      ids = await this.http.send({ method: 'POST', path: '/api/v1/experiences/book', json: bookings }, KoobBooked);
    } catch (err) {
      throw withoutPersonalData(err, bookings);
    }
    if (ids.length !== bookings.length) {
      throw new SchemaDriftError(`koob POST /api/v1/experiences/book: ${bookings.length} bookings sent, ${ids.length} ids answered`, { platform: 'koob', path: '/api/v1/experiences/book' });
    }
    return ids;
  }

  /** https://docs.dev.v2koob.tech/bookings — state, dmcState, canceledAt, references, price. */
  getBooking(id: string): Promise<KoobBooking> {
    return this.http.send({ method: 'GET', path: `/api/v1/bookings/${encodeURIComponent(id)}` }, KoobBooking);
  }
}

/** Replaces every personal value of the request that a platform error might echo (message and body). */
function withoutPersonalData(err: unknown, bookings: KoobBookingRequest[]): unknown {
  if (!(err instanceof BridgeError)) return err;
  const values = bookings.flatMap((b) => [
    b.customerFirstName, b.customerLastName, b.customerEmail,
    ...b.travelers.flatMap((t) => [t.firstName, t.lastName, t.birthdate]),
  ]).filter((v): v is string => typeof v === 'string' && v.trim().length >= 2)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return err;
  const scrub = (text: string) => values.reduce((acc, v) => acc.split(v).join('[redacted]'), text);
  err.message = scrub(err.message);
  if (err.stack) err.stack = scrub(err.stack);
  const details = err.details as Record<string, unknown>;
  if (typeof details.body === 'string') details.body = scrub(details.body);
  return err;
}

/**
 * KOOB's list has no total and no next link: a page shorter than `perPage` is the last one.
 * Returns the page and whether another may follow.
 */
export async function readPage(client: KoobClient, page: number, perPage: number): Promise<{ ids: string[]; more: boolean; rejected: RejectedRow[] }> {
  const rows = await client.listRows(page, perPage);
  const { items, rejected } = parseRows(rows, KoobListItem);
  // "More pages" follows the raw row count: a bad row still fills its page.
  return { ids: items.map((r) => r.id), more: rows.length === perPage, rejected };
}
