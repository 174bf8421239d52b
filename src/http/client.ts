import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import got, { type Got, HTTPError, RequestError, type Method } from 'got';
import type { z } from 'zod';
import { RateLimitedError, SchemaDriftError } from '../errors.js';
import { describeIssues } from '../config.js';
import { httpRateLimited, httpRetries } from '../metrics/registry.js';
import { classify } from './classify.js';

/** Everything a connector tells the transport about its platform. */
export interface TransportOptions {
  platform: string;
  baseUrl: string;
  /** Auth and version headers, computed per request so a key is read from env only when used. */
  headers: () => Record<string, string>;
  /** Per-request budget; Temporal's activity timeout is the outer bound. */
  timeoutMs?: number;
}

/**
 * 12 s per request: with got's one 5xx retry (after ~1 s) a call takes at most ~25 s, inside the
 * 30 s start-to-close of workflows/retry-policies.ts externalCall, so an attempt never outlives
 * its activity.
 */
export const REQUEST_TIMEOUT_MS = 12_000;

/** The running activity's cancellation (timeout, worker shutdown, workflow cancel), if any: got aborts with it. */
function activitySignal(): AbortSignal | undefined {
  return activityContext.getStore()?.cancellationSignal;
}

export interface RequestSpec {
  method: Method;
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
}

/** A thin got wrapper: one retry on 5xx for idempotent methods, errors classified, zod-parsed bodies. */
export class Transport {
  private readonly got: Got;
  constructor(private readonly opts: TransportOptions) {
    this.got = got.extend({
      prefixUrl: opts.baseUrl.replace(/\/+$/, ''),
      // got retries at most once, only idempotent methods, only on 5xx; Temporal owns slower retries.
      retry: { limit: 1, methods: ['GET', 'PUT', 'DELETE', 'HEAD'], statusCodes: [500, 502, 503, 504], errorCodes: [] },
      timeout: { request: opts.timeoutMs ?? REQUEST_TIMEOUT_MS },
      throwHttpErrors: true,
      responseType: 'text',
      hooks: { beforeRetry: [() => { httpRetries.inc({ platform: opts.platform, layer: 'transport' }); }] },
    });
  }

  /** Sends one request and returns the parsed body (or undefined for an empty body). */
  async send<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.infer<S>> {
    const raw = await this.raw(spec);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new SchemaDriftError(
        `${this.opts.platform} ${spec.method} ${spec.path}: response does not match the documented shape:\n${describeIssues(parsed.error)}`,
        { platform: this.opts.platform, path: spec.path },
      );
    }
    return parsed.data;
  }

  /** Sends one request and returns the JSON body without validation (for write endpoints with empty bodies). */
  async raw(spec: RequestSpec): Promise<unknown> {
    const searchParams = spec.searchParams
      ? Object.fromEntries(Object.entries(spec.searchParams).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>
      : undefined;
    try {
      const res = await this.got(spec.path.replace(/^\/+/, ''), {
        method: spec.method,
        searchParams,
        json: spec.json,
        headers: { accept: 'application/json', ...this.opts.headers(), ...spec.headers },
        signal: activitySignal(),
      });
      return res.body === '' ? undefined : JSON.parse(res.body);
    } catch (err) {
      if (err instanceof HTTPError) {
        const failure = classify({
          platform: this.opts.platform, method: spec.method, path: spec.path,
          status: err.response.statusCode, body: String(err.response.body ?? ''),
          retryAfter: err.response.headers['retry-after'],
        });
        if (failure instanceof RateLimitedError) httpRateLimited.inc({ platform: this.opts.platform, status: String(err.response.statusCode) });
        throw failure;
      }
      if (err instanceof RequestError) {
        throw classify({ platform: this.opts.platform, method: spec.method, path: spec.path, code: err.code });
      }
      if (err instanceof SyntaxError) {
        throw new SchemaDriftError(`${this.opts.platform} ${spec.method} ${spec.path}: response is not JSON`, { platform: this.opts.platform });
      }
      throw err;
    }
  }
}
