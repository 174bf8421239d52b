import { Transport } from '../../http/client.js';
import { SchemaDriftError } from '../../errors.js';
import {
  XolaEvent, XolaEventPage, XolaExperience, XolaExperiencePage, XolaHook, XolaHookList, XolaPurchase, XolaPurchasePage,
  XolaSchedule, XolaSchedulePage, type XolaHookEventName,
} from './schemas.js';
import type { z } from 'zod';

/** Filters of `GET /api/purchases` we use (S4:L3351-3375). */
export interface XolaPurchaseQuery {
  seller?: string;
  /** ISO date-time; sent as `updatedAt[gte]` (DateTimeFilterSchema, S4:L3366). */
  updatedAfter?: string;
  /** Any of draft|waitlist|abandon|hold|committed, sent comma-separated (S4:L3358). */
  status?: string[];
  /** 1..100 (S4:L3369). */
  limit?: number;
  /** Purchases page with `offset`, not `skip` (S4:L3370). */
  offset?: number;
  /** Default `updatedAt` (oldest change first), so a sweep can resume from the last `updatedAt` it saw. */
  sort?: string;
  /** Default `['items']`: list answers may carry items without product and quantity (S4:L3393-3400). */
  expand?: string[];
}

/** Filters of `GET /api/events` (S4:L789-799); `start`/`end` are ISO date-times. */
export interface XolaEventQuery {
  experience: string;
  start?: string;
  end?: string;
  limit?: number;
  skip?: number;
}

/** `POST /api/events` body (S4:L840-850): experience and start required. */
export interface XolaEventCreate {
  experience: string;
  start: string;
  max?: number;
  manual?: boolean;
}

/** `PUT /api/events/{id}` body: only these two fields are accepted (S4:L921-926). */
export interface XolaEventUpdate {
  max: number;
  manual?: boolean;
}

/** `POST /api/users/{userId}/hooks` body (third-party code path, platforms.md §1.5). */
export interface XolaHookInput {
  url: string;
  eventName: XolaHookEventName;
}

