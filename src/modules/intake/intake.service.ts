import type { Database } from '../../db/database.js'
import type { CampaignRow, ComplaintCategory, DomainRow, RecipientStatus } from '../../db/schema.js'
import { AppError, validationFailed } from '../../errors.js'
import { normalizeDomain, normalizePhone } from '../../lib/addresses.js'
import { isUuid, newId } from '../../lib/ids.js'
import { findCampaignByExternalId, findCampaignById } from '../campaigns/campaigns.repository.js'
import type { Actor } from '../../domain.js'
import { complaintRecord, fileComplaint } from '../complaints/complaints.service.js'
import { findListByExternalId, findListById } from '../lists/lists.repository.js'
import { findDomainByName, findPhoneNumberByNumber } from '../organizations/organizations.repository.js'
import { lift, newSuppression, suppressionChange, type SuppressionTarget, suppress } from '../suppressions/suppressions.service.js'
import { countListComplaintDay } from '../reports/reports.repository.js'
import { type Classification, classifyReply, type OrgKeywords } from './classifier/classifier.js'
import {
  FeedbackReportParseError, feedbackDispositionFor, type ParsedFeedbackReport, parseFeedbackReport
} from './feedback-report/feedback-report.parser.js'
import {
  findCarrierReportAnswer, findFeedbackReportAnswer, findInboundAnswer, findInboundAnswerAndNumber, insertCarrierReport,
  insertFeedbackReport, insertInboundMessage, insertInboundMessageWithComplaint
} from './intake.repository.js'

const INTAKE_ACTOR: Actor = { kind: 'system', label: 'intake' }

const EXCERPT_LENGTH = 500

/**
 * Thrown inside the writing transaction when a concurrent copy of the same item
 * recorded it first: the transaction rolls back and the route answers with the winner's
 * stored answer, read with `lookup`.
 */
export class LostRace extends Error {
  override readonly name = 'LostRace'
  constructor (readonly lookup: (reader: Database) => Promise<unknown>) {
    super('a concurrent copy of this item was recorded first')
  }
}

export interface IntakeOutcome<T> {
  answer: T
  /** true when the item was already recorded: nothing was written. */
  replayed: boolean
}

/** The text cut to `EXCERPT_LENGTH` characters (code points, so no emoji is split). */
export function excerptOf (text: string | null | undefined): string | null {
  if (text == null || text.trim() === '') return null
  const codePoints = Array.from(text)
  return codePoints.length <= EXCERPT_LENGTH ? text : codePoints.slice(0, EXCERPT_LENGTH).join('')
}

const E164 = /^\+[1-9]\d{1,14}$/

/** The number exactly as E.164 writes it (and a possible number), else null. */
function strictE164 (input: string): string | null {
  const trimmed = input.trim()
  return E164.test(trimmed) && normalizePhone(trimmed) === trimmed ? trimmed : null
}

function requireE164 (fields: Record<string, string>): Record<string, string> {
  const details: Record<string, string> = {}
  const numbers: Record<string, string> = {}
  for (const [field, value] of Object.entries(fields)) {
    const number = strictE164(value)
    if (number === null) details[field] = 'must be a phone number in E.164 format, e.g. +14155550123'
    else numbers[field] = number
  }
  if (Object.keys(details).length > 0) throw validationFailed(details)
  return numbers
}

// ---------------------------------------------------------------------------------------
// SMS replies

export interface InboundMessageInput {
  id: string
  /** Who assigned `id`; `platform` when not named. */
  provider?: string
  from: string
  to: string
  body: string
  received_at?: string
  outbound_message_id?: string
  campaign_id?: string
}

/** What a provider connection adds to a reply it hands over. */
export interface InboundMessageContext {
  /** The connection's organization: a number of any other organization reads as unregistered. */
  orgId?: string
  /** What the provider itself decided the reply means (Twilio's OptOutType); it wins over the classifier. */
  declaredKind?: 'opt_out' | 'opt_in' | 'help'
  /** The provider's keyword for it (`STOP`, `START`, `HELP`). */
  declaredKeyword?: string
  /** The organizations' own reply keywords, read once the organization is known. */
  keywords?: OrgKeywordSource
}

