import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { createCampaign, createList, getComplaint, postFeedbackReport, registerDomain, rowCounts, suppressionsOf } from './intake-helpers.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feedback-reports')
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name))

/** A minimal RFC 5965 report written here, so tests can vary the identity, domain and recipient. */
function arfReport (options: { domain: string, recipient?: string, feedbackType?: string, messageId?: string, campaignId?: string, listId?: string, originalBody?: string }): string {
  const messageId = options.messageId ?? `<${randomUUID()}@fbl.isp.example>`
  const recipient = options.recipient ?? `${randomUUID().slice(0, 8)}@isp.example`
  return [
    'From: ISP Feedback <fbl@isp.example>',
    `To: fbl@${options.domain}`,
    'Subject: FW: Weekly offers',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'A subscriber marked the attached message as spam.',
    '--b1',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${options.feedbackType ?? 'abuse'}`,
    'User-Agent: TestFBL/1.0',
    'Version: 1',
    `Original-Rcpt-To: <${recipient}>`,
    `Reported-Domain: ${options.domain}`,
    'Arrival-Date: Mon, 16 Nov 2026 10:00:00 +0000',
    '',
    '--b1',
    'Content-Type: message/rfc822',
    '',
    `From: Offers <offers@${options.domain}>`,
    `To: ${recipient}`,
    'Subject: Weekly offers',
    `Message-ID: <${randomUUID()}@${options.domain}>`,
    ...(options.campaignId !== undefined ? [`X-Campaign-Id: ${options.campaignId}`] : []),
    ...(options.listId !== undefined ? [`X-List-Id: ${options.listId}`] : []),
    '',
    options.originalBody ?? 'This week only.',
    '--b1--',
    ''
  ].join('\r\n')
}

const uniqueDomain = (): string => `d${randomUUID().slice(0, 8)}.example`

interface Expected {
  /** The domain to register (the first registered candidate names the organization). */
  domain: string
  feedbackType: string
  category: string | null
  recipientStatus: 'known' | 'redacted' | 'hashed' | 'undisclosed'
  /** The suppressed address, when the recipient is known and the report is a complaint. */
  suppressed: string | null
  format?: string
}

/** Every provider fixture and what it must produce. */
const EXPECTED: Record<string, Expected> = {
  'yahoo.eml': { domain: 'brightpaws.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'alex.morgan@yahoo.com' },
  'aol.eml': { domain: 'tidewater-tours.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'redacted', suppressed: null },
  'comcast.eml': { domain: 'harborview-news.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'redacted', suppressed: null },
  'returnpath-hashed-recipient.eml': { domain: 'quillandink.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'hashed', suppressed: null },
  'returnpath-omitted-recipient.eml': { domain: 'summit-gear.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'undisclosed', suppressed: null },
  'microsoft-jmrp-legacy.eml': { domain: 'orchard-lane.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'riley.park@hotmail.com', format: 'microsoft-jmrp' },
  'microsoft-arf-redacted.eml': { domain: 'meadowbrook-co.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'redacted', suppressed: null, format: 'arf' },
  'arf-rfc5965-message-rfc822.eml': { domain: 'news.acme-retail.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'jordan.lee@mailhost.example' },
  'arf-text-rfc822-headers.eml': { domain: 'gadgetbarn.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'sam.rivera@webmail.example' },
  'arf-legacy-v0.1.eml': { domain: 'pinecone-press.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'morgan.bell@oldmail.example' },
  'arf-parameters-unquoted-reordered.eml': { domain: 'cafe-aurora.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'casey.nguyen@inbox.example' },
  'arf-without-message-id.eml': { domain: 'riverbend-gym.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'jamie.fox@smallisp.example' },
  'arf-without-original.eml': { domain: 'riverbend-gym.example', feedbackType: 'abuse', category: 'unsolicited_marketing', recipientStatus: 'known', suppressed: 'jamie.fox@smallisp.example' },
  'feedback-type-fraud.eml': { domain: 'lumen-pay.example', feedbackType: 'fraud', category: 'phishing_fraud', recipientStatus: 'known', suppressed: 'drew.kim@safemail.example' },
  'feedback-type-virus.eml': { domain: 'printworks.example', feedbackType: 'virus', category: 'content_concern', recipientStatus: 'known', suppressed: 'quinn.ortiz@filterhub.example' },
  'feedback-type-other.eml': { domain: 'northwind-books.example', feedbackType: 'other', category: 'other', recipientStatus: 'known', suppressed: 'avery.chen@postbox.example' },
  'feedback-type-not-spam.eml': { domain: 'northwind-books.example', feedbackType: 'not-spam', category: null, recipientStatus: 'known', suppressed: null },
  'dmarc-auth-failure.eml': { domain: 'cobalt-labs.example', feedbackType: 'auth-failure', category: null, recipientStatus: 'known', suppressed: null }
}

/** Fixtures that are not feedback reports at all. */
const NOT_REPORTS = ['not-a-report.eml', 'dsn-delivery-status.eml']

for (const database of testDatabases()) {
  describe(`intake: feedback reports (${database})`, () => {
    let ctx: TestContext
    /** The organization owning every fixture's domain (a domain belongs to one organization). */
    let fixtureOrg: TestOrg
    const domainIds = new Map<string, string>()

    before(async () => {
      ctx = await startTestApp(database)
      fixtureOrg = await ctx.createOrg('Fixture senders')
      for (const name of new Set(Object.values(EXPECTED).map((expected) => expected.domain))) {
        domainIds.set(name, (await registerDomain(ctx, fixtureOrg, name)).id)
      }
    })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [{
      method: 'POST',
      route: '/v1/intake/feedback-reports',
      scope: 'intake:write',
      success: 200,
      prepare: async (c, org) => {
        const domain = (await registerDomain(c, org, uniqueDomain())).name
        return { url: '/v1/intake/feedback-reports', payload: arfReport({ domain }), headers: { 'content-type': 'message/rfc822' } }
      }
    }])

    test('every fixture of the folder is covered by this test', () => {
      const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.eml')).sort()
      assert.deepEqual(files.filter((file) => !(file in EXPECTED) && !NOT_REPORTS.includes(file)), [])
    })

    for (const [file, expected] of Object.entries(EXPECTED)) {
      test(`${file}: ${expected.category === null ? 'ignored' : `${expected.category} complaint`}, ${expected.suppressed === null ? 'no suppression' : 'recipient suppressed for the domain'}`, async () => {
        const domainId = domainIds.get(expected.domain) as string
        const before = await rowCounts(ctx, fixtureOrg.id)
        const alreadySuppressed = (await suppressionsOf(ctx, fixtureOrg.id)).find((row) => row.address === expected.suppressed && row.domain_id === domainId)
        const response = await postFeedbackReport(ctx, fixture(file))
        assert.equal(response.statusCode, 200, response.body)
        const answer = response.json().data
        assert.equal(answer.feedback_type, expected.feedbackType)
        assert.equal(answer.recipient_status, expected.recipientStatus)
        assert.equal(answer.domain_id, domainId, 'the first registered candidate domain')
        assert.equal(answer.format, expected.format ?? 'arf')
        assert.ok(typeof answer.report_id === 'string' && answer.report_id.length > 0)
        const after = await rowCounts(ctx, fixtureOrg.id)
        assert.equal(after.feedback_reports, before.feedback_reports + 1)

        if (expected.category === null) {
          assert.equal(answer.complaint_id, null)
          assert.equal(answer.suppression_id, null)
          assert.ok(answer.ignored?.reason.includes(expected.feedbackType), answer.ignored?.reason)
          assert.equal(after.complaints, before.complaints)
          assert.equal(after.suppressions, before.suppressions)
          return
        }
        assert.equal(answer.ignored, null)
        const complaint = await getComplaint(ctx, fixtureOrg, answer.complaint_id)
        assert.equal(complaint.source, 'feedback_loop')
        assert.equal(complaint.channel, 'email')
        assert.equal(complaint.category, expected.category)
        assert.equal(complaint.feedback_type, expected.feedbackType)
        assert.equal(complaint.domain_id, domainId)
        assert.equal(complaint.reporter_number, null)
        assert.equal(complaint.phone_number_id, null)
        assert.equal(complaint.campaign_id, null, 'the fixtures name no campaign of the organization')
        assert.equal(complaint.list_id, null)
        assert.equal(complaint.reporter_email, expected.suppressed)

        if (expected.suppressed === null) {
          assert.equal(answer.suppression_id, null)
          assert.equal(after.suppressions, before.suppressions)
          assert.match(complaint.excerpt as string, /recipient unknown/, 'the complaint says why no one was suppressed')
          return
        }
        const suppression = (await suppressionsOf(ctx, fixtureOrg.id)).find((row) => row.id === answer.suppression_id)
        assert.ok(suppression, 'the answer names the suppression')
        assert.equal(suppression.channel, 'email')
        assert.equal(suppression.address, expected.suppressed)
        assert.equal(suppression.scope, 'domain')
        assert.equal(suppression.domain_id, domainId)
        assert.equal(suppression.reason, 'complaint')
        if (alreadySuppressed === undefined) {
          assert.equal(after.suppressions, before.suppressions + 1)
          assert.equal(suppression.complaint_id, answer.complaint_id)
        } else {
          assert.equal(after.suppressions, before.suppressions, 'an address already suppressed for the domain keeps its one row')
          assert.equal(suppression.id, alreadySuppressed.id)
        }
      })
    }

    test('a report listing several recipients files one complaint and one suppression per recipient', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, uniqueDomain())
      const raw = arfReport({ domain: domain.name, recipient: 'first@isp.example' })
        .replace('Original-Rcpt-To: <first@isp.example>', 'Original-Rcpt-To: <first@isp.example>\r\nOriginal-Rcpt-To: Second@ISP.example\r\nOriginal-Rcpt-To: third@isp.example')
      const response = await postFeedbackReport(ctx, raw)
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.equal(answer.complaint_ids.length, 3)
      assert.equal(answer.suppression_ids.length, 3)
      assert.equal(answer.complaint_id, answer.complaint_ids[0])
      assert.equal(answer.suppression_id, answer.suppression_ids[0])
      const complaints = await Promise.all(answer.complaint_ids.map(async (id: string) => await getComplaint(ctx, org, id)))
      assert.deepEqual(complaints.map((complaint) => complaint.reporter_email), ['first@isp.example', 'second@isp.example', 'third@isp.example'])
      assert.ok(complaints.every((complaint) => String(complaint.excerpt).includes('one of 3 recipients the report names')))
      const suppressed = await suppressionsOf(ctx, org.id)
      assert.deepEqual(suppressed.map((row) => [row.address, row.domain_id, row.complaint_id]).sort(),
        complaints.map((complaint) => [complaint.reporter_email, domain.id, complaint.id]).sort())
    })

    test('a Microsoft JMRP report that is the original itself (X-HmXmrOriginalRecipient at its top, no wrapping part) is a complaint', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, uniqueDomain())
      const raw = [
        'X-HmXmrOriginalRecipient: <pat.doe@hotmail.example>',
        `From: News <news@${domain.name}>`,
        'To: family-list@lists.example',
        'Subject: Weekly offers',
        `Message-ID: <${randomUUID()}@${domain.name}>`,
        '',
        'This week only.',
        ''
      ].join('\r\n')
      const response = await postFeedbackReport(ctx, raw)
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.equal(answer.format, 'microsoft-jmrp')
      assert.equal(answer.domain_id, domain.id)
      assert.equal(answer.recipient_status, 'known')
      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.reporter_email, 'pat.doe@hotmail.example', 'X-HmXmrOriginalRecipient, not the original To')
      assert.deepEqual((await suppressionsOf(ctx, org.id)).map((row) => row.address), ['pat.doe@hotmail.example'])
    })

    test('a replayed report returns the first answer and writes nothing', async () => {
      const org = await ctx.createOrg()
      const domain = (await registerDomain(ctx, org, uniqueDomain())).name
      const raw = arfReport({ domain })
      const first = await postFeedbackReport(ctx, raw)
      assert.equal(first.statusCode, 200, first.body)
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.complaints, counts.suppressions, counts.feedback_reports], [1, 1, 1])
      const replay = await postFeedbackReport(ctx, raw)
      assert.equal(replay.statusCode, 200)
      assert.deepEqual(replay.json(), first.json())
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.deepEqual(await rowCounts(ctx, org.id), counts)

      // The identity is the report's Message-ID: another recipient under the same id is the same report.
      const messageId = `<${randomUUID()}@fbl.isp.example>`
      const a = await postFeedbackReport(ctx, arfReport({ domain, messageId }))
      const b = await postFeedbackReport(ctx, arfReport({ domain, messageId, recipient: 'someone.else@isp.example' }))
      assert.deepEqual(b.json(), a.json())

      const fixtureReplay = await postFeedbackReport(ctx, fixture('yahoo.eml'))
      assert.equal(fixtureReplay.statusCode, 200)
      assert.equal(fixtureReplay.headers['idempotent-replayed'], 'true')
    })

    test('concurrent copies of one report are recorded once', async () => {
      const org = await ctx.createOrg()
      const raw = arfReport({ domain: (await registerDomain(ctx, org, uniqueDomain())).name })
      const answers = await Promise.all(Array.from({ length: 5 }, async () => await postFeedbackReport(ctx, raw)))
      for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body)
      assert.equal(new Set(answers.map((answer) => answer.json().data.complaint_id)).size, 1)
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.complaints, counts.suppressions, counts.feedback_reports], [1, 1, 1])
    })

    test('the first registered candidate domain names the organization; none registered is 422 details.domain', async () => {
      const org = await ctx.createOrg()
      const unknown = await postFeedbackReport(ctx, arfReport({ domain: uniqueDomain() }))
      assert.equal(unknown.statusCode, 422)
      assert.equal(unknown.json().error.code, 'VALIDATION_FAILED')
      assert.match(unknown.json().error.details.domain, /registered/)
      assert.equal((await rowCounts(ctx, org.id)).feedback_reports, 0)
    })

    test('only message/rfc822 is accepted (415), up to 10 MiB (413 above)', async () => {
      const org = await ctx.createOrg()
      const domain = (await registerDomain(ctx, org, uniqueDomain())).name
      for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
        const response = await postFeedbackReport(ctx, contentType === 'application/json' ? JSON.stringify({ raw: arfReport({ domain }) }) : arfReport({ domain }), contentType)
        assert.equal(response.statusCode, 415, contentType)
        assert.equal(response.json().error.code, 'UNSUPPORTED_MEDIA_TYPE', contentType)
      }
      const charset = await postFeedbackReport(ctx, arfReport({ domain }), 'message/rfc822; charset=utf-8')
      assert.equal(charset.statusCode, 200, charset.body)

      // Far above the 1 MiB of the JSON routes, within the 10 MiB of this route.
      const big = await postFeedbackReport(ctx, arfReport({ domain, originalBody: 'x'.repeat(76).concat('\r\n').repeat(100_000) }))
      assert.equal(big.statusCode, 200, big.body.slice(0, 300))

      const tooBig = await postFeedbackReport(ctx, Buffer.alloc(10 * 1024 * 1024 + 1, 'a'))
      assert.equal(tooBig.statusCode, 413)
      assert.equal(tooBig.json().error.code, 'PAYLOAD_TOO_LARGE')
      assert.equal((await rowCounts(ctx, org.id)).feedback_reports, 2)
    })

    test('anything that is not a feedback report is 422 with the reason', async () => {
      for (const file of NOT_REPORTS) {
        const response = await postFeedbackReport(ctx, fixture(file))
        assert.equal(response.statusCode, 422, file)
        assert.equal(response.json().error.code, 'VALIDATION_FAILED')
        assert.match(response.json().error.details.body, /not a feedback report/, file)
      }
      const empty = await postFeedbackReport(ctx, '')
      assert.ok([422, 400].includes(empty.statusCode), `empty body: ${empty.statusCode} ${empty.body}`)
      const garbage = await postFeedbackReport(ctx, Buffer.from([0, 1, 2, 3, 255, 254]))
      assert.equal(garbage.statusCode, 422)
    })

    test('stores parsed fields, never the original email; header campaign ids the organization does not have are ignored', async () => {
      const org = await ctx.createOrg()
      const domain = (await registerDomain(ctx, org, uniqueDomain())).name
      const secret = `personal-link-${randomUUID()}`
      const campaignId = randomUUID()
      const response = await postFeedbackReport(ctx, arfReport({ domain, campaignId, originalBody: `Click https://x.example/u/${secret}` }))
      assert.equal(response.statusCode, 200, response.body)
      const complaint = await getComplaint(ctx, org, response.json().data.complaint_id)
      assert.equal(complaint.campaign_id, null, 'not a campaign of this organization')
      const row = await ctx.store.db.selectFrom('feedback_reports').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(row.campaign_ref, campaignId, 'the header value is kept on the report record')
      assert.equal(row.feedback_type, 'abuse')
      assert.equal(row.user_agent, 'TestFBL/1.0')
      assert.ok(!JSON.stringify(row).includes(secret), 'the original body is not stored')
      assert.ok(!JSON.stringify(complaint).includes(secret))
    })

    test("the original's X-Campaign-Id / X-List-Id reach the complaint when they are the organization's (by id or external_id)", async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, uniqueDomain())
      const list = await createList(ctx, org, { external_id: 'weekly-digest' })
      const otherList = await createList(ctx, org)
      const campaign = await createCampaign(ctx, org, { channel: 'email', domain_id: domain.id, list_id: list.id, external_id: 'spring-sale-2026' })

      const byExternalId = await postFeedbackReport(ctx, arfReport({ domain: domain.name, campaignId: 'spring-sale-2026' }))
      assert.equal(byExternalId.statusCode, 200, byExternalId.body)
      const first = await getComplaint(ctx, org, byExternalId.json().data.complaint_id)
      assert.equal(first.campaign_id, campaign.id)
      assert.equal(first.list_id, list.id, "inherits the campaign's list")

      const byIds = await postFeedbackReport(ctx, arfReport({ domain: domain.name, campaignId: campaign.id, listId: otherList.id }))
      const second = await getComplaint(ctx, org, byIds.json().data.complaint_id)
      assert.equal(second.campaign_id, campaign.id)
      assert.equal(second.list_id, otherList.id, 'a list named in the headers wins')

      const listOnly = await postFeedbackReport(ctx, arfReport({ domain: domain.name, listId: 'weekly-digest' }))
      const third = await getComplaint(ctx, org, listOnly.json().data.complaint_id)
      assert.equal(third.campaign_id, null)
      assert.equal(third.list_id, list.id)

      const stranger = await ctx.createOrg()
      const foreign = await createCampaign(ctx, stranger, { channel: 'email', external_id: 'foreign-campaign' })
      const foreignRefs = await postFeedbackReport(ctx, arfReport({ domain: domain.name, campaignId: foreign.id, listId: 'no-such-list' }))
      assert.equal(foreignRefs.statusCode, 200, 'never an error: the headers come from the reported email')
      const fourth = await getComplaint(ctx, org, foreignRefs.json().data.complaint_id)
      assert.equal(fourth.campaign_id, null)
      assert.equal(fourth.list_id, null)
    })

    test('Idempotency-Key is accepted like on every POST route', async () => {
      const org = await ctx.createOrg()
      const raw = arfReport({ domain: (await registerDomain(ctx, org, uniqueDomain())).name })
      const send = async () => await ctx.request(ctx.platformKey, {
        method: 'POST', url: '/v1/intake/feedback-reports', payload: raw, headers: { 'content-type': 'message/rfc822', 'idempotency-key': 'fbl-1' }
      })
      const first = await send()
      assert.equal(first.statusCode, 200, first.body)
      const second = await send()
      assert.deepEqual(second.json(), first.json())
      assert.equal(second.headers['idempotent-replayed'], 'true')
    })
  })
}
