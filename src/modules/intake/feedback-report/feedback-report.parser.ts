/**
 * Parses one email feedback report (the body of `POST /v1/intake/feedback-reports`) into the
 * fields a complaint and its suppression need. Pure: no database, no HTTP. Accepts RFC 5965 ARF
 * in the shapes real feedback loops send (Yahoo, AOL, Comcast, Return Path-hosted feeds,
 * Microsoft's newer ARF, DMARC/SPF forensic reports) and Microsoft's legacy non-ARF JMRP format.
 * Only header fields are read from the original message; its body is never kept.
 */
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import { simpleParser } from 'mailparser'
import type { Attachment, HeaderLines, HeaderValue, ParsedMail, SimpleParserOptions, StructuredHeader } from 'mailparser'
import { normalizeDomain } from '../../../lib/addresses.js'
import { domainsOfAddresses, envelopeAddressOf, readRecipients, redactionMarkersOf } from './recipient.js'
import type { RecipientReading, RecipientStatus } from './recipient.js'

export const FEEDBACK_TYPES = ['abuse', 'fraud', 'virus', 'other', 'not-spam', 'auth-failure'] as const
export type FeedbackType = typeof FEEDBACK_TYPES[number]

type FeedbackReportFormat = 'arf' | 'microsoft-jmrp'

export interface ParsedFeedbackReport {
  format: FeedbackReportFormat
  /** Identity for idempotency: the report's own Message-ID (`<…>`), else the sha256 hex of the raw bytes. */
  reportId: string
  feedbackType: FeedbackType
  /** The Feedback-Type value as sent, lower-cased (e.g. `opt-out` read as `other`); null for JMRP, which has none. */
  reportedFeedbackType: string | null
  userAgent: string | null
  version: string | null
  /** Arrival-Date, or its draft-era name Received-Date; for JMRP the newest Received stamp of the original. */
  arrivalDate: Date | null
  sourceIp: string | null
  /** Envelope sender of the original, brackets removed, case kept (VERP tokens). */
  originalMailFrom: string | null
  originalEnvelopeId: string | null
  /** Lower-cased, trimmed address of the complainer when known, else null. */
  recipient: string | null
  recipientStatus: RecipientStatus
  /** Further known addresses when Original-Rcpt-To lists several (Return Path and abusix reports do), at most 99. */
  otherRecipients: string[]
  /** Lower-cased, de-duplicated, in priority order: Reported-Domain(s), original From's domain, DKIM d= (and DKIM-Domain). */
  domainCandidates: string[]
  /** `<…>` form; from the original's Message-ID, else the legacy Original-Message-ID field. */
  originalMessageId: string | null
  campaignId: string | null
  listId: string | null
  /** Subject of the original, decoded, for the complaint excerpt. */
  subject: string | null
  /** The feedback provider for display: the report's From domain, else its User-Agent. */
  reporter: string | null
  /** Auth-Failure field of an auth-failure report (`dmarc`, `spf`, `dkim`…), else null. */
  authFailure: string | null
}

export type FeedbackReportErrorKind = 'empty' | 'too_large' | 'unreadable' | 'not_a_feedback_report' | 'malformed_feedback_report'

/** Why the body is not a usable feedback report; `reason` is phrased for the 422 response. */
export class FeedbackReportParseError extends Error {
  override readonly name = 'FeedbackReportParseError'
  constructor (readonly reason: string, readonly kind: FeedbackReportErrorKind = 'not_a_feedback_report') {
    super(reason)
  }
}

export const MAX_FEEDBACK_REPORT_BYTES = 10 * 1024 * 1024

// --- MIME ---------------------------------------------------------------------------------------

