import type { Context } from '@temporalio/activity';

/** How often a running activity repeats its heartbeat (the SDK sends at most one per 2 s: worker.ts). */
export const KEEPALIVE_MS = 1000;

/**
 * Keeps a running activity heartbeating until `stop()`, so the server notices a dead worker within
 * the heartbeat timeout and cancellation reaches the activity (the SDK delivers it with a heartbeat's
 * answer). It repeats the activity's own last details (the create-safety marks `sent` / `not-created`
 * of activities/catalog.ts and bookings.ts), starting from the previous attempt's, so keeping alive
 * never erases a mark the next attempt relies on.
 */
export function keepHeartbeating(ctx: Context, everyMs = KEEPALIVE_MS): () => void {
  if (!ctx.info.heartbeatTimeoutMs) return () => undefined; // the SDK: no heartbeats without a heartbeat timeout
  let last: unknown = ctx.info.heartbeatDetails;
  const send = ctx.heartbeat;
  // The activity's own heartbeat calls go through here, so the repeats carry its latest details.
  Object.defineProperty(ctx, 'heartbeat', { configurable: true, value: (details?: unknown) => { last = details; send(details); } });
  const timer = setInterval(() => send(last), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
