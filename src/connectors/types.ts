import type { Endpoint } from '../config.js';
import type { DesiredResource, PlannedWrite } from '../canonical/plan.js';
import type { Loss, Product } from '../canonical/product.js';

/** A platform we read products from. Each method makes at most one HTTP call. */
export interface SourceConnector {
  /** One page of product ids; `next` is the cursor of the following page, or null. */
  listPage(cursor: string | null, pageSize: number): Promise<{ ids: string[]; next: string | null }>;
  /** One locale of one product in the platform's own shape, or null when it no longer exists. */
  fetchRecord(id: string, locale: string): Promise<unknown | null>;
  /** Records by locale → canonical product (pure; throws MappingError naming the field). */
  toCanonical(byLocale: Record<string, unknown>, defaultLocale: string): { product: Product; losses: Loss[] };
}

/** A platform we write products to. */
export interface TargetConnector {
  /** Canonical product → the records this target should hold, fingerprinted, in write order. */
  desired(product: Product): { resources: DesiredResource[]; losses: Loss[] };
  /** Sends one planned write (placeholders already filled); returns the id the platform assigned. */
  apply(write: PlannedWrite, idempotencyKey: string): Promise<{ id: string | null }>;
  /** For `lookup-before-create` resources: a record an earlier create may have made (created at or after `since`), or null. */
  findCreated(write: PlannedWrite, since: string): Promise<string | null>;
}

/** Builds connectors for an endpoint of the config. */
export interface ConnectorFactory {
  source?: (endpoint: Endpoint) => SourceConnector;
  target?: (endpoint: Endpoint) => TargetConnector;
}