const MIME_OPTIONS: SimpleParserOptions = {
  // The original stays opaque bytes: only its header block is parsed, never its body or attachments.
  ignoreEmbedded: true,
  // Keeps a DSN's status part visible as a part, so a bounce can be named as such in the 422.
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
  checksumAlgo: false,
  // Real reports carry three or four parts and header blocks of a few dozen KB; the limits
  // bound what a hostile body can make the parser hold (mailsplit charges at least 64 bytes a line).
  maxHeadSize: 256 * 1024,
  maxChildNodes: 100
}

async function parseMime (input: Buffer, what: string): Promise<ParsedMail> {
  try {
    return await simpleParser(input, MIME_OPTIONS)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new FeedbackReportParseError(`${what} could not be read as MIME: ${detail}`, 'unreadable')
  }
}

/** mailsplit reports text that is no `Name: value` field as a line with an empty key. */
function hasHeaderFields (mail: ParsedMail): boolean {
  return mail.headerLines.some((line) => line.key !== '')
}

function isStructuredHeader (value: HeaderValue | undefined): value is StructuredHeader {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && 'params' in value && typeof value.value === 'string'
}

/** Field name (lower-cased) → unfolded values in order; what every header-style block is read into. */
type Fields = ReadonlyMap<string, readonly string[]>

function fieldsOf (lines: HeaderLines): Fields {
  const fields = new Map<string, string[]>()
  for (const { key, line } of lines) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = key.trim().toLowerCase()
    const value = line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').replace(/\s+/g, ' ').trim()
    const values = fields.get(name)
    if (values === undefined) fields.set(name, [value])
    else values.push(value)
  }
  return fields
}

/** The first non-empty value of a field, clipped: fields end up stored and displayed. */
function firstOf (fields: Fields, name: string, maxLength = 256): string | null {
  const value = fields.get(name)?.find((candidate) => candidate !== '')
  return value === undefined ? null : value.slice(0, maxLength)
}

/** Non-empty values of a field, at most `limit` of them, each clipped so later parsing stays cheap. */
function allOf (fields: Fields, name: string, limit = 100, maxLength = 1000): string[] {
  return (fields.get(name) ?? []).filter((value) => value !== '').slice(0, limit).map((value) => value.slice(0, maxLength))
}

const CRLF_CRLF = Buffer.from('\r\n\r\n')

/**
 * The header block of a message or header-only part, ready for the MIME parser. Leading blank
 * lines are dropped (some reporters start the part with one, which would read as an empty header).
 */
function headerBlockOf (content: Buffer): Buffer {
  let start = 0
  while (start < content.length && (content[start] === 0x0d || content[start] === 0x0a)) start++
  const body = content.subarray(start)
  const crlf = body.indexOf('\r\n\r\n')
  const lf = body.indexOf('\n\n')
  const ends = [crlf, lf].filter((index) => index >= 0)
  const header = ends.length > 0 ? body.subarray(0, Math.min(...ends)) : body
  return Buffer.concat([header, CRLF_CRLF])
}

/**
 * The message/feedback-report block: header-style fields, which some generators separate with
 * blank lines or start with one; blank lines are removed so that every field is read.
 */
function feedbackBlockOf (content: Buffer): Buffer {
  const lines = content.toString('latin1').split(/\r?\n/).filter((line) => line.trim() !== '')
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), CRLF_CRLF])
}

interface OriginalHeaders {
  fields: Fields
  subject: string | null
}

const ORIGINAL_MESSAGE_TYPES = ['message/rfc822', 'message/global']
// `text/rfc822-header` (singular) is the early ARF drafts' name, still sent by some generators.
const ORIGINAL_HEADER_TYPES = ['text/rfc822-headers', 'text/rfc822-header', 'message/rfc822-headers', 'message/global-headers']
/** Parts inspected when looking for a JMRP original; a report has one. */
const MAX_ATTACHED_MESSAGES_INSPECTED = 10

function originalHeadersOf (mail: ParsedMail): OriginalHeaders {
  const subject = typeof mail.subject === 'string' ? mail.subject.replace(/\s+/g, ' ').trim().slice(0, 500) : ''
  return { fields: fieldsOf(mail.headerLines), subject: subject === '' ? null : subject }
}

