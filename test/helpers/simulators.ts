import { createFanfareSimulator } from '../../src/connectors/fanfare/index.js';
import { createGomrySimulator } from '../../src/connectors/gomry/index.js';
import { createKoobSimulator } from '../../src/connectors/koob/index.js';
import { createWhopSimulator } from '../../src/connectors/whop/index.js';
import { createXolaSimulator } from '../../src/connectors/xola/index.js';

/** Keys the suite's simulators accept; tests put them in env like an operator would. */
export const TEST_KEYS = {
  KOOB_API_KEY: 'koob-test-key-123',
  XOLA_API_KEY: 'xola-test-key-456',
  GOMRY_API_KEY: 'gomry-test-key-789',
  FANFARE_API_KEY: 'sk_test_fanfare_suite_key',
  WHOP_API_KEY: 'whop-test-key-012',
};
export const TEST_SELLER = 'seller000000000000000001';
export const TEST_WHOP = { companyId: 'biz_suite0000000001', appId: 'app_suite0000000001' };

/** Starts one simulator per platform on free ports (rate limits raised for a fast suite). */
export async function startSimulators() {
  const minute = { windowMs: 60_000 };
  const sims = {
    koob: createKoobSimulator({ apiKey: TEST_KEYS.KOOB_API_KEY, today: '2026-01-05', rateLimit: { limit: 100_000, ...minute } }),
    xola: createXolaSimulator({ apiKey: TEST_KEYS.XOLA_API_KEY, sellerId: TEST_SELLER, rateLimit: { limit: 100_000, ...minute } }),
    gomry: createGomrySimulator({ apiKey: TEST_KEYS.GOMRY_API_KEY, rateLimit: { limit: 100_000, ...minute } }),
    fanfare: createFanfareSimulator({ apiKey: TEST_KEYS.FANFARE_API_KEY, rateLimit: { limit: 100_000, ...minute } }),
    whop: createWhopSimulator({ apiKey: TEST_KEYS.WHOP_API_KEY, ...TEST_WHOP, rateLimit: { limit: 100_000, ...minute } }),
  };
  const urls = {
    koob: await sims.koob.listen(),
    xola: await sims.xola.listen(),
    gomry: await sims.gomry.listen(),
    fanfare: await sims.fanfare.listen(),
    whop: await sims.whop.listen(),
  };
  return {
    urls,
    env: TEST_KEYS,
    close: async () => { await Promise.all(Object.values(sims).map((s) => s.close())); },
  };
}
