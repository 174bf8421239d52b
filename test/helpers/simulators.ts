import { createKoobSimulator } from '../../src/connectors/koob/index.js';
import { createXolaSimulator } from '../../src/connectors/xola/index.js';

/** Keys the suite's simulators accept; tests put them in env like an operator would. */
export const TEST_KEYS = { KOOB_API_KEY: 'koob-test-key-123', XOLA_API_KEY: 'xola-test-key-456' };
export const TEST_SELLER = 'seller000000000000000001';

/** Starts one simulator per platform on free ports (rate limits scaled for a fast suite). */
export async function startSimulators() {
  const koob = createKoobSimulator({ apiKey: TEST_KEYS.KOOB_API_KEY, today: '2026-01-05' });
  const xola = createXolaSimulator({ apiKey: TEST_KEYS.XOLA_API_KEY, sellerId: TEST_SELLER, rateLimit: { limit: 900, windowMs: 60_000 } });
  const urls = { koob: await koob.listen(), xola: await xola.listen() };
  return {
    urls,
    env: TEST_KEYS,
    close: async () => { await koob.close(); await xola.close(); },
  };
}