async function readOriginalHeaders (part: Attachment): Promise<OriginalHeaders | null> {
  try {
    const mail = await simpleParser(headerBlockOf(contentOf(part)), MIME_OPTIONS)
    return hasHeaderFields(mail) ? originalHeadersOf(mail) : null
  } catch {
    // The original is optional in ARF; an unreadable copy of it must not cost the complaint.
    return null
  }
}

// mailparser's typings promise a Buffer and a string here, but a malformed part (an empty
// Content-Type, for one) can come without them.
function contentOf (part: Attachment): Buffer {
  return Buffer.isBuffer(part.content) ? part.content : Buffer.alloc(0)
}

function contentTypeOf (part: Attachment): string {
  const contentType: unknown = part.contentType
  return typeof contentType === 'string' ? contentType.trim().toLowerCase() : ''
}

// --- field readers ------------------------------------------------------------------------------

/**
 * RFC 5965 keeps Feedback-Type in an extensible IANA registry and defines `other` as feedback
 * that fits no other registered type, so an unregistered value is read as `other` (a complaint,
 * with the raw value kept in reportedFeedbackType) rather than rejected. Draft-era ARF values
 * that still circulate are mapped by meaning: `miscategorized` (wanted mail filtered as spam) is
 * `not-spam`; `dkim` (the pre-RFC 6591 DKIM failure report) is `auth-failure`; `opt-out` and
 * `opt-out-list` are requests to stop mail and fall to `other`.
 */
function feedbackTypeOf (reported: string): FeedbackType {
  const value = reported.trim().toLowerCase()
  if ((FEEDBACK_TYPES as readonly string[]).includes(value)) return value as FeedbackType
  if (value === 'miscategorized') return 'not-spam'
  if (value === 'dkim') return 'auth-failure'
  return 'other'
}

const HAS_YEAR = /\b\d{4}\b/

/** A date from a mail header; null when absent or not a date (V8's parser alone accepts "x 5"). */
function mailDateOf (value: string | null): Date | null {
  if (value === null || value.length > 256 || !HAS_YEAR.test(value)) return null
  const date = new Date(value.replace(/\([^)]*\)/g, ' ').trim())
  return Number.isNaN(date.getTime()) ? null : date
}

/** The date stamp of the newest Received field (the text after its last `;`). */
function receivedDateOf (fields: Fields): Date | null {
  const newest = fields.get('received')?.[0]
  if (newest === undefined) return null
  const semicolon = newest.lastIndexOf(';')
  return semicolon < 0 ? null : mailDateOf(newest.slice(semicolon + 1).trim())
}

function ipOf (value: string | null): string | null {
  if (value === null) return null
  const candidate = value.replace(/^\[|\]$/g, '').replace(/^ipv6:/i, '').trim()
  return isIP(candidate) !== 0 ? candidate : null
}

function messageIdOf (value: unknown): string | null {
  // mailparser yields `false`, not a string, for an empty Message-ID.
  if (typeof value !== 'string' || value.length > 1000) return null
  const bare = value.trim().replace(/^<+|>+$/g, '').trim()
  if (bare === '' || bare.length > 995 || /[\s<>]/.test(bare)) return null
  return `<${bare}>`
}

/** `d=` of every DKIM-Signature, in header order (topmost signature first). */
function dkimDomainsOf (fields: Fields): string[] {
  return allOf(fields, 'dkim-signature', 20, 8000).flatMap((signature) => {
    const tag = signature.split(';').map((part) => part.replace(/\s+/g, '')).find((part) => part.toLowerCase().startsWith('d='))
    return tag === undefined ? [] : [tag.slice(2)]
  })
}

function domainsOf (values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/[\s,;]+/)).flatMap((value) => {
    const domain = normalizeDomain(value.replace(/^@/, ''))
    return domain === null ? [] : [domain]
  })
}

