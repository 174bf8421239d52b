import {
  AuthError, type BridgeError, InvalidRequestError, NotFoundError, RateLimitedError, TransientError,
} from '../errors.js';
import { parseRetryAfter } from './retry-after.js';

/** What we know of a failed exchange, without headers that could carry credentials. */
export interface FailedExchange {
  platform: string;
  method: string;
  path: string;
  status?: number;
  code?: string;
  body?: string;
  retryAfter?: string | string[];
}

function summary(body: string | undefined): string {
  if (!body) return '';
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}

/** Network error codes raised before a request could leave (refused connection, failed name look-up): nothing was sent. */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when a failure proves the request never reached the platform, so sending it again cannot duplicate. */
export const neverSent = (err: unknown): boolean => err instanceof TransientError && NEVER_SENT_CODES.has(String(err.details.code));

/** Maps a failed HTTP exchange onto the taxonomy (STYLE.md, "Errors and retries"). */
export function classify(x: FailedExchange): BridgeError {
  const where = `${x.platform} ${x.method} ${x.path}`;
  const details = { platform: x.platform, method: x.method, path: x.path, status: x.status, body: summary(x.body) };
  if (x.status === undefined) {
    return new TransientError(`${where}: ${x.code ?? 'network error'}`, { ...details, code: x.code });
  }
  const s = x.status;
  const text = `${where} → ${s}${x.body ? `: ${summary(x.body)}` : ''}`;
  if (s === 429) return new RateLimitedError(text, parseRetryAfter(x.retryAfter), details);
  if (s === 503 && x.retryAfter !== undefined) return new RateLimitedError(text, parseRetryAfter(x.retryAfter), details);
  if (s === 401 || s === 403) return new AuthError(text, details);
  if (s === 404) return new NotFoundError(text, details);
  if (s >= 500 || s === 408 || s === 423) return new TransientError(text, details);
  return new InvalidRequestError(text, details);
}
