import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/errors.js';

/**
 * External calls: 30 s for one HTTP exchange (the transport's own budget is 15 s plus one 5xx
 * retry). No schedule-to-start bound, so a long rate-limit backlog on the queue never fails a call.
 * Backoff 1 s → 60 s, 10 attempts; RateLimitedError overrides the delay with Retry-After.
 */
export const externalCall: ActivityOptions = {
  startToCloseTimeout: '30s',
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
  retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
};
