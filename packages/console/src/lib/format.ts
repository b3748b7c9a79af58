/** Dates and numbers in the reader's locale (Intl does the work; no date library needed). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 })
const integer = new Intl.NumberFormat()

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso))
export const formatPercent = (ratio: number): string => percent.format(ratio)
export const formatCount = (value: number): string => integer.format(value)

const LABELS: Record<string, string> = {
  new: 'New',
  triage: 'In triage',
  resolved: 'Resolved',
  unwanted_contact: 'Unwanted contact',
  phishing_fraud: 'Phishing or fraud',
  unsolicited_marketing: 'Unsolicited marketing',
  opt_out_not_honored: 'Opt-out not honored',
  wrong_recipient: 'Wrong recipient',
  content_concern: 'Content concern',
  other: 'Other',
  recipient: 'Recipient reply',
  carrier: 'Carrier report',
  staff: 'Staff',
  feedback_loop: 'Feedback loop',
  import: 'Import',
  sms: 'SMS',
  email: 'Email',
  opt_out: 'Opt-out',
  complaint: 'Complaint',
  manual: 'Manual',
  unsubscribe: 'Unsubscribe',
  org: 'Organization',
  phone_number: 'Phone number',
  domain: 'Domain',
  campaign: 'Campaign',
  list: 'List'
}

/** A person's word for an API value ("unwanted_contact" → "Unwanted contact"). */
export const label = (value: string): string => LABELS[value] ?? value.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase())
