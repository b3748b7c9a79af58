import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import { type HookDelivery, type HookEvent, header, isRecord, jsonBody, refused, requireFreshSeconds, text, typeLabel, type VerifiedDelivery } from './adapter.js'

export interface TelnyxCredentials { public_key: string }

/** Telnyx signs at most this long ago (its SDK's tolerance). */
export const TELNYX_TOLERANCE_SECONDS = 300

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** The account's public key as Mission Control shows it: base64 of the raw 32-byte Ed25519 key. */
export function telnyxPublicKey (base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64')
  if (raw.length !== 32 || raw.toString('base64') !== base64.trim()) throw new Error('must be the base64 of a 32-byte Ed25519 public key')
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

/**
 * Telnyx Messaging v2 webhooks (JSON): Ed25519 over `${telnyx-timestamp}|${raw body}`,
 * signature base64 in `telnyx-signature-ed25519`, timestamp within 5 minutes.
 * `message.received` is an SMS reply; every other event type is counted and ignored.
 */
export function verifyTelnyx (credentials: TelnyxCredentials, delivery: HookDelivery): VerifiedDelivery {
  const signature = header(delivery.headers, 'telnyx-signature-ed25519')
  const timestamp = header(delivery.headers, 'telnyx-timestamp')
  if (signature === null) throw refused('no telnyx-signature-ed25519 header')
  requireFreshSeconds(timestamp, delivery.now, TELNYX_TOLERANCE_SECONDS)
  const signed = Buffer.concat([Buffer.from(`${timestamp ?? ''}|`), delivery.body])
  if (!verify(null, signed, telnyxPublicKey(credentials.public_key), Buffer.from(signature, 'base64'))) {
    throw refused('telnyx-signature-ed25519 does not match')
  }
  return { events: [eventOf(jsonBody(delivery.body))] }
}

function eventOf (body: unknown): HookEvent {
  const data = isRecord(body) && isRecord(body.data) ? body.data : {}
  const type = typeLabel(data.event_type)
  const payload = isRecord(data.payload) ? data.payload : {}
  const id = text(payload.id)
  const from = isRecord(payload.from) ? text(payload.from.phone_number) : null
  const recipients = Array.isArray(payload.to) ? payload.to : []
  const to = isRecord(recipients[0]) ? text(recipients[0].phone_number) : null
  if (type !== 'message.received' || id === null || from === null || to === null) return { kind: 'ignored', type, eventId: text(data.id) }
  const receivedAt = text(payload.received_at) ?? text(data.occurred_at)
  return {
    kind: 'sms_reply',
    type,
    message: {
      id,
      provider: 'telnyx',
      from,
      to,
      body: typeof payload.text === 'string' ? payload.text : '',
      ...(receivedAt !== null && !Number.isNaN(Date.parse(receivedAt)) ? { received_at: new Date(receivedAt).toISOString() } : {})
    }
  }
}