function unique (values: readonly string[]): string[] {
  return [...new Set(values)]
}

function reporterOf (report: ParsedMail, userAgent: string | null): string | null {
  const from = report.headerLines.filter((line) => line.key === 'from').slice(0, 5).map((line) => line.line.slice(line.line.indexOf(':') + 1, 1000))
  return domainsOfAddresses(from)[0] ?? userAgent
}

interface RecipientResolution {
  recipient: string | null
  recipientStatus: RecipientStatus
  otherRecipients: string[]
}

/** One report naming more mailboxes than this files complaints for the first ones only. */
const MAX_RECIPIENTS = 100

/**
 * Who complained, from Original-Rcpt-To (every address it lists: Return Path and abusix
 * reports aggregate several complainers), else the draft-era Removal-Recipient, else
 * Microsoft's X-HmXmrOriginalRecipient (the mailbox that pressed "Junk", where the original's
 * To may be an alias or a list), else the original's To. A provider that redacted or hashed
 * Original-Rcpt-To has withheld the recipient on purpose, so the search stops there rather than
 * trusting a copy elsewhere. A To that lists several addresses cannot say which of them
 * complained and is passed over like an absent one.
 */
function resolveRecipient (reportFields: Fields | null, original: OriginalHeaders | null): RecipientResolution {
  const markers = redactionMarkersOf(reportFields === null ? [] : allOf(reportFields, 'redacted-address'))
  let firstMiss: RecipientStatus | null = markers.length > 0 ? 'redacted' : null
  const sources: Array<{ values: string[], authoritative: boolean, single: boolean }> = [
    { values: reportFields === null ? [] : allOf(reportFields, 'original-rcpt-to'), authoritative: true, single: false },
    { values: reportFields === null ? [] : allOf(reportFields, 'removal-recipient', 10), authoritative: false, single: true },
    { values: original === null ? [] : allOf(original.fields, 'x-hmxmroriginalrecipient', 10), authoritative: false, single: true },
    { values: original === null ? [] : allOf(original.fields, 'to', 10), authoritative: false, single: true }
  ]
  for (const source of sources) {
    if (source.values.length === 0) continue
    const reading: RecipientReading = readRecipients(source.values, markers)
    const [first, ...others] = reading.addresses
    if (first !== undefined && (!source.single || others.length === 0)) {
      return { recipient: first, recipientStatus: 'known', otherRecipients: others.slice(0, MAX_RECIPIENTS - 1) }
    }
    const status = reading.status === 'known' ? 'undisclosed' : reading.status
    if (source.authoritative && (status === 'redacted' || status === 'hashed')) {
      return { recipient: null, recipientStatus: status, otherRecipients: [] }
    }
    firstMiss ??= status
  }
  return { recipient: null, recipientStatus: firstMiss ?? 'undisclosed', otherRecipients: [] }
}

// --- the two formats ----------------------------------------------------------------------------

function reportIdOf (raw: Buffer, report: ParsedMail): string {
  return messageIdOf(report.messageId) ?? createHash('sha256').update(raw).digest('hex')
}

function fromOriginal (original: OriginalHeaders | null, name: string, maxLength = 200): string | null {
  return original === null ? null : firstOf(original.fields, name, maxLength)
}

