import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Ledger } from '../src/canonical/ledger.js';
import type { TargetState } from '../src/canonical/plan.js';

/** Who asked a product to sync, so it can report back. */
export interface SyncRequest {
  requestId: string;
  /** The catalogSync run to report to; absent for webhook- or CLI-started syncs. */
  replyTo?: { workflowId: string; runId: string };
  /** The source's list row of this product failed its schema ("field: reason"): report it, write nothing. */
  rejected?: string;
  /** A drift check: read our records back from each target before writing (README, "Drift repair"). */
  verify?: boolean;
}

export type ProductOutcome = 'created' | 'updated' | 'unchanged' | 'unpublished' | 'failed';

/** One product's result for one target. */
export interface TargetResult {
  platform: string;
  outcome: ProductOutcome;
  writes: number;
  error?: string;
  losses: number;
}

export interface ProductReport {
  requestId: string;
  sourceProductId: string;
  name: string | null;
  targets: TargetResult[];
  /** Open problems of the product that are not one target's failure (oversells, manual cancels). */
  problems?: string[];
}

/** A channel says a booking was made, changed, cancelled or rolled back. */
export interface BookingEvent {
  channel: string;
  bookingId: string;
  /** Delivery or event id, for the logs. */
  via: string;
  /** When the channel says the booking changed (else when we heard of it): the start of bridge_sale_to_channels_seconds. */
  at?: string;
}

export interface ProductState {
  connection: string;
  sourceProductId: string;
  name: string | null;
  targets: Record<string, TargetState>;
  /** Creates started and not yet recorded: key → ISO time of the first attempt. */
  pendingCreates: Record<string, Record<string, string>>;
  syncs: number;
  last: ProductReport | null;
  /** The source no longer has the product; it was unpublished everywhere. */
  gone: boolean;
  /** Seats per source period and every channel booking line, recorded once. */
  ledger: Ledger;
  /** Problems waiting for an operator (e.g. a KOOB booking to cancel by hand), by key. */
  problems: Record<string, string>;
  /** The product's duration, for the end of bookings written back to the source. */
  durationMinutes?: number;
  /** `platform:id` of the records already in the connection's route table (workflows/route-table.ts). */
  routed?: string[];
}

export interface CatalogSummary {
  connection: string;
  requestId: string;
  products: number;
  reported: number;
  byTarget: Record<string, Record<ProductOutcome, number> & { writes: number }>;
  failures: Array<{ sourceProductId: string; platform: string; error: string }>;
  /** Source list rows that failed their schema: skipped, each also a failure (platform `source`). */
  rejected?: number;
  done: boolean;
}

/** Asks a product's entity workflow to sync now (sent with signal-with-start). */
export const syncRequested = defineSignal<[SyncRequest]>('syncRequested');
/** A product tells the catalog run it reported to what happened. */
export const productSynced = defineSignal<[ProductReport]>('productSynced');
/** A target tells us one of our records there was changed by someone else: re-assert the source. */
export interface TargetChanged {
  platform: string;
  resourceKey: string;
}
export const targetChanged = defineSignal<[TargetChanged]>('targetChanged');
export const bookingEvent = defineSignal<[BookingEvent]>('bookingEvent');
export const productState = defineQuery<ProductState>('productState');
export const catalogSummary = defineQuery<CatalogSummary>('catalogSummary');
