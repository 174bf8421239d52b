import { pino, type Logger } from 'pino';

/** Header and field names that carry credentials; pino replaces their values before writing. */
export const REDACTED_PATHS = [
  'apiKey',
  'token',
  'secret',
  '*.apiKey',
  '*.token',
  '*.secret',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

/** The root logger: JSON to stderr, secrets redacted, level from LOG_LEVEL. */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  base: { service: 'channel-bridge' },
}, pino.destination(2));
