import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeIssues } from '../config.js';
import { ConfigError } from '../errors.js';
import { logger } from '../logger.js';

/** Temporal's remote codec protocol: proto3 JSON of `temporal.api.common.v1.Payloads`, bytes as base64. */
const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
// proto3 JSON omits empty fields: a Payloads with no payloads arrives as {}, a payload without data as {metadata}.
const PayloadsJson = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).optional(), data: Base64.optional() })).default([]),
});
type PayloadsJson = z.infer<typeof PayloadsJson>;

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins allowed to call (the Temporal UI's), e.g. http://127.0.0.1:8233. */
  origins: string[];
  /** When set, every /encode and /decode must carry `Authorization: Bearer <token>`. */
  token?: string;
}

/** Where `bridge up` and `bridge codec-server` listen by default: beside the UI's 8233. */
export const CODEC_PORT = 8234;

/** Headers the Temporal UI sends to a codec server (ui: src/lib/services/data-encoder.ts). */
const ALLOWED_HEADERS = 'Authorization, Authorization-Extras, Content-Type, X-Namespace';
/** Temporal's default payload limit is 2 MiB and a gRPC message 4 MiB; base64 adds a third. */
const BODY_LIMIT = 8 * 1024 * 1024;

const toPayloads = (body: PayloadsJson): Payload[] => body.payloads.map((p) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
}));
const toJson = (payloads: Payload[]): PayloadsJson => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});

/** Compares digests, so neither the token's content nor its length leaks through timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}

/**
 * The codec server: lets the Temporal UI and CLI show the bridge's encrypted payloads decoded
 * (POST …/decode) and encode what an operator types (POST …/encode). Browsers are answered only
 * from the configured UI origins; with a token, every call must carry it.
 */
export function createCodecServer(opts: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const origins = new Set(opts.origins.map((o) => o.replace(/\/+$/, '')));
  // Any content type is read as JSON (the protocol's body is always JSON); a parse error is a 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    void reply.code(err.statusCode && err.statusCode < 500 ? err.statusCode : 500).send({ error: err.message });
  });

  /** CORS for the UI origins; false (and a 403 sent) for any other browser origin. */
  const cors = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (!origins.has(origin)) {
      void reply.code(403).send({ error: `origin ${origin} is not allowed` });
      return false;
    }
    void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin').header('Access-Control-Allow-Credentials', 'true');
    return true;
  };

  app.options('/*', (req, reply) => {
    if (!cors(req, reply)) return reply;
    return reply.code(204)
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      .header('Access-Control-Max-Age', '600')
      .send();
  });

  // The protocol routes on the URL's last segment only, so the server can sit under any prefix.
  app.post('/*', async (req, reply) => {
    if (!cors(req, reply)) return reply;
    const op = req.url.split('?')[0]!.split('/').pop();
    if (op !== 'encode' && op !== 'decode') return reply.code(404).send({ error: 'POST …/encode or …/decode' });
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'a bearer token is required (Authorization: Bearer <BRIDGE_CODEC_TOKEN>)' });
    }
    const body = PayloadsJson.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: describeIssues(body.error) });
    try {
      const payloads = toPayloads(body.data);
      const out = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      return reply.code(200).header('Content-Type', 'application/json').send(toJson(out));
    } catch (err) {
      logger.warn({ op, namespace: req.headers['x-namespace'], err: (err as Error).message }, 'codec server: payloads refused');
      return reply.code(400).send({ error: (err as Error).message });
    }
  });
  return app;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export interface ServeCodecOptions {
  host: string;
  port: number;
  origins: string[];
  /** Listen on a non-loopback address without BRIDGE_CODEC_TOKEN (a port published on loopback only). */
  allowNoToken?: boolean;
  codec: PayloadCodec;
  token?: string;
}

/** Starts a codec server; refuses to decrypt for the network at large without a token. */
export async function serveCodec(opts: ServeCodecOptions): Promise<{ url: string; close: () => Promise<void> }> {
  if (!opts.token && !opts.allowNoToken && !isLoopback(opts.host)) {
    throw new ConfigError(`BRIDGE_CODEC_TOKEN is not set: a codec server on ${opts.host} would decrypt payloads for anyone who reaches it (set it, or listen on 127.0.0.1)`);
  }
  const app = createCodecServer({ codec: opts.codec, origins: opts.origins, token: opts.token });
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return { url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`, close: () => app.close() };
}
