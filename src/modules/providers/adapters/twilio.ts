import { createHmac } from 'node:crypto'
import { type HookDelivery, type HookEvent, header, refused, sameSecret, type VerifiedDelivery } from './adapter.js'

export interface TwilioCredentials { auth_token: string }

const DECLARED = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' } as const

/**
 * Twilio Messaging's incoming-message webhook (form-encoded). `X-Twilio-Signature` is
 * base64 HMAC-SHA1, keyed with the Auth Token, of the URL Twilio called followed by every
 * POST parameter as name + value, names sorted (Twilio's documented algorithm, as the
 * `twilio` package's validateRequest implements it). Twilio signs no time: a repeated
 * MessageSid is recognized by intake and writes nothing.
 */
export function verifyTwilio (credentials: TwilioCredentials, delivery: HookDelivery): VerifiedDelivery {
  const signature = header(delivery.headers, 'x-twilio-signature')
  if (signature === null) throw refused('no X-Twilio-Signature header')
  const params = new URLSearchParams(delivery.body.toString('utf8'))
  const signed = signedParams(params)
  const valid = delivery.urls.some((url) =>
    sameSecret(createHmac('sha1', credentials.auth_token).update(url + signed, 'utf8').digest('base64'), signature))
  if (!valid) throw refused('X-Twilio-Signature does not match')
  return { events: [eventOf(params)] }
}

/** name + value of each parameter, names in plain sort order; a repeated name once per distinct value, sorted. */
export function signedParams (params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort()
  return names.map((name) => [...new Set(params.getAll(name))].sort().map((value) => name + value).join('')).join('')
}

function eventOf (params: URLSearchParams): HookEvent {
  const sid = params.get('MessageSid') ?? params.get('SmsMessageSid')
  const from = params.get('From')
  const to = params.get('To')
  // Only SMS/MMS replies: a channel address (whatsapp:+1…) is another channel's business.
  if (sid === null || from === null || to === null || /^[a-z]+:/i.test(from)) return { kind: 'ignored', type: 'message', eventId: sid }
  const optOutType = (params.get('OptOutType') ?? '').toUpperCase()
  const declared = Object.hasOwn(DECLARED, optOutType) ? DECLARED[optOutType as keyof typeof DECLARED] : undefined
  return {
    kind: 'sms_reply',
    type: declared === undefined ? 'message' : `message.${optOutType.toLowerCase()}`,
    message: { id: sid, provider: 'twilio', from, to, body: params.get('Body') ?? '' },
    ...(declared !== undefined ? { declaredKind: declared, declaredKeyword: optOutType } : {})
  }
}
