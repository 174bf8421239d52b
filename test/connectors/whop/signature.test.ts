import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWhop, verifyWhopWebhook, whopWebhookKey } from '../../../src/connectors/whop/index.js';
import { COMPANY, startWhop } from './fixtures.js';

const SECRET = 'ws_test_secret_value_123';
const body = JSON.stringify({ id: 'msg_1', api_version: 'v1', type: 'payment.succeeded', timestamp: new Date().toISOString(), data: { id: 'pay_1' }, company_id: COMPANY });

describe('Whop webhook signatures (Standard Webhooks)', () => {
  it('a delivery signed with the secret verifies and yields the event', () => {
    const headers = signWhop(SECRET, 'msg_1', new Date(), body);
    const r = verifyWhopWebhook({ rawBody: body, headers, secret: SECRET });
    expect(r).toEqual({ ok: true, event: expect.objectContaining({ type: 'payment.succeeded', data: { id: 'pay_1' } }) });
  });

  it('a whsec_-prefixed key is used as is; a raw secret is base64-encoded first', () => {
    const key = whopWebhookKey(SECRET);
    expect(key).toBe(Buffer.from(SECRET).toString('base64'));
    expect(whopWebhookKey(`whsec_${key}`)).toBe(`whsec_${key}`);
    const headers = signWhop(`whsec_${key}`, 'msg_1', new Date(), body);
    expect(verifyWhopWebhook({ rawBody: body, headers, secret: SECRET }).ok).toBe(true);
  });

  it('a forged signature, a changed body or another secret is refused', () => {
    const headers = signWhop(SECRET, 'msg_1', new Date(), body);
    const forged = verifyWhopWebhook({ rawBody: body, headers: { ...headers, 'webhook-signature': `v1,${Buffer.from('x'.repeat(32)).toString('base64')}` }, secret: SECRET });
    expect(forged).toEqual({ ok: false, reason: 'No matching signature found' });
    expect(verifyWhopWebhook({ rawBody: body.replace('pay_1', 'pay_2'), headers, secret: SECRET }).ok).toBe(false);
    expect(verifyWhopWebhook({ rawBody: body, headers, secret: 'another-secret' }).ok).toBe(false);
  });

  it('a stale timestamp (beyond 5 minutes) is refused', () => {
    const stale = new Date(Date.now() - 10 * 60_000);
    const r = verifyWhopWebhook({ rawBody: body, headers: signWhop(SECRET, 'msg_1', stale, body), secret: SECRET });
    expect(r).toEqual({ ok: false, reason: 'Message timestamp too old' });
  });

  it('missing headers are refused, naming them, and the secret never appears in a reason', () => {
    const headers = signWhop(SECRET, 'msg_1', new Date(), body);
    const r = verifyWhopWebhook({ rawBody: body, headers: { 'webhook-id': headers['webhook-id']! }, secret: SECRET });
    expect(r).toEqual({ ok: false, reason: 'missing header(s): webhook-timestamp, webhook-signature' });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('a signed body that is not a Whop event is refused', () => {
    const other = JSON.stringify({ hello: 'world' });
    const r = verifyWhopWebhook({ rawBody: other, headers: signWhop(SECRET, 'msg_2', new Date(), other), secret: SECRET });
    expect(r.ok).toBe(false);
  });

  describe('a delivery sent by the simulator to a local HTTP server', () => {
    let server: Server;
    let received: Promise<{ raw: string; headers: IncomingHttpHeaders }>;
    let receiverUrl: string;
    beforeAll(async () => {
      received = new Promise((resolve) => {
        server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => { res.writeHead(200).end('{}'); resolve({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers }); });
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whop`;
    });
    afterAll(async () => { await new Promise((r) => server.close(r)); });

    it('verifies with the shared secret and carries the documented payload', async () => {
      const { sim } = await startWhop({ webhook: { url: receiverUrl, secret: SECRET } });
      try {
        const sent = await sim.sendWebhook('membership.activated', { id: 'mem_1', product: { id: 'prod_1' } });
        expect(sent.status).toBe(200);
        const { raw, headers } = await received;
        expect(headers['webhook-id']).toBe(sent.id);
        const r = verifyWhopWebhook({ rawBody: raw, headers, secret: SECRET });
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.event).toMatchObject({ id: sent.id, api_version: 'v1', type: 'membership.activated', company_id: COMPANY, data: { id: 'mem_1' } });
        expect(verifyWhopWebhook({ rawBody: raw, headers, secret: `${SECRET}x` }).ok).toBe(false);
      } finally { await sim.close(); }
    });
  });
});
