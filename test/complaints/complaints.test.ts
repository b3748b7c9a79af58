import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SYSTEM_ACTOR } from '../../src/domain.js'
import { fileComplaint as fileComplaintDirectly } from '../../src/modules/complaints/complaints.service.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { fileComplaint } from './fixtures.js'

const MISSING_ID = '01900000-0000-7000-8000-000000000001'

for (const database of testDatabases()) {
  describe(`complaints (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [
      { method: 'GET', route: '/v1/complaints', scope: 'complaints:read', success: 200, prepare: async () => ({ url: '/v1/complaints' }) },
      { method: 'GET', route: '/v1/complaints/counts', scope: 'complaints:read', success: 200, prepare: async () => ({ url: '/v1/complaints/counts' }) },
      { method: 'GET', route: '/v1/complaints/{id}', scope: 'complaints:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/complaints/${(await fileComplaint(c, org)).id}` }) },
      { method: 'PATCH', route: '/v1/complaints/{id}', scope: 'complaints:write', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/complaints/${(await fileComplaint(c, org)).id}`, payload: { status: 'triage' } }) },
      { method: 'GET', route: '/v1/complaints/{id}/events', scope: 'complaints:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/complaints/${(await fileComplaint(c, org)).id}/events` }) },
      { method: 'POST', route: '/v1/complaints', scope: 'complaints:file', success: 201, prepare: async (_c, org) => ({ url: '/v1/complaints', payload: { org_id: org.id, category: 'other', channel: 'sms', reporter_number: '+14155550100' } }) }
    ])

    test('every allowed transition succeeds and resolved→new is 409', async () => {
      const org = await ctx.createOrg()
      const patch = async (id: string, body: Record<string, unknown>) =>
        await ctx.request(org.adminKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: body })
      const allowed: Array<[string, string]> = [['new', 'triage'], ['triage', 'new'], ['triage', 'resolved'], ['new', 'resolved'], ['resolved', 'triage']]
      for (const [from, to] of allowed) {
        const complaint = await fileComplaint(ctx, org)
        if (from !== 'new') {
          if (from === 'resolved') assert.equal((await patch(complaint.id, { status: 'resolved' })).statusCode, 200)
          else assert.equal((await patch(complaint.id, { status: from })).statusCode, 200)
        }
        const response = await patch(complaint.id, { status: to })
        assert.equal(response.statusCode, 200, `${from}→${to}: ${response.body}`)
        assert.equal(response.json().data.status, to)
      }
      const resolved = await fileComplaint(ctx, org)
      await patch(resolved.id, { status: 'resolved' })
      const refused = await patch(resolved.id, { status: 'new' })
      assert.equal(refused.statusCode, 409)
      assert.equal(refused.json().error.code, 'CONFLICT')
      const unchanged = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${resolved.id}` })
      assert.equal(unchanged.json().data.status, 'resolved')
    })

    test('resolved_at is set on resolve and cleared on re-open, keeping the note', async () => {
      const org = await ctx.createOrg()
      const complaint = await fileComplaint(ctx, org)
      assert.equal(complaint.resolved_at, null)
      const resolved = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${complaint.id}`, payload: { status: 'resolved', resolution_note: 'Suppressed the number' } })
      const data = resolved.json().data
      assert.equal(data.status, 'resolved')
      assert.match(data.resolved_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      assert.equal(data.resolution_note, 'Suppressed the number')
      assert.ok(data.updated_at >= complaint.created_at)
      const reopened = (await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${complaint.id}`, payload: { status: 'triage' } })).json().data
      assert.equal(reopened.status, 'triage')
      assert.equal(reopened.resolved_at, null)
      assert.equal(reopened.resolution_note, 'Suppressed the number')
    })

    test('resolution_note: omitted keeps, "" clears, a value stores, over 2000 is 422', async () => {
      const org = await ctx.createOrg()
      const { id } = await fileComplaint(ctx, org)
      const patch = async (body: Record<string, unknown>) => await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: body })
      assert.equal((await patch({ status: 'triage', resolution_note: 'first look' })).json().data.resolution_note, 'first look')
      assert.equal((await patch({ status: 'triage' })).json().data.resolution_note, 'first look')
      assert.equal((await patch({ status: 'triage', resolution_note: 'second look' })).json().data.resolution_note, 'second look')
      assert.equal((await patch({ status: 'triage', resolution_note: '' })).json().data.resolution_note, null)
      const tooLong = await patch({ status: 'triage', resolution_note: 'x'.repeat(2001) })
      assert.equal(tooLong.statusCode, 422)
      assert.equal(tooLong.json().error.details.resolution_note, 'must be at most 2000 characters')
      assert.equal((await patch({ status: 'triage', resolution_note: 'x'.repeat(2000) })).statusCode, 200)
      const empty = await patch({})
      assert.equal(empty.statusCode, 422)
      assert.equal(empty.json().error.details.status, 'status or resolution_note is required')
      const badStatus = await patch({ status: 'closed' })
      assert.equal(badStatus.statusCode, 422)
      assert.equal(badStatus.json().error.details.status, 'must be one of: new, triage, resolved')
    })

    test('a PATCH naming only resolution_note updates the note and keeps the status (a note_changed event)', async () => {
      const org = await ctx.createOrg()
      const { id } = await fileComplaint(ctx, org)
      const patch = async (body: Record<string, unknown>) => await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: body })
      const noted = await patch({ resolution_note: 'called the sender' })
      assert.equal(noted.statusCode, 200)
      assert.equal(noted.json().data.status, 'new')
      assert.equal(noted.json().data.resolution_note, 'called the sender')
      assert.equal((await patch({ status: 'resolved' })).json().data.status, 'resolved')
      const onResolved = (await patch({ resolution_note: 'sender confirmed' })).json().data
      assert.equal(onResolved.status, 'resolved')
      assert.notEqual(onResolved.resolved_at, null)
      assert.equal(onResolved.resolution_note, 'sender confirmed')
      assert.equal((await patch({ resolution_note: '' })).json().data.resolution_note, null)
      const events = (await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${id}/events` })).json().data as Array<{ type: string, to_status: string }>
      assert.deepEqual(events.map((event) => [event.type, event.to_status]), [
        ['created', 'new'], ['note_changed', 'new'], ['status_changed', 'resolved'], ['note_changed', 'resolved'], ['note_changed', 'resolved']
      ])
    })

    test('every change writes an event with its actor, oldest first; a no-op writes none', async () => {
      const org = await ctx.createOrg()
      const { id } = await fileComplaint(ctx, org)
      const patch = async (body: Record<string, unknown>) => await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: body })
      await patch({ status: 'triage' })
      await patch({ status: 'triage' })
      await patch({ status: 'triage', resolution_note: 'called the sender' })
      await patch({ status: 'resolved' })
      const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${id}/events` })
      assert.equal(response.statusCode, 200)
      const events = response.json().data as Array<Record<string, unknown>>
      assert.deepEqual(events.map((event) => [event.type, event.from_status, event.to_status, event.resolution_note]), [
        ['created', null, 'new', null],
        ['status_changed', 'new', 'triage', null],
        ['note_changed', 'triage', 'triage', 'called the sender'],
        ['status_changed', 'triage', 'resolved', 'called the sender']
      ])
      assert.deepEqual(events[0]?.actor, { kind: 'platform', label: 'platform staff' })
      assert.deepEqual(events[1]?.actor, { kind: 'customer', label: 'owner key' })
      assert.equal(response.json().meta.total, 4)
      for (const event of events) assert.equal(event.complaint_id, id)
      const list = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints' })
      assert.equal(list.json().meta.last_event_at, events[3]?.created_at)
    })

    test('reads: unknown id 404, non-UUID 422, counts by status', async () => {
      const org = await ctx.createOrg()
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${MISSING_ID}` })).statusCode, 404)
      const notUuid = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints/42' })
      assert.equal(notUuid.statusCode, 422)
      assert.equal(notUuid.json().error.details.id, 'must be a valid uuid')
      assert.equal((await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${MISSING_ID}`, payload: { status: 'triage' } })).statusCode, 404)
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${MISSING_ID}/events` })).statusCode, 404)

      const empty = (await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints' })).json()
      assert.deepEqual(empty.meta, { total: 0, limit: 20, offset: 0, next_cursor: null, last_event_at: null })
      const ids = []
      for (let i = 0; i < 6; i++) ids.push((await fileComplaint(ctx, org)).id)
      for (const id of ids.slice(0, 2)) await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: { status: 'triage' } })
      for (const id of ids.slice(2, 5)) await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${id}`, payload: { status: 'resolved' } })
      const counts = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints/counts' })
      assert.deepEqual(counts.json().data, { new: 1, in_triage: 2, resolved_recent: 3, resolved_window_days: 30 })
    })

    test('pagination walks every complaint exactly once in order, with exact totals per filter', async () => {
      const org = await ctx.createOrg()
      const phone = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/phone-numbers`, payload: { number: `+1628${String(Date.now()).slice(-7)}` } })).json().data
      const statuses = ['new', 'triage', 'resolved'] as const
      const categories = ['unwanted_contact', 'phishing_fraud', 'other'] as const
      const sources = ['recipient', 'carrier', 'staff'] as const
      const shared = new Date(Date.UTC(2026, 5, 1, 12, 0, 0, 123))
      const expected: Array<{ id: string, created_at: string, status: string, category: string, source: string, phone: boolean }> = []
      await ctx.store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 240; i++) {
          // A third share one created_at; the rest are spread with some more collisions.
          const createdAt = i % 3 === 0 ? shared : new Date(shared.getTime() + Math.floor(i / 4) * 1000)
          const row = await fileComplaintDirectly(trx, org.id, {
            category: categories[i % 3] as typeof categories[number],
            source: sources[(i >> 1) % 3] as typeof sources[number],
            channel: 'sms',
            reporterNumber: '+14155550100',
            phoneNumberId: i % 4 === 0 ? phone.id : null,
            createdAt
          }, SYSTEM_ACTOR)
          expected.push({ id: row.id, created_at: row.created_at.toISOString(), status: 'new', category: row.category, source: row.source, phone: i % 4 === 0 })
        }
      })
      for (const [index, item] of expected.entries()) {
        const status = statuses[index % 3] as string
        if (status !== 'new') {
          const response = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${item.id}`, payload: { status } })
          assert.equal(response.statusCode, 200)
          item.status = status
        }
      }
      const newestFirst = (a: { created_at: string, id: string }, b: { created_at: string, id: string }) =>
        a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : (a.created_at < b.created_at ? 1 : -1)

      const walk = async (query: string, limit: number) => {
        const seen: Array<{ id: string, created_at: string }> = []
        let cursor: string | null = null
        let pages = 0
        do {
          const url: string = `/v1/complaints?limit=${limit}${query}${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
          const response = await ctx.request(org.memberKey, { method: 'GET', url })
          assert.equal(response.statusCode, 200, response.body)
          const body = response.json()
          seen.push(...body.data)
          cursor = body.meta.next_cursor
          pages++
          assert.ok(pages < 1000)
          if (cursor === null) assert.ok(body.data.length <= limit)
          else assert.equal(body.data.length, limit)
        } while (cursor !== null)
        return seen
      }

      const filters: Array<[string, (item: typeof expected[number]) => boolean]> = [
        ['', () => true],
        ['&status=triage', (item) => item.status === 'triage'],
        ['&category=phishing_fraud', (item) => item.category === 'phishing_fraud'],
        ['&status=resolved&category=other', (item) => item.status === 'resolved' && item.category === 'other'],
        ['&source=carrier&channel=sms', (item) => item.source === 'carrier'],
        [`&phone_number_id=${phone.id as string}`, (item) => item.phone],
        [`&phone_number_id=${phone.id as string}&status=new`, (item) => item.phone && item.status === 'new'],
        ['&channel=email', () => false]
      ]
      for (const [query, matches] of filters) {
        const want = expected.filter(matches).sort(newestFirst)
        // Around the fetch sizes (21, 51, 101 rows for limits up to 20, 50, 100).
        for (const limit of [7, 20, 21, 50, 100]) {
          const got = await walk(query, limit)
          assert.deepEqual(got.map((item) => item.id), want.map((item) => item.id), `order and membership for "${query}" limit ${limit}`)
        }
        const first = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints?limit=1${query}` })
        assert.equal(first.json().meta.total, want.length, `total for "${query}"`)
      }
    })

    test('unknown filter values, bad limits and bad cursors are 422 with details', async () => {
      const org = await ctx.createOrg()
      const get = async (query: string) => await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints?${query}` })
      for (const [query, field] of [
        ['status=open', 'status'], ['category=rude', 'category'], ['source=pigeon', 'source'], ['channel=fax', 'channel'],
        ['campaign_id=nope', 'campaign_id'], ['phone_number_id=12', 'phone_number_id'], ['domain_id=x', 'domain_id'],
        ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=abc', 'limit'],
        [`phone_number_id=${MISSING_ID}`, 'phone_number_id'], [`domain_id=${MISSING_ID}`, 'domain_id']
      ] as const) {
        const response = await get(query)
        assert.equal(response.statusCode, 422, query)
        assert.equal(response.json().error.code, 'VALIDATION_FAILED', query)
        assert.ok(response.json().error.details[field], `${query} names ${field}: ${response.body}`)
      }
      const forged = Buffer.from(JSON.stringify({ created_at: '2026-01-01T00:00:00.000Z', id: MISSING_ID })).toString('base64')
      for (const cursor of ['garbage', 'e30=', Buffer.from('{"created_at":"yesterday","id":"x"}').toString('base64'), forged]) {
        const response = await get(`cursor=${encodeURIComponent(cursor)}`)
        assert.equal(response.statusCode, 422, cursor)
        assert.equal(response.json().error.details.cursor, 'is not a cursor of this list')
      }
      const other = await ctx.createOrg()
      await fileComplaint(ctx, other)
      await fileComplaint(ctx, other)
      const foreignCursor = (await ctx.request(other.memberKey, { method: 'GET', url: '/v1/complaints?limit=1' })).json().meta.next_cursor
      assert.equal((await get(`cursor=${encodeURIComponent(foreignCursor as string)}`)).statusCode, 422)
      const unknownParam = await get('sort=asc')
      assert.equal(unknownParam.statusCode, 400)
    })

    test('staff filing: validation, references and Idempotency-Key', async () => {
      const org = await ctx.createOrg()
      const file = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
        await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/complaints', payload, headers })
      const base = { org_id: org.id, category: 'wrong_recipient', channel: 'sms', reporter_number: '(415) 555-0142' }
      const first = await file(base, { 'idempotency-key': 'ticket-1' })
      assert.equal(first.statusCode, 201, first.body)
      const complaint = first.json().data
      assert.equal(complaint.source, 'staff')
      assert.equal(complaint.status, 'new')
      assert.equal(complaint.reporter_number, '+14155550142')
      assert.equal(complaint.org_id, org.id)
      const replay = await file(base, { 'idempotency-key': 'ticket-1' })
      assert.equal(replay.statusCode, 201)
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.deepEqual(replay.json(), first.json())
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints' })).json().meta.total, 1)
      const reused = await file({ ...base, category: 'other' }, { 'idempotency-key': 'ticket-1' })
      assert.equal(reused.statusCode, 422)
      assert.ok(reused.json().error.details['Idempotency-Key'])
      const longKey = await file(base, { 'idempotency-key': 'k'.repeat(256) })
      assert.equal(longKey.statusCode, 422)
      assert.equal((await file(base, { 'idempotency-key': 'ticket-2' })).statusCode, 201)
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints' })).json().meta.total, 2)

      const email = await file({ org_id: org.id, category: 'unsolicited_marketing', channel: 'email', reporter_email: ' Pat@Example.NET ' })
      assert.equal(email.statusCode, 201)
      assert.equal(email.json().data.reporter_email, 'pat@example.net')
      assert.equal(email.json().data.channel, 'email')

      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...base, reporter_number: undefined }, 'reporter_number'],
        [{ ...base, reporter_number: 'call me' }, 'reporter_number'],
        [{ org_id: org.id, category: 'other', channel: 'email', reporter_email: 'not-an-email' }, 'reporter_email'],
        [{ ...base, reporter_email: 'x@example.com' }, 'reporter_email'],
        [{ ...base, category: 'rude' }, 'category'],
        [{ ...base, org_id: MISSING_ID }, 'org_id'],
        [{ ...base, phone_number_id: MISSING_ID }, 'phone_number_id'],
        [{ ...base, domain_id: MISSING_ID }, 'domain_id']
      ]
      for (const [payload, field] of cases) {
        const response = await file(payload)
        assert.equal(response.statusCode, 422, `${field}: ${response.body}`)
        assert.ok(response.json().error.details[field], `${field}: ${response.body}`)
      }
      const foreignNumber = await ctx.createOrg()
      const number = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${foreignNumber.id}/phone-numbers`, payload: { number: `+1332${String(Date.now()).slice(-7)}` } })).json().data
      const crossOrg = await file({ ...base, phone_number_id: number.id })
      assert.equal(crossOrg.statusCode, 422)
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints' })).json().meta.total, 3)
    })

    test('bodies: malformed JSON 400, unknown field 400, oversized 413, wrong type 415', async () => {
      const org = await ctx.createOrg()
      const { id } = await fileComplaint(ctx, org)
      const url = `/v1/complaints/${id}`
      const malformed = await ctx.request(org.ownerKey, { method: 'PATCH', url, payload: '{"status": "tri', headers: { 'content-type': 'application/json' } })
      assert.equal(malformed.statusCode, 400)
      assert.equal(malformed.json().error.code, 'INVALID_INPUT')
      const unknown = await ctx.request(org.ownerKey, { method: 'PATCH', url, payload: { status: 'triage', priority: 'high' } })
      assert.equal(unknown.statusCode, 400)
      assert.equal(unknown.json().error.details.priority, 'is not accepted by this route')
      const huge = await ctx.request(org.ownerKey, { method: 'PATCH', url, payload: JSON.stringify({ status: 'triage', resolution_note: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } })
      assert.equal(huge.statusCode, 413)
      assert.equal(huge.json().error.code, 'PAYLOAD_TOO_LARGE')
      const text = await ctx.request(org.ownerKey, { method: 'PATCH', url, payload: 'status=triage', headers: { 'content-type': 'text/plain' } })
      assert.equal(text.statusCode, 415)
      assert.equal(text.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
      for (const response of [malformed, unknown, huge, text]) {
        assert.equal(response.json().success, false)
        assert.equal(response.json().error.request_id, response.headers['x-request-id'])
      }
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url })).json().data.status, 'new')
    })
  })
}
