import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { ZodError } from 'zod';
import { BridgeError, RateLimitedError, SchemaDriftError } from '../errors.js';
import { describeIssues } from '../config.js';
import { httpRetries } from '../metrics/registry.js';
import { keepHeartbeating } from './heartbeat.js';

/** Turns a thrown error into the Temporal failure its class calls for (STYLE.md, errors). */
export function toFailure(err: unknown): unknown {
  if (err instanceof ZodError) err = new SchemaDriftError(describeIssues(err));
  if (!(err instanceof BridgeError)) return err;
  return ApplicationFailure.create({
    type: err.kind,
    message: err.message,
    nonRetryable: !err.retryable,
    details: [err.details],
    nextRetryDelay: err instanceof RateLimitedError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
  });
}

/** The single place connector errors become Temporal failures (Dust's pattern, STYLE.md). */
export class ErrorMappingInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // An attempt after the first on an API's queue is Temporal retrying a call to that API.
    const ctx = Context.current();
    const { attempt, taskQueue } = ctx.info;
    const api = /api-([a-z]+)$/.exec(taskQueue)?.[1];
    if (api && attempt > 1) httpRetries.inc({ platform: api, layer: 'activity' });
    const stopHeartbeats = keepHeartbeating(ctx);
    try {
      return await next(input);
    } catch (err) {
      throw toFailure(err);
    } finally {
      stopHeartbeats();
    }
  }
}