async function parseArf (raw: Buffer, report: ParsedMail, feedbackPart: Attachment): Promise<ParsedFeedbackReport> {
  const block = await parseMime(feedbackBlockOf(contentOf(feedbackPart)), 'the message/feedback-report part')
  const fields = fieldsOf(block.headerLines)
  const reportedType = firstOf(fields, 'feedback-type', 64)
  // Return Path-hosted feeds also say `Abuse-Type: complaint`; it stands in for a missing Feedback-Type.
  const abuseType = firstOf(fields, 'abuse-type', 64)
  if (reportedType === null && abuseType === null) {
    throw new FeedbackReportParseError('malformed feedback report: the message/feedback-report part has no Feedback-Type field', 'malformed_feedback_report')
  }
  const originalPart = report.attachments.find((part) => [...ORIGINAL_MESSAGE_TYPES, ...ORIGINAL_HEADER_TYPES].includes(contentTypeOf(part)))
  const original = originalPart === undefined ? null : await readOriginalHeaders(originalPart)
  const userAgent = firstOf(fields, 'user-agent')
  return {
    format: 'arf',
    reportId: reportIdOf(raw, report),
    feedbackType: reportedType !== null ? feedbackTypeOf(reportedType) : 'abuse',
    reportedFeedbackType: reportedType?.toLowerCase() ?? null,
    userAgent,
    version: firstOf(fields, 'version', 32),
    arrivalDate: mailDateOf(firstOf(fields, 'arrival-date') ?? firstOf(fields, 'received-date')),
    sourceIp: ipOf(firstOf(fields, 'source-ip')),
    // Return-Path of the original is the same envelope sender as delivered (AOL sends no Original-Mail-From).
    originalMailFrom: envelopeAddressOf(firstOf(fields, 'original-mail-from', 1000) ?? fromOriginal(original, 'return-path', 1000) ?? undefined),
    originalEnvelopeId: firstOf(fields, 'original-envelope-id'),
    ...resolveRecipient(fields, original),
    domainCandidates: unique([
      ...domainsOf(allOf(fields, 'reported-domain', 50)),
      ...(original === null ? [] : domainsOfAddresses(allOf(original.fields, 'from', 5))),
      ...(original === null ? [] : domainsOf(dkimDomainsOf(original.fields))),
      ...domainsOf(allOf(fields, 'dkim-domain', 10))
    ]),
    originalMessageId: messageIdOf(fromOriginal(original, 'message-id')) ?? messageIdOf(firstOf(fields, 'original-message-id', 1000)),
    campaignId: fromOriginal(original, 'x-campaign-id'),
    listId: fromOriginal(original, 'x-list-id'),
    subject: original?.subject ?? null,
    reporter: reporterOf(report, userAgent),
    authFailure: firstOf(fields, 'auth-failure', 64)?.toLowerCase() ?? null
  }
}

const JMRP_SOURCE_IP = /complaint about message from\s+\[?([0-9a-f.:]+)\]?/i

/**
 * `bare`: the report is the original message itself, X-HmXmrOriginalRecipient added at its top,
 * with no wrapping message. Its Message-ID is then the original's, shared by every recipient of
 * the mailing, so the report's identity is the hash of its bytes instead.
 */
function parseJmrp (raw: Buffer, report: ParsedMail, original: OriginalHeaders, bare = false): ParsedFeedbackReport {
  const originalFrom = allOf(original.fields, 'from', 5)
  return {
    format: 'microsoft-jmrp',
    reportId: bare ? createHash('sha256').update(raw).digest('hex') : reportIdOf(raw, report),
    // JMRP has no type field: every report is a spam complaint (Report Junk, or a move to the Junk folder).
    feedbackType: 'abuse',
    reportedFeedbackType: null,
    userAgent: null,
    version: null,
    arrivalDate: receivedDateOf(original.fields),
    sourceIp: ipOf(JMRP_SOURCE_IP.exec(typeof report.subject === 'string' ? report.subject : '')?.[1] ?? null),
    originalMailFrom: envelopeAddressOf(fromOriginal(original, 'return-path', 1000) ?? undefined),
    originalEnvelopeId: null,
    ...resolveRecipient(null, original),
    domainCandidates: unique([...domainsOfAddresses(originalFrom), ...domainsOf(dkimDomainsOf(original.fields))]),
    originalMessageId: messageIdOf(fromOriginal(original, 'message-id')),
    campaignId: fromOriginal(original, 'x-campaign-id'),
    listId: fromOriginal(original, 'x-list-id'),
    subject: original.subject,
    reporter: bare ? 'Microsoft JMRP' : reporterOf(report, null) ?? 'Microsoft JMRP',
    authFailure: null
  }
}

