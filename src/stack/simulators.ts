import type { BridgeConfig } from '../config.js';
import { createKoobSimulator } from '../connectors/koob/index.js';
import { createXolaSimulator } from '../connectors/xola/index.js';

/** Keys the demo simulators accept when the environment names none (never real credentials). */
export const DEMO_KEYS: Record<string, string> = {
  KOOB_API_KEY: 'demo-koob-key',
  XOLA_API_KEY: 'demo-xola-key',
  XOLA_WEBHOOK_SECRET: 'demo-xola-webhook-secret',
};

/** The demo runs Xola's documented 900 requests per 30 minutes 30× faster (900 per minute). */
export const DEMO_XOLA_WINDOW_MS = 60_000;

function localPort(url: string, anyHost: boolean): number | null {
  const u = new URL(url);
  return anyHost || ['127.0.0.1', 'localhost', '0.0.0.0'].includes(u.hostname) ? Number(u.port || 80) : null;
}

export interface SimulatorStartOptions {
  /** Saves and restores records under this folder. */
  dataDir?: string;
  /** Serve every endpoint of the config, whatever its host (compose's simulators service), on 0.0.0.0. */
  allHosts?: boolean;
}

/**
 * Starts a simulator for every endpoint of the config that points at this machine, on the port
 * its URL names, so the shipped config works as it is. Endpoints elsewhere are left alone. With a
 * data folder, their records persist there so a restarted demo resumes coherently.
 */
export async function startConfiguredSimulators(config: BridgeConfig, { dataDir, allHosts = false }: SimulatorStartOptions = {}) {
  const host = allHosts ? '0.0.0.0' : '127.0.0.1';
  for (const [k, v] of Object.entries(DEMO_KEYS)) process.env[k] ??= v;
  const started: Array<{ platform: string; url: string; close: () => Promise<void>; records: () => Promise<Record<string, unknown>> }> = [];
  const seen = new Set<string>();
  for (const c of config.connections) {
    for (const e of [c.source, ...c.targets]) {
      const port = localPort(e.baseUrl, allHosts);
      if (port === null || seen.has(e.baseUrl)) continue;
      seen.add(e.baseUrl);
      const key = process.env[e.apiKeyEnv] ?? '';
      if (e.platform === 'koob') {
        const s = createKoobSimulator({ apiKey: key });
        if (dataDir) s.persistTo(`${dataDir}/simulators/koob-${port}.json`);
        started.push({ platform: 'koob', url: await s.listen(port, host), close: () => s.close(), records: async () => ({ experiences: s.store.size }) });
      } else if (e.platform === 'xola') {
        const s = createXolaSimulator({ apiKey: key, sellerId: e.options.sellerId ?? '', rateLimit: { limit: 900, windowMs: DEMO_XOLA_WINDOW_MS } });
        if (dataDir) s.persistTo(`${dataDir}/simulators/xola-${port}.json`);
        started.push({
          platform: 'xola', url: await s.listen(port, host), close: () => s.close(),
          records: async () => ({ experiences: s.experiences.size, schedules: [...s.experiences.values()].reduce((n, x) => n + x.schedules.size, 0), writes: s.log.filter((r) => r.write).length }),
        });
      }
    }
  }
  return started;
}
