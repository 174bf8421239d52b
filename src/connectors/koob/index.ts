import { apiKeyOf, type Endpoint } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { SourceConnector } from '../types.js';
import { KoobClient, readPage } from './client.js';
import { KoobExperience } from './schemas.js';
import { koobToCanonical } from './to-canonical.js';

export { KoobClient } from './client.js';
export { createKoobSimulator, type KoobSimulator } from './simulator.js';
export { demoCatalog } from './demo-catalog.js';
export { koobToCanonical, koobDaysToIso } from './to-canonical.js';

/** KOOB as a source: list pages are numbered from 1; the cursor is the page number. */
export function koobSource(endpoint: Endpoint): SourceConnector {
  const client = new KoobClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint) });
  return {
    async listPage(cursor, pageSize) {
      const page = cursor ? Number(cursor) : 1;
      const { ids, more } = await readPage(client, page, pageSize);
      return { ids, next: more ? String(page + 1) : null };
    },
    async fetchRecord(id, locale) {
      try {
        return await client.getExperience(id, locale);
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
    toCanonical(byLocale, defaultLocale) {
      const parsed = Object.fromEntries(Object.entries(byLocale).map(([l, r]) => [l, KoobExperience.parse(r)]));
      return koobToCanonical(parsed, defaultLocale);
    },
  };
}
