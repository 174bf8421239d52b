import { readFileSync } from 'node:fs';
import { Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { BridgeConfig } from '../config.js';
import { ConfigError } from '../errors.js';

type TemporalConfig = BridgeConfig['temporal'];

/** What both Connection.connect and NativeConnection.connect take from the config. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | true;
  apiKey?: string;
}

/** How the options builder reads files and the environment (tests pass their own). */
export interface SecretSources {
  env: NodeJS.ProcessEnv;
  readFile: (path: string) => Buffer;
}

const DEFAULT_SOURCES: SecretSources = { env: process.env, readFile: (p) => readFileSync(p) };

function fromFile(sources: SecretSources, path: string, field: string): Buffer {
  try {
    return sources.readFile(path);
  } catch (err) {
    throw new ConfigError(`temporal.tls.${field}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function fromEnv(sources: SecretSources, name: string, what: string): string {
  const value = sources.env[name];
  // The name only, never the value: these are secrets.
  if (!value) throw new ConfigError(`Environment variable ${name} (${what}) is not set`);
  return value;
}

/**
 * The connection options of the config's `temporal` block: address, TLS (server CA, server name,
 * client certificate pair) and a Temporal Cloud API key read from its environment variable.
 */
export function temporalConnectionOptions(t: TemporalConfig, sources: SecretSources = DEFAULT_SOURCES): TemporalConnectionOptions {
  const out: TemporalConnectionOptions = { address: t.address };
  if (t.apiKeyEnv) out.apiKey = fromEnv(sources, t.apiKeyEnv, 'Temporal API key');
  if (t.tls) {
    const tls: TLSConfig = {};
    if (t.tls.serverName) tls.serverNameOverride = t.tls.serverName;
    if (t.tls.serverCaFile) tls.serverRootCACertificate = fromFile(sources, t.tls.serverCaFile, 'serverCaFile');
    const crt = t.tls.clientCertFile ? fromFile(sources, t.tls.clientCertFile, 'clientCertFile')
      : t.tls.clientCertEnv ? Buffer.from(fromEnv(sources, t.tls.clientCertEnv, 'Temporal client certificate')) : undefined;
    const key = t.tls.clientKeyFile ? fromFile(sources, t.tls.clientKeyFile, 'clientKeyFile')
      : t.tls.clientKeyEnv ? Buffer.from(fromEnv(sources, t.tls.clientKeyEnv, 'Temporal client key')) : undefined;
    if (crt && key) tls.clientCertPair = { crt, key };
    out.tls = Object.keys(tls).length ? tls : true;
  } else if (out.apiKey) {
    // Temporal Cloud's API-key endpoints accept TLS only.
    out.tls = true;
  }
  return out;
}

/** A client connection to the configured Temporal frontend (TLS and API key applied). */
export function connectClient(t: TemporalConfig): Promise<Connection> {
  return Connection.connect(temporalConnectionOptions(t));
}

/** A worker connection to the configured Temporal frontend (TLS and API key applied). */
export function connectNative(t: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(t));
}
