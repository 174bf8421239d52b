import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EncryptionCodec } from '../src/temporal/codec.js';
import { serveCodec } from '../src/temporal/codec-server.js';

const UI = 'http://127.0.0.1:8233';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const plain = (json: string) => ({ metadata: { encoding: b64('json/plain') }, data: b64(json) });
type PayloadJson = { metadata: Record<string, string>; data: string };

describe('codec server (Temporal remote codec protocol)', () => {
  const codec = new EncryptionCodec('current-secret', ['previous-secret']);
  let open: { url: string; close: () => Promise<void> };
  let guarded: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    open = await serveCodec({ host: '127.0.0.1', port: 0, origins: [UI], codec });
    guarded = await serveCodec({ host: '127.0.0.1', port: 0, origins: [UI], codec, token: 'codec-token-1' });
  });
  afterAll(async () => { await open.close(); await guarded.close(); });

  const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('encodes with the current key and decodes back, under any URL prefix, as proto3 JSON', async () => {
    const res = await post(open.url, '/encode?preserveStorageRefs=true', { payloads: [plain('{"connection":"demo"}')] });
    expect(res.status).toBe(200);
    const { payloads: [encoded] } = await res.json() as { payloads: PayloadJson[] };
    expect(Buffer.from(encoded!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata['encryption-key-id']!, 'base64').toString()).toBe(codec.keyId);
    expect(Buffer.from(encoded!.data, 'base64').toString()).not.toContain('demo');

    const back = await post(open.url, '/some/prefix/decode', { payloads: [encoded] });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ payloads: [plain('{"connection":"demo"}')] });
  });

  it('decodes a payload written with an older key of the ring, and names an unknown key id', async () => {
    const [old] = await new EncryptionCodec('previous-secret').encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"old"') }]);
    const asJson = { metadata: Object.fromEntries(Object.entries(old!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(old!.data!).toString('base64') };
    expect(await (await post(open.url, '/decode', { payloads: [asJson] })).json()).toEqual({ payloads: [plain('"old"')] });

    const stranger = new EncryptionCodec('someone-else');
    const [foreign] = await stranger.encode([{ metadata: {}, data: new TextEncoder().encode('"x"') }]);
    const res = await post(open.url, '/decode', { payloads: [{ metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64(stranger.keyId) }, data: Buffer.from(foreign!.data!).toString('base64') }] });
    expect(res.status).toBe(400);
    const { error } = await res.json() as { error: string };
    expect(error).toContain(`key id ${stranger.keyId}`);
    expect(error).toContain('BRIDGE_PAYLOAD_OLD_KEYS');
    expect(error).not.toContain('someone-else');
  });

  it('answers an empty Payloads ({} in proto3 JSON) and refuses malformed bodies with 400', async () => {
    expect(await (await post(open.url, '/decode', {})).json()).toEqual({ payloads: [] });
    expect((await post(open.url, '/decode', '{not json')).status).toBe(400);
    expect((await post(open.url, '/decode', { payloads: [{ data: 'not base64!' }] })).status).toBe(400);
    expect((await post(open.url, '/rotate', { payloads: [] })).status).toBe(404);
  });

  it('lets the UI origin through CORS preflight with the headers the UI sends, and refuses other origins', async () => {
    const pre = await fetch(`${open.url}/decode`, { method: 'OPTIONS', headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(UI);
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));
    const ok = await post(open.url, '/decode', { payloads: [] }, { origin: UI, 'x-namespace': 'default' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);

    const evil = 'http://evil.example';
    expect((await fetch(`${open.url}/decode`, { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'POST' } })).status).toBe(403);
    const refused = await post(open.url, '/encode', { payloads: [plain('1')] }, { origin: evil });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with a token, answers only requests carrying it as a bearer token', async () => {
    const body = { payloads: [plain('1')] };
    expect((await post(guarded.url, '/encode', body)).status).toBe(401);
    expect((await post(guarded.url, '/encode', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(guarded.url, '/encode', body, { authorization: 'codec-token-1' })).status).toBe(401);
    expect((await post(guarded.url, '/encode', body, { authorization: 'Bearer codec-token-1' })).status).toBe(200);
  });

  it('refuses to listen beyond loopback without a token unless told to', async () => {
    await expect(serveCodec({ host: '0.0.0.0', port: 0, origins: [UI], codec })).rejects.toThrow(/BRIDGE_CODEC_TOKEN is not set/);
    const allowed = await serveCodec({ host: '0.0.0.0', port: 0, origins: [UI], codec, allowNoToken: true });
    await allowed.close();
  });
});
