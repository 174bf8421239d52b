import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Our Prometheus metrics, one registry per process role: the worker's (writes, HTTP, bookings,
 * problems) and the receiver's (webhook deliveries). In the embedded stack both roles share one
 * process, and each endpoint still serves only its own, so nothing is scraped twice.
 * Names follow Prometheus conventions: `bridge_` prefix, `_total` counters, base units (seconds).
 */
export const workerRegistry = new Registry();
/** The webhook receiver's registry, served at its `/metrics`. */
export const receiverRegistry = new Registry();

/** One HTTP write to a target, by its outcome (every failed attempt counts, retries included). */
export const targetWrites = new Counter({
  name: 'bridge_target_writes_total',
  help: 'HTTP writes sent to a target platform, by outcome: created, updated, deleted, failed (one per failed attempt)',
  labelNames: ['connection', 'platform', 'outcome'] as const,
  registers: [workerRegistry],
});

/** Answers that told us to slow down: 429, and 503 with a Retry-After (both RateLimitedError). */
export const httpRateLimited = new Counter({
  name: 'bridge_http_rate_limited_total',
  help: 'HTTP answers classified as rate limiting (429, or 503 with Retry-After), per API',
  labelNames: ['platform', 'status'] as const,
  registers: [workerRegistry],
});

/** Retries of an API call: got's single 5xx retry (`transport`) and Temporal's activity retries (`activity`). */
export const httpRetries = new Counter({
  name: 'bridge_http_retries_total',
  help: 'Retries of a call to an API: layer=transport is got\'s one retry on a 5xx, layer=activity an activity attempt after the first on the API\'s queue',
  labelNames: ['platform', 'layer'] as const,
  registers: [workerRegistry],
});

/** Write-backs of channel bookings to the source, per attempt. */
export const bookingWriteBacks = new Counter({
  name: 'bridge_booking_writebacks_total',
  help: 'Attempts to write a channel booking back to the source, by outcome: confirmed, pending, failed',
  labelNames: ['connection', 'source', 'outcome'] as const,
  registers: [workerRegistry],
});

/** The delay a buyer elsewhere could still buy a seat already sold: the number the ledger exists to keep small. */
export const saleToChannels = new Histogram({
  name: 'bridge_sale_to_channels_seconds',
  help: 'Seconds from a booking change on a channel (its own timestamp) to the end of the sync that pushed the new seats to every target',
  labelNames: ['connection', 'channel'] as const,
  // From a webhook round trip (seconds) to a sweep repairing a lost webhook (minutes to an hour).
  buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [workerRegistry],
});

/** Open problems by kind, computed at scrape time from visibility (see src/metrics/problems.ts). */
export const openProblemsGauge = new Gauge({
  name: 'bridge_open_problems',
  help: 'Open problems of a connection (as `bridge problems` lists them), by kind: target, oversold, cancel, writeback, fetch',
  labelNames: ['connection', 'kind'] as const,
  registers: [workerRegistry],
});

/** Periods sold beyond their seats across channels, closed everywhere until seats come back. */
export const oversoldPeriods = new Gauge({
  name: 'bridge_oversold_periods',
  help: 'Source periods currently oversold across channels (closed on every channel until seats come back)',
  labelNames: ['connection'] as const,
  registers: [workerRegistry],
});

/** Every webhook delivery, by what the receiver did with it. */
export const webhookDeliveries = new Counter({
  name: 'bridge_webhook_deliveries_total',
  help: 'Webhook deliveries by outcome: accepted, duplicate (a replay, answered 200), refused (4xx, see bridge_webhook_refused_total), error (500: the platform retries)',
  labelNames: ['platform', 'outcome'] as const,
  registers: [receiverRegistry],
});

/** Refused deliveries by a bounded reason (never the free text, which could echo input). */
export const webhookRefused = new Counter({
  name: 'bridge_webhook_refused_total',
  help: 'Webhook deliveries refused, by reason: token, signature, no_secret, malformed, no_delivery_id, too_large, other',
  labelNames: ['platform', 'reason'] as const,
  registers: [receiverRegistry],
});

/** Accepted booking or experience events that no product holds (not ours, or not synced yet). */
export const webhookUnmatched = new Counter({
  name: 'bridge_webhook_unmatched_total',
  help: 'Accepted webhook deliveries about records no product of ours publishes',
  labelNames: ['platform'] as const,
  registers: [receiverRegistry],
});

/** Webhooks a route table held for HOLD_MS (15 min) without any product recording their record (workflows/route-table.ts). */
export const webhookNeverMatched = new Counter({
  name: 'bridge_webhook_never_matched_total',
  help: 'Webhooks that matched no route when they arrived and none in the 15 minutes they were held (records not ours, or a route never recorded)',
  labelNames: ['connection', 'platform'] as const,
  registers: [workerRegistry],
});