/** A bound on `listAllPurchases`, so a platform that never ends its paging cannot loop us forever. */
const MAX_PURCHASE_PAGES = 1000;

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

  /** https://developers.xola.com/reference (experiences, list) — S4:L18-28: limit 1..100 + skip, `seller`, `search`. */
  listExperiences(q: { seller?: string; search?: string; limit?: number; skip?: number }): Promise<z.infer<typeof XolaExperiencePage>> {
    return this.http.send({ method: 'GET', path: '/api/experiences', searchParams: { ...q } }, XolaExperiencePage);
  }

  /** https://developers.xola.com/reference (experiences, create) — S4:L53-137: `name` and `seller` required. */
  createExperience(body: Record<string, unknown>): Promise<XolaExperience> {
    return this.http.send({ method: 'POST', path: '/api/experiences', json: body }, XolaExperience);
  }

  /** https://developers.xola.com/reference (experiences, update) — S4:L192-240: only sent fields change, yet `name` and `seller` are required. */
  updateExperience(id: string, body: Record<string, unknown>): Promise<XolaExperience> {
    return this.http.send({ method: 'PUT', path: `/api/experiences/${id}`, json: body }, XolaExperience);
  }

  /** https://developers.xola.com/reference (experiences, get) — S4:L138-191; `expand=schedules` inlines schedules. */
  getExperience(id: string, expand?: string): Promise<XolaExperience> {
    return this.http.send({ method: 'GET', path: `/api/experiences/${id}`, searchParams: { expand } }, XolaExperience);
  }

  /** Schedules of one experience (path from Xola's own integrations; S4:L6205). */
  listSchedules(experienceId: string): Promise<z.infer<typeof XolaSchedulePage>> {
    return this.http.send({ method: 'GET', path: `/api/experiences/${experienceId}/schedules` }, XolaSchedulePage);
  }

  /** Create a schedule — S4:L6205-6270 (ScheduleInput: `type` required); path from PD:xola.app.mjs (platforms.md §1.2). */
  createSchedule(experienceId: string, body: Record<string, unknown>): Promise<XolaSchedule> {
    return this.http.send({ method: 'POST', path: `/api/experiences/${experienceId}/schedules`, json: body }, XolaSchedule);
  }

  /** Update a schedule — S4:L6274-6289 (`type` required; not documented as partial: send the whole schedule, see merge.ts). */
  updateSchedule(experienceId: string, scheduleId: string, body: Record<string, unknown>): Promise<XolaSchedule> {
    return this.http.send({ method: 'PUT', path: `/api/experiences/${experienceId}/schedules/${scheduleId}`, json: body }, XolaSchedule);
  }

  /** Delete a schedule — path from PD:xola.app.mjs (platforms.md §1.2); the seed keeps no text for it. */
  async deleteSchedule(experienceId: string, scheduleId: string): Promise<void> {
    await this.http.raw({ method: 'DELETE', path: `/api/experiences/${experienceId}/schedules/${scheduleId}` });
  }

  /** https://developers.xola.com/reference (purchases, get) — S4:L3560-3610. */
  getPurchase(id: string): Promise<XolaPurchase> {
    return this.http.send({ method: 'GET', path: `/api/purchases/${encodeURIComponent(id)}` }, XolaPurchase);
  }

  /** https://developers.xola.com/reference (purchases, list) — S4:L3351-3375: limit + offset, `updatedAt[gte]`, `sort`. */
  listPurchases(q: XolaPurchaseQuery = {}): Promise<z.infer<typeof XolaPurchasePage>> {
    return this.http.send({
      method: 'GET',
      path: '/api/purchases',
      searchParams: {
        seller: q.seller,
        'updatedAt[gte]': q.updatedAfter,
        status: q.status?.length ? q.status.join(',') : undefined,
        sort: q.sort ?? 'updatedAt',
        expand: (q.expand ?? ['items']).join(',') || undefined,
        limit: q.limit,
        offset: q.offset,
      },
    }, XolaPurchasePage);
  }

  /** Every page of `listPurchases`, following `paging.next` until it is null (offset advances by what came back). */
  async listAllPurchases(q: Omit<XolaPurchaseQuery, 'offset'> = {}): Promise<XolaPurchase[]> {
    const all: XolaPurchase[] = [];
    let offset = 0;
    for (let pages = 0; pages < MAX_PURCHASE_PAGES; pages += 1) {
      const page = await this.listPurchases({ ...q, limit: q.limit ?? 100, offset });
      all.push(...page.data);
      if (!page.paging?.next || page.data.length === 0) return all;
      offset += page.data.length;
    }
    throw new SchemaDriftError(`xola GET /api/purchases: paging.next still set after ${MAX_PURCHASE_PAGES} pages`, { platform: 'xola', path: '/api/purchases' });
  }

  /** https://developers.xola.com/reference (events, list) — S4:L786-837: limit 1..100 + skip. */
  listEvents(q: XolaEventQuery): Promise<z.infer<typeof XolaEventPage>> {
    return this.http.send({ method: 'GET', path: '/api/events', searchParams: { ...q } }, XolaEventPage);
  }

  /** https://developers.xola.com/reference (events, create) — S4:L838-870; the experience goes as `{id}`. */
  createEvent(body: XolaEventCreate): Promise<XolaEvent> {
    const { experience, ...rest } = body;
    return this.http.send({ method: 'POST', path: '/api/events', json: { ...rest, experience: { id: experience } } }, XolaEvent);
  }

  /** https://developers.xola.com/reference (events, update) — S4:L921-926: only `max` (required) and `manual`. */
  updateEvent(id: string, body: XolaEventUpdate): Promise<XolaEvent> {
    const json = body.manual === undefined ? { max: body.max } : { max: body.max, manual: body.manual };
    return this.http.send({ method: 'PUT', path: `/api/events/${encodeURIComponent(id)}`, json }, XolaEvent);
  }

  /** Hooks of a user: path from third-party code (platforms.md §1.5); the docs prefer App webhooks. */
  listHooks(userId: string): Promise<XolaHook[]> {
    return this.http.send({ method: 'GET', path: `/api/users/${encodeURIComponent(userId)}/hooks` }, XolaHookList);
  }

  /** Subscribes `url` to one event name (platforms.md §1.5). Xola signs nothing: put a secret in the URL. */
  subscribeHook(userId: string, body: XolaHookInput): Promise<XolaHook> {
    return this.http.send({ method: 'POST', path: `/api/users/${encodeURIComponent(userId)}/hooks`, json: { url: body.url, eventName: body.eventName } }, XolaHook);
  }

  /** Removes one subscription (platforms.md §1.5). */
  async deleteHook(userId: string, hookId: string): Promise<void> {
    await this.http.raw({ method: 'DELETE', path: `/api/users/${encodeURIComponent(userId)}/hooks/${encodeURIComponent(hookId)}` });
  }
}
