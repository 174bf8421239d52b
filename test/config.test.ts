import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig, rateLimitFor } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const valid = () => ({
  connections: [{
    name: 'demo',
    source: { platform: 'koob', baseUrl: 'http://127.0.0.1:4101', apiKeyEnv: 'KOOB_API_KEY' },
    targets: [{ platform: 'xola', baseUrl: 'http://127.0.0.1:4102', apiKeyEnv: 'XOLA_API_KEY', options: { sellerId: 's1' } }],
  }],
});

describe('config', () => {
  it('accepts the shipped default file and fills defaults', () => {
    const c = loadConfig('config/bridge.json');
    expect(c.connections[0]!.name).toBe('demo');
    expect(c.connections[0]!.source.locales).toEqual(['en', 'fr']);
    expect(rateLimitFor(c, 'gomry')).toBe(5);
    expect(c.connections[0]!.targets.map((t) => t.platform)).toEqual(['xola', 'gomry', 'fanfare', 'whop']);
  });

  it('fills the drift check\'s defaults (every 6h, repair) and refuses an unknown onDrift, naming the field', () => {
    expect(parseConfig(valid()).connections[0]!.verify).toEqual({ every: '6h', onDrift: 'repair' });
    const bad = valid() as { connections: Array<Record<string, unknown>> };
    bad.connections[0]!.verify = { every: '2h', onDrift: 'fix' };
    expect(() => parseConfig(bad)).toThrow(/connections\[0\]\.verify\.onDrift/);
    bad.connections[0]!.verify = { every: '2h', onDrift: 'report', paused: true };
    expect(parseConfig(bad).connections[0]!.verify).toEqual({ every: '2h', onDrift: 'report', paused: true });
  });

  it('uses each platform\'s documented limit when the file sets none', () => {
    const c = parseConfig(valid());
    expect(rateLimitFor(c, 'xola')).toBe(0.5);
    expect(rateLimitFor(c, 'gomry')).toBe(6);
    expect(rateLimitFor(c, 'fanfare')).toBe(16);
  });

  it('names the field and the reason of each problem', () => {
    const bad = valid();
    (bad.connections[0]!.targets[0] as Record<string, unknown>).platform = 'expedia';
    (bad.connections[0]!.source as Record<string, unknown>).apiKeyEnv = 'lower-case';
    expect(() => parseConfig(bad)).toThrow(ConfigError);
    try {
      parseConfig(bad);
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/connections\[0\]\.targets\[0\]\.platform: /);
      expect(msg).toMatch(/connections\[0\]\.source\.apiKeyEnv: must be an environment variable name/);
    }
  });

  it('refuses unknown keys, a bad URL and a default locale outside the locales', () => {
    const bad = valid() as Record<string, unknown> & ReturnType<typeof valid>;
    (bad.connections[0]!.source as Record<string, unknown>).baseUrl = 'not a url';
    (bad.connections[0]!.source as Record<string, unknown>).defaultLocale = 'de';
    (bad as Record<string, unknown>).extra = true;
    expect(() => parseConfig(bad)).toThrow(/source\.baseUrl: must be an absolute http\(s\) URL/);
    expect(() => parseConfig(bad)).toThrow(/source\.defaultLocale: must be one of source\.locales/);
    expect(() => parseConfig(bad)).toThrow(/Unrecognized key: "extra"/);
  });

  it('reports an unreadable or non-JSON file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bridge.json');
    writeFileSync(file, '{ not json');
    expect(() => loadConfig(file)).toThrow(new RegExp(`Config file ${file} is not valid JSON`));
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/Cannot read config file/);
  });
});
