import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERROR_CODES, ERRORS, type ErrorCode } from '../errors.js'

/** Framework errors carry only a status: the code that answers with it. */
const CODE_FOR_STATUS = new Map<number, ErrorCode>(ERROR_CODES.map((code) => [ERRORS[code].status, code]))

/** PostgreSQL and socket errors that mean "the store is unreachable", not "the request is wrong". */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])/

const MULTIPART_ERROR = /^(Multipart: |Unexpected end of (form|file)|Malformed (part header|urlencoded form))/

interface AjvIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/**
 * Turns anything thrown while handling a request into an `AppError`: our own errors as
 * they are, Fastify's body/content-type/validation errors into their codes, store outages
 * into 503, and everything else into a generic 500 (logged, never shown).
 */
export function toAppError (error: unknown): AppError {
  if (error instanceof AppError) return error
  const fastifyError = error as Partial<FastifyError> & { validation?: AjvIssue[], validationContext?: string, errno?: string }
  if (Array.isArray(fastifyError.validation)) return fromValidation(fastifyError.validation, fastifyError.validationContext ?? 'body')
  // busboy's complaints about a malformed multipart body (no boundary, cut-off parts) are the client's.
  if (error instanceof Error && MULTIPART_ERROR.test(error.message) && fastifyError.statusCode === undefined) {
    return new AppError('INVALID_INPUT', 'the multipart body is malformed')
  }
  if (isStoreUnavailable(error)) return new AppError('SERVICE_UNAVAILABLE', ERRORS.SERVICE_UNAVAILABLE.message, undefined, 5)
  const status = fastifyError.statusCode
  if (status === 429) return new AppError('RATE_LIMITED', ERRORS.RATE_LIMITED.message, undefined, retryAfterOf(fastifyError))
  // The end-to-end request timeout (Fastify's handlerTimeout).
  if (fastifyError.code === 'FST_ERR_HANDLER_TIMEOUT') return new AppError('SERVICE_UNAVAILABLE', 'the request took too long', undefined, 5)
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_FOR_STATUS.get(status) ?? 'INVALID_INPUT'
    return new AppError(code, code === 'INVALID_INPUT' ? clientMessage(fastifyError) : ERRORS[code].message)
  }
  return new AppError('INTERNAL')
}

function isStoreUnavailable (error: unknown): boolean {
  const candidate = error as { code?: unknown, errno?: unknown, message?: unknown } | null
  if (candidate === null || typeof candidate !== 'object') return false
  const code = typeof candidate.code === 'string' ? candidate.code : ''
  if (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true
  const message = typeof candidate.message === 'string' ? candidate.message : ''
  return /Connection terminated|connect ECONNREFUSED|PGlite is closed|timeout exceeded when trying to connect|driver has already been destroyed|Cannot use a pool after calling end|not queryable|server closed the connection unexpectedly|terminating connection|Query read timeout/i.test(message)
}

function fromValidation (issues: AjvIssue[], context: string): AppError {
  const details: Record<string, string> = {}
  let unknownField = false
  for (const issue of issues) {
    if (issue.keyword === 'additionalProperties') {
      unknownField = true
      details[fieldName(issue.instancePath, String(issue.params.additionalProperty))] = 'is not accepted by this route'
      continue
    }
    const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : undefined
    const field = fieldName(issue.instancePath, missing) || context
    details[field] ??= missing !== undefined ? 'is required' : reason(issue)
  }
  return unknownField
    ? new AppError('INVALID_INPUT', 'request has a field this route does not accept', details)
    : new AppError('VALIDATION_FAILED', ERRORS.VALIDATION_FAILED.message, details)
}

/** `/suppressions/3/address` + nothing → `suppressions[3].address`. */
function fieldName (instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter((part) => part !== '')
  if (child !== undefined) parts.push(child)
  return parts.reduce((name, part) => /^\d+$/.test(part) ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`, '')
}

function reason (issue: AjvIssue): string {
  const params = issue.params
  switch (issue.keyword) {
    case 'enum': return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`
    case 'format': return `must be a valid ${String(params.format)}`
    case 'minimum': return `must be at least ${String(params.limit)}`
    case 'maximum': return `must be at most ${String(params.limit)}`
    case 'minLength': return `must be at least ${String(params.limit)} characters`
    case 'maxLength': return `must be at most ${String(params.limit)} characters`
    case 'minItems': return `must have at least ${String(params.limit)} entries`
    case 'maxItems': return `must have at most ${String(params.limit)} entries`
    case 'type': return `must be ${String(params.type).replace(',', ' or ')}`
    default: return issue.message ?? 'is invalid'
  }
}

function clientMessage (error: Partial<FastifyError>): string {
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return 'body is not valid JSON'
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'body must not be empty when Content-Type is application/json'
  return ERRORS.INVALID_INPUT.message
}

function retryAfterOf (error: Partial<FastifyError> & { retryAfterSeconds?: number }): number {
  return error.retryAfterSeconds ?? 60
}

export function httpStatusOf (error: AppError): number {
  return ERRORS[error.code].status
}

/** The native (AgentMessage) error envelope. */
export function sendErrorEnvelope (request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds))
  return reply.code(httpStatusOf(error)).send({
    success: false,
    error: {
      code: error.code,
      message: error.message,
      request_id: request.id,
      ...(error.details !== undefined ? { details: error.details } : {})
    }
  })
}

export function logIfUnexpected (request: FastifyRequest, original: unknown, error: AppError): void {
  if (error.code === 'INTERNAL') request.log.error({ err: original }, 'unhandled error')
  else if (error.code === 'SERVICE_UNAVAILABLE') request.log.warn({ err: original }, 'store unavailable')
}