const DEFAULT_INTAKE_PROVIDER = 'platform'

/** An intake item's id as stored: opaque, at most 255 bytes; a UUID in its canonical lower-case form. */
function intakeId (field: string, value: string): string {
  if (Buffer.byteLength(value, 'utf8') > 255) throw validationFailed({ [field]: 'must be at most 255 bytes' })
  return isUuid(value) ? value.toLowerCase() : value
}

export interface InboundMessageAnswer {
  inbound_message_id: string
  classification: Classification
  complaint_id: string | null
  suppression_id: string | null
}

/** Where an organization's own reply keywords come from (the in-process cache in keywords.service). */
export interface OrgKeywordSource {
  keywordsOf: (db: Database, orgId: string) => Promise<OrgKeywords>
}

/** A long-gone opt-out, to probe whether a reply's meaning depends on the sender's history. */
const LONG_AGO = new Date(0)

/**
 * Classifies a recipient's reply and records what it means: opt-out → a complaint and an
 * sms suppression of `from` for the number `to` (reason opt_out); help → a complaint of
 * category other; complaint text → a complaint; opt-in → lifts that number's opt-out
 * suppression; nothing → only the record. A message id already recorded returns the
 * first answer and writes nothing.
 *
 * The hot path is kept short: one read finds an earlier answer, the number and, only when
 * the text's meaning depends on it, when the sender was suppressed for that number; a reply that
 * files a complaint is one statement (complaint, event, tallies, suppression, message),
 * atomic by itself, and a reply that means nothing is one INSERT; only an opt-in (lift +
 * insert) or a complaint on a campaign with a list (+ its day count) opens a transaction
 * (the caller's, if `db` is one).
 */
