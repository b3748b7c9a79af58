import { timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { AppError } from '../../../errors.js'
import type { InboundMessageInput } from '../../intake/inbound-messages.service.js'

/** One webhook delivery as it arrived: the raw bytes are what every signature covers. */
export interface HookDelivery {
  /** The URLs the provider may have signed (Twilio): as received, with and without the default port. */
  urls: string[]
  headers: IncomingHttpHeaders
  body: Buffer
  now: Date
}

/** What a verified delivery asks of Ombuds, provider-neutral. */
export type HookEvent =
  /** An SMS reply: through intake's classifier, idempotent on (provider, message id). */
  | { kind: 'sms_reply', type: string, message: InboundMessageInput, declaredKind?: 'opt_out' | 'opt_in' | 'help', declaredKeyword?: string }
  /** A spam complaint about an email: a complaint and a complaint suppression per recipient. */
  | { kind: 'email_complaint', type: string, eventId: string, recipients: string[], senderDomains: string[], feedbackType: string | null }
  /** The provider already suppressed a recipient for a complaint filed by another event: the suppression only. */
  | { kind: 'email_complaint_suppression', type: string, eventId: string, recipient: string, senderDomains: string[] }
  /** A recipient unsubscribed: an opt-out suppression. */
  | { kind: 'email_opt_out', type: string, eventId: string, recipient: string, senderDomains: string[] }
  /** An event type the adapter does not act on: answered 200 and counted. */
  | { kind: 'ignored', type: string, eventId: string | null }

export interface VerifiedDelivery {
  events: HookEvent[]
  /** A value the provider signs once (Mailgun's token): seen again, the delivery is refused. */
  nonce?: string
  /** An Amazon SNS subscription to confirm (the URL already checked against the allowed origins). */
  confirmSubscription?: { url: string, type: string }
}

/** A delivery that fails verification: 401, nothing written. */
export function refused (reason: string): AppError {
  return new AppError('UNAUTHORIZED', `webhook verification failed: ${reason}`)
}

/** Constant-time comparison of two strings (false when their lengths differ). */
export function sameSecret (a: string | Buffer, b: string | Buffer): boolean {
  const left = Buffer.isBuffer(a) ? a : Buffer.from(a)
  const right = Buffer.isBuffer(b) ? b : Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The header's single value (a repeated header is refused as absent). */
export function header (headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name]
  return typeof value === 'string' && value !== '' ? value : null
}

/** A Unix-seconds timestamp within `pastSeconds` before now (and 5 minutes of clock skew after). */
export function requireFreshSeconds (timestamp: string | null, now: Date, pastSeconds: number): void {
  if (timestamp === null || !/^\d{1,12}(\.\d+)?$/.test(timestamp)) throw refused('missing or malformed timestamp')
  const age = now.getTime() / 1000 - Number(timestamp)
  if (age > pastSeconds || age < -300) throw refused('timestamp outside the allowed window')
}

/** The body as JSON; a signed body that is not JSON is 400. */
export function jsonBody (body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new AppError('INVALID_INPUT', 'body is not valid JSON')
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const text = (value: unknown): string | null => typeof value === 'string' && value !== '' ? value : null

/** The domain of an address like `News <news@mail.example.com>` (null when there is none). */
export function domainOf (address: unknown): string | null {
  if (typeof address !== 'string') return null
  const match = /@([^\s>@]+)>?\s*$/.exec(address.trim())
  return match?.[1]?.toLowerCase() ?? null
}

/** The label of an event type in metrics (bounded: the provider's names are short). */
export function typeLabel (value: unknown): string {
  return typeof value === 'string' && value !== '' ? value.slice(0, 64) : 'unknown'
}
