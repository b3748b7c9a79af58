import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto'
import { type HookDelivery, type HookEvent, header, isRecord, jsonBody, refused, requireFreshSeconds, text, typeLabel, type VerifiedDelivery } from './adapter.js'

export interface SendGridCredentials { public_key: string }

/**
 * SendGrid documents no freshness rule and retries for up to 24 hours, so a signed
 * timestamp is accepted for 25 hours; sg_event_id keeps a replay from writing twice.
 */
export const SENDGRID_TOLERANCE_SECONDS = 25 * 60 * 60

/** The Event Webhook's verification key: base64 DER SubjectPublicKeyInfo of a P-256 key. */
export function sendGridPublicKey (base64: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' })
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('must be a P-256 (prime256v1) public key')
  return key
}

/**
 * SendGrid's signed Event Webhook (a JSON array of events): ECDSA P-256 / SHA-256 over the
 * timestamp header followed by the raw body, signature base64 DER in
 * X-Twilio-Email-Event-Webhook-Signature (what @sendgrid/eventwebhook verifies).
 * `spamreport` is a complaint; `unsubscribe` and `group_unsubscribe` are opt-outs.
 */
export function verifySendGrid (credentials: SendGridCredentials, delivery: HookDelivery): VerifiedDelivery {
  const signature = header(delivery.headers, 'x-twilio-email-event-webhook-signature')
  const timestamp = header(delivery.headers, 'x-twilio-email-event-webhook-timestamp')
  if (signature === null) throw refused('no X-Twilio-Email-Event-Webhook-Signature header')
  requireFreshSeconds(timestamp, delivery.now, SENDGRID_TOLERANCE_SECONDS)
  const signed = Buffer.concat([Buffer.from(timestamp ?? ''), delivery.body])
  if (!verify('sha256', signed, sendGridPublicKey(credentials.public_key), Buffer.from(signature, 'base64'))) {
    throw refused('X-Twilio-Email-Event-Webhook-Signature does not match')
  }
  const body = jsonBody(delivery.body)
  return { events: (Array.isArray(body) ? body : [body]).map(eventOf) }
}

function eventOf (event: unknown): HookEvent {
  const fields = isRecord(event) ? event : {}
  const type = typeLabel(fields.event)
  // sg_event_id is always sent; without one the event's own bytes stand in for it.
  const eventId = text(fields.sg_event_id)?.slice(0, 255) ?? createHash('sha256').update(JSON.stringify(fields)).digest('hex')
  const email = text(fields.email)
  if (email === null) return { kind: 'ignored', type, eventId }
  switch (type) {
    case 'spamreport': return { kind: 'email_complaint', type, eventId, recipients: [email], senderDomains: [], feedbackType: 'abuse' }
    case 'unsubscribe':
    case 'group_unsubscribe': return { kind: 'email_opt_out', type, eventId, recipient: email, senderDomains: [] }
    default: return { kind: 'ignored', type, eventId }
  }
}
