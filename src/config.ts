import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** The platforms the bridge speaks; each has a connector under src/connectors/. */
export const Platform = z.enum(['koob', 'xola', 'gomry', 'fanfare', 'whop']);
export type Platform = z.infer<typeof Platform>;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (A-Z, 0-9, _)');
const locale = z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as "en"');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as "30s", "5m" or "1h"');

/** One platform account: where it lives and which environment variable holds its key. */
export const Endpoint = z.object({
  platform: Platform,
  baseUrl: z.url({ message: 'must be an absolute http(s) URL' }),
  apiKeyEnv: envName,
  /** Platform-specific settings, e.g. Xola's seller id and API version. */
  options: z.record(z.string(), z.string()).default({}),
  /**
   * For a target that cannot report its sales (README, "which channel learns of sales how"): the
   * seats it may sell per departure, `{"seats": n}` or `{"share": 0.2}` of the period's seats, held
   * back from every other channel. Absent = 0 (listed, not bookable). `{"mirror": true}` publishes
   * every seat left without holding any back: sales there can oversell (demos and tests only).
   */
  allocation: z.union([
    z.object({ seats: z.number().int().min(0).max(100_000) }).strict(),
    z.object({ share: z.number().min(0).max(1) }).strict(),
    z.object({ mirror: z.literal(true) }).strict(),
  ]).optional(),
}).strict();
export type Endpoint = z.infer<typeof Endpoint>;

/** One source, several targets, a schedule: the unit the operator configures. */
export const Connection = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  source: Endpoint.extend({
    locales: z.array(locale).min(1).default(['en']),
    defaultLocale: locale.default('en'),
    pageSize: z.number().int().min(1).max(100).default(20),
  }).strict(),
  targets: z.array(Endpoint).min(1, 'a connection needs at least one target'),
  /**
   * The reconciliation sweep's tiers: each re-reads channel bookings changed within `lookback`
   * whose departures fall within `horizonDays`, every `every` (near dates often, far ones rarely).
   */
  sweep: z.object({
    tiers: z.array(z.object({ every: duration, lookback: duration, horizonDays: z.number().int().min(1).max(3650) }).strict()).max(5),
  }).strict().default({ tiers: [
    { every: '10m', lookback: '30m', horizonDays: 7 },
    { every: '1h', lookback: '3h', horizonDays: 90 },
    { every: '24h', lookback: '48h', horizonDays: 3650 },
  ] }),
  schedule: z.object({
    every: duration.default('15m'),
    catchupWindow: duration.default('10m'),
    paused: z.boolean().default(false),
  }).strict().default({ every: '15m', catchupWindow: '10m', paused: false }),
  /**
   * The drift check (README, "Drift repair"): every `every`, one GET per verified record re-reads
   * what each target holds; `repair` re-asserts or re-creates what others changed or deleted,
   * `report` only lists it. `paused` defaults to `schedule.paused`.
   */
  verify: z.object({
    every: duration.default('6h'),
    onDrift: z.enum(['repair', 'report']).default('repair'),
    paused: z.boolean().optional(),
  }).strict().default({ every: '6h', onDrift: 'repair' }),
}).strict().superRefine((c, ctx) => {
  if (!c.source.locales.includes(c.source.defaultLocale)) {
    ctx.addIssue({ code: 'custom', path: ['source', 'defaultLocale'], message: 'must be one of source.locales' });
  }
  if (c.source.allocation) ctx.addIssue({ code: 'custom', path: ['source', 'allocation'], message: 'an allocation belongs to a target channel, not the source' });
  const seen = new Set<string>();
  c.targets.forEach((t, i) => {
    if (t.platform === c.source.platform && t.baseUrl === c.source.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['targets', i], message: 'a target cannot be the source account itself' });
    }
    if (seen.has(t.platform)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'platform'], message: 'one target per platform' });
    seen.add(t.platform);
  });
});
export type Connection = z.infer<typeof Connection>;

/** Requests per second allowed on one platform's task queue, across all workers. */
const RateLimit = z.object({
  perSecond: z.number().positive().max(1000),
  /** The share of `perSecond` reserved for the booking lane (README, "The booking lane"); the catalog queue gets the rest. */
  bookingShare: z.number().gt(0).lt(1).optional(),
}).strict();

/** Booking reads, write-backs and seat pushes get a quarter of each API's rate unless a connection says otherwise. */
export const DEFAULT_BOOKING_SHARE = 0.25;

/**
 * Documented limits: Xola 900 / 30 min = 0.5/s; Gomry 60 / 10 s = 6/s; Fanfare 1000 / min ≈ 16.6/s.
 * KOOB and Whop publish none: 5/s is our conservative choice (connector READMEs).
 */
export const DEFAULT_RATE_LIMITS: Record<Platform, { perSecond: number }> = {
  koob: { perSecond: 5 },
  xola: { perSecond: 0.5 },
  gomry: { perSecond: 6 },
  fanfare: { perSecond: 16 },
  whop: { perSecond: 5 },
};

/**
 * TLS to the Temporal frontend (mTLS clusters, Temporal Cloud with certificates). Certificates are
 * read from files; the client key from a file or from an environment variable holding the PEM, so a
 * key never sits in the config. `{}` means TLS with the system's CAs and no client certificate.
 */
