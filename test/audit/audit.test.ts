import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { fileComplaint } from '../complaints/fixtures.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { newMessageId, postInbound, registerNumber } from '../intake/intake-helpers.js'
import { createComplaints, csvUpload, mg } from '../mailgun/fixtures.js'
import { addDomain, addSuppressions } from '../suppressions/fixtures.js'

interface Entry {
  id: string
  type: string
  created_at: string
  subject: { type: string, id: string }
  actor: { kind: string, label: string, key_prefix: string | null, role: string | null }
  via: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

for (const database of testDatabases()) {
  describe(`audit trail (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const feed = async (org: TestOrg, query = ''): Promise<{ data: Entry[], meta: { total: number, next_cursor: string | null, last_event_at: string | null } }> => {
      const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/audit-events${query}` })
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }

    runAuthMatrix(() => ctx, [
      { method: 'GET', route: '/v1/audit-events', scope: 'audit:read', success: 200, prepare: async () => ({ url: '/v1/audit-events' }) },
      {
        method: 'GET',
        route: '/v1/suppressions/{id}',
        scope: 'suppressions:read',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => {
          const [row] = await addSuppressions(c, org, [{ channel: 'sms', address: '+14155550123' }])
          return { url: `/v1/suppressions/${row?.id ?? ''}` }
        }
      }
    ])

    test('GET /v1/suppressions/{id}: the suppression as listed; 404 once lifted', async () => {
      const org = await ctx.createOrg()
      const [row] = await addSuppressions(ctx, org, [{ channel: 'email', address: 'One@Example.com' }])
      const read = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions/${row?.id ?? ''}` })
      assert.equal(read.statusCode, 200)
      assert.deepEqual(read.json().data, row)
      await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${row?.id ?? ''}` })
      assert.equal((await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions/${row?.id ?? ''}` })).statusCode, 404)
    })

    test('every door writes the trail: native API, staff, intake reply and opt-in, Mailgun add, delete-all (one entry per address) and import, keys', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const domain = await addDomain(ctx, org)

      const [manual] = await addSuppressions(ctx, org, [{ channel: 'sms', address: '+14155550111' }])
      await ctx.request(org.adminKey, { method: 'DELETE', url: `/v1/suppressions/${manual?.id ?? ''}` })
      const staff = await fileComplaint(ctx, org, { phone_number_id: phone.id, reporter_number: '+14155550122' })
      const triaged = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${staff.id}`, payload: { status: 'triage' } })
      assert.equal(triaged.statusCode, 200)
      const stop = (await postInbound(ctx, { id: newMessageId(), from: '+14155550133', to: phone.number, body: 'STOP' })).json().data
      const optIn = await postInbound(ctx, { id: newMessageId(), from: '+14155550133', to: phone.number, body: 'UNSTOP' })
      assert.equal(optIn.json().data.classification.kind, 'opt_in')
      await createComplaints(ctx, org.ownerKey, domain.name, ['a@example.com', 'b@example.com', 'c@example.com'])
      const cleared = await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${domain.name}/complaints` })
      assert.equal(cleared.statusCode, 200)
      const upload = csvUpload('address,created_at\nimported@example.com,\n')
      const imported = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain.name}/complaints/import`, payload: upload.payload, headers: upload.headers })
      assert.equal(imported.statusCode, 202, imported.body)
      const issued = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member' } })).json().data
      await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${issued.id as string}` })
      await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${issued.id as string}` })

      const { data, meta } = await feed(org, '?limit=100')
      const newestFirst = [...data].sort((a, b) => a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1)
      assert.deepEqual(data.map((entry) => entry.id), newestFirst.map((entry) => entry.id), 'newest first by (created_at, id)')
      assert.equal(meta.total, data.length)
      assert.equal(meta.last_event_at, data[0]?.created_at)
      const of = (type: string, via?: string) => data.filter((entry) => entry.type === type && (via === undefined || entry.via === via))

      const [added] = of('suppression.created', 'api')
      assert.equal(added?.subject.id, manual?.id)
      assert.deepEqual(added?.actor, { kind: 'customer', label: 'owner key', key_prefix: org.ownerKey.slice(0, 12), role: 'owner' })
      assert.equal(added?.after?.address, '+14155550111')
      const [lifted] = of('suppression.deleted', 'api')
      assert.equal(lifted?.actor.role, 'admin')
      assert.equal(lifted?.before?.reason, 'manual')
      assert.equal(lifted?.after, null)

      const [filed] = of('complaint.created', 'staff')
      assert.equal(filed?.subject.id, staff.id)
      assert.equal(filed?.actor.kind, 'platform')
      assert.equal(of('suppression.created', 'staff')[0]?.after?.complaint_id, staff.id)
      const [moved] = of('complaint.status_changed')
      assert.deepEqual([moved?.before?.status, moved?.after?.status, moved?.actor.role], ['new', 'triage', 'owner'])

      assert.equal(of('complaint.created', 'intake')[0]?.subject.id, stop.complaint_id)
      assert.equal(of('suppression.created', 'intake')[0]?.subject.id, stop.suppression_id)
      assert.equal(of('suppression.deleted', 'intake')[0]?.subject.id, stop.suppression_id, 'the opt-in lift is recorded')

      assert.equal(of('suppression.created', 'mailgun').length, 3)
      assert.deepEqual(of('suppression.deleted', 'mailgun').map((entry) => entry.before?.address).sort(), ['a@example.com', 'b@example.com', 'c@example.com'])
      assert.deepEqual(of('suppression.created', 'import').map((entry) => entry.after?.address), ['imported@example.com'])
      assert.equal(of('api_key.issued').length, 4, 'the three keys of the test organization and one more')
      assert.equal(of('api_key.revoked').length, 1, 'revoking twice records once')
      assert.equal(of('api_key.issued').find((entry) => entry.subject.id === issued.id)?.actor.kind, 'platform')

      // Filters, and a cursor walk that sees every entry once.
      const byType = await feed(org, '?type=suppression.deleted')
      assert.equal(byType.meta.total, 5)
      assert.ok(byType.data.every((entry) => entry.type === 'suppression.deleted'))
      const bySubject = await feed(org, `?subject_id=${staff.id}`)
      assert.deepEqual(bySubject.data.map((entry) => entry.type), ['complaint.status_changed', 'complaint.created'])
      const middle = data[Math.floor(data.length / 2)] as Entry
      const since = await feed(org, `?since=${middle.created_at}&limit=100`)
      assert.ok(since.data.every((entry) => entry.created_at >= middle.created_at))
      const until = await feed(org, `?until=${middle.created_at}&limit=100`)
      assert.ok(until.data.every((entry) => entry.created_at < middle.created_at))
      assert.equal(since.meta.total + until.meta.total, meta.total)
      const walked: string[] = []
      let cursor: string | null = null
      do {
        const page: Awaited<ReturnType<typeof feed>> = await feed(org, `?limit=4${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
        walked.push(...page.data.map((entry) => entry.id))
        cursor = page.meta.next_cursor
      } while (cursor !== null)
      assert.deepEqual(walked, data.map((entry) => entry.id))

      const other = await ctx.createOrg()
      const foreign = await feed(other, '?type=suppression.created')
      assert.equal(foreign.meta.total, 0, 'another organization sees none of it')
      const bad = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/audit-events?cursor=nope' })
      assert.equal(bad.statusCode, 422)
      assert.ok(bad.json().error.details.cursor)
    })
  })
}