export async function receiveInboundMessage (
  db: Database, input: InboundMessageInput, context: InboundMessageContext = {}
): Promise<IntakeOutcome<InboundMessageAnswer>> {
  const { from, to } = requireE164({ from: input.from, to: input.to }) as { from: string, to: string }
  const id = intakeId('id', input.id)
  const provider = input.provider ?? DEFAULT_INTAKE_PROVIDER
  const receivedAt = input.received_at === undefined ? new Date() : new Date(input.received_at)
  // The sender's opt-out history only matters for some texts (a repeated STOP after 24 h,
  // a YES after an opt-out): it is read, in the same round trip as the earlier answer and
  // the number, only when the classification depends on it (never when the provider decided).
  let classification = declaredClassification(classifyReply(input.body, { optedOutSince: null, now: receivedAt }), context)
  const withHistory = context.declaredKind === undefined && dependsOnHistory(input.body, receivedAt, classification)
  const { answer: earlier, phone: found, suppressedSince } = await findInboundAnswerAndNumber(db, provider, id, to, withHistory ? from : null)
  if (earlier !== undefined) return { answer: earlier as InboundMessageAnswer, replayed: true }
  const phone = context.orgId === undefined || found?.org_id === context.orgId ? found : undefined
  if (phone === undefined) throw validationFailed({ to: 'is not a registered phone number' })
  // The organization's own keywords are known once the number is: a reply is read again
  // with them only when the organization has any (the history read then if it now matters),
  // and never when the provider decided.
  const orgKeywords = context.declaredKind === undefined ? await context.keywords?.keywordsOf(db, phone.org_id) : undefined
  const hasOrgKeywords = orgKeywords !== undefined && orgKeywords.forms.size > 0
  let optedOutSince = suppressedSince
  if (hasOrgKeywords && !withHistory && dependsOnHistory(input.body, receivedAt, classifyReply(input.body, { now: receivedAt, orgKeywords }), orgKeywords)) {
    optedOutSince = (await findInboundAnswerAndNumber(db, provider, id, to, from)).suppressedSince
  }
  if (optedOutSince !== null || hasOrgKeywords) classification = classifyReply(input.body, { optedOutSince, now: receivedAt, orgKeywords })
  const orgId = phone.org_id
  const target: SuppressionTarget = { channel: 'sms', address: from, phoneNumberId: phone.id }
  const campaign = await ownCampaign(db, orgId, input.campaign_id)
  const campaignId = campaign?.id ?? null
  const kind = classification.kind
  const filesComplaint = kind === 'opt_out' || kind === 'help' || kind === 'complaint'
  const category = !filesComplaint
    ? classification.category
    : kind === 'help' ? 'other' : classification.category ?? (kind === 'opt_out' ? 'unwanted_contact' : 'other')
  const messageRow = (answer: InboundMessageAnswer) => ({
    org_id: orgId,
    provider,
    id,
    phone_number_id: phone.id,
    from_number: from,
    received_at: receivedAt,
    kind,
    keyword: classification.keyword,
    category,
    campaign_id: campaignId,
    outbound_message_id: input.outbound_message_id ?? null,
    complaint_id: answer.complaint_id,
    suppression_id: answer.suppression_id,
    answer: JSON.stringify(answer),
    created_at: new Date()
  })
  const lostRace = () => new LostRace(async (reader) => await findInboundAnswer(reader, provider, id))

  if (filesComplaint && category !== null) {
    // No reference to check: the number is the one the organization was found by, the
    // campaign was just read (its list with it), `from` is already E.164.
    const complaint = complaintRecord(orgId, {
      category,
      source: 'recipient',
      channel: 'sms',
      reporterNumber: from,
      phoneNumberId: phone.id,
      campaignId,
      listId: campaign?.list_id ?? null,
      outboundMessageId: input.outbound_message_id ?? null,
      inboundMessageId: id,
      excerpt: excerptOf(input.body),
      classification: { ...classification, category }
    }, INTAKE_ACTOR)
    const suppression = kind === 'opt_out' ? newSuppression(orgId, target, { reason: 'opt_out', complaintId: complaint.row.id }) : null
    const planned: InboundMessageAnswer = {
      inbound_message_id: id,
      classification: { ...classification, category },
      complaint_id: complaint.row.id,
      suppression_id: suppression?.id ?? null
    }
    // Everything in one statement; the list's day count (a campaign with a list) joins it in a transaction.
    const listId = complaint.row.list_id ?? null
    const write = async (writer: Database): Promise<InboundMessageAnswer> => {
      const outcome = await insertInboundMessageWithComplaint(writer, complaint,
        suppression === null ? null : { row: suppression, change: suppressionChange(INTAKE_ACTOR, 'intake') }, messageRow(planned))
      if (!outcome.recorded) throw lostRace()
      if (listId !== null) await countListComplaintDay(writer, orgId, listId, complaint.row.created_at as Date)
      return { ...planned, suppression_id: outcome.suppressionId }
    }
    return { answer: listId === null ? await write(db) : await inTransaction(db, write), replayed: false }
  }

  const record = async (trx: Database): Promise<InboundMessageAnswer> => {
    let suppressionId: string | null = null
    if (kind === 'opt_in') {
      const [lifted] = await lift(trx, orgId, target, 'opt_out', INTAKE_ACTOR, 'intake')
      suppressionId = lifted?.id ?? null
    }
    const answer: InboundMessageAnswer = {
      inbound_message_id: id,
      classification: { ...classification, category },
      complaint_id: null,
      suppression_id: suppressionId
    }
    if (!await insertInboundMessage(trx, messageRow(answer))) throw lostRace()
    return answer
  }
  const answer = kind === 'opt_in' ? await inTransaction(db, record) : await record(db)
  return { answer, replayed: false }
}

/**
 * The provider's own reading of a reply, when it gave one, wins over the classifier's: an
 * opt-out the carrier network already enforces must be recorded as one. When both agree
 * the classifier's fuller answer (its category) is kept.
 */
function declaredClassification (classified: Classification, context: InboundMessageContext): Classification {
  const kind = context.declaredKind
  if (kind === undefined || classified.kind === kind) return classified
  const keyword = context.declaredKeyword ?? null
  const reason = `declared ${kind} by the provider${keyword === null ? '' : ` (keyword ${keyword})`}; the classifier read: ${classified.reason}`
  return { ...classified, kind, keyword, category: kind === 'help' ? 'other' : null, reason }
}

