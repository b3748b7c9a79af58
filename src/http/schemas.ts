import { type Static, type TSchema, Type } from 'typebox'
import { ERROR_CODES, ERRORS, type ErrorCode } from '../errors.js'

/**
 * Shared TypeBox building blocks. Route schemas give validation, static types, response
 * serialization (only declared fields leave the process) and the OpenAPI document.
 */

export const Uuid = Type.String({ format: 'uuid', description: 'UUIDv7', example: '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b' })
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 UTC with milliseconds', example: '2026-04-26T12:00:00.123Z' })

/** A string enum as `{enum: [...]}` (Ajv reports it as one clear error, unlike a union of literals). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

/** `T | null` as one JSON-schema type list (fast to serialize, clear in OpenAPI). */
export function Nullable<T extends TSchema> (schema: T) {
  const plain = schema as unknown as Record<string, unknown>
  const nullableSchema: Record<string, unknown> = { ...plain, type: [plain.type, 'null'] }
  if (Array.isArray(plain.enum)) nullableSchema.enum = [...plain.enum, null]
  return Type.Unsafe<Static<T> | null>(nullableSchema)
}

export const ListMeta = Type.Object({
  total: Type.Integer({ description: 'Exact number of rows matching the filters' }),
  limit: Type.Integer(),
  offset: Type.Integer({ description: 'Always 0: lists page by cursor' }),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
  last_event_at: Nullable(Timestamp)
}, { title: 'ListMeta' })

export const Envelope = <T extends TSchema>(data: T) =>
  Type.Object({ success: Type.Literal(true), data })

export const ListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({ success: Type.Literal(true), data: Type.Array(item), meta: ListMeta })

export const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  error: Type.Object({
    code: StringEnum(ERROR_CODES),
    message: Type.String(),
    request_id: Type.String({ description: 'ULID, also sent as X-Request-Id' }),
    details: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Field → reason' }))
  })
}, { $id: 'Error' })

const ALWAYS: readonly ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'INTERNAL', 'SERVICE_UNAVAILABLE']
const WITH_BODY: readonly ErrorCode[] = ['INVALID_INPUT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']
const UNAUTHENTICATED: readonly ErrorCode[] = ['RATE_LIMITED', 'INTERNAL', 'SERVICE_UNAVAILABLE']

/**
 * A route's full response map: its successes plus the error codes it can answer, each at
 * its status (`ERRORS`) in the error envelope. Every authenticated route can answer
 * UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, INTERNAL and SERVICE_UNAVAILABLE; `body: true`
 * adds the codes of routes that read a body.
 */
export function responses (
  success: Record<number, TSchema>, errors: readonly ErrorCode[] = [], options: { body?: boolean, authenticated?: boolean } = {}
): Record<number, TSchema> {
  const codes = new Set<ErrorCode>([
    ...(options.authenticated === false ? UNAUTHENTICATED : ALWAYS),
    ...(options.body === true ? WITH_BODY : []),
    ...errors
  ])
  const map: Record<number, TSchema> = { ...success }
  for (const code of [...codes].sort((a, b) => ERRORS[a].status - ERRORS[b].status)) {
    map[ERRORS[code].status] = Type.Ref('Error', { description: `${code}: ${ERRORS[code].description}` })
  }
  return map
}

export const PageQuery = {
  cursor: Type.Optional(Type.String({ description: 'From `meta.next_cursor` of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 })
}
