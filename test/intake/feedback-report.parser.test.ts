import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { normalizeDomain, normalizeEmail } from '../../src/lib/addresses.js'
import { complaintCategoryFor, feedbackDispositionFor } from '../../src/modules/intake/feedback-report/feedback-disposition.js'
import {
  FEEDBACK_TYPES,
  FeedbackReportParseError,
  MAX_FEEDBACK_REPORT_BYTES,
  parseFeedbackReport
} from '../../src/modules/intake/feedback-report/feedback-report.parser.js'
import type { FeedbackReportErrorKind, ParsedFeedbackReport } from '../../src/modules/intake/feedback-report/feedback-report.parser.js'
import { readRecipients } from '../../src/modules/intake/feedback-report/recipient.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feedback-reports')
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith('.eml')).sort()

function fixture (name: string): Buffer {
  return readFileSync(join(FIXTURES, name))
}

/** A fixture as text with one edit applied, for variants that do not deserve a file of their own. */
function editedFixture (name: string, edit: (text: string) => string): Buffer {
  const text = fixture(name).toString('latin1')
  const edited = edit(text)
  assert.notEqual(edited, text, 'the edit must change the fixture')
  return Buffer.from(edited, 'latin1')
}

/** Builds a message from LF-separated lines, with CRLF line endings like real mail. */
function mail (text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8')
}

/** The smallest ARF report around the given feedback fields; `extraParts` are further `--v` parts. */
function minimalArf (fields: string, extraParts = ''): Buffer {
  return mail(`From: fbl@isp.example\nMessage-ID: <variant@isp.example>\nContent-Type: multipart/report; report-type=feedback-report; boundary="v"\n\n--v\nContent-Type: message/feedback-report\n\n${fields}\n\n${extraParts}--v--\n`)
}

