import type { Insertable } from 'kysely'
import type { Database } from '../../db/database.js'
import type { ComplaintCategory, ProviderEventsTable, ProviderName } from '../../db/schema.js'
import { AppError, notFound } from '../../errors.js'
import { normalizeEmail } from '../../lib/addresses.js'
import type { SecretBox } from '../../lib/secrets.js'
import type { Actor } from '../../domain.js'
import { fileComplaint } from '../complaints/complaints.service.js'
import { complaintCategoryFor } from '../intake/feedback-report/feedback-disposition.js'
import type { FeedbackType } from '../intake/feedback-report/feedback-report.parser.js'
import { type OrgKeywordSource, receiveInboundMessage } from '../intake/inbound-messages.service.js'
import { excerptOf, LostRace } from '../intake/intake-item.js'
import { findOrgDomain } from '../suppressions/domain-complaints.service.js'
import { suppress } from '../suppressions/suppressions.service.js'
import { type HookDelivery, type HookEvent, refused, type VerifiedDelivery } from './adapters/adapter.js'
import { type MailgunCredentials, verifyMailgun } from './adapters/mailgun.js'
import { type PostmarkCredentials, verifyPostmark } from './adapters/postmark.js'
import { type SendGridCredentials, verifySendGrid } from './adapters/sendgrid.js'
import { type SesCredentials, type SnsCertificates, verifySes } from './adapters/ses.js'
import { type TelnyxCredentials, verifyTelnyx } from './adapters/telnyx.js'
import { type TwilioCredentials, verifyTwilio } from './adapters/twilio.js'
import { type Credentials, openProviderConnection, PROVIDERS } from './providers.service.js'
import { insertProviderEvents, isNonceUsed, selectRecordedEventIds } from './providers.repository.js'

type EventOutcome = 'recorded' | 'duplicate' | 'ignored' | 'refused' | 'confirmed'

export interface HookServices {
  db: Database
  box: SecretBox | null
  certificates: SnsCertificates
  /** The organizations' own reply keywords (the app's cache). */
  keywords: OrgKeywordSource
  /** Counts one event (ombuds_provider_events_total). */
  count: (provider: ProviderName, type: string, outcome: EventOutcome) => void
}

export interface HookAnswer {
  events: number
  recorded: number
  duplicates: number
  ignored: number
}

const NAMES: Record<ProviderName, string> = {
  twilio: 'Twilio', telnyx: 'Telnyx', ses: 'Amazon SES', sendgrid: 'SendGrid', postmark: 'Postmark', mailgun: 'Mailgun'
}

const FEEDBACK_TYPES: readonly string[] = ['abuse', 'fraud', 'virus', 'other', 'not-spam', 'auth-failure'] satisfies FeedbackType[]

const isProvider = (value: string): value is ProviderName => (PROVIDERS as readonly string[]).includes(value)

/** A concurrent copy of the same delivery recorded its events first: this copy's writes roll back. */
class ConcurrentDelivery extends Error {}

/**
 * One webhook delivery: finds the connection (404), verifies the provider's signature
 * with the connection's secret (401, nothing written), then hands each event to the
 * services every other intake path uses: SMS replies to intake's classifier, complaints
 * to complaint filing, opt-outs to suppressions. Event types the adapter does not act on
 * are answered as success and counted, so no provider retries them.
 */
