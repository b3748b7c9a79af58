/**
 * The closed set of error codes. Services throw `AppError` with one of these codes and
 * know nothing of HTTP; each API surface (native, Mailgun, WhatCounts) renders them in
 * its own shape through one table of statuses (`src/http/errors.ts`).
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

/** The contract's fixed messages, used when a thrower has nothing more specific to say. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'invalid input',
  UNAUTHORIZED: 'authentication failed',
  FORBIDDEN: 'missing required scope',
  NOT_FOUND: 'not found',
  METHOD_NOT_ALLOWED: 'method not allowed',
  CONFLICT: 'conflict',
  PAYLOAD_TOO_LARGE: 'payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported media type',
  VALIDATION_FAILED: 'validation failed',
  RATE_LIMITED: 'rate limited',
  SERVICE_UNAVAILABLE: 'service unavailable',
  INTERNAL: 'internal error'
}

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor (
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
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
  new AppError('VALIDATION_FAILED', DEFAULT_MESSAGES.VALIDATION_FAILED, details)

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
