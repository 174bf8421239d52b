import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/errors.js';

/**
 * Every activity heartbeats while it runs (the worker's interceptor, src/temporal/heartbeat.ts), so
 * a worker that dies is noticed after 6 s without one and the call is retried on another worker,
 * instead of after the whole start-to-close timeout. 6 s = three of the worker's 2 s heartbeats.
 */
export const HEARTBEAT_TIMEOUT = '6s';

/**
 * External calls: 30 s for one HTTP exchange (the transport's budget is 12 s per request plus one
 * 5xx retry after ~1 s: 25 s, inside it). No schedule-to-start bound, so a long rate-limit backlog
 * on the queue never fails a call. Backoff 1 s → 60 s, 10 attempts; RateLimitedError overrides the
 * delay with Retry-After.
 */
export const externalCall: ActivityOptions = {
  startToCloseTimeout: '30s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
};

/** Pure work on the bridge queue (mapping, planning, signalling): quick, a few retries. */
export const internalCall: ActivityOptions = {
  startToCloseTimeout: '60s',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
};
