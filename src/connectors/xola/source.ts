import { apiKeyOf, type Endpoint } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { SourceConnector } from '../types.js';
import { XolaClient } from './client.js';
import { xolaToCanonical } from './to-canonical.js';

/** Xola's experience page size for listing (limit 1..100, S4:L19). */
const PAGE = 100;

/**
 * Xola as a source: experiences listed with limit/skip (the cursor is the skip), each read with
 * its schedules inlined (`expand=schedules`: one call). Xola holds one language, so every
 * configured locale reads the same record.
 */
export function xolaSource(endpoint: Endpoint): SourceConnector {
  const client = new XolaClient({ baseUrl: endpoint.baseUrl, apiKey: () => apiKeyOf(endpoint), apiVersion: endpoint.options.apiVersion });
  const seller = endpoint.options.sellerId;
  return {
    async listPage(cursor, pageSize) {
      const skip = cursor ? Number(cursor) : 0;
      const page = await client.listExperiences({ seller, limit: Math.min(PAGE, pageSize), skip });
      return { ids: page.data.map((e) => e.id), next: page.paging?.next ? String(skip + page.data.length) : null };
    },
    async fetchRecord(id) {
      try {
        return await client.getExperience(id, 'schedules');
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    },
    toCanonical(byLocale, defaultLocale) {
      return xolaToCanonical(byLocale[defaultLocale] ?? Object.values(byLocale)[0], defaultLocale);
    },
  };
}
