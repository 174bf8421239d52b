import { Transport } from '../../http/client.js';
import { XolaExperience, XolaExperiencePage, XolaSchedule, XolaSchedulePage } from './schemas.js';
import type { z } from 'zod';

/** Pinned so every seller answers alike (S4:L8-17: omitting it uses the seller's own version). */
export const XOLA_API_VERSION = '2025-07-07';

export interface XolaClientOptions {
  baseUrl: string;
  apiKey: () => string;
  apiVersion?: string;
  timeoutMs?: number;
}

/** Xola's seller API; auth `X-API-KEY` plus `x-api-version` (https://developers.xola.com/docs/authentication). */
export class XolaClient {
  readonly http: Transport;
  constructor(opts: XolaClientOptions) {
    this.http = new Transport({
      platform: 'xola',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      headers: () => ({ 'X-API-KEY': opts.apiKey(), 'x-api-version': opts.apiVersion ?? XOLA_API_VERSION }),
    });
  }

  /** https://developers.xola.com/reference (experiences, list) — limit 1..100 + skip. */
  listExperiences(q: { seller?: string; search?: string; limit?: number; skip?: number }): Promise<z.infer<typeof XolaExperiencePage>> {
    return this.http.send({ method: 'GET', path: '/api/experiences', searchParams: { ...q } }, XolaExperiencePage);
  }

  /** https://developers.xola.com/reference (experiences, create) */
  createExperience(body: Record<string, unknown>): Promise<XolaExperience> {
    return this.http.send({ method: 'POST', path: '/api/experiences', json: body }, XolaExperience);
  }

  /** https://developers.xola.com/reference (experiences, update) — partial: only sent fields change. */
  updateExperience(id: string, body: Record<string, unknown>): Promise<XolaExperience> {
    return this.http.send({ method: 'PUT', path: `/api/experiences/${id}`, json: body }, XolaExperience);
  }

  /** https://developers.xola.com/reference (experiences, get) */
  getExperience(id: string): Promise<XolaExperience> {
    return this.http.send({ method: 'GET', path: `/api/experiences/${id}` }, XolaExperience);
  }

  /** Schedules of one experience (path from Xola's own integrations; S4:L6205). */
  listSchedules(experienceId: string): Promise<z.infer<typeof XolaSchedulePage>> {
    return this.http.send({ method: 'GET', path: `/api/experiences/${experienceId}/schedules` }, XolaSchedulePage);
  }

  createSchedule(experienceId: string, body: Record<string, unknown>): Promise<XolaSchedule> {
    return this.http.send({ method: 'POST', path: `/api/experiences/${experienceId}/schedules`, json: body }, XolaSchedule);
  }

  updateSchedule(experienceId: string, scheduleId: string, body: Record<string, unknown>): Promise<XolaSchedule> {
    return this.http.send({ method: 'PUT', path: `/api/experiences/${experienceId}/schedules/${scheduleId}`, json: body }, XolaSchedule);
  }

  async deleteSchedule(experienceId: string, scheduleId: string): Promise<void> {
    await this.http.raw({ method: 'DELETE', path: `/api/experiences/${experienceId}/schedules/${scheduleId}` });
  }
}
