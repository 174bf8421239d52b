import { z } from 'zod';
import { Transport } from '../../http/client.js';
import { KoobCreated, KoobExperience, KoobList, type KoobListItem } from './schemas.js';

export interface KoobClientOptions {
  baseUrl: string;
  apiKey: () => string;
  timeoutMs?: number;
}

/** KOOB's experience API; auth by `X-API-Key` (https://docs.dev.v2koob.tech/authentication). */
export class KoobClient {
  private readonly http: Transport;
  constructor(opts: KoobClientOptions) {
    this.http = new Transport({
      platform: 'koob',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ 'X-API-Key': opts.apiKey() }),
    });
  }

  /** https://docs.v2koob.tech/experiences/management#list-experiences — one page, bare array. */
  listPage(page: number, perPage: number, locale?: string): Promise<KoobListItem[]> {
    return this.http.send({ method: 'POST', path: '/api/v1/experiences/liste', searchParams: { locale }, json: { page, perPage } }, KoobList);
  }

  /** https://docs.v2koob.tech/experiences/management#get-experience-details */
  getExperience(id: string, locale?: string): Promise<KoobExperience> {
    return this.http.send({ method: 'GET', path: `/api/v1/experiences/${encodeURIComponent(id)}`, searchParams: { locale } }, KoobExperience);
  }

  /** https://docs.v2koob.tech/experiences/management#create-experience */
  createExperience(body: Record<string, unknown>, locale?: string): Promise<{ id: string }> {
    return this.http.send({ method: 'POST', path: '/api/v1/experiences', searchParams: { locale }, json: body }, KoobCreated);
  }

  /** https://docs.v2koob.tech/experiences/management#update-experience — full replacement, 200 with an empty body. */
  async updateExperience(id: string, body: Record<string, unknown>, locale?: string): Promise<void> {
    await this.http.send({ method: 'PUT', path: `/api/v1/experiences/${encodeURIComponent(id)}`, searchParams: { locale }, json: body }, z.unknown());
  }
}

/**
 * KOOB's list has no total and no next link: a page shorter than `perPage` is the last one.
 * Returns the page and whether another may follow.
 */
export async function readPage(client: KoobClient, page: number, perPage: number): Promise<{ ids: string[]; more: boolean }> {
  const rows = await client.listPage(page, perPage);
  return { ids: rows.map((r) => r.id), more: rows.length === perPage };
}
