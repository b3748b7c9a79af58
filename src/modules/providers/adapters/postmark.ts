import { basicCredentials } from '../../../http/auth.js'
import { domainOf, type HookDelivery, type HookEvent, isRecord, jsonBody, refused, sameSecret, text, typeLabel, type VerifiedDelivery } from './adapter.js'

export interface PostmarkCredentials { username: string, password: string }

/**
 * Postmark signs nothing: its webhooks carry HTTP Basic credentials (typed into the
 * webhook URL as https://user:pass@…, or its HttpAuth setting), compared here in constant
 * time. Postmark sends no timestamp either; the event's identity keeps a retry from writing twice.
 * SpamComplaint (its own webhook, or the older Bounce webhook with Type SpamComplaint) is a
 * complaint; SubscriptionChange suppressing a recipient who unsubscribed is an opt-out.
 */
export function verifyPostmark (credentials: PostmarkCredentials, delivery: HookDelivery): VerifiedDelivery {
  const given = basicCredentials(typeof delivery.headers.authorization === 'string' ? delivery.headers.authorization : undefined)
  if (given === null) throw refused('no Basic credentials')
  const userMatches = sameSecret(given.user, credentials.username)
  const passwordMatches = sameSecret(given.password, credentials.password)
  if (!userMatches || !passwordMatches) throw refused('Basic credentials do not match')
  return { events: [eventOf(jsonBody(delivery.body))] }
}

function eventOf (body: unknown): HookEvent {
  const fields = isRecord(body) ? body : {}
  const recordType = typeLabel(fields.RecordType)
  const senderDomains = [domainOf(fields.From)].filter((domain) => domain !== null)
  const isComplaint = recordType === 'SpamComplaint' || (recordType === 'Bounce' && fields.Type === 'SpamComplaint')
  if (isComplaint) {
    const email = text(fields.Email)
    const id = fields.ID ?? fields.MessageID
    const eventId = `spam-complaint:${String(id)}`
    if (email === null || id == null) return { kind: 'ignored', type: 'SpamComplaint', eventId: null }
    return { kind: 'email_complaint', type: 'SpamComplaint', eventId, recipients: [email], senderDomains, feedbackType: 'abuse' }
  }
  if (recordType === 'SubscriptionChange') {
    const recipient = text(fields.Recipient)
    const reason = text(fields.SuppressionReason)
    const eventId = `subscription-change:${String(fields.MessageID ?? '')}:${String(recipient)}:${String(fields.ChangedAt)}`.slice(0, 255)
    const type = `SubscriptionChange.${reason ?? 'Reactivated'}`
    // A reactivation is never taken as consent: lifting an opt-out is for the organization to decide.
    if (recipient === null || fields.SuppressSending !== true) return { kind: 'ignored', type, eventId }
    if (reason === 'ManualSuppression') return { kind: 'email_opt_out', type, eventId, recipient, senderDomains }
    // Postmark's SpamComplaint webhook files the complaint itself; this one only suppresses.
    if (reason === 'SpamComplaint') return { kind: 'email_complaint_suppression', type, eventId, recipient, senderDomains }
    return { kind: 'ignored', type, eventId }
  }
  return { kind: 'ignored', type: recordType, eventId: null }
}
