/**
 * What a parsed feedback report means for Ombuds: the complaint category its feedback type
 * files, and whether it files a complaint (suppressing the recipient only when known) or
 * nothing. Pure: the parser reads the report, this decides, the service writes.
 */
import type { ComplaintCategory } from '../../../db/schema.js'
import type { FeedbackType, ParsedFeedbackReport } from './feedback-report.parser.js'

export type FeedbackComplaintCategory = Extract<ComplaintCategory, 'unsolicited_marketing' | 'phishing_fraud' | 'content_concern' | 'other'>

/** The complaint category a feedback type files, or null for types that are not complaints. */
export function complaintCategoryFor (type: FeedbackType): FeedbackComplaintCategory | null {
  switch (type) {
    case 'abuse': return 'unsolicited_marketing'
    case 'fraud': return 'phishing_fraud'
    case 'virus': return 'content_concern'
    case 'other': return 'other'
    case 'not-spam': return null
    case 'auth-failure': return null
  }
}

export type FeedbackDisposition =
  | { action: 'complaint', category: FeedbackComplaintCategory, suppressRecipient: boolean, note: string | null }
  | { action: 'ignore', reason: string }

/**
 * What intake does with a parsed report: file a complaint (suppressing the
 * recipient only when it is known), or ignore it with a reason to put in the answer.
 */
export function feedbackDispositionFor (report: ParsedFeedbackReport): FeedbackDisposition {
  if (report.feedbackType === 'not-spam') {
    return { action: 'ignore', reason: 'not-spam report: the recipient marked the message as wanted, so no complaint is filed and no one is suppressed' }
  }
  if (report.feedbackType === 'auth-failure') {
    const failed = report.authFailure !== null ? ` (Auth-Failure: ${report.authFailure})` : ''
    return { action: 'ignore', reason: `auth-failure report${failed}: a DMARC/SPF/DKIM forensic report about authentication, not a recipient's complaint, so no complaint is filed and no one is suppressed` }
  }
  const category = complaintCategoryFor(report.feedbackType) ?? 'other'
  if (report.recipientStatus === 'known') return { action: 'complaint', category, suppressRecipient: true, note: null }
  const why = {
    redacted: 'the feedback provider redacted the recipient address',
    hashed: 'the feedback provider replaced the recipient address with a hash',
    undisclosed: 'the report does not disclose the recipient address'
  }[report.recipientStatus]
  return { action: 'complaint', category, suppressRecipient: false, note: `recipient unknown: ${why}, so no suppression was added` }
}
