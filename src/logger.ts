import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Header and field names that carry credentials; pino replaces their values before writing. */
export const REDACTED_PATHS = [
  'apiKey',
  'token',
  'secret',
  // The SDK's activity log lines carry the task token: whoever holds it can complete the activity.
  'taskToken',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.taskToken',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

// ESC [ … final byte: the colour and cursor codes some native log lines (the SDK core's) carry.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes terminal colour codes, so a log line reads the same in a file as on a terminal. */
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

/**
 * Readable lines (pino-pretty) when a person watches the terminal (stdout and stderr are TTYs),
 * JSON lines otherwise; LOG_FORMAT=pretty|json decides instead when set.
 */
export const prettyConsole = process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY && process.stderr.isTTY);

let divert: ((line: string) => void) | null = null;

/** While a progress bar is drawn, it takes the log lines and prints them above itself; null gives them back to stderr. */
export function divertLogLines(fn: ((line: string) => void) | null): void {
  divert = fn;
}

function prettyDestination(): DestinationStream {
  // One line per entry (a progress bar stays whole); an error shows its type and message, its stack only in JSON.
  const format = pretty.prettyFactory({ colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service,taskToken,isLocal,err.stack,error.stack', errorLikeObjectKeys: [] });
  return {
    write(line: string) {
      const text = format(line);
      if (divert) divert(text);
      else process.stderr.write(text);
    },
  };
}

/** The root logger: to stderr (readable on a terminal, JSON otherwise), secrets redacted, colour codes stripped from messages, level from LOG_LEVEL. */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  base: { service: 'channel-bridge' },
  // The SDK logs failures under `error`: serialized like `err`, so their message is kept.
  serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((a: unknown) => (typeof a === 'string' ? stripAnsi(a) : a)) as Parameters<typeof method>);
    },
  },
}, prettyConsole ? prettyDestination() : pino.destination(2));
