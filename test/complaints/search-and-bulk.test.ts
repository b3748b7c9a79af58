import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { type FiledComplaint, fileComplaint } from './fixtures.js'

for (const database of testDatabases()) {
  describe(`complaint search and bulk triage (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [
      {
        method: 'POST',
        route: '/v1/complaints/bulk-update',
        scope: 'complaints:write',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => ({ url: '/v1/complaints/bulk-update', payload: { ids: [(await fileComplaint(c, org)).id], status: 'triage' } })
      }
    ])

    const list = async (org: TestOrg, query: string) => await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints?${query}` })

    test('reporter matches numbers in any typed form and emails in any case, with exact totals', async () => {
      const org = await ctx.createOrg()
      await fileComplaint(ctx, org, { reporter_number: '+14155550123' })
      await fileComplaint(ctx, org, { reporter_number: '(415) 555-0123' })
      await fileComplaint(ctx, org, { reporter_number: '+14155550199' })
      await fileComplaint(ctx, org, { channel: 'email', reporter_number: undefined, reporter_email: 'Jane.Doe@Example.NET' })
      for (const typed of ['+1 415-555-0123', '(415) 555-0123', '415.555.0123', '4155550123']) {
        const response = await list(org, `reporter=${encodeURIComponent(typed)}`)
        assert.equal(response.statusCode, 200, response.body)
        const body = response.json()
        assert.equal(body.meta.total, 2, typed)
        assert.deepEqual(body.data.map((c: FiledComplaint) => c.reporter_number), ['+14155550123', '+14155550123'])
      }
      const byEmail = (await list(org, 'reporter=jane.doe%40example.net')).json()
      assert.equal(byEmail.meta.total, 1)
      assert.equal(byEmail.data[0].reporter_email, 'jane.doe@example.net')
      const counts = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints/counts?reporter=%2B14155550123' })
      assert.equal(counts.statusCode, 200, counts.body)
      assert.equal(counts.json().data.new, 2)
      const bad = await list(org, 'reporter=not-an-address')
      assert.equal(bad.statusCode, 422)
      assert.equal(bad.json().error.details.reporter, 'must be an email address or a phone number')
    })

    test('created_after is inclusive, created_before exclusive, and pages walk the range exactly once', async () => {
      const org = await ctx.createOrg()
      const filed: FiledComplaint[] = []
      for (let index = 0; index < 7; index++) filed.push(await fileComplaint(ctx, org))
      const first = filed[1] as FiledComplaint
      const last = filed[5] as FiledComplaint
      const query = `created_after=${encodeURIComponent(first.created_at)}&created_before=${encodeURIComponent(last.created_at)}`
      const expected = filed.filter((c) => c.created_at >= first.created_at && c.created_at < last.created_at).map((c) => c.id).reverse()
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { meta: { total: number, next_cursor: string | null }, data: FiledComplaint[] } = (await list(org, `${query}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)).json()
        assert.equal(page.meta.total, expected.length)
        seen.push(...page.data.map((c: FiledComplaint) => c.id))
        cursor = page.meta.next_cursor
      } while (cursor !== null)
      assert.deepEqual(seen, expected)
      const counts = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/counts?${query}` })).json().data
      assert.equal(counts.new, expected.length)
      assert.equal((await list(org, 'created_after=yesterday')).statusCode, 422)
    })

    test('bulk triage changes every complaint, one event each, and the counts follow', async () => {
      const org = await ctx.createOrg()
      const ids = [] as string[]
      for (let index = 0; index < 3; index++) ids.push((await fileComplaint(ctx, org)).id)
      const response = await ctx.request(org.adminKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids, status: 'resolved', resolution_note: 'Opted out' } })
      assert.equal(response.statusCode, 200, response.body)
      const data = response.json().data as FiledComplaint[]
      assert.deepEqual(data.map((c) => [c.id, c.status, c.resolution_note]), ids.map((id) => [id, 'resolved', 'Opted out']))
      for (const id of ids) {
        const events = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${id}/events` })).json().data
        assert.deepEqual(events.map((e: { type: string, to_status: string }) => [e.type, e.to_status]), [['created', 'new'], ['status_changed', 'resolved']])
      }
      const counts = (await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints/counts' })).json().data
      assert.deepEqual([counts.new, counts.in_triage, counts.resolved_recent], [0, 0, 3])
    })

    test('bulk triage is all or nothing: a forbidden transition is 409, a foreign id 404, and nothing changes', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const fresh = (await fileComplaint(ctx, org)).id
      const resolved = (await fileComplaint(ctx, org)).id
      await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${resolved}`, payload: { status: 'resolved' } })
      const conflict = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids: [fresh, resolved], status: 'new' } })
      assert.equal(conflict.statusCode, 409, conflict.body)
      const foreign = (await fileComplaint(ctx, other)).id
      const notFound = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids: [fresh, foreign], status: 'triage' } })
      assert.equal(notFound.statusCode, 404, notFound.body)
      assert.deepEqual(notFound.json().error.details, { 'ids[1]': 'not found' })
      const statuses = await Promise.all([fresh, resolved].map(async (id) => (await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${id}` })).json().data.status))
      assert.deepEqual(statuses, ['new', 'resolved'])
      const events = (await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${fresh}/events` })).json().data
      assert.equal(events.length, 1)
      const tooMany = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids: Array.from({ length: 101 }, () => fresh), status: 'triage' } })
      assert.equal(tooMany.statusCode, 422)
      const duplicates = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids: [fresh, fresh], status: 'triage' } })
      assert.equal(duplicates.statusCode, 422)
    })

    test('two bulk changes over the same complaints in opposite orders both succeed (no deadlock)', async () => {
      const org = await ctx.createOrg()
      const ids = [] as string[]
      for (let index = 0; index < 20; index++) ids.push((await fileComplaint(ctx, org)).id)
      const results = await Promise.all([
        ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids, status: 'triage' } }),
        ctx.request(org.ownerKey, { method: 'POST', url: '/v1/complaints/bulk-update', payload: { ids: [...ids].reverse(), status: 'triage', resolution_note: 'looked' } })
      ])
      assert.deepEqual(results.map((r) => r.statusCode), [200, 200], results.map((r) => r.body).join('\n'))
      const counts = (await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints/counts' })).json().data
      assert.equal(counts.in_triage, 20)
    })
  })
}