export async function receiveHook (services: HookServices, provider: string, connectionId: string, delivery: HookDelivery): Promise<HookAnswer> {
  const opened = isProvider(provider) ? await openProviderConnection(services.db, services.box, provider, connectionId) : undefined
  if (opened === undefined || !isProvider(provider)) throw notFound()
  const { connection, credentials } = opened
  let verified: VerifiedDelivery
  try {
    verified = await verify(provider, credentials, delivery, services.certificates)
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED') services.count(provider, 'unknown', 'refused')
    throw error
  }

  if (verified.confirmSubscription !== undefined) {
    await confirmSubscription(verified.confirmSubscription.url)
    services.count(provider, verified.confirmSubscription.type, 'confirmed')
    return { events: 0, recorded: 0, duplicates: 0, ignored: 0 }
  }

  const outcomes: Array<[string, EventOutcome]> = []
  const orgId = connection.org_id
  for (const event of verified.events) {
    if (event.kind !== 'sms_reply') continue
    try {
      const { replayed } = await receiveInboundMessage(services.db, event.message, {
        orgId,
        keywords: services.keywords,
        ...(event.declaredKind !== undefined ? { declaredKind: event.declaredKind, declaredKeyword: event.declaredKeyword } : {})
      })
      outcomes.push([event.type, replayed ? 'duplicate' : 'recorded'])
    } catch (error) {
      if (!(error instanceof LostRace)) throw error
      outcomes.push([event.type, 'duplicate'])
    }
  }
  const emailEvents = verified.events.filter((event) => event.kind !== 'sms_reply')
  if (emailEvents.length > 0 || verified.nonce !== undefined) {
    try {
      outcomes.push(...await services.db.transaction().execute(async (trx) =>
        await recordEmailEvents(trx, provider, connection.id, orgId, emailEvents, verified.nonce)))
    } catch (error) {
      const replayed = error instanceof ConcurrentDelivery && verified.nonce !== undefined
      if (replayed || (error instanceof AppError && error.code === 'UNAUTHORIZED')) services.count(provider, 'unknown', 'refused')
      if (replayed) throw refused('signature token already used')
      if (error instanceof ConcurrentDelivery) throw new AppError('CONFLICT', 'a copy of this delivery is being recorded; retry')
      throw error
    }
  }

  for (const [type, outcome] of outcomes) services.count(provider, type, outcome)
  return {
    events: outcomes.length,
    recorded: outcomes.filter(([, outcome]) => outcome === 'recorded').length,
    duplicates: outcomes.filter(([, outcome]) => outcome === 'duplicate').length,
    ignored: outcomes.filter(([, outcome]) => outcome === 'ignored').length
  }
}

async function verify (provider: ProviderName, credentials: Credentials, delivery: HookDelivery, certificates: SnsCertificates): Promise<VerifiedDelivery> {
  switch (provider) {
    case 'twilio': return verifyTwilio(credentials as unknown as TwilioCredentials, delivery)
    case 'telnyx': return verifyTelnyx(credentials as unknown as TelnyxCredentials, delivery)
    case 'sendgrid': return verifySendGrid(credentials as unknown as SendGridCredentials, delivery)
    case 'postmark': return verifyPostmark(credentials as unknown as PostmarkCredentials, delivery)
    case 'mailgun': return verifyMailgun(credentials as unknown as MailgunCredentials, delivery)
    case 'ses': return await verifySes(credentials as unknown as SesCredentials, delivery, certificates)
  }
}

/** Confirms an SNS subscription by visiting its SubscribeURL (already checked to be an SNS URL). */
async function confirmSubscription (url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) })
  await response.body?.cancel()
  // 5xx: SNS sends the confirmation again later.
  if (!response.ok) throw new Error(`SNS SubscribeURL answered ${response.status}`)
}

/**
 * A delivery's email events, all in the caller's transaction (a SendGrid batch is applied
 * all together): events already recorded are skipped, the rest are applied and recorded
 * with the delivery's nonce, which a second delivery may not reuse.
 */
async function recordEmailEvents (
  trx: Database, provider: ProviderName, connectionId: string, orgId: string, events: HookEvent[], nonce: string | undefined
): Promise<Array<[string, EventOutcome]>> {
  if (nonce !== undefined && await isNonceUsed(trx, connectionId, nonce)) throw refused('signature token already used')
  const eventIds = events.flatMap((event) => 'eventId' in event && event.eventId !== null ? [event.eventId] : [])
  const recorded = await selectRecordedEventIds(trx, connectionId, [...new Set(eventIds)])
  const outcomes: Array<[string, EventOutcome]> = []
  const rows: Array<Insertable<ProviderEventsTable>> = []
  const now = new Date()
  for (const event of events) {
    if (event.kind === 'sms_reply') continue
    if (event.eventId !== null && recorded.has(event.eventId)) {
      outcomes.push([event.type, 'duplicate'])
      continue
    }
    const effect = await apply(trx, provider, orgId, event)
    outcomes.push([event.type, effect.outcome])
    if (event.eventId === null) continue
    recorded.add(event.eventId)
    // Ignored events are kept only to hold a nonce; the rest so that a retry writes nothing.
    if (effect.outcome === 'ignored' && nonce === undefined) continue
    rows.push({
      org_id: orgId,
      connection_id: connectionId,
      event_id: event.eventId,
      type: event.type,
      outcome: effect.outcome,
      nonce: null,
      complaint_id: effect.complaintId,
      suppression_id: effect.suppressionId,
      created_at: now
    })
  }
  if (nonce !== undefined) {
    const [first] = rows
    if (first !== undefined) first.nonce = nonce
    else rows.push({ org_id: orgId, connection_id: connectionId, event_id: `nonce:${nonce}`.slice(0, 255), type: 'unknown', outcome: 'ignored', nonce, created_at: now })
  }
  if (!await insertProviderEvents(trx, rows)) throw new ConcurrentDelivery()
  return outcomes
}

