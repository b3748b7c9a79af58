import { createHash } from 'node:crypto'

/**
 * WhatCounts' presentation rules: its date format, its unsalted e-mail hashes, its
 * `Accept` convention and its error shape. Pure functions, no business logic.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

/** "Feb 21, 2016 4:53:40 PM" (PHP 'M j, Y g:i:s A'), in UTC. */
export function formatWhatCountsDate (date: Date): string {
  const hours = date.getUTCHours()
  const twelve = hours % 12 === 0 ? 12 : hours % 12
  const pad = (value: number): string => String(value).padStart(2, '0')
  return `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()} ` +
    `${twelve}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
}

/** Upper-case hex MD5 and SHA-1 of the lower-cased address; empty strings when there is no address. */
export function emailHashes (email: string): { md5: string, sha1: string } {
  if (email === '') return { md5: '', sha1: '' }
  const lower = email.toLowerCase()
  return {
    md5: createHash('md5').update(lower, 'utf8').digest('hex').toUpperCase(),
    sha1: createHash('sha1').update(lower, 'utf8').digest('hex').toUpperCase()
  }
}

export const WHATCOUNTS_V1 = 'application/vnd.whatcounts-v1+json'
export const PLAIN_JSON = 'application/json'

/**
 * The response type for an `Accept` header: WhatCounts' versioned type when the client
 * names it (its documented convention), plain JSON when the client names that, accepts
 * anything, or sends no Accept; null when it accepts neither (→ 406).
 */
export function negotiateWhatCountsType (accept: string | undefined): typeof WHATCOUNTS_V1 | typeof PLAIN_JSON | null {
  if (accept === undefined || accept.trim() === '') return PLAIN_JSON
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase())
    const q = params.find((param) => param.startsWith('q='))
    const quality = q === undefined ? 1 : Number(q.slice(2))
    return { range, quality: Number.isFinite(quality) ? quality : 0 }
  })
  const quality = (type: string): { q: number, exact: boolean } => {
    const exact = ranges.find((entry) => entry.range === type)
    if (exact !== undefined) return { q: exact.quality, exact: true }
    const partial = ranges.find((entry) => entry.range === 'application/*') ?? ranges.find((entry) => entry.range === '*/*')
    return { q: partial?.quality ?? 0, exact: false }
  }
  const vnd = quality(WHATCOUNTS_V1)
  const json = quality(PLAIN_JSON)
  if (vnd.exact && vnd.q > 0 && vnd.q >= json.q) return WHATCOUNTS_V1
  if (json.q > 0) return PLAIN_JSON
  if (vnd.q > 0) return WHATCOUNTS_V1
  return null
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
