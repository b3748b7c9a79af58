/**
 * SMS replies: classify a recipient's reply and record what it means (a complaint, an
 * opt-out suppression, an opt-in lift, or only the record).
 */
import type { Static } from 'typebox'
import type { Database } from '../../db/database.js'
import type { CampaignRow } from '../../db/schema.js'
import { validationFailed } from '../../errors.js'
import { findCampaignById } from '../campaigns/campaigns.repository.js'
import { complaintRecord } from '../complaints/complaints.service.js'
import { lift, newSuppression, suppressionChange, type SuppressionTarget } from '../suppressions/suppressions.service.js'
import { type Classification, classifyReply, type OrgKeywords } from './classifier/classifier.js'
import { excerptOf, INTAKE_ACTOR, intakeId, type IntakeOutcome, LostRace, requireE164 } from './intake-item.js'
import type { InboundMessageBody } from './intake.schemas.js'
import { findInboundAnswer, findInboundAnswerAndNumber, insertInboundMessage, insertInboundMessageWithComplaint } from './intake.repository.js'

/** A reply as handed over: the route's body, or what a provider adapter reads from a webhook. */
export type InboundMessageInput = Static<typeof InboundMessageBody>

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
 * atomic by itself (its list's day count included), and a reply that means nothing is one
 * INSERT; only an opt-in (lift + insert) opens a transaction (the caller's, if `db` is one).
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
    // Everything, the list's day count included, in one statement.
    const outcome = await insertInboundMessageWithComplaint(db, complaint,
      suppression === null ? null : { row: suppression, change: suppressionChange(INTAKE_ACTOR, 'intake') }, messageRow(planned))
    if (!outcome.recorded) throw lostRace()
    return { answer: { ...planned, suppression_id: outcome.suppressionId }, replayed: false }
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

/** The organization's campaign a reply names, if it is one (see `ownCampaignId` in intake-item.ts). */
async function ownCampaign (db: Database, orgId: string, campaignId: string | undefined): Promise<CampaignRow | undefined> {
  if (campaignId === undefined) return undefined
  return await findCampaignById(db, orgId, campaignId.toLowerCase())
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
