import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Value } from 'typebox/value'
import { SYSTEM_ACTOR } from '../../src/domain.js'
import { ListEnvelope, ListMeta } from '../../src/http/schemas.js'
import { Complaint } from '../../src/modules/complaints/complaints.schemas.js'
import { fileComplaint as fileComplaintDirectly } from '../../src/modules/complaints/complaints.service.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'

// The list's page is JSON written by PostgreSQL and sent as it is, so the route's response
// schema no longer shapes it: these tests hold the bytes to that schema, field by field.

const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

for (const database of testDatabases()) {
  describe(`complaint list as written JSON (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    test('every page validates against the route schema and equals each complaint as GET /v1/complaints/{id} serializes it', async () => {
      const org = await ctx.createOrg()
      const phone = (await ctx.request(ctx.platformKey, {
        method: 'POST', url: `/v1/admin/orgs/${org.id}/phone-numbers`, payload: { number: `+1629${String(Date.now()).slice(-7)}` }
      })).json().data as { id: string }
      const base = Date.UTC(2026, 2, 3, 4, 5, 6, 7)
      const texts = ['quote " backslash \\ newline \n tab \t nul-free control \u0001', 'accents é ü 中文 and an emoji 😀', null]
      await ctx.store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 7; i++) {
          await fileComplaintDirectly(trx, org.id, {
            category: i % 2 === 0 ? 'phishing_fraud' : 'unwanted_contact',
            source: 'staff',
            channel: i % 3 === 0 ? 'email' : 'sms',
            reporterNumber: i % 3 === 0 ? null : '+14155550100',
            reporterEmail: i % 3 === 0 ? `rené.${i}@example.net` : null,
            phoneNumberId: i % 2 === 0 ? phone.id : null,
            excerpt: texts[i % 3] ?? null,
            // Two share a created_at (the id breaks the tie); the rest a millisecond apart and a year apart.
            createdAt: new Date(i === 1 ? base : base + i * 1001 + (i === 6 ? 365 * 86_400_000 : 0))
          }, SYSTEM_ACTOR)
        }
      })
      // One resolved (resolved_at and a note set), one in triage: every field of the schema non-null somewhere.
      const all = (await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints?limit=100' })).json().data as Array<{ id: string }>
      const [first, second] = all
      assert.ok(first !== undefined && second !== undefined)
      const resolved = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${first.id}`, payload: { status: 'resolved', resolution_note: 'Done "quoted"' } })
      assert.equal(resolved.statusCode, 200, resolved.body)
      assert.equal((await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${second.id}`, payload: { status: 'triage' } })).statusCode, 200)

      const schema = ListEnvelope(Complaint)
      const fields = Object.keys(Complaint.properties)
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const url: string = `/v1/complaints?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
        const response = await ctx.request(org.memberKey, { method: 'GET', url })
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
        const body = JSON.parse(response.body) as { data: Array<Record<string, unknown>>, meta: Record<string, unknown> }
        const errors = [...Value.Errors(schema, body)].map((error) => `${error.instancePath} ${error.message}`)
        assert.deepEqual(errors, [], `page ${pages} matches ListEnvelope(Complaint): ${response.body}`)
        assert.deepEqual(Object.keys(body), ['success', 'data', 'meta'])
        assert.deepEqual(Object.keys(body.meta), Object.keys(ListMeta.properties), 'meta has exactly the schema fields, in order')
        assert.ok(typeof body.meta.last_event_at === 'string' && ISO_MILLISECONDS.test(body.meta.last_event_at))
        for (const item of body.data) {
          // Exactly the schema's fields, in its order (what the serializer would write), nothing more.
          assert.deepEqual(Object.keys(item), fields)
          for (const field of ['created_at', 'updated_at']) assert.match(item[field] as string, ISO_MILLISECONDS, field)
          const single = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${item.id as string}` })
          assert.deepEqual(item, single.json().data, 'the list writes a complaint exactly as the serialized single read does')
          seen.push(item.id as string)
        }
        assert.equal(body.meta.total, 7)
        cursor = body.meta.next_cursor as string | null
        assert.equal(body.data.length, cursor === null ? 1 : 3)
        pages++
      } while (cursor !== null && pages < 10)
      assert.equal(pages, 3)
      assert.deepEqual(seen, all.map((item) => item.id), 'the pages walk the list once, newest first')

      // The fields only a resolved complaint fills, checked as written.
      const written = (await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints?status=resolved' })).json()
      assert.equal(written.data.length, 1)
      assert.match(written.data[0].resolved_at, ISO_MILLISECONDS)
      assert.equal(written.data[0].resolution_note, 'Done "quoted"')
      assert.equal(written.meta.next_cursor, null)

      // An organization with no complaints: an empty array, not null.
      const empty = await ctx.createOrg()
      const none = await ctx.request(empty.memberKey, { method: 'GET', url: '/v1/complaints' })
      assert.equal(none.body, '{"success":true,"data":[],"meta":{"total":0,"limit":20,"offset":0,"next_cursor":null,"last_event_at":null}}')
    })
  })
}
