import { apiKeyOf, type Endpoint } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { SourceConnector } from '../types.js';
import { KoobClient, readPage } from './client.js';
import { KoobExperience } from './schemas.js';
import { koobToCanonical } from './to-canonical.js';
import { koobBook } from './source-booking.js';
import { koobBookingStatus } from './bookings.js';

export { KoobClient } from './client.js';
export { koobTarget, findByReference } from './target.js';
export { mergeForPut, matchPeriods } from './merge.js';
export { createKoobSimulator, type KoobSimulator } from './simulator.js';
export { demoCatalog } from './demo-catalog.js';
export { koobToCanonical, koobDaysToIso } from './to-canonical.js';
export { toKoob, isoToKoobDays } from './to-koob.js';
export { bookOnce, koobBookingStatus, type BookOnceResult } from './bookings.js';
export { koobBookingFor, type BookingFor } from './to-koob-booking.js';
export { KoobBooking, KoobBooked, type KoobBookingRequest } from './schemas.js';
export type { SimBooking } from './simulator-bookings.js';

/** KOOB as a source: list pages are numbered from 1; the cursor is the page number. */
export function koobSource(endpoint: Endpoint): SourceConnector {
  const client = new KoobClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    async listPage(cursor, pageSize) {
      const page = cursor ? Number(cursor) : 1;
      const { ids, more, rejected } = await readPage(client, page, pageSize);
      return { ids, next: more ? String(page + 1) : null, rejected };
    },
    async fetchRecord(id, locale) {
      try {
        return await client.getExperience(id, locale);
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
    book: (request, opts) => koobBook(client, request, opts),
    bookingState: async (id) => koobBookingStatus(await client.getBooking(id)),
    toCanonical(byLocale, defaultLocale) {
      const parsed = Object.fromEntries(Object.entries(byLocale).map(([l, r]) => [l, KoobExperience.parse(r)]));
      return koobToCanonical(parsed, defaultLocale, endpoint.options.timeZone);
    },
  };
}