/** The organization's campaign a reply names, if it is one (see `ownCampaignId`). */
async function ownCampaign (db: Database, orgId: string, campaignId: string | undefined): Promise<CampaignRow | undefined> {
  if (campaignId === undefined) return undefined
  return await findCampaignById(db, orgId, campaignId.toLowerCase())
}

/**
 * The campaign a report names, if it is one of the organization's. An opt-out or a spam
 * report must never be lost because the platform sent a stale or foreign campaign id, so
 * an unknown one is dropped rather than refused.
 */
async function ownCampaignId (db: Database, orgId: string, campaignId: string | undefined): Promise<string | null> {
  if (campaignId === undefined) return null
  return (await findCampaignById(db, orgId, campaignId.toLowerCase()))?.id ?? null
}

/** Runs `work` in a transaction: `db`'s own if it is one, else a new one. */
async function inTransaction<T> (db: Database, work: (trx: Database) => Promise<T>): Promise<T> {
  return db.isTransaction ? await work(db) : await db.transaction().execute(work)
}

/**
 * Whether the sender's opt-out history could change what this text means. The classifier
 * is pure and its history rules are "opted out at all" (YES after an opt-out) and "opted
 * out for more than a day" (a repeated opt-out): ask it once more as if the sender had
 * opted out long ago, which satisfies both, and compare. Most replies need no lookup.
 */
function dependsOnHistory (body: string, now: Date, withoutHistory: Classification, orgKeywords?: OrgKeywords): boolean {
  const withHistory = classifyReply(body, { optedOutSince: LONG_AGO, now, orgKeywords })
  return withHistory.kind !== withoutHistory.kind || withHistory.category !== withoutHistory.category ||
    withHistory.keyword !== withoutHistory.keyword
}

// ---------------------------------------------------------------------------------------
// Carrier 7726 reports

export interface CarrierReportInput {
  report_id: string
  carrier: string
  reported_at: string
  sender_number: string
  reporter_number: string
  excerpt?: string
  outbound_message_id?: string
  campaign_id?: string
}

export interface CarrierReportAnswer {
  report_id: string
  carrier: string
  category: ComplaintCategory
  complaint_id: string
  suppression_id: string
}

/**
 * The category of a 7726 report. The excerpt is usually the reported message itself, so
 * only what the classifier reads as a specific concern (phishing, offensive content, a
 * wrong number, an ignored opt-out, spam) counts; a plain opt-out word in the reported
 * text ("Reply STOP to end") says nothing about why it was reported.
 */
function carrierReportCategory (excerpt: string | null | undefined, now: Date): ComplaintCategory {
  if (excerpt == null || excerpt.trim() === '') return 'unsolicited_marketing'
  const { category } = classifyReply(excerpt, { optedOutSince: null, now })
  return category === null || category === 'unwanted_contact' || category === 'other' ? 'unsolicited_marketing' : category
}

/**
 * Files a `carrier` complaint for a 7726 report and suppresses the reporter for the
 * sending number (reason complaint). Idempotent on (carrier, report_id).
 */
