import { apiKeyOf, type Endpoint } from '../../config.js';
import { InvalidRequestError, NotFoundError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import { Transport } from '../../http/client.js';
import type { SourceConnector, TargetConnector } from '../types.js';
import { toKoob } from './to-koob.js';
import { KoobClient, readPage } from './client.js';
import { KoobExperience } from './schemas.js';
import { koobToCanonical } from './to-canonical.js';
import { koobBook } from './source-booking.js';
import { duplicateOf, koobBookingStatus } from './bookings.js';

export { KoobClient } from './client.js';
export { createKoobSimulator, type KoobSimulator } from './simulator.js';
export { demoCatalog } from './demo-catalog.js';
export { koobToCanonical, koobDaysToIso } from './to-canonical.js';
export { toKoob, isoToKoobDays } from './to-koob.js';
export { bookOnce, koobBookingStatus, type BookOnceResult } from './bookings.js';
export { koobBookingFor, type BookingFor } from './to-koob-booking.js';
export { KoobBooking, KoobBooked, type KoobBookingRequest } from './schemas.js';
export type { SimBooking } from './simulator-bookings.js';

/**
 * KOOB as a target. Creates carry `dmcReference` (our key): a retried create that KOOB refuses
 * as a duplicate (409) adopts the existing record; per-locale PUTs are full replacements, safe to repeat.
 */
export function koobTarget(endpoint: Endpoint): TargetConnector {
  const http = new Transport({ platform: 'koob', baseUrl: endpoint.baseUrl, headers: () => ({ 'X-API-Key': apiKeyOf(endpoint) }) });
  return {
    desired(product) {
      const { resources, losses } = toKoob(product);
      return { resources: resources.map((r) => ({ ...r, fingerprint: fingerprint(r.body), createSafety: 'natural-key' as const })), losses };
    },
    async apply(write) {
      try {
        const body = await http.raw({ method: write.method, path: write.path, json: write.body });
        if (write.method === 'PUT') return { id: write.key.startsWith('locale.') ? write.key.slice(7) : null };
        return { id: body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : null };
      } catch (err) {
        const adopted = write.op === 'create' && err instanceof InvalidRequestError ? duplicateOf(err) : null;
        if (adopted) return { id: adopted };
        throw err;
      }
    },
    async findCreated() {
      return null;
    },
  };
}

/** KOOB as a source: list pages are numbered from 1; the cursor is the page number. */
export function koobSource(endpoint: Endpoint): SourceConnector {
  const client = new KoobClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    async listPage(cursor, pageSize) {
      const page = cursor ? Number(cursor) : 1;
      const { ids, more } = await readPage(client, page, pageSize);
      return { ids, next: more ? String(page + 1) : null };
    },
    async fetchRecord(id, locale) {
      try {
        return await client.getExperience(id, locale);
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
    book: (request) => koobBook(client, request),
    bookingState: async (id) => koobBookingStatus(await client.getBooking(id)),
    toCanonical(byLocale, defaultLocale) {
      const parsed = Object.fromEntries(Object.entries(byLocale).map(([l, r]) => [l, KoobExperience.parse(r)]));
      return koobToCanonical(parsed, defaultLocale, endpoint.options.timeZone);
    },
  };
}
