import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { fileComplaint, type NewComplaint, SYSTEM_ACTOR } from '../../src/modules/complaints/complaints.service.js'
import { rateLevel } from '../../src/modules/reports/reports.service.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { createCampaign, createList, registerDomain, registerNumber } from '../lists/fixtures.js'

interface RateRow {
  key: string
  name: string | null
  complaints: number
  sent: number
  rate: number | null
  level: string
  campaigns: number
  denominator: string
  numerator: string
  complaints_without_campaign: number
}

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

    test('levels: warning from exactly 0.1 %, critical from exactly 0.3 %, unknown without sends', () => {
      assert.equal(rateLevel(0, 1000), 'ok')
      assert.equal(rateLevel(9, 10_000), 'ok')
      assert.equal(rateLevel(1, 1000), 'warning')
      assert.equal(rateLevel(29, 10_000), 'warning')
      assert.equal(rateLevel(3, 1000), 'critical')
      assert.equal(rateLevel(5, 0), 'unknown')
      assert.equal(rateLevel(0, 0), 'unknown')
    })

    const TIED = 'complaints naming those campaigns, whenever received'
    const NO_CAMPAIGN = 'none: no campaign, so no complaint of a campaign'

    test('a hand-computed example for every grouping: sends of the window\'s campaigns over their complaints; complaints without a campaign apart', async () => {
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
        { campaignId: a.id, createdAt: at(1) }, // A: 2, the second long after the window: a campaign's complaints count with its sends
        { campaignId: a.id, createdAt: new Date('2030-01-01T00:00:00Z') },
        { ...sms, campaignId: c.id, createdAt: at(2) }, // C: 2
        { ...sms, campaignId: c.id, createdAt: at(3) },
        { ...sms, campaignId: e.id, createdAt: at(4) }, // E: 1, nothing sent
        { ...sms, phoneNumberId: number.id, createdAt: at(5) }, // the number, no campaign: 1
        { domainId: domain.id, createdAt: at(6) }, // the domain, no campaign: 2 in the window
        { domainId: domain.id, createdAt: at(7) },
        { domainId: domain.id, createdAt: new Date('2020-01-01T00:00:00Z') }, // before `since`
        { createdAt: at(8) } // nothing to attribute it to
      ])
      const report = async (groupBy: string, since = '2021-01-01') => {
        const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=${groupBy}&since=${encodeURIComponent(since)}&until=2029-01-01` })
        assert.equal(response.statusCode, 200, response.body)
        const body = response.json()
        assert.equal(body.meta.group_by, groupBy)
        assert.equal(body.meta.until, '2029-01-01T00:00:00.000Z')
        return body as { data: RateRow[], meta: { since: string, complaints_without_campaign: number } }
      }

      // Highest rate first; unknown (no denominator) last.
      const byCampaign = await report('campaign')
      assert.equal(byCampaign.meta.since, '2021-01-01T00:00:00.000Z')
      assert.equal(byCampaign.meta.complaints_without_campaign, 4, 'the number 1, the domain 2, the unattributed 1 (the 2020 one is out)')
      assert.deepEqual(byCampaign.data, [
        { key: c.id, name: 'C', complaints: 2, sent: 500, rate: 0.004, level: 'critical', campaigns: 1, denominator: 'sent_count of the 1 campaign created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 },
        { key: a.id, name: 'A', complaints: 2, sent: 1000, rate: 0.002, level: 'warning', campaigns: 1, denominator: 'sent_count of the 1 campaign created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 },
        { key: b.id, name: 'B', complaints: 0, sent: 2000, rate: 0, level: 'ok', campaigns: 1, denominator: 'sent_count of the 1 campaign created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 },
        { key: e.id, name: 'E', complaints: 1, sent: 0, rate: null, level: 'unknown', campaigns: 1, denominator: 'none: the 1 campaign created in the window records no sends (sent_count 0)', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 }
      ])
      assert.deepEqual((await report('list')).data, [
        { key: promos.id, name: 'Promos', complaints: 2, sent: 500, rate: 0.004, level: 'critical', campaigns: 1, denominator: 'sent_count of the 1 campaign created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 },
        { key: newsletter.id, name: 'Newsletter', complaints: 2, sent: 3000, rate: 2 / 3000, level: 'ok', campaigns: 2, denominator: 'sent_count of the 2 campaigns created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0 }
      ])
      // C's 2 + E's 1 over C's 500 + E's 0; the complaint naming only the number is apart.
      assert.deepEqual((await report('phone_number')).data, [
        { key: number.id, name: number.number, complaints: 3, sent: 500, rate: 0.006, level: 'critical', campaigns: 2, denominator: 'sent_count of the 2 campaigns created in the window', numerator: TIED, complaints_without_campaign: 1, unsubscribes: 0 }
      ])
      // A's 2 over A's 1000 + B's 2000 (not 1.33 % from adding the 2 without a campaign); those 2 apart.
      assert.deepEqual((await report('domain')).data, [
        { key: domain.id, name: domain.name, complaints: 2, sent: 3000, rate: 2 / 3000, level: 'ok', campaigns: 2, denominator: 'sent_count of the 2 campaigns created in the window', numerator: TIED, complaints_without_campaign: 2, unsubscribes: 0 }
      ])

      // A window after the campaigns were created: no denominator, so no rate; the complaints without a campaign still show.
      const later = await report('domain', at(5.5).toISOString())
      assert.equal(later.meta.complaints_without_campaign, 3, 'the domain 2, the unattributed 1')
      assert.deepEqual(later.data, [
        { key: domain.id, name: domain.name, complaints: 0, sent: 0, rate: null, level: 'unknown', campaigns: 0, denominator: 'none: no campaign of this group was created in the window', numerator: NO_CAMPAIGN, complaints_without_campaign: 2, unsubscribes: 0 }
      ])

      // `until` is exclusive: a campaign created at or after it is out, with its sends and complaints.
      const late = await createCampaign(ctx, org, { name: 'Late', sent_count: 10 })
      await file(org.id, [{ campaignId: late.id }])
      const beforeLate = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=campaign&until=${encodeURIComponent(late.created_at as string)}` })
      assert.equal((beforeLate.json().data as RateRow[]).some((row) => row.key === late.id), false)
      const withLate = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/reports/complaint-rates?group_by=campaign' })
      assert.deepEqual((withLate.json().data as RateRow[]).find((row) => row.key === late.id), {
        key: late.id, name: 'Late', complaints: 1, sent: 10, rate: 0.1, level: 'critical', campaigns: 1, denominator: 'sent_count of the 1 campaign created in the window', numerator: TIED, complaints_without_campaign: 0, unsubscribes: 0
      })

      const other = await ctx.createOrg()
      const empty = await ctx.request(other.memberKey, { method: 'GET', url: '/v1/reports/complaint-rates?group_by=list' })
      assert.deepEqual(empty.json().data, [], "another organization's report is its own")
    })

    test('a number with 28 complaints and no sends is unknown with its 28 complaints, never ok', async () => {
      const org = await ctx.createOrg()
      const number = await registerNumber(ctx, org)
      await file(org.id, Array.from({ length: 28 }, () => ({ channel: 'sms' as const, reporterEmail: null, reporterNumber: '+14155550123', phoneNumberId: number.id })))
      const response = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/reports/complaint-rates?group_by=phone_number' })
      assert.deepEqual(response.json().data, [
        { key: number.id, name: number.number, complaints: 0, sent: 0, rate: null, level: 'unknown', campaigns: 0, denominator: 'none: no campaign of this group was created in the window', numerator: NO_CAMPAIGN, complaints_without_campaign: 28, unsubscribes: 0 }
      ])
      assert.equal(response.json().meta.complaints_without_campaign, 28)
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
