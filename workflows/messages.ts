import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TargetState } from '../src/canonical/plan.js';

/** Who asked a product to sync, so it can report back. */
export interface SyncRequest {
  requestId: string;
  /** The catalogSync run to report to; absent for webhook- or CLI-started syncs. */
  replyTo?: { workflowId: string; runId: string };
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
}

export interface CatalogSummary {
  connection: string;
  requestId: string;
  products: number;
  reported: number;
  byTarget: Record<string, Record<ProductOutcome, number> & { writes: number }>;
  failures: Array<{ sourceProductId: string; platform: string; error: string }>;
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
export const productState = defineQuery<ProductState>('productState');
export const catalogSummary = defineQuery<CatalogSummary>('catalogSummary');
