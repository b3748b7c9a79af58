import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { fileComplaint, type NewComplaint, SYSTEM_ACTOR } from '../../src/modules/complaints/complaints.service.js'
import { rateLevel } from '../../src/modules/reports/reports.service.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { createCampaign, createList, registerDomain, registerNumber } from '../lists/fixtures.js'

interface RateRow { key: string, name: string | null, complaints: number, sent: number, rate: number | null, level: string }

for (const database of testDatabases()) {
  describe(`complaint-rate report (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const file = async (orgId: string, complaints: Array<Partial<NewComplaint>>): Promise<void> => {
      await ctx.store.db.transaction().execute(async (trx) => {
        for (const complaint of complaints) {
          await fileComplaint(trx, orgId, { category: 'unsolicited_marketing', source: 'staff', channel: 'email', reporterEmail: 'r@example.net', ...complaint }, SYSTEM_ACTOR)
        }
      })
    }

    runAuthMatrix(() => ctx, [
      { method: 'GET', route: '/v1/reports/complaint-rates', scope: 'reports:read', success: 200, prepare: async () => ({ url: '/v1/reports/complaint-rates?group_by=campaign' }) }
    ])

    test('levels: warning from exactly 0.1 %, critical from exactly 0.3 %, ok without sends', () => {
      assert.equal(rateLevel(0, 1000), 'ok')
      assert.equal(rateLevel(9, 10_000), 'ok')
      assert.equal(rateLevel(1, 1000), 'warning')
      assert.equal(rateLevel(29, 10_000), 'warning')
      assert.equal(rateLevel(3, 1000), 'critical')
      assert.equal(rateLevel(5, 0), 'ok')
    })

    test('a hand-computed example for every grouping', async () => {
      const org = await ctx.createOrg()
      const newsletter = await createList(ctx, org, { name: 'Newsletter' })
      const promos = await createList(ctx, org, { name: 'Promos' })
      const domain = await registerDomain(ctx, org)
      const number = await registerNumber(ctx, org)
      const a = await createCampaign(ctx, org, { name: 'A', channel: 'email', list_id: newsletter.id, domain_id: domain.id, sent_count: 1000 })
      const b = await createCampaign(ctx, org, { name: 'B', channel: 'email', list_id: newsletter.id, domain_id: domain.id, sent_count: 2000 })
      const c = await createCampaign(ctx, org, { name: 'C', channel: 'sms', list_id: promos.id, phone_number_id: number.id, sent_count: 500 })
      const e = await createCampaign(ctx, org, { name: 'E', channel: 'sms', phone_number_id: number.id })
      const soon = Date.now() + 60_000
      const at = (minutes: number) => new Date(soon + minutes * 60_000)
      const sms = { channel: 'sms' as const, reporterEmail: null, reporterNumber: '+14155550123' }
      await file(org.id, [
        { campaignId: a.id, createdAt: at(1) }, // A: 1 in the window
        { campaignId: a.id, createdAt: new Date('2020-01-01T00:00:00Z') }, // A: before `since`, not counted
        { ...sms, campaignId: c.id, createdAt: at(2) }, // C: 2
        { ...sms, campaignId: c.id, createdAt: at(3) },
        { ...sms, campaignId: e.id, createdAt: at(4) }, // E: 1, nothing sent
        { ...sms, phoneNumberId: number.id, createdAt: at(5) }, // the number, no campaign
        { domainId: domain.id, createdAt: at(6) }, // the domain, no campaign: 2
        { domainId: domain.id, createdAt: at(7) },
        { createdAt: at(8) } // nothing to attribute it to
      ])
      const report = async (groupBy: string) => {
        const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=${groupBy}&since=2021-01-01` })
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.json().meta.group_by, groupBy)
        assert.equal(response.json().meta.since, '2021-01-01T00:00:00.000Z')
        assert.equal(response.json().meta.until, null)
        // No links were followed here: unsubscribes are covered by test/unsubscribe.
        return (response.json().data as Array<RateRow & { unsubscribes: number }>).map(({ unsubscribes, ...row }) => {
          assert.equal(unsubscribes, 0)
          return row
        })
      }

      // Highest rate first; a null rate last.
      assert.deepEqual(await report('campaign'), [
        { key: c.id, name: 'C', complaints: 2, sent: 500, rate: 0.004, level: 'critical' },
        { key: a.id, name: 'A', complaints: 1, sent: 1000, rate: 0.001, level: 'warning' },
        { key: b.id, name: 'B', complaints: 0, sent: 2000, rate: 0, level: 'ok' },
        { key: e.id, name: 'E', complaints: 1, sent: 0, rate: null, level: 'ok' }
      ])
      assert.deepEqual(await report('list'), [
        { key: promos.id, name: 'Promos', complaints: 2, sent: 500, rate: 0.004, level: 'critical' },
        { key: newsletter.id, name: 'Newsletter', complaints: 1, sent: 3000, rate: 1 / 3000, level: 'ok' }
      ])
      // C's 2 + E's 1 (the campaign's number) + 1 naming the number; sent 500 + 0.
      assert.deepEqual(await report('phone_number'), [
        { key: number.id, name: number.number, complaints: 4, sent: 500, rate: 0.008, level: 'critical' }
      ])
      // A's 1 (the campaign's domain) + 2 naming the domain; sent 1000 + 2000: exactly 0.1 %.
      assert.deepEqual(await report('domain'), [
        { key: domain.id, name: domain.name, complaints: 3, sent: 3000, rate: 0.001, level: 'warning' }
      ])

      // Without `since` the 2020 complaint counts too.
      const all = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/reports/complaint-rates?group_by=campaign' })
      assert.equal(all.json().data.find((row: RateRow) => row.key === a.id).complaints, 2)
      // `until` is exclusive for complaints, and campaigns created at or after it send nothing yet.
      const until = at(2).toISOString()
      const early = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=campaign&since=2021-01-01&until=${until}` })
      const earlyRows = early.json().data as RateRow[]
      assert.equal(earlyRows.find((row) => row.key === a.id)?.complaints, 1)
      assert.equal(earlyRows.find((row) => row.key === c.id)?.complaints, 0, 'the complaint at `until` is out')
      const late = await createCampaign(ctx, org, { name: 'Late', sent_count: 10 })
      const beforeLate = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=campaign&until=${encodeURIComponent(late.created_at as string)}` })
      assert.equal((beforeLate.json().data as RateRow[]).some((row) => row.key === late.id), false)

      const other = await ctx.createOrg()
      const empty = await ctx.request(other.memberKey, { method: 'GET', url: '/v1/reports/complaint-rates?group_by=list' })
      assert.deepEqual(empty.json().data, [], "another organization's report is its own")
    })

    test('bad group_by or dates are 422', async () => {
      const org = await ctx.createOrg()
      const get = async (query: string) => await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?${query}` })
      const badGroup = await get('group_by=country')
      assert.equal(badGroup.statusCode, 422)
      assert.equal(badGroup.json().error.details.group_by, 'must be one of: campaign, list, phone_number, domain')
      assert.equal((await get('')).json().error.details.group_by, 'is required')
      for (const [query, field] of [['since=yesterday', 'since'], ['until=2026-02-30', 'until'], ['since=2026-13-01', 'since'], ['until=2026-01-01T00:00:00', 'until']]) {
        const response = await get(`group_by=list&${query}`)
        assert.equal(response.statusCode, 422, query)
        assert.ok(response.json().error.details[field as string], query)
      }
      const reversed = await get('group_by=list&since=2026-02-01&until=2026-01-01')
      assert.equal(reversed.statusCode, 422)
      assert.equal(reversed.json().error.details.until, 'must be after since')
      assert.equal((await get('group_by=list&since=2026-01-01T10:00:00%2B02:00&until=2026-02-01')).statusCode, 200)
    })
  })
}
