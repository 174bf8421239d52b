import { apiKeyOf, type Endpoint } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { ChannelConnector } from '../types.js';
import { xolaBookingLines, xolaExperienceIdsOf } from './bookings.js';
import { XolaClient } from './client.js';

/** Xola's purchases page size for the sweep (limit 1..100, S4:L3369). */
const SWEEP_PAGE = 100;

/**
 * Xola as a booking channel: a purchase is read back by id (webhook payloads are prompts, not
 * truth: the `order.*` shape may differ), and the sweep lists purchases by `updatedAt`.
 */
export function xolaChannel(endpoint: Endpoint): ChannelConnector {
  const client = new XolaClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint), apiVersion: endpoint.options.apiVersion });
  const seller = endpoint.options.sellerId;
  return {
    async fetchBooking(bookingId, experienceId) {
      let purchase: Record<string, unknown>;
      try {
        purchase = await client.getPurchase(bookingId) as Record<string, unknown>;
      } catch (err) {
        // A rolled-back hold purchase is deleted: its seats come back (lines read as cancelled by the caller).
        if (err instanceof NotFoundError) return null;
        throw err;
      }
      const lines = xolaBookingLines(purchase, experienceId).map((l) => ({
        channel: 'xola', bookingId, lineId: l.itemId, date: l.date, units: l.quantity, status: l.status,
      }));
      const name = typeof purchase.customerName === 'string' ? purchase.customerName : null;
      const email = typeof purchase.customerEmail === 'string' ? purchase.customerEmail : null;
      return { lines, lead: name && email ? { name, email } : null };
    },
    async listChangedBookings(updatedSince, cursor) {
      const offset = cursor ? Number(cursor) : 0;
      const page = await client.listPurchases({ seller, updatedAfter: updatedSince, limit: SWEEP_PAGE, offset });
      return {
        items: page.data.map((p) => {
          const experienceIds = xolaExperienceIdsOf(p);
          const dates = [...new Set(experienceIds.flatMap((id) => xolaBookingLines(p, id).map((l) => l.date)))];
          return { bookingId: p.id, experienceIds, dates, updatedAt: p.updatedAt ?? '' };
        }),
        next: page.paging?.next && page.data.length > 0 ? String(offset + page.data.length) : null,
      };
    },
  };
}
