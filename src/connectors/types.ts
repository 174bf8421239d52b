import type { Endpoint } from '../config.js';
import type { DesiredResource, PlannedWrite } from '../canonical/plan.js';
import type { Loss, Product } from '../canonical/product.js';
import type { BookingLine } from '../canonical/ledger.js';
import type { RejectedRow } from './rows.js';

/** The lead traveller of a booking: personal data, only ever inside encrypted payloads. */
export interface LeadTraveller {
  name: string;
  email: string;
}

/** A booking to write back to the source, for one product and one departure. */
export interface SourceBookingRequest {
  sourceProductId: string;
  date: string;
  units: number;
  durationMinutes: number;
  lead: LeadTraveller | null;
  /** Our key for it, so a retried write-back never books twice. */
  reference: string;
}

/** A platform we read products from. Each method makes at most one HTTP call. */
export interface SourceConnector {
  /** One page of product ids; `next` is the cursor of the following page, or null. Rows that fail their schema are `rejected`, the rest go on. */
  listPage(cursor: string | null, pageSize: number): Promise<{ ids: string[]; next: string | null; rejected?: RejectedRow[] }>;
  /** One locale of one product in the platform's own shape, or null when it no longer exists. */
  fetchRecord(id: string, locale: string): Promise<unknown | null>;
  /** Records by locale → canonical product (pure; throws MappingError naming the field). */
  toCanonical(byLocale: Record<string, unknown>, defaultLocale: string): { product: Product; losses: Loss[] };
  /**
   * Writes a channel booking back (one create, idempotent by `reference`); absent when the source
   * takes none. `mayExist`: an earlier attempt may have sent it, so it must be found, not resent.
   */
  book?(request: SourceBookingRequest, opts?: { mayExist?: boolean }): Promise<{ sourceBookingId: string; state: 'confirmed' | 'pending' }>;
  /** The state of a booking we wrote back (an operator may have cancelled it there). */
  bookingState?(sourceBookingId: string): Promise<'confirmed' | 'pending' | 'canceled' | 'unknown'>;
}

/** A platform that sells seats and reports bookings (Xola today). */
export interface ChannelConnector {
  /** One booking's lines for one of our experiences, and its lead traveller. Null when it is gone (rolled back). */
  fetchBooking(bookingId: string, experienceId: string): Promise<{ lines: BookingLine[]; lead: LeadTraveller | null } | null>;
  /** One page of bookings changed since `updatedSince`, with the experiences each touches. */
  listChangedBookings(updatedSince: string, cursor: string | null): Promise<{ items: Array<{ bookingId: string; experienceIds: string[]; dates: string[]; updatedAt: string }>; next: string | null }>;
}

/** A platform we write products to. */
export interface TargetConnector {
  /** Canonical product → the records this target should hold, fingerprinted, in write order. */
  desired(product: Product): { resources: DesiredResource[]; losses: Loss[] };
  /** Sends one planned write (placeholders already filled); returns the id the platform assigned. */
  apply(write: PlannedWrite, idempotencyKey: string): Promise<{ id: string | null }>;
  /** For `lookup-before-create` resources: a record an earlier create may have made (created at or after `since`), or null. */
  findCreated(write: PlannedWrite, since: string): Promise<string | null>;
  /** The resource keys `readBack` covers: the target's main record(s). */
  readBackKeys?: readonly string[];
  /**
   * The record the target holds for our resource `key` (one GET), or null when it is gone (404).
   * `path` is the resource's update path with ids filled (e.g. KOOB reads its locale from it).
   */
  readBack?(key: string, ids: Record<string, string>, path?: string): Promise<Record<string, unknown> | null>;
}

/** Builds connectors for an endpoint of the config. */
export interface ConnectorFactory {
  source?: (endpoint: Endpoint) => SourceConnector;
  target?: (endpoint: Endpoint) => TargetConnector;
  channel?: (endpoint: Endpoint) => ChannelConnector;
}
