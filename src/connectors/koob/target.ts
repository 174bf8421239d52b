import { apiKeyOf, type Endpoint } from '../../config.js';
import { CreateOutcomeUnknownError, InvalidRequestError } from '../../errors.js';
import { fingerprint } from '../../canonical/fingerprint.js';
import type { PlannedWrite } from '../../canonical/plan.js';
import type { TargetConnector } from '../types.js';
import { duplicateOf } from './bookings.js';
import { KoobClient, type KoobListFilters } from './client.js';
import { mergeForPut } from './merge.js';
import { toKoob } from './to-koob.js';
import { orNullOn404 } from '../read-back.js';

/** Look-up bounds: KOOB's list has no total (S2:L1015), so a scan stops here and proves nothing. */
const PER_PAGE = 100;
const MAX_SEARCH_PAGES = 3;
const MAX_SCAN_PAGES = 20;

const localeOf = (path: string) => new URL(path, 'http://x').searchParams.get('locale') ?? undefined;
const idOf = (path: string) => decodeURIComponent(/\/api\/v1\/experiences\/([^/?]+)/.exec(path)?.[1] ?? '');
const sameName = (a: unknown, b: unknown) => String(a ?? '').trim().toLowerCase() === String(b ?? '').trim().toLowerCase();

/**
 * Finds the experience holding our `dmcReference`. List rows carry no reference, so rows named
 * like ours are read one by one. First a `search` by name (fast); then, since `search`'s matching
 * is not documented, a scan of every experience of that type. Absence is only claimed when the
 * scan reached the list's end; past MAX_SCAN_PAGES it throws rather than risk a second create.
 */
export async function findByReference(client: KoobClient, body: Record<string, unknown>, locale?: string): Promise<string | null> {
  const reference = body.dmcReference;
  if (typeof reference !== 'string' || reference === '') throw new CreateOutcomeUnknownError('koob experience: no dmcReference to look the create up by');
  const filters: KoobListFilters = { types: [body.type as 'Program'] };
  const checked = new Set<string>();
  const pass = async (extra: KoobListFilters, maxPages: number): Promise<{ id: string | null; complete: boolean }> => {
    for (let page = 1; page <= maxPages; page += 1) {
      const rows = await client.listPage(page, PER_PAGE, locale, { ...filters, ...extra });
      for (const row of rows.filter((r) => sameName(r.name, body.name) && !checked.has(r.id))) {
        checked.add(row.id);
        if ((await client.getExperience(row.id, locale)).dmcReference === reference) return { id: row.id, complete: true };
      }
      if (rows.length < PER_PAGE) return { id: null, complete: true };
    }
    return { id: null, complete: false };
  };
  const searched = await pass({ search: String(body.name ?? '') }, MAX_SEARCH_PAGES);
  if (searched.id) return searched.id;
  const scanned = await pass({}, MAX_SCAN_PAGES);
  if (scanned.id || scanned.complete) return scanned.id;
  throw new CreateOutcomeUnknownError(`koob experience ${reference}: more than ${MAX_SCAN_PAGES * PER_PAGE} ${String(body.type)}s listed; cannot prove the create did not land`);
}

/**
 * KOOB as a target. A create whose answer is lost is looked up by our `dmcReference` before it is
 * sent again (a 409 naming the holder, if KOOB sends one, is adopted too). Every PUT is a
 * GET (same locale) → merge of what we own → PUT, because KOOB's PUT replaces the whole record:
 * two calls in one activity, so the record we merge into is never stale.
 */
export function koobTarget(endpoint: Endpoint): TargetConnector {
  const client = new KoobClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    desired(product) {
      const { resources, losses } = toKoob(product);
      return {
        resources: resources.map((r) => ({
          ...r,
          fingerprint: fingerprint(r.body),
          // A locale's create is a PUT of an existing record: repeating it is harmless.
          createSafety: r.key === 'experience' ? 'lookup-before-create' as const : 'natural-key' as const,
        })),
        losses,
      };
    },
    async apply(write: PlannedWrite) {
      const locale = localeOf(write.path);
      if (write.method === 'PUT') {
        const id = idOf(write.path);
        const existing = await client.getExperienceRaw(id, locale);
        await client.updateExperience(id, mergeForPut(existing, write.body ?? {}), locale);
        return { id: write.key.startsWith('locale.') ? write.key.slice(7) : null };
      }
      try {
        return { id: (await client.createExperience(write.body ?? {}, locale)).id };
      } catch (err) {
        const adopted = write.op === 'create' && err instanceof InvalidRequestError ? duplicateOf(err) : null;
        if (adopted) return { id: adopted };
        throw err;
      }
    },
    async findCreated(write: PlannedWrite) {
      if (write.key !== 'experience') return null;
      return findByReference(client, write.body ?? {}, localeOf(write.path));
    },
    readBackKeys: ['experience'],
    // GET /api/v1/experiences/{id} in the locale we wrote it in (the update path's `locale`).
    async readBack(key, ids, path) {
      if (key !== 'experience' || !ids.experience) return null;
      return orNullOn404(client.getExperienceRaw(ids.experience, path ? localeOf(path) : undefined));
    },
  };
}