async function findJmrpOriginal (report: ParsedMail): Promise<OriginalHeaders | null> {
  const attached = report.attachments.filter((part) => ORIGINAL_MESSAGE_TYPES.includes(contentTypeOf(part))).slice(0, MAX_ATTACHED_MESSAGES_INSPECTED)
  for (const part of attached) {
    const original = await readOriginalHeaders(part)
    if (original?.fields.has('x-hmxmroriginalrecipient') === true) return original
  }
  return null
}

const OTHER_REPORT_TYPES = new Map([
  ['delivery-status', 'a delivery status notification (bounce)'],
  ['global-delivery-status', 'a delivery status notification (bounce)'],
  ['disposition-notification', 'a message disposition notification (read receipt)']
])

/**
 * Parses one raw email as a feedback report. Resolves with its fields, or rejects with a
 * FeedbackReportParseError (and only that) when the body is not a usable feedback report.
 */
export async function parseFeedbackReport (raw: Buffer): Promise<ParsedFeedbackReport> {
  if (raw.length === 0) throw new FeedbackReportParseError('the body is empty: expected one raw email (message/rfc822) containing a feedback report', 'empty')
  if (raw.length > MAX_FEEDBACK_REPORT_BYTES) throw new FeedbackReportParseError(`the report is larger than ${MAX_FEEDBACK_REPORT_BYTES} bytes`, 'too_large')
  const report = await parseMime(raw, 'the body')
  if (!hasHeaderFields(report)) throw new FeedbackReportParseError('not a feedback report: the body is not an email (it has no header fields)', 'unreadable')

  const contentType = report.headers.get('content-type')
  const mediaType = isStructuredHeader(contentType) ? contentType.value.trim().toLowerCase() : 'text/plain'
  const reportType = isStructuredHeader(contentType) ? contentType.params['report-type']?.trim().toLowerCase() ?? null : null
  if (mediaType === 'multipart/report' && reportType !== null && reportType !== 'feedback-report') {
    const kind = OTHER_REPORT_TYPES.get(reportType) ?? 'a report of another kind'
    throw new FeedbackReportParseError(`not a feedback report: multipart/report with report-type=${reportType.slice(0, 64)} is ${kind}; only report-type=feedback-report (RFC 5965) is accepted`)
  }

  const feedbackPart = report.attachments.find((part) => contentTypeOf(part) === 'message/feedback-report')
  if (feedbackPart !== undefined) return await parseArf(raw, report, feedbackPart)
  if (mediaType === 'multipart/report' && reportType === 'feedback-report') {
    throw new FeedbackReportParseError('malformed feedback report: multipart/report; report-type=feedback-report has no message/feedback-report part', 'malformed_feedback_report')
  }
  if (report.attachments.some((part) => ['message/delivery-status', 'message/global-delivery-status'].includes(contentTypeOf(part)))) {
    throw new FeedbackReportParseError('not a feedback report: it carries a message/delivery-status part, i.e. it is a delivery status notification (bounce)')
  }

  const jmrpOriginal = await findJmrpOriginal(report)
  if (jmrpOriginal !== null) return parseJmrp(raw, report, jmrpOriginal)
  if (report.headerLines.some((line) => line.key === 'x-hmxmroriginalrecipient')) {
    return parseJmrp(raw, report, originalHeadersOf(report), true)
  }

  throw new FeedbackReportParseError(`not a feedback report: the email (${mediaType.slice(0, 100)}) has no message/feedback-report part (RFC 5965 ARF) and no X-HmXmrOriginalRecipient, on an attached original or its own header (Microsoft JMRP)`)
}