export async function receiveCarrierReport (trx: Database, input: CarrierReportInput): Promise<IntakeOutcome<CarrierReportAnswer>> {
  const carrier = input.carrier.trim().toLowerCase()
  intakeId('report_id', input.report_id)
  const earlier = await findCarrierReportAnswer(trx, carrier, input.report_id)
  if (earlier !== undefined) return { answer: earlier as CarrierReportAnswer, replayed: true }

  const numbers = requireE164({ sender_number: input.sender_number, reporter_number: input.reporter_number })
  const sender = numbers.sender_number as string
  const reporter = numbers.reporter_number as string
  const phone = await findPhoneNumberByNumber(trx, sender)
  if (phone === undefined) throw validationFailed({ sender_number: 'is not a registered phone number' })
  const orgId = phone.org_id
  const now = new Date()

  const category = carrierReportCategory(input.excerpt, now)
  const campaignId = await ownCampaignId(trx, orgId, input.campaign_id)
  const complaint = await fileComplaint(trx, orgId, {
    category,
    source: 'carrier',
    channel: 'sms',
    reporterNumber: reporter,
    phoneNumberId: phone.id,
    campaignId,
    outboundMessageId: input.outbound_message_id ?? null,
    excerpt: excerptOf(input.excerpt)
  }, INTAKE_ACTOR)
  const [suppression] = await suppress(trx, orgId, [{ channel: 'sms', address: reporter, phoneNumberId: phone.id }], {
    reason: 'complaint', complaintId: complaint.id
  }, INTAKE_ACTOR, 'intake')
  if (suppression === undefined) throw new Error('suppress returned no row')

  const answer: CarrierReportAnswer = {
    report_id: input.report_id, carrier, category, complaint_id: complaint.id, suppression_id: suppression.id
  }
  const recorded = await insertCarrierReport(trx, {
    org_id: orgId,
    id: newId(),
    carrier,
    report_id: input.report_id,
    reported_at: new Date(input.reported_at),
    phone_number_id: phone.id,
    reporter_number: reporter,
    campaign_id: campaignId,
    outbound_message_id: input.outbound_message_id ?? null,
    complaint_id: complaint.id,
    suppression_id: suppression.id,
    answer: JSON.stringify(answer),
    created_at: now
  })
  if (!recorded) throw new LostRace(async (db) => await findCarrierReportAnswer(db, carrier, input.report_id))
  return { answer, replayed: false }
}

// ---------------------------------------------------------------------------------------
// Email feedback loops

export interface FeedbackReportAnswer {
  report_id: string
  format: string
  feedback_type: string
  domain_id: string
  recipient_status: RecipientStatus
  /** The first recipient's complaint and suppression (the only ones when the report names one recipient). */
  complaint_id: string | null
  suppression_id: string | null
  /** One complaint per recipient the report names (Return Path and abusix reports list several), in the report's order. */
  complaint_ids: string[]
  suppression_ids: string[]
  ignored: { reason: string } | null
}

/** Parses one raw feedback email; anything that is not a feedback report is 422 with the parser's reason. */
export async function readFeedbackReport (raw: Buffer): Promise<ParsedFeedbackReport> {
  try {
    return await parseFeedbackReport(raw)
  } catch (error) {
    if (error instanceof FeedbackReportParseError) {
      if (error.kind === 'too_large') throw new AppError('PAYLOAD_TOO_LARGE', error.reason)
      throw new AppError('VALIDATION_FAILED', error.reason, { body: error.reason })
    }
    throw error
  }
}

/**
 * Records a parsed feedback report: the sending domain (the first registered candidate)
 * names the organization; abuse/fraud/virus/other file a `feedback_loop` email complaint
 * and, when the recipient is known, a domain complaint suppression; not-spam and
 * auth-failure file nothing and say why. A report that names several recipients files one
 * complaint and one suppression per recipient, so that each complaint names its
 * complainer exactly as a single report would. Idempotent on the report identity.
 */
