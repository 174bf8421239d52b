/**
 * The error taxonomy (STYLE.md): one class per reason, each with its retry rule. Messages name
 * the platform, method and path, never a credential.
 */
export type ErrorKind =
  | 'TransientError'
  | 'RateLimitedError'
  | 'AuthError'
  | 'NotFoundError'
  | 'InvalidRequestError'
  | 'SchemaDriftError'
  | 'CreateOutcomeUnknownError'
  | 'ConfigError'
  | 'MappingError';

/** Base of every error we raise on purpose; `retryable` is what Temporal is told. */
export abstract class BridgeError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly retryable: boolean;
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
  override get name(): string {
    return this.kind;
  }
}

/** 5xx, 408, 423, connection resets and timeouts: Temporal's backoff retries. */
export class TransientError extends BridgeError {
  readonly kind = 'TransientError';
  readonly retryable = true;
}

/** 429 (or 503 with a hint): the next retry waits `retryAfterMs`. */
export class RateLimitedError extends BridgeError {
  readonly kind = 'RateLimitedError';
  readonly retryable = true;
  constructor(message: string, readonly retryAfterMs: number | undefined, details: Record<string, unknown> = {}) {
    super(message, { ...details, retryAfterMs });
  }
}

/** 401/403: never retried; the connection needs credentials. */
export class AuthError extends BridgeError {
  readonly kind = 'AuthError';
  readonly retryable = false;
}

/** 404: never retried; callers that expect absence get null instead. */
export class NotFoundError extends BridgeError {
  readonly kind = 'NotFoundError';
  readonly retryable = false;
}

/** Other 4xx: our payload is wrong; reported, never retried. */
export class InvalidRequestError extends BridgeError {
  readonly kind = 'InvalidRequestError';
  readonly retryable = false;
}

/** A response failed its zod schema: the platform changed; reported, never retried. */
export class SchemaDriftError extends BridgeError {
  readonly kind = 'SchemaDriftError';
  readonly retryable = false;
}

/**
 * A create whose request may have reached the platform without us seeing the answer. Never
 * retried blindly: the workflow looks the record up first (see docs/idempotency.md).
 */
export class CreateOutcomeUnknownError extends BridgeError {
  readonly kind = 'CreateOutcomeUnknownError';
  readonly retryable = false;
}

/** The configuration file or environment is wrong; raised at start with the field and reason. */
export class ConfigError extends BridgeError {
  readonly kind = 'ConfigError';
  readonly retryable = false;
}

/** A source record cannot be mapped: it fails alone, with the field and reason. */
export class MappingError extends BridgeError {
  readonly kind = 'MappingError';
  readonly retryable = false;
}

/** Error type names Temporal must not retry, derived from the classes above (a test keeps them in step). */
export const NON_RETRYABLE_ERROR_TYPES: readonly ErrorKind[] = [
  'AuthError',
  'NotFoundError',
  'InvalidRequestError',
  'SchemaDriftError',
  'CreateOutcomeUnknownError',
  'ConfigError',
  'MappingError',
];
