import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createFanfareSimulator, FanfareWebhookEvent, signFanfare, verifyFanfareSignature,
} from '../../../src/connectors/fanfare/index.js';
import { KEY } from './fixtures.js';

const SECRET = 'whsec_suite_secret_123';
const NOW = Date.UTC(2026, 2, 20, 12, 0, 0);
const ts = (offsetSeconds = 0) => String(Math.floor(NOW / 1000) + offsetSeconds);
const BODY = JSON.stringify({ id: 'e1', type: 'order.created', timestamp: '2026-03-20T12:00:00Z', organizationId: 'org', data: { orderId: 'o1' } });

function delivery(opts: { body?: string; secret?: string; timestamp?: string } = {}) {
  const timestamp = opts.timestamp ?? ts();
  return { 'X-Fanfare-Signature': signFanfare(opts.secret ?? SECRET, timestamp, opts.body ?? BODY), 'X-Fanfare-Timestamp': timestamp };
}

describe('Fanfare webhook signatures', () => {
  it('signFanfare is sha256=<hex HMAC of "<timestamp>.<body>">, the same for string and Buffer bodies', () => {
    const sig = signFanfare(SECRET, '1700000000', BODY);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signFanfare(SECRET, 1700000000, Buffer.from(BODY))).toBe(sig);
    expect(signFanfare(SECRET, '1700000001', BODY)).not.toBe(sig);
  });

  it('a valid delivery verifies, whatever the header case', () => {
    expect(verifyFanfareSignature({ rawBody: BODY, headers: delivery(), secret: SECRET, now: NOW })).toEqual({ ok: true });
    const lower = Object.fromEntries(Object.entries(delivery()).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyFanfareSignature({ rawBody: Buffer.from(BODY), headers: lower, secret: SECRET, now: NOW })).toEqual({ ok: true });
  });

  it('a body changed after signing is refused', () => {
    const r = verifyFanfareSignature({ rawBody: BODY.replace('o1', 'o2'), headers: delivery(), secret: SECRET, now: NOW });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('does not match') });
  });

  it('a signature made with another secret is refused, and the reason never shows a secret', () => {
    const r = verifyFanfareSignature({ rawBody: BODY, headers: delivery({ secret: 'whsec_attacker' }), secret: SECRET, now: NOW });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('a forged timestamp (signature of another time) is refused', () => {
    const headers = { ...delivery({ timestamp: ts(-10) }), 'X-Fanfare-Timestamp': ts() };
    expect(verifyFanfareSignature({ rawBody: BODY, headers, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('a stale delivery (more than 300 s old) is refused; 300 s exactly is accepted', () => {
    expect(verifyFanfareSignature({ rawBody: BODY, headers: delivery({ timestamp: ts(-301) }), secret: SECRET, now: NOW }))
      .toEqual({ ok: false, reason: expect.stringContaining('301 s old') });
    expect(verifyFanfareSignature({ rawBody: BODY, headers: delivery({ timestamp: ts(-300) }), secret: SECRET, now: NOW })).toEqual({ ok: true });
  });

  it('a timestamp far in the future is refused too', () => {
    expect(verifyFanfareSignature({ rawBody: BODY, headers: delivery({ timestamp: ts(3600) }), secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('missing signature or timestamp headers are refused', () => {
    const { 'X-Fanfare-Signature': sig, 'X-Fanfare-Timestamp': t } = delivery();
    expect(verifyFanfareSignature({ rawBody: BODY, headers: { 'X-Fanfare-Timestamp': t }, secret: SECRET, now: NOW }))
      .toEqual({ ok: false, reason: expect.stringContaining('X-Fanfare-Signature') });
    expect(verifyFanfareSignature({ rawBody: BODY, headers: { 'X-Fanfare-Signature': sig }, secret: SECRET, now: NOW }))
      .toEqual({ ok: false, reason: expect.stringContaining('X-Fanfare-Timestamp') });
  });

  it('malformed signatures and timestamps are refused', () => {
    const t = ts();
    expect(verifyFanfareSignature({ rawBody: BODY, headers: { 'X-Fanfare-Signature': 'sha256=abc', 'X-Fanfare-Timestamp': t }, secret: SECRET, now: NOW }).ok).toBe(false);
    expect(verifyFanfareSignature({ rawBody: BODY, headers: { ...delivery(), 'X-Fanfare-Timestamp': '2026-03-20T12:00:00Z' }, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('during a secret rotation either secret verifies', () => {
    const headers = delivery({ secret: 'whsec_old' });
    expect(verifyFanfareSignature({ rawBody: BODY, headers, secret: [SECRET, 'whsec_old'], now: NOW })).toEqual({ ok: true });
    expect(verifyFanfareSignature({ rawBody: BODY, headers, secret: [SECRET], now: NOW }).ok).toBe(false);
  });
});

describe('Fanfare simulator webhook deliveries', () => {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(200).end('OK'); });
  });
  let sim: ReturnType<typeof createFanfareSimulator>;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    sim = createFanfareSimulator({ apiKey: KEY, organizationId: 'org_suite', webhook: { url: `http://127.0.0.1:${port}/webhooks/fanfare`, secret: SECRET } });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends a signed {id,type,timestamp,organizationId,data} that verifies with the shared secret', async () => {
    const sent = await sim.sendWebhook('order.created', { orderId: 'order_1', amount: '149.99', currencyCode: 'USD' });
    expect(sent.status).toBe(200);
    const got = received.at(-1)!;
    expect(verifyFanfareSignature({ rawBody: got.body, headers: got.headers, secret: SECRET })).toEqual({ ok: true });
    expect(verifyFanfareSignature({ rawBody: got.body, headers: got.headers, secret: 'whsec_other' }).ok).toBe(false);
    const event = FanfareWebhookEvent.parse(JSON.parse(got.body));
    expect(event).toMatchObject({ type: 'order.created', organizationId: 'org_suite', data: { orderId: 'order_1' } });
    expect(got.headers['x-fanfare-event-type']).toBe('order.created');
    expect(got.headers['x-fanfare-delivery-id']).toBe(sent.deliveryId);
  });

  it('refuses to send an undocumented event type', async () => {
    await expect(sim.sendWebhook('product.updated' as 'order.created', {})).rejects.toThrow(/not a documented event type/);
  });
});
