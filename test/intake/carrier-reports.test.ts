import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { createCampaign, createList, getComplaint, postCarrierReport, randomNumber, registerNumber, rowCounts, suppressionsOf } from './intake-helpers.js'

const report = (senderNumber: string, fields: Record<string, unknown> = {}) => ({
  report_id: `rpt-${randomUUID()}`,
  carrier: 'T-Mobile',
  reported_at: '2026-11-20T10:00:00.000Z',
  sender_number: senderNumber,
  reporter_number: randomNumber(),
  ...fields
})

for (const database of testDatabases()) {
  describe(`intake: carrier reports (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [{
      method: 'POST',
      route: '/v1/intake/carrier-reports',
      scope: 'intake:write',
      success: 200,
      prepare: async (c, org) => ({ url: '/v1/intake/carrier-reports', payload: report((await registerNumber(c, org)).number) })
    }])

    test('a report files a carrier complaint and suppresses the reporter for the sending number', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const list = await createList(ctx, org)
      const campaignId = (await createCampaign(ctx, org, { phone_number_id: phone.id, list_id: list.id })).id
      const outboundId = randomUUID()
      const payload = report(phone.number, { campaign_id: campaignId, outbound_message_id: outboundId })
      const response = await postCarrierReport(ctx, payload)
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.equal(answer.report_id, payload.report_id)
      assert.equal(answer.carrier, 't-mobile')
      assert.equal(answer.category, 'unsolicited_marketing', 'no excerpt: unsolicited marketing')
      assert.equal(response.headers['idempotent-replayed'], undefined)

      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.source, 'carrier')
      assert.equal(complaint.channel, 'sms')
      assert.equal(complaint.category, 'unsolicited_marketing')
      assert.equal(complaint.reporter_number, payload.reporter_number)
      assert.equal(complaint.phone_number_id, phone.id)
      assert.equal(complaint.campaign_id, campaignId)
      assert.equal(complaint.list_id, list.id, "the campaign's list")
      assert.equal(complaint.outbound_message_id, outboundId)
      assert.equal(complaint.excerpt, null)

      const [suppression, ...others] = await suppressionsOf(ctx, org.id)
      assert.equal(others.length, 0)
      assert.ok(suppression)
      assert.equal(suppression.id, answer.suppression_id)
      assert.equal(suppression.channel, 'sms')
      assert.equal(suppression.address, payload.reporter_number)
      assert.equal(suppression.scope, 'phone_number')
      assert.equal(suppression.phone_number_id, phone.id)
      assert.equal(suppression.reason, 'complaint')
      assert.equal(suppression.complaint_id, answer.complaint_id)

      const events = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}/events` })
      assert.deepEqual(events.json().data[0].actor, { kind: 'system', label: 'intake' })
    })

    test('the category comes from the excerpt when it names a concern, else unsolicited_marketing', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const cases: Array<[string, string]> = [
        ['This is a scam, fake link to steal my bank login', 'phishing_fraud'],
        ['Big sale this weekend! 50% off everything. Reply STOP to opt out', 'unsolicited_marketing'],
        ['', 'unsolicited_marketing']
      ]
      for (const [excerpt, category] of cases) {
        const response = await postCarrierReport(ctx, report(phone.number, excerpt === '' ? {} : { excerpt }))
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.json().data.category, category, excerpt)
        const complaint = await getComplaint(ctx, org, response.json().data.complaint_id)
        assert.equal(complaint.category, category)
        assert.equal(complaint.excerpt, excerpt === '' ? null : excerpt)
      }
      const long = await postCarrierReport(ctx, report(phone.number, { excerpt: 'Win a prize! '.repeat(100) }))
      const complaint = await getComplaint(ctx, org, long.json().data.complaint_id)
      assert.equal((complaint.excerpt as string).length, 500, 'excerpt cut to 500 characters')
    })

    test('idempotent on (carrier, report_id): a replay returns the first answer and writes nothing', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const payload = report(phone.number)
      const first = await postCarrierReport(ctx, payload)
      assert.equal(first.statusCode, 200, first.body)
      const before = await rowCounts(ctx, org.id)
      assert.equal(before.complaints, 1)
      assert.equal(before.carrier_reports, 1)

      const replay = await postCarrierReport(ctx, { ...payload, carrier: 't-mobile', reporter_number: randomNumber(), excerpt: 'different' })
      assert.equal(replay.statusCode, 200, replay.body)
      assert.deepEqual(replay.json(), first.json())
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.deepEqual(await rowCounts(ctx, org.id), before)

      const otherCarrier = await postCarrierReport(ctx, { ...payload, carrier: 'Verizon' })
      assert.equal(otherCarrier.statusCode, 200)
      assert.notEqual(otherCarrier.json().data.complaint_id, first.json().data.complaint_id, 'the same report id at another carrier is another report')
      assert.equal((await rowCounts(ctx, org.id)).complaints, 2)
    })

    test('concurrent copies of one report file one complaint and all get the same answer', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const payload = report(phone.number)
      const answers = await Promise.all(Array.from({ length: 6 }, async () => await postCarrierReport(ctx, payload)))
      for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body)
      assert.equal(new Set(answers.map((answer) => answer.json().data.complaint_id)).size, 1)
      const counts = await rowCounts(ctx, org.id)
      assert.equal(counts.complaints, 1)
      assert.equal(counts.suppressions, 1)
      assert.equal(counts.carrier_reports, 1)
    })

    test('an unregistered sender is 422 details.sender_number; bad numbers and fields are refused', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const unknown = await postCarrierReport(ctx, report(randomNumber()))
      assert.equal(unknown.statusCode, 422)
      assert.equal(unknown.json().error.code, 'VALIDATION_FAILED')
      assert.equal(unknown.json().error.details.sender_number, 'is not a registered phone number')

      const badReporter = await postCarrierReport(ctx, report(phone.number, { reporter_number: '(415) 555-0123' }))
      assert.equal(badReporter.statusCode, 422)
      assert.match(badReporter.json().error.details.reporter_number, /E\.164/)

      const badSender = await postCarrierReport(ctx, report('4155550123'))
      assert.equal(badSender.statusCode, 422)
      assert.match(badSender.json().error.details.sender_number, /E\.164/)

      const { reported_at: _omitted, ...withoutDate } = report(phone.number)
      const missing = await postCarrierReport(ctx, withoutDate)
      assert.equal(missing.statusCode, 422)
      assert.equal(missing.json().error.details.reported_at, 'is required')

      const badDate = await postCarrierReport(ctx, report(phone.number, { reported_at: 'yesterday' }))
      assert.equal(badDate.statusCode, 422)
      assert.ok(badDate.json().error.details.reported_at)

      const extra = await postCarrierReport(ctx, report(phone.number, { severity: 'high' }))
      assert.equal(extra.statusCode, 400)
      assert.equal(extra.json().error.details.severity, 'is not accepted by this route')

      const badCampaign = await postCarrierReport(ctx, report(phone.number, { campaign_id: 'spring-sale' }))
      assert.equal(badCampaign.statusCode, 422)
      assert.ok(badCampaign.json().error.details.campaign_id)

      assert.deepEqual(await rowCounts(ctx, org.id), {
        complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, carrier_reports: 0, feedback_reports: 0
      })

      // A report is never lost for a stale or foreign campaign id: the id is dropped.
      const foreignCampaign = await postCarrierReport(ctx, report(phone.number, { campaign_id: (await createCampaign(ctx, await ctx.createOrg())).id }))
      assert.equal(foreignCampaign.statusCode, 200, foreignCampaign.body)
      const filed = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${foreignCampaign.json().data.complaint_id as string}` })
      assert.equal(filed.json().data.campaign_id, null)
      assert.equal((await rowCounts(ctx, org.id)).suppressions, 1)
    })

    test("a report lands in the sending number's organization only", async () => {
      const [a, b] = [await ctx.createOrg(), await ctx.createOrg()]
      const phone = await registerNumber(ctx, a)
      const response = await postCarrierReport(ctx, report(phone.number))
      const id = response.json().data.complaint_id as string
      assert.equal((await ctx.request(a.ownerKey, { method: 'GET', url: `/v1/complaints/${id}` })).statusCode, 200)
      assert.equal((await ctx.request(b.ownerKey, { method: 'GET', url: `/v1/complaints/${id}` })).statusCode, 404)
    })
  })
}