export async function recordFeedbackReport (trx: Database, report: ParsedFeedbackReport): Promise<IntakeOutcome<FeedbackReportAnswer>> {
  const earlier = await findFeedbackReportAnswer(trx, report.reportId)
  if (earlier !== undefined) return { answer: earlier as FeedbackReportAnswer, replayed: true }

  const domain = await firstRegisteredDomain(trx, report.domainCandidates)
  if (domain === undefined) {
    const named = report.domainCandidates.length === 0 ? 'the report names no sending domain' : `none of ${report.domainCandidates.join(', ')} is a registered domain`
    throw validationFailed({ domain: named })
  }
  const orgId = domain.org_id
  const now = new Date()
  const disposition = feedbackDispositionFor(report)

  const complaintIds: string[] = []
  const suppressionIds: string[] = []
  let ignored: { reason: string } | null = null
  if (disposition.action === 'ignore') {
    ignored = { reason: disposition.reason }
  } else {
    const recipients = disposition.suppressRecipient && report.recipient !== null ? [report.recipient, ...report.otherRecipients] : [null]
    const note = recipients.length > 1 ? `one of ${recipients.length} recipients the report names` : disposition.note
    const { campaignId, listId } = await ownCampaignAndList(trx, orgId, report)
    for (const recipient of recipients) {
      const complaint = await fileComplaint(trx, orgId, {
        category: disposition.category,
        source: 'feedback_loop',
        channel: 'email',
        reporterEmail: recipient,
        domainId: domain.id,
        campaignId,
        listId,
        excerpt: feedbackExcerpt(report, note),
        feedbackType: report.feedbackType
      }, INTAKE_ACTOR)
      complaintIds.push(complaint.id)
      if (recipient !== null) {
        const [suppression] = await suppress(trx, orgId, [{ channel: 'email', address: recipient, domainId: domain.id }], {
          reason: 'complaint', complaintId: complaint.id
        }, INTAKE_ACTOR, 'intake')
        if (suppression !== undefined) suppressionIds.push(suppression.id)
      }
    }
  }
  const complaintId = complaintIds[0] ?? null
  const suppressionId = suppressionIds[0] ?? null

  const answer: FeedbackReportAnswer = {
    report_id: report.reportId,
    format: report.format,
    feedback_type: report.feedbackType,
    domain_id: domain.id,
    recipient_status: report.recipientStatus,
    complaint_id: complaintId,
    suppression_id: suppressionId,
    complaint_ids: complaintIds,
    suppression_ids: suppressionIds,
    ignored
  }
  const recorded = await insertFeedbackReport(trx, {
    org_id: orgId,
    id: newId(),
    report_id: report.reportId,
    format: report.format,
    feedback_type: report.feedbackType,
    user_agent: report.userAgent,
    domain_id: domain.id,
    recipient: report.recipientStatus === 'known' ? report.recipient : null,
    recipient_status: report.recipientStatus,
    original_message_id: report.originalMessageId,
    original_subject: report.subject,
    campaign_ref: report.campaignId,
    list_ref: report.listId,
    source_ip: report.sourceIp,
    arrival_date: report.arrivalDate,
    complaint_id: complaintId,
    suppression_id: suppressionId,
    answer: JSON.stringify(answer),
    created_at: now
  })
  if (!recorded) throw new LostRace(async (db) => await findFeedbackReportAnswer(db, report.reportId))
  return { answer, replayed: false }
}

async function firstRegisteredDomain (db: Database, candidates: readonly string[]): Promise<DomainRow | undefined> {
  for (const candidate of candidates) {
    const name = normalizeDomain(candidate)
    if (name === null) continue
    const domain = await findDomainByName(db, name)
    if (domain !== undefined) return domain
  }
  return undefined
}

/**
 * The campaign and list the original message's X-Campaign-Id / X-List-Id name, when they
 * are the organization's own (by id or by external_id); anything else in those headers is
 * ignored, never an error: the headers come from whoever sent the reported email.
 */
async function ownCampaignAndList (trx: Database, orgId: string, report: ParsedFeedbackReport): Promise<{ campaignId: string | null, listId: string | null }> {
  const campaignRef = report.campaignId?.trim() ?? ''
  const listRef = report.listId?.trim() ?? ''
  const campaign = campaignRef === ''
    ? undefined
    : (isUuid(campaignRef) ? await findCampaignById(trx, orgId, campaignRef.toLowerCase()) : undefined) ??
      await findCampaignByExternalId(trx, orgId, campaignRef)
  const list = listRef === ''
    ? undefined
    : (isUuid(listRef) ? await findListById(trx, orgId, listRef.toLowerCase()) : undefined) ?? await findListByExternalId(trx, orgId, listRef)
  return { campaignId: campaign?.id ?? null, listId: list?.id ?? null }
}

/** What the complaint says about the report: why no one was suppressed, and the original subject. */
function feedbackExcerpt (report: ParsedFeedbackReport, note: string | null): string | null {
  const parts: string[] = []
  if (note !== null) parts.push(`[${note}]`)
  if (report.subject !== null && report.subject.trim() !== '') parts.push(`Subject: ${report.subject.trim()}`)
  return excerptOf(parts.join(' '))
}
