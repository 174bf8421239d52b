import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { signFanfare } from '../../src/connectors/fanfare/index.js';
import { signWhop } from '../../src/connectors/whop/signature.js';
import { createReceiver } from '../../src/webhooks/receiver.js';

const XOLA = 'corpus-xola-secret';
const FANFARE = 'corpus-fanfare-secret';
const WHOP = 'whsec_Y29ycHVzLXdob3Atc2VjcmV0';

/** Bodies that are not the documented JSON object, each correctly signed where the platform signs. */
const CORPUS: Array<[string, string]> = [
  ['empty', ''], ['blank', '   '], ['null', 'null'], ['a number', '42'], ['a string', '"order.create"'], ['true', 'true'],
  ['an array', '[{"eventName":"order.create"}]'], ['an empty array', '[]'], ['broken JSON', '{"eventName":'], ['NaN', 'NaN'],
];

/**
 * The receiver's bad-input corpus: each body that is not a JSON object is refused with 400 and a
 * reason, on every platform's route and whatever the signature says, never a 500 or a 202.
 */
describe('webhook receiver: a malformed body is a 400, never a 500 or a 202', () => {
  let app: FastifyInstance;
  let base = '';
  // No bad body may reach a workflow: a client that throws on use proves it.
  const client = new Proxy({}, { get() { throw new Error('the receiver touched Temporal for a malformed body'); } }) as Client;
  beforeAll(async () => { app = createReceiver({ client, xolaSecret: XOLA, fanfareSecret: FANFARE, whopSecret: WHOP }); await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await app.close(); });

  const send = async (url: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${url}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { statusCode: res.status, json: async () => (await res.json()) as { error?: string } };
  };

  for (const [label, body] of CORPUS) {
    it(`refuses ${label} on Xola, Fanfare and Whop`, async () => {
      const now = Math.floor(Date.now() / 1000);
      const answers = [
        await send(`/webhooks/xola/${XOLA}`, body),
        await send('/webhooks/xola', body, { 'x-bridge-webhook-token': XOLA }),
        await send('/webhooks/fanfare', body, { 'x-fanfare-signature': signFanfare(FANFARE, String(now), body), 'x-fanfare-timestamp': String(now), 'x-fanfare-delivery-id': `d-${label}` }),
        await send('/webhooks/whop', body, signWhop(WHOP, `msg_${label.replace(/\W/g, '')}`, new Date(), body)),
      ];
      for (const a of answers) {
        expect(a.statusCode).toBe(400);
        expect(String((await a.json()).error)).toMatch(/JSON|body/);
      }
    });
  }

  it('still takes a well-formed, signed Fanfare object (the corpus is not refusing everything)', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'order.created', data: {} });
    const now = String(Math.floor(Date.now() / 1000));
    const a = await send('/webhooks/fanfare', body, { 'x-fanfare-signature': signFanfare(FANFARE, now, body), 'x-fanfare-timestamp': now, 'x-fanfare-delivery-id': 'ok-1' });
    expect(a.statusCode).toBeLessThan(300);
  });
});
