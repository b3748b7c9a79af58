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
import { newSuppression, suppressionChange, type SuppressionTarget } from '../suppressions/suppressions.service.js'
import { type Classification, classifyReply, type OrgKeywords } from './classifier/classifier.js'
import { excerptOf, INTAKE_ACTOR, intakeId, type IntakeOutcome, LostRace, requireE164 } from './intake-item.js'
import type { InboundMessageBody } from './intake.schemas.js'
import {
  findInboundAnswer, findInboundAnswerAndNumber, insertInboundMessage, insertInboundMessageWithComplaint, type ReplyAssumptions, type ReplyWrite
} from './intake.repository.js'

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

/** A number's registration: what a reply to it is recorded under. */
interface Registration { org_id: string, id: string }

/**
 * The registrations of the numbers replies came to, per store handle (one map per store,
 * gone with it). An entry is only a guess that spares the read: the reply statement
 * carries it in its foreign key (org_id, phone_number_id), so a registration deleted since
 * fails the statement, which writes nothing, and the reply is read and written again.
 * A number's registration never changes in place (numbers are added and deleted, not moved).
 */
const registrations = new WeakMap<Database, Map<string, Registration>>()
const MAX_REGISTRATIONS = 10_000

function registrationsOf (db: Database): Map<string, Registration> | undefined {
  // Inside a transaction a failed statement would abort it: the guess is only taken outside.
  if (db.isTransaction) return undefined
  let map = registrations.get(db)
  if (map === undefined) {
    map = new Map()
    registrations.set(db, map)
  }
  return map
}

/**
 * Classifies a recipient's reply and records what it means: opt-out → a complaint and an
 * sms suppression of `from` for the number `to` (reason opt_out); help → a complaint of
 * category other; complaint text → a complaint; opt-in → lifts that number's opt-out
 * suppression; nothing → only the record. A message id already recorded returns the
 * first answer and writes nothing.
 *
 * Every reply is ONE writing statement, atomic by itself (no transaction): the complaint
 * with its event, tallies, list day, suppression and message; or the lift with its event and
 * the message; or the message alone. A number replied to before is not read again: its
 * registration comes from the process's cache, and a reply whose meaning would change with
 * the sender's opt-out history is written as from a sender with none, the statement
 * checking that (`ReplyAssumptions`) — so a reply is one round trip. When an assumption
 * does not hold (a number deleted since, a sender already suppressed) the statement writes
 * nothing and the reply takes the full path: one read (an earlier answer, the number, the
 * history when it matters), then the statement. An earlier answer to the same message id
 * makes the statement fail on the message's unique index; that answer is then returned.
 */
export async function receiveInboundMessage (
  db: Database, input: InboundMessageInput, context: InboundMessageContext = {}
): Promise<IntakeOutcome<InboundMessageAnswer>> {
  const { from, to } = requireE164({ from: input.from, to: input.to }) as { from: string, to: string }
  const reply: Reply = {
    input,
    from,
    to,
    id: intakeId('id', input.id),
    provider: input.provider ?? DEFAULT_INTAKE_PROVIDER,
    receivedAt: input.received_at === undefined ? new Date() : new Date(input.received_at)
  }
  const cache = registrationsOf(db)
  const cached = cache?.get(to)
  if (cached !== undefined && (context.orgId === undefined || cached.org_id === context.orgId)) {
    // The text read as from a sender never opted out: the statement checks that it was so.
    const { classification, dependsOnHistory: checkHistory } = await classify(db, reply, cached, context, null)
    const outcome = await record(db, reply, cached, classification, { cachedNumber: true, noHistoryOf: checkHistory ? from : null })
    if (outcome !== 'stale') return outcome
    cache?.delete(to)
  }
  // The sender's opt-out history only matters for some texts (a repeated STOP after 24 h,
  // a YES after an opt-out): it is read, in the same round trip as the earlier answer and
  // the number, only when the classification depends on it (never when the provider decided).
  const first = declaredClassification(classifyReply(input.body, { optedOutSince: null, now: reply.receivedAt }), context)
  const withHistory = context.declaredKind === undefined && dependsOnHistory(input.body, reply.receivedAt, first)
  const { answer: earlier, phone: found, suppressedSince } = await findInboundAnswerAndNumber(db, reply.provider, reply.id, to, withHistory ? from : null)
  if (earlier !== undefined) return { answer: earlier as InboundMessageAnswer, replayed: true }
  const phone = context.orgId === undefined || found?.org_id === context.orgId ? found : undefined
  if (phone === undefined) throw validationFailed({ to: 'is not a registered phone number' })
  if (cache !== undefined) {
    if (cache.size >= MAX_REGISTRATIONS) cache.clear()
    cache.set(to, phone)
  }
  let optedOutSince = suppressedSince
  const { classification, dependsOnHistory: orgDepends } = await classify(db, reply, phone, context, optedOutSince)
  if (orgDepends && !withHistory) {
    // The organization's own keywords made the history matter: read it now.
    optedOutSince = (await findInboundAnswerAndNumber(db, reply.provider, reply.id, to, from)).suppressedSince
    const reread = await classify(db, reply, phone, context, optedOutSince)
    const outcome = await record(db, reply, phone, reread.classification, null)
    if (outcome === 'stale') throw new Error('a reply written without assumptions was refused as stale')
    return outcome
  }
  const outcome = await record(db, reply, phone, classification, null)
  if (outcome === 'stale') throw new Error('a reply written without assumptions was refused as stale')
  return outcome
}

