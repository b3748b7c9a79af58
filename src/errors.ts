/**
 * The closed set of error codes. Services throw `AppError` with one of these codes and
 * know nothing of HTTP; each API surface (native, Mailgun, WhatCounts) renders them in
 * its own shape, with the status of `ERRORS` below.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL'
] as const

export type ErrorCode = typeof ERROR_CODES[number]

interface ErrorEntry {
  /** The HTTP status every API surface answers the code with. */
  status: number
  /** The contract's fixed message, used when a thrower has nothing more specific to say. */
  message: string
  /** When a route answers it, for the OpenAPI document. */
  description: string
}

/** The one table of error codes: status, default message, documentation. */
export const ERRORS = {
  INVALID_INPUT: { status: 400, message: 'invalid input', description: 'unparseable body or a field the route does not accept' },
  UNAUTHORIZED: { status: 401, message: 'authentication failed', description: 'missing, malformed, unknown or revoked key' },
  FORBIDDEN: { status: 403, message: 'missing required scope', description: 'missing required scope' },
  NOT_FOUND: { status: 404, message: 'not found', description: 'unknown id, or an id of another organization' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed', description: 'the path exists but not with this method; `Allow` lists its methods' },
  CONFLICT: { status: 409, message: 'conflict', description: 'the current state forbids the change' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'payload too large', description: 'body over the route limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported media type', description: 'wrong Content-Type' },
  VALIDATION_FAILED: { status: 422, message: 'validation failed', description: '`details` maps each bad field to a reason' },
  RATE_LIMITED: { status: 429, message: 'rate limited', description: 'retry after `Retry-After` seconds' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'service unavailable', description: 'the store is unreachable; retry after `Retry-After` seconds' },
  INTERNAL: { status: 500, message: 'internal error', description: 'unexpected error' }
} as const satisfies Record<ErrorCode, ErrorEntry>

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor (
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    /** Field → reason, for validation-class errors. */
    readonly details?: Record<string, string>,
    /** Seconds a client should wait before retrying (429, 503). */
    readonly retryAfterSeconds?: number
  ) {
    super(message)
  }
}

export const notFound = (): AppError => new AppError('NOT_FOUND')

export const validationFailed = (details: Record<string, string>): AppError =>
  new AppError('VALIDATION_FAILED', ERRORS.VALIDATION_FAILED.message, details)

/**
 * Collects what is wrong with a request's fields, so one 422 names every problem at once:
 * `problems.add(field, reason)` for each, then `problems.throwIfAny()`.
 */
export class Problems {
  readonly #details: Record<string, string> = {}

  add (field: string, reason: string): void {
    this.#details[field] = reason
  }

  throwIfAny (): void {
    if (Object.keys(this.#details).length > 0) throw validationFailed({ ...this.#details })
  }
}
