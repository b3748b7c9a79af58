/** Carrier 7726 spam reports: a `carrier` complaint and a suppression of the reporter. */
import type { Static } from 'typebox'
import type { Database } from '../../db/database.js'
import type { ComplaintCategory } from '../../db/schema.js'
import { validationFailed } from '../../errors.js'
import { newId } from '../../lib/ids.js'
import { fileComplaint } from '../complaints/complaints.service.js'
import { findPhoneNumberByNumber } from '../organizations/organizations.repository.js'
import { suppress } from '../suppressions/suppressions.service.js'
import { classifyReply } from './classifier/classifier.js'
import { excerptOf, INTAKE_ACTOR, intakeId, type IntakeOutcome, LostRace, ownCampaignId, requireE164 } from './intake-item.js'
import type { CarrierReportBody } from './intake.schemas.js'
import { findCarrierReportAnswer, insertCarrierReport } from './intake.repository.js'

export type CarrierReportInput = Static<typeof CarrierReportBody>

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