/** A reply as read from its input. */
interface Reply {
  input: InboundMessageInput
  from: string
  to: string
  id: string
  provider: string
  receivedAt: Date
}

/**
 * What the reply means to the number's organization, given the sender's opt-out time
 * (null: none known), and whether the sender's history could change that meaning (never
 * when the provider decided).
 */
async function classify (
  db: Database, reply: Reply, phone: Registration, context: InboundMessageContext, optedOutSince: Date | null
): Promise<{ classification: Classification, dependsOnHistory: boolean }> {
  const { body } = reply.input
  const now = reply.receivedAt
  if (context.declaredKind !== undefined) {
    return { classification: declaredClassification(classifyReply(body, { optedOutSince, now }), context), dependsOnHistory: false }
  }
  const orgKeywords = await context.keywords?.keywordsOf(db, phone.org_id)
  const keywords = orgKeywords !== undefined && orgKeywords.forms.size > 0 ? orgKeywords : undefined
  const classification = classifyReply(body, { optedOutSince, now, orgKeywords: keywords })
  const withoutHistory = optedOutSince === null ? classification : classifyReply(body, { optedOutSince: null, now, orgKeywords: keywords })
  return { classification, dependsOnHistory: dependsOnHistory(body, now, withoutHistory, keywords) }
}

/**
 * Writes what the classified reply means in one statement. `assumptions` (null: none) are
 * what the statement must check; 'stale' when one did not hold (nothing was written).
 */
async function record (
  db: Database, reply: Reply, phone: Registration, classification: Classification, assumptions: ReplyAssumptions | null
): Promise<IntakeOutcome<InboundMessageAnswer> | 'stale'> {
  const { input, from, id, provider, receivedAt } = reply
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
  const written = async (planned: InboundMessageAnswer, write: ReplyWrite): Promise<IntakeOutcome<InboundMessageAnswer> | 'stale'> => {
    if (write.recorded === 'stale') return 'stale'
    if (write.recorded) return { answer: { ...planned, suppression_id: write.suppressionId }, replayed: false }
    throw new LostRace(async (reader) => await findInboundAnswer(reader, provider, id))
  }
  const checks = assumptions ?? undefined

  if (filesComplaint && category !== null) {
    // No reference to check: the number is the organization's (read, or checked by the
    // statement's foreign key), the campaign was just read (its list with it), `from` is E.164.
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
    return await written(planned, await insertInboundMessageWithComplaint(db, complaint,
      suppression === null ? null : { row: suppression, change: suppressionChange(INTAKE_ACTOR, 'intake') }, messageRow(planned), checks))
  }

  // Nothing filed: the message alone, or the opt-in's lift and the message, in one statement.
  const planned: InboundMessageAnswer = {
    inbound_message_id: id,
    classification: { ...classification, category },
    complaint_id: null,
    suppression_id: null
  }
  const lift = kind === 'opt_in' ? { scopeId: phone.id, address: from, change: suppressionChange(INTAKE_ACTOR, 'intake') } : null
  return await written(planned, await insertInboundMessage(db, lift, messageRow(planned), checks))
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
