import { apiKeyOf, type Endpoint } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { PlannedWrite } from '../../canonical/plan.js';
import type { TargetConnector } from '../types.js';
import { XolaClient } from './client.js';
import { toXola } from './to-xola.js';
import { xolaExperiencePut, xolaSchedulePut } from './merge.js';
import { orNullOn404 } from '../read-back.js';

export {
  XolaClient, XOLA_API_VERSION,
  type XolaClientOptions, type XolaEventCreate, type XolaEventQuery, type XolaEventUpdate, type XolaHookInput, type XolaPurchaseQuery,
} from './client.js';
export { XOLA_HOOK_EVENTS, type XolaEvent, type XolaHook, type XolaHookEventName, type XolaPurchase } from './schemas.js';
export { xolaBookingLines, xolaExperienceIdsOf, XolaBookingLine } from './bookings.js';
export { createXolaSimulator, type XolaSimulator } from './simulator.js';
export { toXola, isoToXolaDays } from './to-xola.js';
export { xolaExperiencePut, xolaSchedulePut } from './merge.js';
export { xolaChannel } from './channel.js';
export { xolaSource } from './source.js';

/**
 * A departure's event: PUT takes only `max` (S4:L921-926). An event Xola made for its own booking
 * already exists, so a create first looks for the event at that start and sets its `max` (two
 * calls in this one activity: the look-up is what makes it safe to repeat).
 */
async function applyEvent(client: XolaClient, write: PlannedWrite): Promise<{ id: string | null }> {
  const max = Number(write.body?.max);
  if (write.op === 'update') {
    await client.http.raw({ method: 'PUT', path: write.path, json: { max } });
    return { id: null };
  }
  const experience = String(write.body?.experience);
  const start = String(write.body?.start);
  const page = await client.listEvents({ experience, start, limit: 100 });
  const found = page.data.find((e) => Date.parse(String(e.start)) === Date.parse(start));
  if (found) return { id: (await client.updateEvent(found.id, { max })).id };
  return { id: (await client.createEvent({ experience, start, max })).id };
}

/**
 * The body an experience or schedule PUT really sends (merge.ts). A hide (the stored removal,
 * fingerprint null) or a body without `name`/`seller` reads the experience first, so the PUT
 * carries the fields S4:L194/L201 require and keeps Xola's current name. A schedule update reads
 * the schedule first and keeps what others set on it (the PUT may replace it whole).
 */
async function putBody(client: XolaClient, write: PlannedWrite, sellerId: string): Promise<Record<string, unknown> | undefined> {
  const schedule = /^\/api\/experiences\/([^/]+)\/schedules\/([^/]+)$/.exec(write.path);
  if (write.key.startsWith('schedule.') && schedule && write.body) {
    const page = await client.listSchedules(decodeURIComponent(schedule[1]!));
    const current = page.data.find((s) => s.id === decodeURIComponent(schedule[2]!));
    return xolaSchedulePut(write.body, current);
  }
  const experience = /^\/api\/experiences\/([^/]+)$/.exec(write.path);
  if (write.key === 'experience' && experience && (write.fingerprint === null || !write.body?.name || !write.body?.seller)) {
    return xolaExperiencePut(write.body, await client.getExperience(decodeURIComponent(experience[1]!)), sellerId);
  }
  return write.body;
}

const idOf = (body: unknown): string | null => (body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : null);

/**
 * Xola as a target. Xola has no idempotency key and no external-reference field on experiences,
 * so a create whose answer was lost is found again by name (experiences) or content (schedules),
 * among records created since the first attempt (README, "Idempotency").
 */
export function xolaTarget(endpoint: Endpoint): TargetConnector {
  const sellerId = endpoint.options.sellerId;
  if (!sellerId) throw new ConfigError(`Xola target ${endpoint.baseUrl}: options.sellerId is required (Xola needs the seller on create)`);
  const client = new XolaClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint), apiVersion: endpoint.options.apiVersion });
  return {
    desired(product) {
      const { resources, losses } = toXola(product, { sellerId });
      return { resources: resources.map((r) => ({ ...r, fingerprint: fingerprint(r.body), createSafety: r.key.startsWith('event.') || r.key === 'publish' ? 'natural-key' as const : 'lookup-before-create' as const })), losses };
    },
    async apply(write) {
      if (write.key.startsWith('event.')) return applyEvent(client, write);
      const json = write.method === 'PUT' ? await putBody(client, write, sellerId) : write.body;
      const body = await client.http.raw({ method: write.method, path: write.path, json });
      return { id: idOf(body) };
    },
    async findCreated(write, since) {
      if (write.key === 'experience') {
        const name = String(write.body?.name ?? '');
        const page = await client.listExperiences({ seller: sellerId, search: name, limit: 100 });
        const hit = page.data.find((e) => e.name === name && (!e.createdAt || e.createdAt >= since));
        return hit?.id ?? null;
      }
      const experienceId = /\/api\/experiences\/([^/]+)\/schedules/.exec(write.path)?.[1];
      if (!experienceId) return null;
      const page = await client.listSchedules(experienceId);
      const want = fingerprint(write.body);
      const hit = page.data.find((s) => fingerprint(Object.fromEntries(Object.entries(s).filter(([k]) => k in (write.body ?? {})))) === want);
      return hit?.id ?? null;
    },
    readBackKeys: ['experience'],
    // GET /api/experiences/{id} (S4:L138-191); a deleted experience answers 404.
    async readBack(key, ids) {
      return key === 'experience' && ids.experience ? orNullOn404(client.getExperience(ids.experience)) : null;
    },
  };
}
