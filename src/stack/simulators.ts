import type { BridgeConfig, Endpoint, Platform } from '../config.js';
import { createFanfareSimulator } from '../connectors/fanfare/index.js';
import { createGomrySimulator } from '../connectors/gomry/index.js';
import { createKoobSimulator } from '../connectors/koob/index.js';
import { createWhopSimulator } from '../connectors/whop/index.js';
import { createXolaSimulator } from '../connectors/xola/index.js';
import { DEMO_PAYLOAD_KEY } from '../temporal/codec.js';

/** Keys the demo simulators accept when the environment names none (never real credentials). */
export const DEMO_KEYS: Record<string, string> = {
  KOOB_API_KEY: 'demo-koob-key',
  XOLA_API_KEY: 'demo-xola-key',
  GOMRY_API_KEY: 'demo-gomry-key',
  FANFARE_API_KEY: 'sk_test_demo_fanfare_key',
  WHOP_API_KEY: 'demo-whop-key',
  XOLA_WEBHOOK_SECRET: 'demo-xola-webhook-secret',
  FANFARE_WEBHOOK_SECRET: 'demo-fanfare-webhook-secret',
  WHOP_WEBHOOK_SECRET: 'whsec_ZGVtby13aG9wLXdlYmhvb2stc2VjcmV0',
};

/** The demo runs Xola's documented 900 requests per 30 minutes 30× faster (900 per minute). */
export const DEMO_XOLA_WINDOW_MS = 60_000;

/** What the stack needs of any simulator. */
interface RunningSimulator {
  listen: (port?: number, host?: string) => Promise<string>;
  close: () => Promise<unknown>;
  persistTo: (file: string) => void;
}

/** How each platform's simulator is built from a config endpoint and its key. */
const FACTORIES: Partial<Record<Platform, (e: Endpoint, key: string) => RunningSimulator>> = {
  koob: (_e, key) => createKoobSimulator({ apiKey: key }),
  xola: (e, key) => createXolaSimulator({ apiKey: key, sellerId: e.options.sellerId ?? '', rateLimit: { limit: 900, windowMs: DEMO_XOLA_WINDOW_MS } }),
  gomry: (_e, key) => createGomrySimulator({ apiKey: key }),
  fanfare: (_e, key) => createFanfareSimulator({ apiKey: key }),
  whop: (e, key) => createWhopSimulator({ apiKey: key, companyId: e.options.companyId ?? '', appId: e.options.appId ?? '' }),
};

/**
 * The demo keys, for commands run beside `bridge up` (plan, sync): only when every endpoint of
 * the config points at this machine, so a real account never gets a demo key.
 */
export function useDemoKeysForLocalSimulators(config: BridgeConfig): void {
  const local = config.connections.every((c) => [c.source, ...c.targets].every((e) => localPort(e.baseUrl, false) !== null));
  if (!local) return;
  for (const [k, v] of Object.entries(DEMO_KEYS)) process.env[k] ??= v;
}

/** The demo payload key for commands beside `bridge up` (sync, plan, problems…), on the same all-local rule. */
export function useDemoPayloadKeyForLocalSimulators(config: BridgeConfig): void {
  const local = config.connections.every((c) => [c.source, ...c.targets].every((e) => localPort(e.baseUrl, false) !== null));
  if (local) process.env.BRIDGE_PAYLOAD_KEY ??= DEMO_PAYLOAD_KEY;
}

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

export interface StartedSimulator {
  platform: Platform;
  url: string;
  close: () => Promise<unknown>;
  /** Counts of stored records by kind, and writes received, for the live summary. */
  records: () => Promise<Record<string, number>>;
}

async function counts(url: string): Promise<Record<string, number>> {
  const [records, log] = await Promise.all([
    fetch(`${url}/__sim/records`).then((r) => r.json() as Promise<Record<string, unknown>>),
    fetch(`${url}/__sim/requests`).then((r) => r.json() as Promise<{ requests: Array<{ write: boolean }> }>),
  ]);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(records)) if (Array.isArray(v)) out[k] = v.length;
  out.writes = log.requests.filter((r) => r.write).length;
  return out;
}

/**
 * Starts a simulator for every endpoint of the config that points at this machine, on the port
 * its URL names, so the shipped config works as it is. Endpoints elsewhere are left alone. With a
 * data folder, their records persist there so a restarted demo resumes coherently.
 */
export async function startConfiguredSimulators(config: BridgeConfig, { dataDir, allHosts = false }: SimulatorStartOptions = {}): Promise<StartedSimulator[]> {
  for (const [k, v] of Object.entries(DEMO_KEYS)) process.env[k] ??= v;
  const host = allHosts ? '0.0.0.0' : '127.0.0.1';
  const started: StartedSimulator[] = [];
  const seen = new Set<string>();
  for (const c of config.connections) {
    for (const e of [c.source, ...c.targets]) {
      const port = localPort(e.baseUrl, allHosts);
      const make = FACTORIES[e.platform];
      if (port === null || !make || seen.has(e.baseUrl)) continue;
      seen.add(e.baseUrl);
      const sim = make(e, process.env[e.apiKeyEnv] ?? '');
      if (dataDir) sim.persistTo(`${dataDir}/simulators/${e.platform}-${port}.json`);
      const url = await sim.listen(port, host);
      started.push({ platform: e.platform, url, close: () => sim.close(), records: () => counts(url) });
    }
  }
  return started;
}
