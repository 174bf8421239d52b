import { createHash } from 'node:crypto';
import { InvalidRequestError, TransientError } from '../../errors.js';
import { Transport } from '../../http/client.js';
import type { HttpMethod } from '../../canonical/plan.js';
import {
  GomryExperienceData, GomryExperiencePage, GomryRecurrenceData, GomryRecurrencePage,
  type GomryExperience, type GomryPagination, type GomryRecurrence,
} from './schemas.js';

/** Largest page Gomry serves (https://docs.gomry.com/errors, validation example: page_size ≤ 200). */
export const GOMRY_MAX_PAGE_SIZE = 200;
/** Longest Idempotency-Key Gomry accepts (https://docs.gomry.com/api-reference/experiences/create-experience). */
export const GOMRY_MAX_IDEMPOTENCY_KEY = 255;

export interface GomryClientOptions {
  baseUrl: string;
  apiKey: () => string;
  timeoutMs?: number;
}

export interface PageQuery { page?: number; page_size?: number }

const seg = (id: string) => encodeURIComponent(id);

/**
 * The key as sent: kept when it is 1..255 visible ASCII characters, else replaced by its SHA-256
 * (deterministic, so a retry still sends the same key).
 */
export function idempotencyHeader(key: string): string {
  if (/^[\x21-\x7e]+$/.test(key) && key.length <= GOMRY_MAX_IDEMPOTENCY_KEY) return key;
  return `sha256-${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * A 409 `idempotent_request_in_progress` means the first request with this key is still running:
 * retrying later gets its replayed answer, so it is transient, not a payload error.
 */
function inProgressIsTransient(err: unknown): never {
  if (err instanceof InvalidRequestError && err.details.status === 409 && String(err.details.body ?? '').includes('idempotent_request_in_progress')) {
    throw new TransientError(err.message, err.details);
  }
  throw err;
}

/** Reads every page of a page/page_size list, in order, until `total_pages` is reached. */
export async function collectPages<T>(fetchPage: (q: Required<PageQuery>) => Promise<{ data: T[]; pagination: GomryPagination }>, pageSize = GOMRY_MAX_PAGE_SIZE): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page += 1) {
    const res = await fetchPage({ page, page_size: pageSize });
    all.push(...res.data);
    if (res.data.length === 0 || page >= res.pagination.total_pages) return all;
  }
}

/** Gomry's organisation API; auth `X-API-KEY` (https://docs.gomry.com/authentication). */
export class GomryClient {
  readonly http: Transport;
  constructor(opts: GomryClientOptions) {
    this.http = new Transport({
      platform: 'gomry',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ 'X-API-KEY': opts.apiKey() }),
    });
  }

  /** https://docs.gomry.com/api-reference/experiences/list-experiences — page/page_size (≤ 200). */
  listExperiences(q: PageQuery = {}): Promise<GomryExperiencePage> {
    return this.http.send({ method: 'GET', path: '/experiences', searchParams: { ...q } }, GomryExperiencePage);
  }

  /** Every experience of the organisation, page by page. */
  allExperiences(pageSize?: number): Promise<GomryExperience[]> {
    return collectPages((q) => this.listExperiences(q), pageSize);
  }

  /** https://docs.gomry.com/api-reference/experiences/create-experience — replayed for 24 h per Idempotency-Key. */
  async createExperience(body: Record<string, unknown>, idempotencyKey?: string): Promise<GomryExperience> {
    const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyHeader(idempotencyKey) } : undefined;
    const res = await this.http.send({ method: 'POST', path: '/experiences', json: body, headers }, GomryExperienceData).catch(inProgressIsTransient);
    return res.data;
  }

  /** GET /experiences/{id} (listed on https://docs.gomry.com/scopes; shape as in S1's response). */
  async getExperience(id: string): Promise<GomryExperience> {
    return (await this.http.send({ method: 'GET', path: `/experiences/${seg(id)}` }, GomryExperienceData)).data;
  }

  /** S1 (seed 001, Update Experience): partial, ≥ 1 field, unknown fields → 400, nested objects replaced. */
  async updateExperience(id: string, body: Record<string, unknown>): Promise<GomryExperience> {
    return (await this.http.send({ method: 'PATCH', path: `/experiences/${seg(id)}`, json: body }, GomryExperienceData)).data;
  }

  /** GET /experiences/{id}/recurrences (listed on https://docs.gomry.com/scopes). */
  listRecurrences(experienceId: string, q: PageQuery = {}): Promise<GomryRecurrencePage> {
    return this.http.send({ method: 'GET', path: `/experiences/${seg(experienceId)}/recurrences`, searchParams: { ...q } }, GomryRecurrencePage);
  }

  /** https://docs.gomry.com/api-reference/recurrences/create-recurrence — Idempotency-Key as for experiences. */
  async createRecurrence(experienceId: string, body: Record<string, unknown>, idempotencyKey?: string): Promise<GomryRecurrence> {
    const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyHeader(idempotencyKey) } : undefined;
    const res = await this.http.send({ method: 'POST', path: `/experiences/${seg(experienceId)}/recurrences`, json: body, headers }, GomryRecurrenceData).catch(inProgressIsTransient);
    return res.data;
  }

  /** https://docs.gomry.com/api-reference/recurrences/get-recurrence */
  async getRecurrence(experienceId: string, recurrenceId: string): Promise<GomryRecurrence> {
    return (await this.http.send({ method: 'GET', path: `/experiences/${seg(experienceId)}/recurrences/${seg(recurrenceId)}` }, GomryRecurrenceData)).data;
  }

  /** PATCH /experiences/{id}/recurrences/{rid} (listed on https://docs.gomry.com/scopes). */
  async updateRecurrence(experienceId: string, recurrenceId: string, body: Record<string, unknown>): Promise<GomryRecurrence> {
    return (await this.http.send({ method: 'PATCH', path: `/experiences/${seg(experienceId)}/recurrences/${seg(recurrenceId)}`, json: body }, GomryRecurrenceData)).data;
  }

  /** DELETE /experiences/{id}/recurrences/{rid} (listed on https://docs.gomry.com/scopes). */
  async deleteRecurrence(experienceId: string, recurrenceId: string): Promise<void> {
    await this.http.raw({ method: 'DELETE', path: `/experiences/${seg(experienceId)}/recurrences/${seg(recurrenceId)}` });
  }

  /** One planned write as the planner produced it (path already filled); POSTs carry the Idempotency-Key. */
  write(method: HttpMethod, path: string, body: Record<string, unknown> | undefined, idempotencyKey: string): Promise<unknown> {
    const headers = method === 'POST' ? { 'Idempotency-Key': idempotencyHeader(idempotencyKey) } : undefined;
    return this.http.raw({ method, path, json: body, headers }).catch(inProgressIsTransient);
  }
}
