import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** Xola's validation answer: 400 with details by field (S4:L583-589); messages name rules, not values. */
export function validation(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return invalid(reply, Object.fromEntries(error.issues.map((i) => [i.path.join('.') || '(body)', i.message])));
}

/** The same 400 for checks zod cannot make (e.g. a referenced record that does not exist). */
export function invalid(reply: FastifyReply, details: Record<string, string>): FastifyReply {
  return reply.code(400).send({ error: { reason: 'Validation failed', message: 'Validation failed', details }, message: 'Validation failed', code: 400 });
}

/** Xola's generic error body `{error:{reason,message}, message, code}` (S4:L583-589), with an optional `error.code`. */
export function xolaError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send({ error: { reason: message, message, ...extra }, message, code: status });
}
