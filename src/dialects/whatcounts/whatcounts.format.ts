import { createHash } from 'node:crypto'
import { XMLBuilder } from 'fast-xml-parser'
import type { ListComplaintReport } from '../../modules/reports/reports.service.js'

/**
 * WhatCounts' presentation rules: its date format, its unsalted e-mail hashes, its
 * `Accept` convention and its error shape. Pure functions, no business logic.
 */

/**
 * Upper-case hex SHA-1 of the lower-cased address; empty when there is no address. (The
 * other presentation rules of a subscriber record, its dates and its MD5, are written by
 * PostgreSQL with the record: see `selectListComplaintPage`.)
 */
export function emailSha1 (email: string): string {
  return email === '' ? '' : createHash('sha1').update(email.toLowerCase(), 'utf8').digest('hex').toUpperCase()
}

const WHATCOUNTS_V1 = 'application/vnd.whatcounts-v1+json'
export const PLAIN_JSON = 'application/json'
const WHATCOUNTS_V1_XML = 'application/vnd.whatcounts-v1+xml'
const APPLICATION_XML = 'application/xml'
const TEXT_XML = 'text/xml'

export type WhatCountsType = typeof WHATCOUNTS_V1 | typeof PLAIN_JSON | typeof WHATCOUNTS_V1_XML | typeof APPLICATION_XML | typeof TEXT_XML

/** Among equally wanted exact types, WhatCounts' own versioned ones first (its documented convention). */
const EXACT_ORDER: readonly WhatCountsType[] = [WHATCOUNTS_V1, PLAIN_JSON, WHATCOUNTS_V1_XML, APPLICATION_XML, TEXT_XML]
/** Through a wildcard, the plain types first: the vendor type is only answered when asked for. */
const WILDCARD_ORDER: readonly WhatCountsType[] = [PLAIN_JSON, WHATCOUNTS_V1, APPLICATION_XML, WHATCOUNTS_V1_XML, TEXT_XML]

/**
 * The response type for an `Accept` header: the acceptable type with the highest quality,
 * an exact match before a type wildcard before the any-type wildcard; WhatCounts' versioned JSON or XML type
 * only when the client names it. No Accept (or an empty one) is plain JSON; null when no
 * JSON or XML type is acceptable (→ 406).
 */
export function negotiateWhatCountsType (accept: string | undefined): WhatCountsType | null {
  if (accept === undefined || accept.trim() === '') return PLAIN_JSON
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase())
    const q = params.find((param) => param.startsWith('q='))
    const quality = q === undefined ? 1 : Number(q.slice(2))
    return { range, quality: Number.isFinite(quality) ? quality : 0 }
  })
  const preference = (type: WhatCountsType): { q: number, specificity: number } => {
    const exact = ranges.find((entry) => entry.range === type)
    if (exact !== undefined) return { q: exact.quality, specificity: 2 }
    const partial = ranges.find((entry) => entry.range === `${type.slice(0, type.indexOf('/'))}/*`)
    if (partial !== undefined) return { q: partial.quality, specificity: 1 }
    return { q: ranges.find((entry) => entry.range === '*/*')?.quality ?? 0, specificity: 0 }
  }
  let best: { type: WhatCountsType, q: number, specificity: number, rank: number } | null = null
  for (const type of EXACT_ORDER) {
    const { q, specificity } = preference(type)
    if (q <= 0) continue
    const rank = (specificity === 2 ? EXACT_ORDER : WILDCARD_ORDER).indexOf(type)
    if (best === null || q > best.q || (q === best.q && (specificity > best.specificity || (specificity === best.specificity && rank < best.rank)))) {
      best = { type, q, specificity, rank }
    }
  }
  return best?.type ?? null
}

export function isXmlType (type: WhatCountsType): boolean {
  return type.endsWith('xml')
}

// XML 1.0 has no way to write these characters, escaped or not: each becomes U+FFFD.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

const xmlBuilder = new XMLBuilder({
  ignoreAttributes: false,
  // Escapes &, <, >, " and ' in every value; the element names are our own fixed field names.
  processEntities: true,
  suppressEmptyNode: false,
  tagValueProcessor: (_name: string, value: unknown) => typeof value === 'string' ? value.replace(NOT_XML_CHARACTER, '\uFFFD') : value
})

/**
 * A JSON-shaped answer as an XML document: `root` holds one element per field, in the
 * object's order; an array becomes one `item` element per entry inside its field's element.
 */
export function toWhatCountsXml (root: string, body: object, item: Record<string, string> = {}): string {
  const wrap = (value: object): Record<string, unknown> => Object.fromEntries(Object.entries(value).map(([name, field]) => [
    name, Array.isArray(field) ? { [item[name] ?? 'item']: field } : field
  ]))
  return xmlBuilder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: wrap(body) }) as string
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable'
}

export interface WhatCountsError {
  error: string
  status: string
  statusCode: number
}

/** `{"error": "Unauthorized", "status": "Unauthorized", "statusCode": 401}` */
export function whatCountsError (statusCode: number): WhatCountsError {
  const reason = REASONS[statusCode] ?? 'Error'
  return { error: reason, status: reason, statusCode }
}

/** `skip`: a non-negative whole number; anything else (negative, non-numeric, repeated) is 0. */
export function parseSkip (value: unknown): number {
  if (typeof value !== 'string' || !/^\+?\d+$/.test(value.trim())) return 0
  const skip = Number(value.trim())
  return Number.isSafeInteger(skip) ? skip : Number.MAX_SAFE_INTEGER
}

/**
 * A list complaint report as WhatCounts' JSON: each record PostgreSQL wrote, completed with
 * its SHA-1 and the page (repeated on each record, where WhatCounts clients read it), inside
 * the report's envelope. Written as text, never parsed: a page of 500 is about 250 KB.
 */
export function writeWhatCountsReport (report: ListComplaintReport): string {
  const page = `"skip":${report.skip},"max":${report.max}`
  const subscribers = report.records.map(({ head, email }) => `${head},"sha1Encryption":"${emailSha1(email)}",${page}}`)
  return `{"complaintTotal":${report.total},${page},"subscribers":[${subscribers.join(',')}]}`
}
