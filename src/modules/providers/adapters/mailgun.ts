import { createHmac } from 'node:crypto'
import { domainOf, type HookDelivery, type HookEvent, isRecord, jsonBody, refused, requireFreshSeconds, sameSecret, text, typeLabel, type VerifiedDelivery } from './adapter.js'

export interface MailgunCredentials { signing_key: string }

/**
 * Mailgun asks that the timestamp check be "not too aggressive" and retries for about
 * 8 hours; 12 hours is accepted. Every token is kept, so within that window (and after
 * it) a signature is only ever used once.
 */
export const MAILGUN_TOLERANCE_SECONDS = 12 * 60 * 60

/**
 * Mailgun webhooks (JSON): hex HMAC-SHA256, keyed with the webhook signing key, of
 * timestamp + token. The event data is not signed, so a signature block seen once is
 * refused ever after (the token is the nonce). `complained` is a complaint,
 * `unsubscribed` an opt-out.
 */
export function verifyMailgun (credentials: MailgunCredentials, delivery: HookDelivery): VerifiedDelivery {
  const body = jsonBody(delivery.body)
  const block = isRecord(body) && isRecord(body.signature) ? body.signature : {}
  const timestamp = text(block.timestamp)
  const token = text(block.token)
  const signature = text(block.signature)
  if (token === null || signature === null) throw refused('no signature block')
  requireFreshSeconds(timestamp, delivery.now, MAILGUN_TOLERANCE_SECONDS)
  const expected = createHmac('sha256', credentials.signing_key).update(`${timestamp ?? ''}${token}`).digest('hex')
  if (!sameSecret(expected, signature.toLowerCase())) throw refused('signature does not match')
  return { events: [eventOf(isRecord(body) ? body['event-data'] : undefined)], nonce: token.slice(0, 255) }
}

function eventOf (data: unknown): HookEvent {
  const fields = isRecord(data) ? data : {}
  const type = typeLabel(fields.event)
  // Mailgun's event ids are unique within a day: with the event's own time they are unique.
  const id = text(fields.id)
  const eventId = id === null ? null : `${id}@${String(fields.timestamp)}`.slice(0, 255)
  const recipient = text(fields.recipient)
  const message = isRecord(fields.message) && isRecord(fields.message.headers) ? fields.message.headers : {}
  const envelope = isRecord(fields.envelope) ? fields.envelope : {}
  const senderDomains = [
    isRecord(fields.domain) ? text(fields.domain.name) : null, domainOf(envelope.sender), domainOf(message.from)
  ].filter((domain) => domain !== null)
  if (eventId === null || recipient === null) return { kind: 'ignored', type, eventId }
  switch (type) {
    case 'complained': return { kind: 'email_complaint', type, eventId, recipients: [recipient], senderDomains, feedbackType: 'abuse' }
    case 'unsubscribed': return { kind: 'email_opt_out', type, eventId, recipient, senderDomains }
    default: return { kind: 'ignored', type, eventId }
  }
}