interface Effect {
  outcome: 'recorded' | 'ignored'
  complaintId: string | null
  suppressionId: string | null
}

const IGNORED: Effect = { outcome: 'ignored', complaintId: null, suppressionId: null }

async function apply (trx: Database, provider: ProviderName, orgId: string, event: HookEvent): Promise<Effect> {
  switch (event.kind) {
    case 'sms_reply':
    case 'ignored':
      return IGNORED
    case 'email_complaint':
      return await fileEmailComplaints(trx, provider, orgId, event)
    case 'email_complaint_suppression':
    case 'email_opt_out': {
      const address = normalizeEmail(event.recipient)
      if (address === null) return IGNORED
      const domain = await senderDomain(trx, orgId, event.senderDomains)
      const [suppression] = await suppress(trx, orgId, [{ channel: 'email', address, domainId: domain }], {
        reason: event.kind === 'email_opt_out' ? 'opt_out' : 'complaint'
      }, webhookActor(provider), 'intake')
      return { outcome: 'recorded', complaintId: null, suppressionId: suppression?.id ?? null }
    }
  }
}

/**
 * One `feedback_loop` email complaint per complained recipient, each with a complaint
 * suppression, as a feedback report files them; not-spam and auth-failure file nothing.
 * Without a recipient the complaint is still filed (as for a redacted ARF report).
 */
async function fileEmailComplaints (
  trx: Database, provider: ProviderName, orgId: string, event: Extract<HookEvent, { kind: 'email_complaint' }>
): Promise<Effect> {
  const feedbackType = event.feedbackType?.trim().toLowerCase() ?? null
  const known = feedbackType !== null && FEEDBACK_TYPES.includes(feedbackType) ? feedbackType as FeedbackType : null
  if (known === 'not-spam' || known === 'auth-failure') return IGNORED
  const category: ComplaintCategory = (known === null ? null : complaintCategoryFor(known)) ?? 'unsolicited_marketing'
  const domainId = await senderDomain(trx, orgId, event.senderDomains)
  const actor = webhookActor(provider)
  const recipients = [...new Set(event.recipients.map(normalizeEmail).filter((address) => address !== null))]
  let first: Effect | null = null
  for (const recipient of recipients.length === 0 ? [null] : recipients) {
    const complaint = await fileComplaint(trx, orgId, {
      category,
      source: 'feedback_loop',
      channel: 'email',
      reporterEmail: recipient,
      domainId,
      feedbackType: feedbackType?.slice(0, 64) ?? null,
      excerpt: excerptOf(`[${NAMES[provider]} ${event.type}]`)
    }, actor)
    const [suppression] = recipient === null
      ? []
      : await suppress(trx, orgId, [{ channel: 'email', address: recipient, domainId }], { reason: 'complaint', complaintId: complaint.id }, actor, 'intake')
    first ??= { outcome: 'recorded', complaintId: complaint.id, suppressionId: suppression?.id ?? null }
  }
  return first ?? IGNORED
}

/** Who a webhook's complaints and suppressions are recorded as coming from. */
const webhookActor = (provider: ProviderName): Actor => ({ kind: 'system', label: `${provider} webhook` })

/** The first of the sending domains that is one of the organization's; null suppresses across the organization. */
async function senderDomain (trx: Database, orgId: string, candidates: string[]): Promise<string | null> {
  for (const candidate of candidates) {
    const domain = await findOrgDomain(trx, orgId, candidate)
    if (domain !== undefined) return domain.id
  }
  return null
}
