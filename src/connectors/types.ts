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

/** How a target keeps a retried create from making a second record (connector READMEs). */
export type CreateSafety = 'lookup-before-create' | 'idempotency-key' | 'natural-key';

/** A platform we write products to. */
export interface TargetConnector {
  readonly createSafety: CreateSafety;
  /** Canonical product → the records this target should hold, fingerprinted, in write order. */
  desired(product: Product): { resources: DesiredResource[]; losses: Loss[] };
  /** Sends one planned write (placeholders already filled); returns the id the platform assigned. */
  apply(write: PlannedWrite, idempotencyKey: string): Promise<{ id: string | null }>;
  /** Finds a record an earlier create may have made (created at or after `since`), or null. */
  findCreated(write: PlannedWrite, since: string): Promise<string | null>;
}

/** Builds connectors for an endpoint of the config. */
export interface ConnectorFactory {
  source?: (endpoint: Endpoint) => SourceConnector;
  target?: (endpoint: Endpoint) => TargetConnector;
}
