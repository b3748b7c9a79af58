import { validationFailed } from '../errors.js'
import { isUuid } from './ids.js'

/** The keyset of a newest-first list: the last row's (created_at, id). */
export interface Cursor {
  createdAt: Date
  id: string
}

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export function encodeCursor (cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ created_at: cursor.createdAt.toISOString(), id: cursor.id })).toString('base64')
}

/** Decodes a client's cursor; anything that is not exactly our keyset is 422 `details.cursor`. */
export function decodeCursor (text: string): Cursor {
  const invalid = validationFailed({ cursor: 'is not a cursor of this list' })
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, 'base64').toString('utf8'))
  } catch {
    throw invalid
  }
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 2) throw invalid
  const { created_at: createdAt, id } = value as Record<string, unknown>
  if (typeof createdAt !== 'string' || !TIMESTAMP_PATTERN.test(createdAt) || typeof id !== 'string' || !isUuid(id)) throw invalid
  const date = new Date(createdAt)
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw invalid
  return { createdAt: date, id: id.toLowerCase() }
}

/** Given rows fetched with `limit + 1`, the page and the cursor of the next one. */
export function paginate<T extends { id: string, created_at: Date }> (rows: T[], limit: number): { page: T[], nextCursor: string | null } {
  if (rows.length <= limit) return { page: rows, nextCursor: null }
  const page = rows.slice(0, limit)
  const last = page[page.length - 1] as T
  return { page, nextCursor: encodeCursor({ createdAt: last.created_at, id: last.id }) }
}
