import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { temporalConnectionOptions } from '../src/temporal/connection.js';

const connections = [{
  name: 'demo',
  source: { platform: 'koob', baseUrl: 'http://127.0.0.1:4101', apiKeyEnv: 'KOOB_API_KEY' },
  targets: [{ platform: 'xola', baseUrl: 'http://127.0.0.1:4102', apiKeyEnv: 'XOLA_API_KEY' }],
}];
const temporalOf = (temporal: unknown) => parseConfig({ temporal, connections }).temporal;
const files: Record<string, string> = { '/certs/ca.pem': 'CA PEM', '/certs/client.pem': 'CERT PEM', '/certs/client.key': 'KEY PEM' };
const sources = (env: Record<string, string> = {}) => ({
  env,
  readFile: (p: string) => {
    if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return Buffer.from(files[p]!);
  },
});

describe('config temporal block: TLS, API key, deployment', () => {
  it('parses TLS files, an API key variable and a deployment, and defaults promote to if-none', () => {
    const t = temporalOf({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', apiKeyEnv: 'TEMPORAL_API_KEY', tls: { serverName: 'ns.acct.tmprl.cloud', serverCaFile: '/certs/ca.pem', clientCertFile: '/certs/client.pem', clientKeyFile: '/certs/client.key' }, deployment: { name: 'bridge' } });
    expect(t.tls).toEqual({ serverName: 'ns.acct.tmprl.cloud', serverCaFile: '/certs/ca.pem', clientCertFile: '/certs/client.pem', clientKeyFile: '/certs/client.key' });
    expect(t.apiKeyEnv).toBe('TEMPORAL_API_KEY');
    expect(t.deployment).toEqual({ name: 'bridge', promote: 'if-none' });
    expect(temporalOf(undefined)).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueuePrefix: '' });
  });

  it('rejects a key in the file, a certificate without its key, both sources for one secret, and a dotted deployment name', () => {
    expect(() => temporalOf({ apiKey: 'secret-in-file' })).toThrow(/apiKey/);
    expect(() => temporalOf({ tls: { clientCertFile: '/certs/client.pem' } })).toThrow(/temporal\.tls\.clientKeyFile: a client certificate needs its key/);
    expect(() => temporalOf({ tls: { clientCertFile: '/a', clientCertEnv: 'CERT', clientKeyEnv: 'KEY' } })).toThrow(/clientCertEnv: set clientCertFile or clientCertEnv, not both/);
    expect(() => temporalOf({ apiKeyEnv: 'not an env name' })).toThrow(/temporal\.apiKeyEnv/);
    expect(() => temporalOf({ deployment: { name: 'bridge.v2' } })).toThrow(/temporal\.deployment\.name/);
  });
});

describe('temporalConnectionOptions', () => {
  it('passes the address alone when the config asks for nothing else', () => {
    expect(temporalConnectionOptions(temporalOf({ address: '10.0.0.5:7233' }), sources())).toEqual({ address: '10.0.0.5:7233' });
  });

  it('reads the CA, the client pair and the server name into the SDK TLS options', () => {
    const o = temporalConnectionOptions(temporalOf({ tls: { serverName: 'temporal.internal', serverCaFile: '/certs/ca.pem', clientCertFile: '/certs/client.pem', clientKeyFile: '/certs/client.key' } }), sources());
    expect(o.apiKey).toBeUndefined();
    expect(o.tls).toEqual({ serverNameOverride: 'temporal.internal', serverRootCACertificate: Buffer.from('CA PEM'), clientCertPair: { crt: Buffer.from('CERT PEM'), key: Buffer.from('KEY PEM') } });
  });

  it('takes the client pair from environment variables when the config names them', () => {
    const o = temporalConnectionOptions(temporalOf({ tls: { clientCertEnv: 'TEMPORAL_TLS_CERT', clientKeyEnv: 'TEMPORAL_TLS_KEY' } }), sources({ TEMPORAL_TLS_CERT: 'ENV CERT', TEMPORAL_TLS_KEY: 'ENV KEY' }));
    expect(o.tls).toEqual({ clientCertPair: { crt: Buffer.from('ENV CERT'), key: Buffer.from('ENV KEY') } });
  });

  it('reads the API key from its variable and turns TLS on (Temporal Cloud), never printing the key', () => {
    const t = temporalOf({ address: 'us-east-1.aws.api.temporal.io:7233', apiKeyEnv: 'TEMPORAL_API_KEY' });
    expect(temporalConnectionOptions(t, sources({ TEMPORAL_API_KEY: 'tk-secret-123' }))).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', apiKey: 'tk-secret-123', tls: true });
    let err: unknown;
    try { temporalConnectionOptions(t, sources({})); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('Environment variable TEMPORAL_API_KEY (Temporal API key) is not set');
  });

  it('names the field and the file when a certificate cannot be read, without its content', () => {
    expect(() => temporalConnectionOptions(temporalOf({ tls: { serverCaFile: '/certs/missing.pem' } }), sources())).toThrow('temporal.tls.serverCaFile: cannot read /certs/missing.pem (ENOENT)');
  });
});
