import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BookingActivities } from '../activities/bookings.js';
import type { CatalogActivities } from '../activities/catalog.js';
import type { RouteActivities } from '../activities/routes.js';
import { apiQueue, bookQueue, bridgeQueue, prefixOf } from '../src/temporal/ids.js';
import { externalCall, internalCall } from './retry-policies.js';

type Activities = CatalogActivities & BookingActivities & RouteActivities;

/** The prefix of this deployment's task queues, read from the workflow's own queue. */
export const prefix = () => prefixOf(workflowInfo().taskQueue);
/** Activities without external calls (mapping, planning, Temporal signals). */
export const bridge = () => proxyActivities<Activities>({ ...internalCall, taskQueue: bridgeQueue(prefix()) });
/** Which of an API's two queues a call takes: bulk catalog traffic, or the booking lane. */
export type Lane = 'catalog' | 'booking';
/** Activities calling one platform's API, on its rate-limited queue (the booking lane when asked). */
export const api = (platform: string, lane: Lane = 'catalog') => proxyActivities<Activities>({ ...externalCall, taskQueue: lane === 'booking' ? bookQueue(platform, prefix()) : apiQueue(platform, prefix()) });

/** A failure as one line: its taxonomy type and message. */
export function failureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

export const isFailureType = (err: unknown, type: string) => err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;
