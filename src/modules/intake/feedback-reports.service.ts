/**
 * Email feedback-loop reports: what a parsed report means (a complaint per recipient and,
 * when the recipient is known, a domain complaint suppression; or nothing, and why).
 */
import type { Database } from '../../db/database.js'
import type { DomainRow, RecipientStatus } from '../../db/schema.js'
import { AppError, validationFailed } from '../../errors.js'
import { normalizeDomain } from '../../lib/addresses.js'
import { isUuid, newId } from '../../lib/ids.js'
import { findCampaignByExternalId, findCampaignById } from '../campaigns/campaigns.repository.js'
import { fileComplaint } from '../complaints/complaints.service.js'
import { findListByExternalId, findListById } from '../lists/lists.repository.js'
import { findDomainByName } from '../organizations/organizations.repository.js'
import { suppress } from '../suppressions/suppressions.service.js'
import {
  FeedbackReportParseError, type ParsedFeedbackReport, parseFeedbackReport
} from './feedback-report/feedback-report.parser.js'
import { feedbackDispositionFor } from './feedback-report/feedback-disposition.js'
import { excerptOf, INTAKE_ACTOR, type IntakeOutcome, LostRace } from './intake-item.js'
import { findFeedbackReportAnswer, insertFeedbackReport } from './intake.repository.js'

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
