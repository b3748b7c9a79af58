import { verify, X509Certificate } from 'node:crypto'
import { domainOf, type HookDelivery, type HookEvent, isRecord, jsonBody, refused, text, type VerifiedDelivery } from './adapter.js'

export interface SesCredentials { topic_arn: string }

/**
 * SNS retries for at most an hour under any delivery policy; a message signed more than
 * two hours ago is refused. Its MessageId keeps a retry from writing twice.
 */
export const SNS_TOLERANCE_SECONDS = 2 * 60 * 60

export const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/

/** The fields SNS signs, in order, per message type (AWS's "Verifying the signatures of Amazon SNS messages"). */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
}

const MAX_CERTIFICATE_BYTES = 64 * 1024

/**
 * SNS signing certificates, fetched only from allowed origins (by default
 * https://sns.<region>.amazonaws.com, whose TLS chain `fetch` checks) and kept per URL.
 */
export class SnsCertificates {
  private readonly cache = new Map<string, X509Certificate>()

  constructor (private readonly allowedOrigin: RegExp) {}

  /** Whether SNS may send Ombuds to this URL (a signing certificate, a subscription to confirm). */
  allows (url: string): boolean {
    try {
      return this.allowedOrigin.test(new URL(url).origin)
    } catch {
      return false
    }
  }

  async get (url: string, now: Date): Promise<X509Certificate> {
    if (!this.allows(url) || !new URL(url).pathname.endsWith('.pem')) throw refused('SigningCertURL is not an Amazon SNS certificate URL')
    let certificate = this.cache.get(url)
    if (certificate === undefined) {
      certificate = await fetchCertificate(url)
      if (this.cache.size >= 100) this.cache.clear()
      this.cache.set(url, certificate)
    }
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) throw refused('the signing certificate is not valid now')
    return certificate
  }
}

async function fetchCertificate (url: string): Promise<X509Certificate> {
  let pem: string
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) })
    pem = await response.text()
    if (!response.ok || pem.length > MAX_CERTIFICATE_BYTES) throw new Error(`status ${response.status}`)
    return new X509Certificate(pem)
  } catch {
    throw refused('the signing certificate could not be fetched')
  }
}

/**
 * Amazon SES notifications through an SNS HTTP(S) subscription. The SNS message signature
 * (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) is checked against the certificate
 * at SigningCertURL; the topic must be the connection's. A SubscriptionConfirmation is
 * confirmed by visiting its SubscribeURL; a Complaint notification is one complaint per
 * complained recipient; anything else is counted and ignored.
 */
export async function verifySes (credentials: SesCredentials, delivery: HookDelivery, certificates: SnsCertificates): Promise<VerifiedDelivery> {
  const body = jsonBody(delivery.body)
  const message = isRecord(body) ? body : {}
  const type = text(message.Type) ?? ''
  const fields = SIGNED_FIELDS[type]
  const signature = text(message.Signature)
  const certificateUrl = text(message.SigningCertURL)
  if (fields === undefined || signature === null || certificateUrl === null) throw refused('not a signed Amazon SNS message')
  const algorithm = message.SignatureVersion === '2' ? 'sha256' : message.SignatureVersion === '1' ? 'sha1' : null
  if (algorithm === null) throw refused('unknown SignatureVersion')
  const signed = fields.filter((field) => typeof message[field] === 'string').map((field) => `${field}\n${message[field] as string}\n`).join('')
  const certificate = await certificates.get(certificateUrl, delivery.now)
  if (!verify(algorithm, Buffer.from(signed, 'utf8'), certificate.publicKey, Buffer.from(signature, 'base64'))) {
    throw refused('the SNS signature does not match')
  }
  const timestamp = Date.parse(text(message.Timestamp) ?? '')
  const age = (delivery.now.getTime() - timestamp) / 1000
  if (Number.isNaN(timestamp) || age > SNS_TOLERANCE_SECONDS || age < -300) throw refused('timestamp outside the allowed window')
  if (message.TopicArn !== credentials.topic_arn) throw refused("the topic is not this connection's")

  const messageId = text(message.MessageId)?.slice(0, 255) ?? null
  if (type === 'SubscriptionConfirmation') {
    const url = text(message.SubscribeURL)
    if (url === null || !certificates.allows(url)) throw refused('SubscribeURL is not an Amazon SNS URL')
    return { events: [], confirmSubscription: { url, type } }
  }
  // Visiting an UnsubscribeConfirmation's URL would subscribe again: it is only counted.
  if (type !== 'Notification' || messageId === null) return { events: [{ kind: 'ignored', type, eventId: null }] }
  return { events: [notificationEvent(messageId, text(message.Message) ?? '')] }
}

function notificationEvent (eventId: string, json: string): HookEvent {
  let notification: unknown
  try {
    notification = JSON.parse(json)
  } catch {
    return { kind: 'ignored', type: 'unreadable', eventId }
  }
  const fields = isRecord(notification) ? notification : {}
  const type = text(fields.notificationType) ?? text(fields.eventType) ?? 'unknown'
  const complaint = isRecord(fields.complaint) ? fields.complaint : null
  // OnAccountSuppressionList: SES never sent the mail, the address was already suppressed.
  if (type !== 'Complaint' || complaint === null || complaint.complaintSubType === 'OnAccountSuppressionList') {
    return { kind: 'ignored', type: type.slice(0, 64), eventId }
  }
  const recipients = (Array.isArray(complaint.complainedRecipients) ? complaint.complainedRecipients : [])
    .map((recipient) => isRecord(recipient) ? text(recipient.emailAddress) : null)
    .filter((address) => address !== null)
  const mail = isRecord(fields.mail) ? fields.mail : {}
  const commonHeaders = isRecord(mail.commonHeaders) ? mail.commonHeaders : {}
  const from = Array.isArray(commonHeaders.from) ? commonHeaders.from : []
  const senderDomains = [domainOf(mail.source), ...from.map(domainOf)].filter((domain) => domain !== null)
  return { kind: 'email_complaint', type, eventId, recipients, senderDomains, feedbackType: text(complaint.complaintFeedbackType) }
}
