import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { createCampaign, createList, MISSING_ID, registerDomain, registerNumber } from '../lists/fixtures.js'

for (const database of testDatabases()) {
  describe(`campaigns (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [
      { method: 'POST', route: '/v1/campaigns', scope: 'lists:write', success: 201, prepare: async () => ({ url: '/v1/campaigns', payload: { name: 'Spring', channel: 'sms' } }) },
      { method: 'PATCH', route: '/v1/campaigns/{id}', scope: 'lists:write', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/campaigns/${(await createCampaign(c, org)).id}`, payload: { sent_count: 10 } }) },
      { method: 'GET', route: '/v1/campaigns', scope: 'lists:read', success: 200, prepare: async () => ({ url: '/v1/campaigns' }) },
      { method: 'GET', route: '/v1/campaigns/{id}', scope: 'lists:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/campaigns/${(await createCampaign(c, org)).id}` }) }
    ])

    test('a campaign names its list, number or domain, external id and sent count; PATCH changes them', async () => {
      const org = await ctx.createOrg()
      const list = await createList(ctx, org)
      const domain = await registerDomain(ctx, org)
      const created = await ctx.request(org.adminKey, {
        method: 'POST', url: '/v1/campaigns', payload: { name: 'Spring sale', channel: 'email', list_id: list.id, domain_id: domain.id, external_id: 'spring-1', sent_count: 1200 }
      })
      assert.equal(created.statusCode, 201, created.body)
      const campaign = created.json().data
      assert.equal(campaign.name, 'Spring sale')
      assert.equal(campaign.channel, 'email')
      assert.equal(campaign.list_id, list.id)
      assert.equal(campaign.domain_id, domain.id)
      assert.equal(campaign.phone_number_id, null)
      assert.equal(campaign.external_id, 'spring-1')
      assert.equal(campaign.sent_count, 1200)

      const patched = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${campaign.id as string}`, payload: { sent_count: 5000, name: 'Spring sale (final)', external_id: null } })
      assert.equal(patched.statusCode, 200, patched.body)
      assert.equal(patched.json().data.sent_count, 5000)
      assert.equal(patched.json().data.name, 'Spring sale (final)')
      assert.equal(patched.json().data.external_id, null)
      assert.equal(patched.json().data.list_id, list.id, 'omitted: unchanged')
      assert.ok(patched.json().data.updated_at >= campaign.updated_at)
      const read = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/campaigns/${campaign.id as string}` })
      assert.deepEqual(read.json().data, patched.json().data)

      const sms = await createCampaign(ctx, org, { channel: 'sms', phone_number_id: (await registerNumber(ctx, org)).id })
      const all = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/campaigns' })
      assert.equal(all.json().meta.total, 2)
      assert.deepEqual(all.json().data.map((c: { id: string }) => c.id), [sms.id, campaign.id], 'newest first')
      const byList = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/campaigns?list_id=${list.id}` })
      assert.deepEqual(byList.json().data.map((c: { id: string }) => c.id), [campaign.id])
      const byChannel = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/campaigns?channel=sms&limit=1' })
      assert.deepEqual(byChannel.json().data.map((c: { id: string }) => c.id), [sms.id])
      assert.equal(byChannel.json().meta.next_cursor, null)
    })

    test('references must be the organization\'s and fit the channel; external_id is unique; unknown ids 404', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const foreignList = await createList(ctx, other)
      const foreignDomain = await registerDomain(ctx, other)
      const number = await registerNumber(ctx, org)
      const post = async (payload: Record<string, unknown>) => await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/campaigns', payload: { name: 'X', channel: 'email', ...payload } })

      const foreign = await post({ list_id: foreignList.id, domain_id: foreignDomain.id })
      assert.equal(foreign.statusCode, 422)
      assert.equal(foreign.json().error.details.list_id, "is not one of the organization's lists")
      assert.equal(foreign.json().error.details.domain_id, "is not one of the organization's domains")
      const wrongChannel = await post({ phone_number_id: number.id })
      assert.equal(wrongChannel.statusCode, 422)
      assert.equal(wrongChannel.json().error.details.phone_number_id, 'applies to sms campaigns only')
      const negative = await post({ sent_count: -1 })
      assert.equal(negative.statusCode, 422)
      assert.equal(negative.json().error.details.sent_count, 'must be at least 0')
      const badChannel = await post({ channel: 'fax' })
      assert.equal(badChannel.statusCode, 422)
      assert.ok(badChannel.json().error.details.channel)

      await createCampaign(ctx, org, { external_id: 'ext-1' })
      const taken = await post({ external_id: 'ext-1' })
      assert.equal(taken.statusCode, 409)
      assert.equal(taken.json().error.details.external_id, 'is already used by another campaign')
      const second = await createCampaign(ctx, org, { external_id: 'ext-2' })
      const patchTaken = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${second.id}`, payload: { external_id: 'ext-1' } })
      assert.equal(patchTaken.statusCode, 409)
      const patchForeign = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${second.id}`, payload: { list_id: foreignList.id } })
      assert.equal(patchForeign.statusCode, 422)
      assert.equal(patchForeign.json().error.details.list_id, "is not one of the organization's lists")
      const empty = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${second.id}`, payload: {} })
      assert.equal(empty.statusCode, 422)

      assert.equal((await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${MISSING_ID}`, payload: { sent_count: 1 } })).statusCode, 404)
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/campaigns/${MISSING_ID}` })).statusCode, 404)
      const foreignFilter = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/campaigns?list_id=${foreignList.id}` })
      assert.equal(foreignFilter.statusCode, 422)
    })

    test('a staff-filed complaint naming a campaign inherits its list; an unknown or foreign campaign is 422', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const list = await createList(ctx, org)
      const campaign = await createCampaign(ctx, org, { channel: 'sms', list_id: list.id })
      const noList = await createCampaign(ctx, org, { channel: 'sms' })
      const foreign = await createCampaign(ctx, other, { channel: 'sms' })
      const file = async (fields: Record<string, unknown>) => await ctx.request(ctx.platformKey, {
        method: 'POST', url: '/v1/complaints', payload: { org_id: org.id, category: 'unsolicited_marketing', channel: 'sms', reporter_number: '+14155550123', ...fields }
      })

      const filed = await file({ campaign_id: campaign.id })
      assert.equal(filed.statusCode, 201, filed.body)
      assert.equal(filed.json().data.campaign_id, campaign.id)
      assert.equal(filed.json().data.list_id, list.id)
      const withoutList = await file({ campaign_id: noList.id })
      assert.equal(withoutList.json().data.list_id, null)
      const plain = await file({})
      assert.equal(plain.json().data.list_id, null)

      for (const campaignId of [MISSING_ID, foreign.id]) {
        const refused = await file({ campaign_id: campaignId })
        assert.equal(refused.statusCode, 422)
        assert.equal(refused.json().error.details.campaign_id, "is not one of the organization's campaigns")
      }

      // Moving the campaign to another list: earlier complaints keep theirs, later ones inherit the new one.
      const next = await createList(ctx, org)
      await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/campaigns/${campaign.id}`, payload: { list_id: next.id } })
      const later = await file({ campaign_id: campaign.id })
      assert.equal(later.json().data.list_id, next.id)
      const earlier = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${filed.json().data.id as string}` })
      assert.equal(earlier.json().data.list_id, list.id)

      const filtered = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints?campaign_id=${campaign.id}` })
      assert.equal(filtered.statusCode, 200)
      assert.equal(filtered.json().meta.total, 2)
      for (const campaignId of [MISSING_ID, foreign.id]) {
        const unknownFilter = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints?campaign_id=${campaignId}` })
        assert.equal(unknownFilter.statusCode, 422)
        assert.equal(unknownFilter.json().error.details.campaign_id, "is not one of the organization's campaigns")
      }
    })
  })
}
