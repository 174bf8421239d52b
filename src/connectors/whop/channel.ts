import { apiKeyOf, type Endpoint } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import { UNDATED, type LineStatus } from '../../canonical/ledger.js';
import type { ChannelConnector } from '../types.js';
import { WhopClient } from './client.js';
import type { WhopMembership } from './schemas.js';

/** Whop's page size for the sweep (SDK `CursorPageParams.first`: default and max 100). */
const SWEEP_PAGE = 100;

/**
 * Seat state of a membership status (SDK shared.ts `MembershipStatus`). Paid access holds a seat
 * that the source must know (confirmed); a trial, an unpaid draft, a failing or disputed payment
 * holds the seat in our books only (pending, never written back); canceled or expired access frees
 * it (a refund updates the membership, SDK payments.ts `refund`).
 */
const STATUS: Record<WhopMembership['status'], LineStatus> = {
  active: 'confirmed', completed: 'confirmed', canceling: 'confirmed',
  trialing: 'pending', drafted: 'pending', past_due: 'pending', unresolved: 'pending',
  canceled: 'cancelled', expired: 'cancelled',
};

/**
 * Whop as a booking channel (README, "Sales"). A sale is a **membership**: one buyer's access to
 * one product through one plan, one unit (Whop memberships and payments carry no quantity). It is
 * read back by id (the webhook is only a prompt) and is undated: the ledger places it on the next
 * open departure. The sweep lists payments updated since a time and names their memberships.
 */
export function whopChannel(endpoint: Endpoint): ChannelConnector {
  const client = new WhopClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  const companyId = endpoint.options.companyId ?? '';
  return {
    async fetchBooking(bookingId, experienceId) {
      let m: WhopMembership;
      try {
        m = await client.getMembership(bookingId);
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
      // Ours only when it bought the product our experience is attached to (one more GET).
      const e = await client.getExperience(experienceId);
      if (!(e.products ?? []).some((p) => p.id === m.product.id)) return { lines: [], lead: null };
      const name = m.user?.name ?? null;
      const email = m.user?.email ?? null;
      return {
        lines: [{ channel: 'whop', bookingId, lineId: 'access', date: UNDATED, units: 1, status: STATUS[m.status] }],
        lead: name && email ? { name, email } : null,
      };
    },
    async listChangedBookings(updatedSince, cursor) {
      const page = await client.listPayments({ company_id: companyId, updated_after: updatedSince, first: SWEEP_PAGE, ...(cursor ? { after: cursor } : {}) });
      return {
        // Routed by product id (BridgeTargetIds `whop:<product>`); a payment without a membership sold no access.
        items: page.data.flatMap((p) => (p.membership && p.product ? [{ bookingId: p.membership.id, experienceIds: [p.product.id], dates: [], updatedAt: p.updated_at ?? p.created_at }] : [])),
        next: page.page_info.has_next_page && page.page_info.end_cursor ? page.page_info.end_cursor : null,
      };
    },
  };
}