const TemporalTls = z.object({
  serverName: z.string().min(1).optional(),
  serverCaFile: z.string().min(1).optional(),
  clientCertFile: z.string().min(1).optional(),
  clientKeyFile: z.string().min(1).optional(),
  clientCertEnv: envName.optional(),
  clientKeyEnv: envName.optional(),
}).strict().superRefine((t, ctx) => {
  const cert = Number(t.clientCertFile !== undefined) + Number(t.clientCertEnv !== undefined);
  const key = Number(t.clientKeyFile !== undefined) + Number(t.clientKeyEnv !== undefined);
  if (cert > 1) ctx.addIssue({ code: 'custom', path: ['clientCertEnv'], message: 'set clientCertFile or clientCertEnv, not both' });
  if (key > 1) ctx.addIssue({ code: 'custom', path: ['clientKeyEnv'], message: 'set clientKeyFile or clientKeyEnv, not both' });
  if ((cert > 0) !== (key > 0)) ctx.addIssue({ code: 'custom', path: [cert > 0 ? 'clientKeyFile' : 'clientCertFile'], message: 'a client certificate needs its key (and a key its certificate)' });
});

/**
 * Worker Deployment versioning (README, "How to ship a change to workflow code"): workers declare
 * `name` plus the build id of their workflow bundle. `promote: 'if-none'` makes the first version of a
 * deployment current by itself; later versions are made current by the operator (`manual`, the runbook).
 */
const TemporalDeployment = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "_" and "-" only (no ".")'),
  promote: z.enum(['if-none', 'manual']).default('if-none'),
}).strict();

const TEMPORAL_DEFAULTS = { address: '127.0.0.1:7233', namespace: 'default', taskQueuePrefix: '' };

export const BridgeConfig = z.object({
  temporal: z.object({
    address: z.string().default(TEMPORAL_DEFAULTS.address),
    namespace: z.string().default(TEMPORAL_DEFAULTS.namespace),
    taskQueuePrefix: z.string().regex(/^[a-z0-9-]*$/).default(TEMPORAL_DEFAULTS.taskQueuePrefix),
    tls: TemporalTls.optional(),
    /** The environment variable holding a Temporal Cloud API key (implies TLS). */
    apiKeyEnv: envName.optional(),
    /** Absent: unversioned workers (the dev-server demo and the test suite). */
    deployment: TemporalDeployment.optional(),
  }).strict().default(TEMPORAL_DEFAULTS),
  rateLimits: z.partialRecord(Platform, RateLimit).default({}),
  connections: z.array(Connection).min(1, 'at least one connection is required'),
}).strict().superRefine((c, ctx) => {
  const names = new Set<string>();
  c.connections.forEach((conn, i) => {
    if (names.has(conn.name)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'name'], message: `duplicate connection name "${conn.name}"` });
    names.add(conn.name);
  });
});
export type BridgeConfig = z.infer<typeof BridgeConfig>;

/** Formats zod issues as `path: reason` lines, the path written as in the file. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
      return `${path || '(root)'}: ${i.message}`;
    })
    .join('\n');
}

/** Parses an already-read config object; throws ConfigError naming each bad field. */
export function parseConfig(raw: unknown, origin = 'config'): BridgeConfig {
  const result = BridgeConfig.safeParse(raw);
  if (!result.success) throw new ConfigError(`Invalid ${origin}:\n${describeIssues(result.error)}`);
  return result.data;
}

/** Reads and validates the config file (BRIDGE_CONFIG or config/bridge.json). */
export function loadConfig(path = process.env.BRIDGE_CONFIG ?? 'config/bridge.json'): BridgeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, `config file ${path}`);
}

/** The connection of that name, or a ConfigError listing the known ones. */
export function getConnection(config: BridgeConfig, name: string): Connection {
  const found = config.connections.find((c) => c.name === name);
  if (!found) throw new ConfigError(`Unknown connection "${name}" (known: ${config.connections.map((c) => c.name).join(', ')})`);
  return found;
}

/** The connection's target endpoint on that platform, or a ConfigError. */
export function targetEndpoint(connection: Connection, platform: string): Endpoint {
  const endpoint = connection.targets.find((t) => t.platform === platform);
  if (!endpoint) throw new ConfigError(`connection ${connection.name} has no ${platform} target`);
  return endpoint;
}

/** Rate limit for a platform's task queue: the config's value, else the documented default. */
export function rateLimitFor(config: BridgeConfig, platform: Platform): number {
  return config.rateLimits[platform]?.perSecond ?? DEFAULT_RATE_LIMITS[platform].perSecond;
}

/** The secret for an endpoint, read from the environment at call time (never stored in history). */
export function apiKeyOf(endpoint: Pick<Endpoint, 'apiKeyEnv' | 'platform'>): string {
  const key = process.env[endpoint.apiKeyEnv];
  if (!key) throw new ConfigError(`Environment variable ${endpoint.apiKeyEnv} (API key for ${endpoint.platform}) is not set`);
  return key;
}
/** One API's rate split between its two task queues: `booking` + `catalog` = the API's limit. */
export function laneRates(config: BridgeConfig, platform: Platform): { booking: number; catalog: number } {
  const total = rateLimitFor(config, platform);
  const booking = total * (config.rateLimits[platform]?.bookingShare ?? DEFAULT_BOOKING_SHARE);
  return { booking, catalog: total - booking };
}