async function rejectionOf (raw: Buffer): Promise<FeedbackReportParseError> {
  try {
    await parseFeedbackReport(raw)
  } catch (error) {
    assert.ok(error instanceof FeedbackReportParseError, `expected a FeedbackReportParseError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the report to be rejected')
}

async function expectRejected (raw: Buffer, kind: FeedbackReportErrorKind, reason: RegExp): Promise<void> {
  const error = await rejectionOf(raw)
  assert.equal(error.kind, kind)
  assert.match(error.reason, reason)
  assert.equal(error.message, error.reason)
}

/** The fields every report shares unless a test says otherwise, so each test spells out what differs. */
const NO_EXTRAS: Pick<ParsedFeedbackReport, 'originalEnvelopeId' | 'otherRecipients' | 'authFailure'> = { originalEnvelopeId: null, otherRecipients: [], authFailure: null }

describe('feedback report fixtures', () => {
  test('every fixture uses CRLF line endings only', () => {
    assert.ok(fixtureNames.length >= 20)
    for (const name of fixtureNames) {
      const text = fixture(name).toString('latin1')
      assert.doesNotMatch(text, /(?<!\r)\n/, `${name} has a bare LF`)
    }
  })

  test('generic RFC 5965 ARF with the original as message/rfc822', async () => {
    const report = await parseFeedbackReport(fixture('arf-rfc5965-message-rfc822.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<fbl.20240514091240.7f3a@mailhost.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'MailhostFBL/3.1',
      version: '1',
      arrivalDate: new Date('2024-05-14T08:55:02Z'),
      sourceIp: '192.0.2.44',
      // folded onto a continuation line in the fixture
      originalMailFrom: 'bounce+c7e1d2=mailhost.example@mail.acme-retail.example',
      recipient: 'jordan.lee@mailhost.example',
      recipientStatus: 'known',
      // Reported-Domain, then the From domain; DKIM d= repeats the first
      domainCandidates: ['acme-retail.example', 'news.acme-retail.example'],
      originalMessageId: '<20240514085459.c7e1d2@mail.acme-retail.example>',
      campaignId: 'spring-sale-2024',
      listId: 'newsletter-weekly',
      subject: 'Spring sale starts now',
      reporter: 'mailhost.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'unsolicited_marketing', suppressRecipient: true, note: null })
  })

  test('ARF with only the original header as text/rfc822-headers: recipient from the original To', async () => {
    const report = await parseFeedbackReport(fixture('arf-text-rfc822-headers.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<arf-7781@fbl.webmail.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'WebmailFBL/1.2',
      version: '1',
      arrivalDate: new Date('2024-08-21T14:31:07Z'),
      sourceIp: '2001:db8::25',
      originalMailFrom: null,
      recipient: 'sam.rivera@webmail.example',
      recipientStatus: 'known',
      // no Reported-Domain: the From domain, then DKIM d=
      domainCandidates: ['deals.gadgetbarn.example', 'gadgetbarn.example'],
      originalMessageId: '<deal-5521.sam@deals.gadgetbarn.example>',
      campaignId: 'flash-headphones',
      listId: null,
      subject: 'Flash deal: 40% off headphones',
      reporter: 'webmail.example'
    } satisfies ParsedFeedbackReport)
  })

  test('report-type after boundary, unquoted and folded; field names in any case; mailto: recipient', async () => {
    const report = await parseFeedbackReport(fixture('arf-parameters-unquoted-reordered.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<tiny-0091@inbox.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'tinyfbl/0.9',
      version: '1',
      arrivalDate: null,
      sourceIp: '192.0.2.150',
      originalMailFrom: null,
      recipient: 'casey.nguyen@inbox.example',
      recipientStatus: 'known',
      domainCandidates: ['cafe-aurora.example'],
      originalMessageId: '<loyalty.8812.cn@cafe-aurora.example>',
      campaignId: 'cmp_8812',
      listId: 'loyalty-members',
      // two folded RFC 2047 encoded words
      subject: 'Café loyalty points expire',
      reporter: 'inbox.example'
    } satisfies ParsedFeedbackReport)
  })

  test('legacy ARF: Version 0.1, Received-Date, Abuse-Type, Original-Message-ID', async () => {
    const report = await parseFeedbackReport(fixture('arf-legacy-v0.1.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<legacy-0001@oldmail.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'OldmailFBL/0.1',
      version: '0.1',
      // Received-Date stands in for Arrival-Date; the "(PST)" comment is ignored
      arrivalDate: new Date('2013-03-02T17:41:12Z'),
      sourceIp: null,
      originalMailFrom: 'press-bounces@pinecone-press.example',
      recipient: 'morgan.bell@oldmail.example',
      recipientStatus: 'known',
      domainCandidates: ['pinecone-press.example'],
      // the attached original has no Message-ID: the legacy field supplies it
      originalMessageId: '<pp-weekly-1182@pinecone-press.example>',
      campaignId: null,
      listId: null,
      subject: 'This week\'s poems',
      reporter: 'oldmail.example'
    } satisfies ParsedFeedbackReport)
  })

  test('Yahoo: full recipient, quoted report-type after boundary, empty Authentication-Results', async () => {
    const report = await parseFeedbackReport(fixture('yahoo.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<cfl.1717460415.2231@arf.mail.yahoo.com>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      version: '0.1',
      arrivalDate: new Date('2024-06-04T00:20:11Z'),
      sourceIp: null,
      originalMailFrom: 'bounces-4412-alex.morgan=yahoo.com@mailer.brightpaws.example',
      recipient: 'alex.morgan@yahoo.com',
      recipientStatus: 'known',
      domainCandidates: ['brightpaws.example'],
      originalMessageId: '<bp-restock-4412@mailer.brightpaws.example>',
      campaignId: 'restock-june',
      listId: 'product-alerts',
      subject: 'Puppy food back in stock',
      reporter: 'arf.mail.yahoo.com'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'unsolicited_marketing', suppressRecipient: true, note: null })
  })

  test('AOL: Redacted-Address and a redacted To mean no recipient; envelope sender from Return-Path', async () => {
    const report = await parseFeedbackReport(fixture('aol.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<scomp.20240110150500.331@aol.net>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'AOL SComp',
      version: '0.1',
      arrivalDate: new Date('2024-01-10T20:03:27Z'),
      sourceIp: '192.0.2.90',
      // AOL sends no Original-Mail-From; the redacted VERP still carries the opaque "-331"
      originalMailFrom: 'return-redacted=aol.com-331@bounce.tidewater-tours.example',
      recipient: null,
      recipientStatus: 'redacted',
      domainCandidates: ['tidewater-tours.example'],
      originalMessageId: '<tt-331-cruise@tidewater-tours.example>',
      campaignId: 'lighthouse-cruise',
      listId: null,
      subject: 'Last seats for the lighthouse cruise',
      reporter: 'aol.net'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), {
      action: 'complaint',
      category: 'unsolicited_marketing',
      suppressRecipient: false,
      note: 'recipient unknown: the feedback provider redacted the recipient address, so no suppression was added'
    })
  })

  test('Comcast: "undisclosed comcast recipient <redacted@…>" is redacted, and the search stops there', async () => {
    const report = await parseFeedbackReport(fixture('comcast.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<cc-fbl-0042-8812@comcast.fbl.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'comcast Feedback Loop (V0.01)',
      version: '1',
      arrivalDate: new Date('2024-02-22T16:45:09Z'),
      sourceIp: '203.0.113.61',
      originalMailFrom: 'newsletter-bounces@harborview-news.example',
      recipient: null,
      recipientStatus: 'redacted',
      domainCandidates: ['harborview-news.example'],
      originalMessageId: '<hv.2024.02.22.8812@harborview-news.example>',
      campaignId: null,
      listId: 'harborview-daily',
      subject: 'Harbor dredging starts Monday',
      reporter: 'comcast.fbl.example'
    } satisfies ParsedFeedbackReport)
    const withRealTo = await parseFeedbackReport(editedFixture('comcast.eml', (text) => text.replace('To: redacted@comcast.net', 'To: someone@comcast.net')))
    assert.equal(withRealTo.recipient, null, 'a provider that redacted Original-Rcpt-To has withheld the recipient')
    assert.equal(withRealTo.recipientStatus, 'redacted')
  })

  test('Return Path-hosted loop with hashed recipients and several Reported-Domain fields', async () => {
    const report = await parseFeedbackReport(fixture('returnpath-hashed-recipient.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<rp-fbl-98231@isp-mail.fbl.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'ReturnPathFBL/1.0',
      version: '1',
      arrivalDate: new Date('2024-03-07T04:12:55Z'),
      sourceIp: '198.51.100.23',
      originalMailFrom: 'bounce-77aa@mail.quillandink.example',
      recipient: null,
      recipientStatus: 'hashed',
      // both Reported-Domain values in order; the From domain repeats the second
      domainCandidates: ['mail.quillandink.example', 'quillandink.example'],
      originalMessageId: '<qi-digest-0307@mail.quillandink.example>',
      campaignId: null,
      listId: null,
      subject: 'Your stationery digest',
      reporter: 'isp-mail.fbl.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), {
      action: 'complaint',
      category: 'unsolicited_marketing',
      suppressRecipient: false,
      note: 'recipient unknown: the feedback provider replaced the recipient address with a hash, so no suppression was added'
    })
  })

  test('Return Path-hosted loop that omits the recipient', async () => {
    const report = await parseFeedbackReport(fixture('returnpath-omitted-recipient.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<rp-fbl-55120@vistamail.fbl.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'ReturnPathFBL/1.0',
      version: '1',
      arrivalDate: new Date('2024-04-15T11:58:31Z'),
      sourceIp: '198.51.100.40',
      originalMailFrom: 'returns@summit-gear.example',
      recipient: null,
      recipientStatus: 'undisclosed',
      domainCandidates: ['summit-gear.example'],
      originalMessageId: '<sg-tents-55120@summit-gear.example>',
      campaignId: 'tents-april',
      listId: null,
      subject: 'Tents on sale',
      reporter: 'vistamail.fbl.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), {
      action: 'complaint',
      category: 'unsolicited_marketing',
      suppressRecipient: false,
      note: 'recipient unknown: the report does not disclose the recipient address, so no suppression was added'
    })
  })

  test('Microsoft JMRP legacy (non-ARF): complaint from the attached original and X-HmXmrOriginalRecipient', async () => {
    const report = await parseFeedbackReport(fixture('microsoft-jmrp-legacy.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'microsoft-jmrp',
      reportId: '<JMRP.20240405.0117.rp77@hotmail.com>',
      feedbackType: 'abuse',
      reportedFeedbackType: null,
      userAgent: null,
      version: null,
      // the newest Received stamp of the original
      arrivalDate: new Date('2024-04-05T13:30:12Z'),
      // from the report's subject, "complaint about message from <IP>"
      sourceIp: '192.0.2.117',
      originalMailFrom: 'bounces+rp77@orchard-lane.example',
      recipient: 'riley.park@hotmail.com',
      recipientStatus: 'known',
      domainCandidates: ['orchard-lane.example'],
      originalMessageId: '<ol-cider-rp77@orchard-lane.example>',
      campaignId: 'cider-weekend',
      listId: 'orchard-friends',
      subject: 'Fresh cider this weekend',
      reporter: 'hotmail.com'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'unsolicited_marketing', suppressRecipient: true, note: null })
  })

  test('Microsoft JMRP legacy: X-HmXmrOriginalRecipient is used when the original To is absent or names several people', async () => {
    const withoutTo = await parseFeedbackReport(editedFixture('microsoft-jmrp-legacy.eml', (text) => text.replace('To: Riley Park <riley.park@hotmail.com>\r\n', '')))
    assert.equal(withoutTo.recipient, 'riley.park@hotmail.com')
    assert.equal(withoutTo.recipientStatus, 'known')
    const listTo = await parseFeedbackReport(editedFixture('microsoft-jmrp-legacy.eml', (text) => text.replace('To: Riley Park <riley.park@hotmail.com>', 'To: friends@orchard-lane.example, Riley Park <riley.park@hotmail.com>')))
    assert.equal(listTo.recipient, 'riley.park@hotmail.com')
    const undisclosedTo = await parseFeedbackReport(editedFixture('microsoft-jmrp-legacy.eml', (text) => text.replace('To: Riley Park <riley.park@hotmail.com>', 'To: undisclosed-recipients:;')))
    assert.equal(undisclosedTo.recipient, 'riley.park@hotmail.com')
  })

  test('Microsoft JMRP legacy: X-HmXmrOriginalRecipient wins over an original To that names someone else (an alias or a list)', async () => {
    const alias = await parseFeedbackReport(editedFixture('microsoft-jmrp-legacy.eml', (text) => text.replace('To: Riley Park <riley.park@hotmail.com>', 'To: Family <family-list@orchard-lane.example>')))
    assert.equal(alias.recipient, 'riley.park@hotmail.com')
    assert.deepEqual(alias.otherRecipients, [])
  })

  test('Microsoft JMRP legacy: the original itself with X-HmXmrOriginalRecipient at its top (no wrapping part) is a complaint', async () => {
    const wrapped = fixture('microsoft-jmrp-legacy.eml').toString('latin1')
    const bare = Buffer.from(wrapped.slice(wrapped.indexOf('X-HmXmrOriginalRecipient:'), wrapped.indexOf('\r\n--jmrp_boundary_3c--')), 'latin1')
    const report = await parseFeedbackReport(bare)
    assert.equal(report.format, 'microsoft-jmrp')
    assert.equal(report.feedbackType, 'abuse')
    assert.equal(report.recipient, 'riley.park@hotmail.com')
    assert.equal(report.recipientStatus, 'known')
    assert.deepEqual(report.domainCandidates, ['orchard-lane.example'])
    assert.equal(report.originalMessageId, '<ol-cider-rp77@orchard-lane.example>')
    assert.equal(report.campaignId, 'cider-weekend')
    assert.equal(report.subject, 'Fresh cider this weekend')
    assert.equal(report.reporter, 'Microsoft JMRP')
    // The Message-ID is the mailing's, shared by every recipient: the identity is the bytes' hash.
    assert.equal(report.reportId, createHash('sha256').update(bare).digest('hex'))
  })

  test('Microsoft newer ARF: redacted recipient ("REDACTED" display name), header-only original, two DKIM signatures', async () => {
    const report = await parseFeedbackReport(fixture('microsoft-arf-redacted.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<jmrp-arf.20260112.k3@hotmail.com>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'Microsoft-JMRP/2.0',
      version: '1',
      arrivalDate: new Date('2026-01-12T08:41:17Z'),
      sourceIp: '203.0.113.9',
      originalMailFrom: 'bounce-k3@send.meadowbrook-co.example',
      recipient: null,
      recipientStatus: 'redacted',
      domainCandidates: ['meadowbrook-co.example', 'esp-relay.example'],
      originalMessageId: '<mb-bulbs-k3@send.meadowbrook-co.example>',
      campaignId: 'winter-bulbs',
      listId: null,
      subject: 'Winter bulbs, planted by spring',
      reporter: 'hotmail.com'
    } satisfies ParsedFeedbackReport)
  })

  test('Feedback-Type fraud files a phishing_fraud complaint', async () => {
    const report = await parseFeedbackReport(fixture('feedback-type-fraud.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<fraud-3391@safemail.example>',
      feedbackType: 'fraud',
      reportedFeedbackType: 'fraud',
      userAgent: 'SafemailReporter/2.4',
      version: '1',
      arrivalDate: new Date('2024-07-09T07:52:40Z'),
      sourceIp: '203.0.113.77',
      originalMailFrom: null,
      recipient: 'drew.kim@safemail.example',
      recipientStatus: 'known',
      domainCandidates: ['lumen-pay.example'],
      originalMessageId: '<verify-99120@lumen-pay.example>',
      campaignId: null,
      listId: null,
      subject: 'Action required: verify your account',
      reporter: 'safemail.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'phishing_fraud', suppressRecipient: true, note: null })
  })

  test('Feedback-Type virus files a content_concern complaint', async () => {
    const report = await parseFeedbackReport(fixture('feedback-type-virus.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<virus-0711-22@filterhub.example>',
      feedbackType: 'virus',
      reportedFeedbackType: 'virus',
      userAgent: 'FilterHub/5.0',
      version: '1',
      arrivalDate: new Date('2024-07-11T09:58:00Z'),
      sourceIp: '192.0.2.212',
      originalMailFrom: null,
      recipient: 'quinn.ortiz@filterhub.example',
      recipientStatus: 'known',
      domainCandidates: ['printworks.example'],
      originalMessageId: '<inv-20240711@printworks.example>',
      campaignId: null,
      listId: null,
      subject: 'Invoice 2024-0711',
      reporter: 'filterhub.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'content_concern', suppressRecipient: true, note: null })
  })

  test('Feedback-Type other files an other complaint', async () => {
    const report = await parseFeedbackReport(fixture('feedback-type-other.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<other-1207@postbox.example>',
      feedbackType: 'other',
      reportedFeedbackType: 'other',
      userAgent: 'PostboxFBL/1.0',
      version: '1',
      arrivalDate: null,
      sourceIp: null,
      originalMailFrom: null,
      recipient: 'avery.chen@postbox.example',
      recipientStatus: 'known',
      domainCandidates: ['northwind-books.example'],
      originalMessageId: '<nw-ship-1207@northwind-books.example>',
      campaignId: null,
      listId: null,
      subject: 'Your order has shipped',
      reporter: 'postbox.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), { action: 'complaint', category: 'other', suppressRecipient: true, note: null })
  })

  test('Feedback-Type not-spam is parsed but files nothing and suppresses no one', async () => {
    const report = await parseFeedbackReport(fixture('feedback-type-not-spam.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<notspam-1307@postbox.example>',
      feedbackType: 'not-spam',
      reportedFeedbackType: 'not-spam',
      userAgent: 'PostboxFBL/1.0',
      version: '1',
      arrivalDate: null,
      sourceIp: null,
      originalMailFrom: null,
      recipient: 'avery.chen@postbox.example',
      recipientStatus: 'known',
      domainCandidates: ['northwind-books.example'],
      originalMessageId: '<nw-new-1307@northwind-books.example>',
      campaignId: 'new-arrivals-july',
      listId: null,
      subject: 'New arrivals in mystery',
      reporter: 'postbox.example'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), {
      action: 'ignore',
      reason: 'not-spam report: the recipient marked the message as wanted, so no complaint is filed and no one is suppressed'
    })
  })

  test('auth-failure (DMARC forensic report) files nothing even with a known recipient', async () => {
    const report = await parseFeedbackReport(fixture('dmarc-auth-failure.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<dmarc-ruf-771245@receiver.example>',
      feedbackType: 'auth-failure',
      reportedFeedbackType: 'auth-failure',
      userAgent: 'ReceiverDMARC/1.0',
      version: '1',
      arrivalDate: new Date('2024-07-14T03:05:44Z'),
      sourceIp: '203.0.113.200',
      originalMailFrom: 'billing@cobalt-labs.example',
      recipient: 'accounts@receiver.example',
      recipientStatus: 'known',
      // Reported-Domain, From and DKIM-Domain agree
      domainCandidates: ['cobalt-labs.example'],
      originalMessageId: '<spoof-ab12@cobalt-labs.example>',
      campaignId: null,
      listId: null,
      subject: 'Overdue invoice',
      reporter: 'receiver.example',
      authFailure: 'dmarc'
    } satisfies ParsedFeedbackReport)
    assert.deepEqual(feedbackDispositionFor(report), {
      action: 'ignore',
      reason: 'auth-failure report (Auth-Failure: dmarc): a DMARC/SPF/DKIM forensic report about authentication, not a recipient\'s complaint, so no complaint is filed and no one is suppressed'
    })
  })

  test('a report without a Message-ID is identified by the sha256 of its bytes', async () => {
    const raw = fixture('arf-without-message-id.eml')
    const report = await parseFeedbackReport(raw)
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: createHash('sha256').update(raw).digest('hex'),
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'SmallIspFBL/0.3',
      version: '1',
      arrivalDate: null,
      sourceIp: null,
      originalMailFrom: null,
      recipient: 'jamie.fox@smallisp.example',
      recipientStatus: 'known',
      domainCandidates: ['riverbend-gym.example'],
      originalMessageId: '<rg-spin-0722@riverbend-gym.example>',
      campaignId: null,
      listId: null,
      subject: 'New spin classes',
      reporter: 'smallisp.example'
    } satisfies ParsedFeedbackReport)
    assert.equal((await parseFeedbackReport(Buffer.from(raw))).reportId, report.reportId, 'the same bytes give the same identity')
  })

  test('a report without the original message still yields a complaint', async () => {
    const report = await parseFeedbackReport(fixture('arf-without-original.eml'))
    assert.deepEqual(report, {
      ...NO_EXTRAS,
      format: 'arf',
      reportId: '<fbl-noorig-0723@smallisp.example>',
      feedbackType: 'abuse',
      reportedFeedbackType: 'abuse',
      userAgent: 'SmallIspFBL/0.3',
      version: '1',
      arrivalDate: null,
      sourceIp: null,
      originalMailFrom: null,
      recipient: 'jamie.fox@smallisp.example',
      recipientStatus: 'known',
      domainCandidates: ['riverbend-gym.example'],
      originalMessageId: '<rg-yoga-0723@riverbend-gym.example>',
      campaignId: null,
      listId: null,
      subject: null,
      reporter: 'smallisp.example'
    } satisfies ParsedFeedbackReport)
  })

  test('a plain email is not a feedback report', async () => {
    await expectRejected(fixture('not-a-report.eml'), 'not_a_feedback_report', /^not a feedback report: the email \(text\/plain\) has no message\/feedback-report part/)
  })

  test('a delivery status notification (multipart/report; report-type=delivery-status) is not a feedback report', async () => {
    await expectRejected(fixture('dsn-delivery-status.eml'), 'not_a_feedback_report', /^not a feedback report: multipart\/report with report-type=delivery-status is a delivery status notification \(bounce\)/)
  })
})

describe('feedback report variants', () => {
  test('several Original-Rcpt-To values: the first is the recipient, the others are kept', async () => {
    const report = await parseFeedbackReport(minimalArf('Feedback-Type: abuse\nUser-Agent: Trap/1\nVersion: 1\nOriginal-Rcpt-To: trap1@isp.example\nOriginal-Rcpt-To: <Trap2@ISP.example>\nOriginal-Rcpt-To: trap1@isp.example'))
    assert.equal(report.recipient, 'trap1@isp.example')
    assert.deepEqual(report.otherRecipients, ['trap2@isp.example'])
  })

  test('the early-draft part type text/rfc822-header (singular) is read like text/rfc822-headers; Removal-Recipient names the recipient', async () => {
    const original = '--v\nContent-Type: text/rfc822-header\n\nFrom: <news@shop.example>\nTo: <Undisclosed Recipients>\nSubject: Deals\nMessage-ID: <deal-1@shop.example>\n\n'
    const report = await parseFeedbackReport(minimalArf('Feedback-Type: opt-out\nUser-Agent: ARF-Agent/1.0\nVersion: 0.1\nRemoval-Recipient: User@Mail.example', original))
    assert.deepEqual(report.domainCandidates, ['shop.example'])
    assert.equal(report.originalMessageId, '<deal-1@shop.example>')
    assert.equal(report.subject, 'Deals')
    assert.equal(report.feedbackType, 'other')
    assert.equal(report.recipient, 'user@mail.example')
    assert.equal(report.recipientStatus, 'known')
  })

  test('legacy Abuse-Type stands in for a missing Feedback-Type; a report with neither is malformed', async () => {
    const legacy = await parseFeedbackReport(minimalArf('Abuse-Type: complaint\nUser-Agent: ReturnPathFBL/1.0\nVersion: 0.1'))
    assert.equal(legacy.feedbackType, 'abuse')
    assert.equal(legacy.reportedFeedbackType, null)
    await expectRejected(minimalArf('User-Agent: X/1\nVersion: 1'), 'malformed_feedback_report', /no Feedback-Type field/)
  })

  test('unregistered and draft-era Feedback-Type values', async () => {
    const expectations: Array<[string, string]> = [['opt-out', 'other'], ['Opt-Out-List', 'other'], ['something-new', 'other'], ['miscategorized', 'not-spam'], ['dkim', 'auth-failure'], ['ABUSE', 'abuse']]
    for (const [reported, expected] of expectations) {
      const report = await parseFeedbackReport(minimalArf(`Feedback-Type: ${reported}\nUser-Agent: X/1\nVersion: 1`))
      assert.equal(report.feedbackType, expected, reported)
      assert.equal(report.reportedFeedbackType, reported.toLowerCase())
    }
  })

  test('folded fields and blank lines inside the feedback block are read', async () => {
    const report = await parseFeedbackReport(minimalArf('\nFeedback-Type:\n abuse\nUser-Agent: Folded/1\n\nOriginal-Rcpt-To:\n\t<folded@isp.example>\nArrival-Date: Tue, 14 May 2024\n 08:55:02 +0000\nOriginal-Envelope-Id: env-77'))
    assert.equal(report.feedbackType, 'abuse')
    assert.equal(report.recipient, 'folded@isp.example')
    assert.deepEqual(report.arrivalDate, new Date('2024-05-14T08:55:02Z'))
    assert.equal(report.originalEnvelopeId, 'env-77')
  })

  test('an original sent base64-encoded is still read', async () => {
    const original = 'From: Shop <news@shop.example>\r\nTo: lee@isp.example\r\nSubject: Hello\r\nX-Campaign-Id: c-1\r\n\r\nbody\r\n'
    const report = await parseFeedbackReport(minimalArf('Feedback-Type: abuse\nUser-Agent: X/1\nVersion: 1', `--v\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n${Buffer.from(original).toString('base64')}\n`))
    assert.equal(report.recipient, 'lee@isp.example')
    assert.equal(report.campaignId, 'c-1')
    assert.deepEqual(report.domainCandidates, ['shop.example'])
  })

  test('invalid Reported-Domain values, Source-IP and dates are dropped rather than stored', async () => {
    const report = await parseFeedbackReport(minimalArf('Feedback-Type: abuse\nUser-Agent: X/1\nVersion: 1\nReported-Domain: not a domain!\nReported-Domain: Shop.Example.\nSource-IP: 999.1.1.1\nArrival-Date: garbage 5'))
    assert.deepEqual(report.domainCandidates, ['shop.example'])
    assert.equal(report.sourceIp, null)
    assert.equal(report.arrivalDate, null)
    assert.equal(report.recipientStatus, 'undisclosed')
  })

  test('multipart/report declaring feedback-report without the part is malformed', async () => {
    const raw = mail('Content-Type: multipart/report; report-type=feedback-report; boundary="m"\n\n--m\nContent-Type: text/plain\n\nhello\n--m--\n')
    await expectRejected(raw, 'malformed_feedback_report', /has no message\/feedback-report part/)
  })

  test('a read receipt is named as such', async () => {
    const raw = mail('Content-Type: multipart/report; report-type=disposition-notification; boundary="m"\n\n--m\nContent-Type: message/disposition-notification\n\nDisposition: manual-action/MDN-sent-manually; displayed\n--m--\n')
    await expectRejected(raw, 'not_a_feedback_report', /read receipt/)
  })

  test('a forwarded message without X-HmXmrOriginalRecipient is not a JMRP report', async () => {
    const raw = editedFixture('microsoft-jmrp-legacy.eml', (text) => text.replace(/X-HmXmrOriginalRecipient: [^\r]*\r\n/, ''))
    await expectRejected(raw, 'not_a_feedback_report', /no X-HmXmrOriginalRecipient, on an attached original or its own header/)
  })

  test('empty, oversized and header-less bodies are rejected with a clear reason', async () => {
    await expectRejected(Buffer.alloc(0), 'empty', /the body is empty/)
    await expectRejected(Buffer.alloc(MAX_FEEDBACK_REPORT_BYTES + 1, 0x61), 'too_large', /larger than/)
    await expectRejected(Buffer.from('\r\n\r\njust a body'), 'unreadable', /no header fields/)
  })
})

describe('recipient reading', () => {
  const cases: Array<[string, 'known' | 'redacted' | 'hashed' | 'undisclosed', string | null]> = [
    ['<Jordan.Lee@Mailhost.example>', 'known', 'jordan.lee@mailhost.example'],
    ['  jordan.lee@mailhost.example  ', 'known', 'jordan.lee@mailhost.example'],
    ['Jordan Lee <jordan.lee@mailhost.example>', 'known', 'jordan.lee@mailhost.example'],
    ['"Lee, Jordan" <jordan.lee@mailhost.example>', 'known', 'jordan.lee@mailhost.example'],
    ['mailto:jordan.lee@mailhost.example', 'known', 'jordan.lee@mailhost.example'],
    ['<mailto:Jordan.Lee@mailhost.example>', 'known', 'jordan.lee@mailhost.example'],
    ['rfc822; jordan.lee@mailhost.example', 'known', 'jordan.lee@mailhost.example'],
    ['redacted@aol.com', 'redacted', null],
    ['xxxxxxxx@isp.example', 'redacted', null],
    ['****@isp.example', 'redacted', null],
    ['"REDACTED" <postmaster@outlook.com>', 'redacted', null],
    ['undisclosed comcast recipient <redacted@comcast.net>', 'redacted', null],
    ['[REDACTED]', 'redacted', null],
    ['ee2c4068bb6f2c89a7a64e3b11650c61@isp-mail.example', 'hashed', null],
    ['a5241d6e236f3c86d17c425479abe84968aebcfdb69e538d0ea5e2a8f5390410', 'hashed', null],
    ['dXNlckBleGFtcGxlLmNvbQ==', 'hashed', null],
    ['undisclosed Terra recipient', 'undisclosed', null],
    ['undisclosed-recipients:;', 'undisclosed', null],
    ['<>', 'undisclosed', null],
    ['', 'undisclosed', null]
  ]
  for (const [value, status, address] of cases) {
    test(`${JSON.stringify(value)} → ${status}`, () => {
      const reading = readRecipients([value], [])
      assert.equal(reading.status, status)
      assert.deepEqual(reading.addresses, address === null ? [] : [address])
    })
  }

  test('a Redacted-Address marker redacts an address using it', () => {
    assert.equal(readRecipients(['hidden@isp.example'], ['hidden']).status, 'redacted')
    assert.equal(readRecipients(['hidden@isp.example'], []).status, 'known')
  })
})

describe('complaint categories', () => {
  test('each feedback type maps to its category, or to none', () => {
    assert.deepEqual(FEEDBACK_TYPES.map((type) => [type, complaintCategoryFor(type)]), [
      ['abuse', 'unsolicited_marketing'],
      ['fraud', 'phishing_fraud'],
      ['virus', 'content_concern'],
      ['other', 'other'],
      ['not-spam', null],
      ['auth-failure', null]
    ])
  })
})

/** What any parsed report must look like, whatever the input. */
function assertValidShape (report: ParsedFeedbackReport): void {
  assert.ok(report.format === 'arf' || report.format === 'microsoft-jmrp')
  assert.match(report.reportId, /^(?:<[^\s<>]{1,995}>|[0-9a-f]{64})$/)
  assert.ok((FEEDBACK_TYPES as readonly string[]).includes(report.feedbackType))
  assert.equal(report.recipient !== null, report.recipientStatus === 'known')
  assert.ok(['known', 'redacted', 'hashed', 'undisclosed'].includes(report.recipientStatus))
  for (const address of [report.recipient, ...report.otherRecipients]) {
    if (address !== null) assert.equal(normalizeEmail(address), address)
  }
  assert.equal(new Set(report.domainCandidates).size, report.domainCandidates.length)
  for (const domain of report.domainCandidates) assert.equal(normalizeDomain(domain), domain)
  assert.ok(report.arrivalDate === null || !Number.isNaN(report.arrivalDate.getTime()))
  assert.ok(report.sourceIp === null || isIP(report.sourceIp) !== 0)
  for (const text of [
    report.userAgent, report.version, report.originalMailFrom, report.originalMessageId, report.campaignId, report.listId, report.subject,
    report.reporter, report.reportedFeedbackType, report.authFailure, report.originalEnvelopeId
  ]) {
    assert.ok(text === null || (typeof text === 'string' && text.length <= 1000))
  }
}

async function parsesOrRejectsCleanly (raw: Buffer): Promise<void> {
  try {
    assertValidShape(await parseFeedbackReport(raw))
  } catch (error) {
    if (error instanceof FeedbackReportParseError) return
    throw error
  }
}

describe('hostile input', () => {
  test('arbitrary bytes resolve to a valid shape or reject with FeedbackReportParseError', { timeout: 120_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      await parsesOrRejectsCleanly(Buffer.from(bytes))
    }), { numRuns: 300 })
  })

  test('mutated fixtures resolve to a valid shape or reject with FeedbackReportParseError', { timeout: 120_000 }, async () => {
    const mutation = fc.record({ at: fc.nat(), drop: fc.nat({ max: 64 }), insert: fc.uint8Array({ maxLength: 64 }) })
    await fc.assert(fc.asyncProperty(fc.constantFrom(...fixtureNames), fc.array(mutation, { maxLength: 8 }), async (name, mutations) => {
      let raw = fixture(name)
      for (const { at, drop, insert } of mutations) {
        const position = at % (raw.length + 1)
        raw = Buffer.concat([raw.subarray(0, position), Buffer.from(insert), raw.subarray(position + drop)])
      }
      await parsesOrRejectsCleanly(raw)
    }), { numRuns: 400 })
  })

  test('arbitrary feedback field values resolve to a valid shape or reject with FeedbackReportParseError', { timeout: 120_000 }, async () => {
    const names = ['Feedback-Type', 'User-Agent', 'Version', 'Original-Rcpt-To', 'Original-Mail-From', 'Arrival-Date', 'Received-Date', 'Source-IP', 'Reported-Domain', 'Redacted-Address', 'Abuse-Type', 'Original-Message-ID', 'Auth-Failure', 'DKIM-Domain']
    const field = fc.tuple(fc.constantFrom(...names), fc.string({ unit: 'binary', maxLength: 80 }))
      .map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}`)
    const originalHeader = fc.tuple(fc.constantFrom('From', 'To', 'DKIM-Signature', 'Message-ID', 'X-HmXmrOriginalRecipient', 'Received', 'Subject'), fc.string({ maxLength: 80 }))
      .map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}`)
    await fc.assert(fc.asyncProperty(fc.array(field, { maxLength: 12 }), fc.array(originalHeader, { maxLength: 8 }), async (fields, headers) => {
      const raw = Buffer.from([
        'Content-Type: multipart/report; report-type=feedback-report; boundary="f"', '',
        '--f', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', ...fields, '',
        '--f', 'Content-Type: message/rfc822', '', ...headers, '', 'body', '--f--', ''
      ].join('\r\n'), 'utf8')
      await parsesOrRejectsCleanly(raw)
    }), { numRuns: 300 })
  })

  test('a header block of tens of thousands of lines is refused quickly', { timeout: 20_000 }, async () => {
    const started = Date.now()
    const raw = Buffer.from(`${'X-Filler: a\r\n'.repeat(60_000)}Content-Type: text/plain\r\n\r\nbody\r\n`)
    await expectRejected(raw, 'unreadable', /could not be read as MIME/)
    assert.ok(Date.now() - started < 5_000)
  })

  test('deeply nested multiparts are refused quickly', { timeout: 20_000 }, async () => {
    const depth = 5_000
    let body = 'leaf\r\n'
    for (let level = depth; level > 0; level--) body = `--b${level}\r\nContent-Type: multipart/mixed; boundary="b${level + 1}"\r\n\r\n${body}--b${level}--\r\n`
    const started = Date.now()
    await expectRejected(Buffer.from(`Content-Type: multipart/mixed; boundary="b1"\r\n\r\n${body}`), 'unreadable', /could not be read as MIME/)
    assert.ok(Date.now() - started < 5_000)
  })

  test('thousands of recipients and pathological header values stay fast and bounded', { timeout: 20_000 }, async () => {
    const recipients = Array.from({ length: 2_000 }, (_, index) => `Original-Rcpt-To: user${index}@isp.example`).join('\n')
    const original = `--v\nContent-Type: message/rfc822\n\nReceived: from x; ${'('.repeat(100_000)}\nTo: ${'>'.repeat(50_000)}a@b.example\nMessage-ID: <${'x'.repeat(100_000)}>\nFrom: ${'<'.repeat(50_000)}\n\nbody\n`
    const started = Date.now()
    const report = await parseFeedbackReport(minimalArf(`Feedback-Type: abuse\nUser-Agent: X/1\nVersion: 1\n${recipients}`, original))
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`)
    assertValidShape(report)
    assert.equal(report.recipient, 'user0@isp.example')
    assert.equal(report.otherRecipients.length, 99)
    assert.equal(report.originalMessageId, null)
  })
})
