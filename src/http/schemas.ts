import { type Static, type TSchema, Type } from 'typebox'
import { ERROR_CODES } from '../errors.js'

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
export type ListMeta = Static<typeof ListMeta>

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

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'INVALID_INPUT: unparseable body or a field the route does not accept',
  401: 'UNAUTHORIZED: missing, malformed, unknown or revoked key',
  403: 'FORBIDDEN: missing required scope',
  404: 'NOT_FOUND: unknown id, or an id of another organization',
  409: 'CONFLICT: the current state forbids the change',
  413: 'PAYLOAD_TOO_LARGE: body over the route limit',
  415: 'UNSUPPORTED_MEDIA_TYPE: wrong Content-Type',
  422: 'VALIDATION_FAILED: `details` maps each bad field to a reason',
  429: 'RATE_LIMITED: retry after `Retry-After` seconds',
  500: 'INTERNAL: unexpected error',
  503: 'SERVICE_UNAVAILABLE: the store is unreachable; retry after `Retry-After` seconds'
}

const ALWAYS = [401, 403, 429, 500, 503] as const
const WITH_BODY = [400, 413, 415] as const

/**
 * A route's full response map: its successes plus the error statuses it can answer,
 * each in the error envelope. `body: true` adds the statuses of routes that read a body.
 */
export function responses (success: Record<number, TSchema>, errors: number[] = [], options: { body?: boolean, authenticated?: boolean } = {}): Record<number, TSchema> {
  const statuses = new Set<number>([
    ...(options.authenticated === false ? [429, 500, 503] : ALWAYS),
    ...(options.body === true ? WITH_BODY : []),
    ...errors
  ])
  const map: Record<number, TSchema> = { ...success }
  for (const status of [...statuses].sort()) {
    map[status] = Type.Ref('Error', { description: ERROR_DESCRIPTIONS[status] })
  }
  return map
}

export const PageQuery = {
  cursor: Type.Optional(Type.String({ description: 'From `meta.next_cursor` of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 })
}
