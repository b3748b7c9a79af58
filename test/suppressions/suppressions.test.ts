import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { addDomain, addNumber, addSuppressions, countRows, randomDomain, randomNumber, type SuppressionJson } from './fixtures.js'

for (const database of testDatabases()) {
  describe(`suppressions (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const list = async (org: TestOrg, query = '') => {
      const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions${query}` })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as {
        data: SuppressionJson[]
        meta: { total: number, limit: number, offset: number, next_cursor: string | null, last_event_at: string | null }
      }
    }
    const check = async (org: TestOrg, payload: Record<string, unknown>, key = org.memberKey) =>
      await ctx.request(key, { method: 'POST', url: '/v1/suppressions/check', payload })

    runAuthMatrix(() => ctx, [
      { method: 'GET', route: '/v1/suppressions', scope: 'suppressions:read', success: 200, prepare: async () => ({ url: '/v1/suppressions?channel=sms' }) },
      {
        method: 'POST',
        route: '/v1/suppressions',
        scope: 'suppressions:write',
        success: 201,
        prepare: async () => ({ url: '/v1/suppressions', payload: { suppressions: [{ channel: 'sms', address: randomNumber() }] } })
      },
      {
        method: 'DELETE',
        route: '/v1/suppressions/{id}',
        scope: 'suppressions:write',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => {
          const [row] = await addSuppressions(c, org, [{ channel: 'email', address: `x${randomInt(1e9)}@example.com` }])
          return { url: `/v1/suppressions/${row?.id ?? ''}` }
        }
      },
      {
        method: 'POST',
        route: '/v1/suppressions/check',
        scope: 'suppressions:read',
        success: 200,
        prepare: async (c, org) => {
          const number = await addNumber(c, org)
          return { url: '/v1/suppressions/check', payload: { channel: 'sms', from: number.number, recipients: ['+14155550123'] } }
        }
      }
    ])

    test('addresses are normalized: E.164 for sms, lower-cased and trimmed for email; scope from the id given', async () => {
      const org = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const domain = await addDomain(ctx, org)
      const rows = await addSuppressions(ctx, org, [
        { channel: 'sms', address: '(415) 555-0123' },
        { channel: 'sms', address: '+44 20 7946 0958', phone_number_id: number.id },
        { channel: 'email', address: '  Bob.Smith@Example.COM ' },
        { channel: 'email', address: 'ann@example.org', domain_id: domain.id }
      ])
      assert.deepEqual(rows.map((row) => [row.address, row.scope, row.phone_number_id, row.domain_id, row.reason]), [
        ['+14155550123', 'org', null, null, 'manual'],
        ['+442079460958', 'phone_number', number.id, null, 'manual'],
        ['bob.smith@example.com', 'org', null, null, 'manual'],
        ['ann@example.org', 'domain', null, domain.id, 'manual']
      ])
      for (const row of rows) {
        assert.equal(row.org_id, org.id)
        assert.equal(row.complaint_id, null)
        assert.match(row.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      }
      const found = await list(org, `?address=${encodeURIComponent('415.555.0123')}`)
      assert.deepEqual(found.data.map((row) => row.id), [rows[0]?.id])
      const byEmail = await list(org, `?address=${encodeURIComponent('BOB.smith@example.com')}`)
      assert.deepEqual(byEmail.data.map((row) => row.id), [rows[2]?.id])
      assert.equal(byEmail.meta.total, 1)
    })

    test('an address suppressed twice in the same scope keeps one row and its first reason', async () => {
      const org = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const filed = await ctx.request(ctx.platformKey, {
        method: 'POST', url: '/v1/complaints', payload: { org_id: org.id, category: 'unwanted_contact', channel: 'sms', reporter_number: '+1 415 555 0177', phone_number_id: number.id }
      })
      assert.equal(filed.statusCode, 201, filed.body)
      const [again, orgWide] = await addSuppressions(ctx, org, [
        { channel: 'sms', address: '4155550177', phone_number_id: number.id },
        { channel: 'sms', address: '4155550177' }
      ])
      assert.equal(again?.reason, 'complaint', 'the first reason is kept')
      assert.equal(again?.complaint_id, filed.json().data.id)
      assert.equal(orgWide?.scope, 'org', 'another scope is another row')
      const repeat = await addSuppressions(ctx, org, [{ channel: 'sms', address: '+14155550177' }, { channel: 'sms', address: '+14155550177' }])
      assert.deepEqual(repeat.map((row) => row.id), [orgWide?.id, orgWide?.id])
      assert.equal(await countRows(ctx, org.id), 2)
      assert.equal((await list(org)).meta.total, 2)
    })

    test('POST is all-or-nothing and names the bad entry', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const foreignNumber = await addNumber(ctx, other)
      const foreignDomain = await addDomain(ctx, other)
      const domain = await addDomain(ctx, org)
      const send = async (suppressions: unknown[]) => await ctx.request(org.adminKey, { method: 'POST', url: '/v1/suppressions', payload: { suppressions } })

      const bad = await send([
        { channel: 'sms', address: '+14155550100' },
        { channel: 'sms', address: '+14155550101' },
        { channel: 'email', address: 'ok@example.com' },
        { channel: 'sms', address: '12' },
        { channel: 'email', address: 'not an email' },
        { channel: 'sms', address: '+14155550102', phone_number_id: foreignNumber.id },
        { channel: 'email', address: 'a@example.com', domain_id: foreignDomain.id },
        { channel: 'sms', address: '+14155550103', domain_id: domain.id }
      ])
      assert.equal(bad.statusCode, 422, bad.body)
      const error = bad.json().error
      assert.equal(error.code, 'VALIDATION_FAILED')
      assert.deepEqual(error.details, {
        'suppressions[3].address': 'must be a phone number that can be written in E.164',
        'suppressions[4].address': 'must be an email address',
        'suppressions[5].phone_number_id': "is not one of the organization's phone numbers",
        'suppressions[6].domain_id': "is not one of the organization's domains",
        'suppressions[7].domain_id': 'applies to email suppressions only'
      })
      assert.equal(await countRows(ctx, org.id), 0, 'nothing was written')

      const tooMany = await send(Array.from({ length: 1001 }, (_, i) => ({ channel: 'email', address: `u${i}@example.com` })))
      assert.equal(tooMany.statusCode, 422)
      assert.equal(tooMany.json().error.details.suppressions, 'must have at most 1000 entries')
      const none = await send([])
      assert.equal(none.statusCode, 422)
      const badChannel = await send([{ channel: 'fax', address: 'x' }])
      assert.equal(badChannel.statusCode, 422)
      assert.equal(badChannel.json().error.details['suppressions[0].channel'], 'must be one of: sms, email')
      const unknownField = await send([{ channel: 'sms', address: '+14155550100', reason: 'opt_out' }])
      assert.equal(unknownField.statusCode, 400)
      assert.equal(unknownField.json().error.details['suppressions[0].reason'], 'is not accepted by this route')
      assert.equal(await countRows(ctx, org.id), 0)

      const thousand = await send(Array.from({ length: 1000 }, (_, i) => ({ channel: 'email', address: `u${i}@example.com` })))
      assert.equal(thousand.statusCode, 201)
      assert.equal(thousand.json().data.length, 1000)
      assert.equal(await countRows(ctx, org.id), 1000)
    })

    test('POST accepts Idempotency-Key', async () => {
      const org = await ctx.createOrg()
      const request = { method: 'POST' as const, url: '/v1/suppressions', headers: { 'idempotency-key': 'batch-1' }, payload: { suppressions: [{ channel: 'email', address: 'idem@example.com' }] } }
      const first = await ctx.request(org.ownerKey, request)
      assert.equal(first.statusCode, 201)
      const removed = await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${first.json().data[0].id as string}` })
      assert.equal(removed.statusCode, 200)
      const second = await ctx.request(org.ownerKey, request)
      assert.equal(second.statusCode, 201)
      assert.equal(second.headers['idempotent-replayed'], 'true')
      assert.deepEqual(second.json(), first.json())
      assert.equal(await countRows(ctx, org.id), 0, 'the replay changed nothing')
    })

    test('the list is newest first, filters, pages by cursor and keeps an exact total', async () => {
      const org = await ctx.createOrg()
      const [numberA, numberB] = [await addNumber(ctx, org), await addNumber(ctx, org)]
      const domain = await addDomain(ctx, org)
      const created: SuppressionJson[] = []
      for (let batch = 0; batch < 5; batch++) {
        created.push(...await addSuppressions(ctx, org, [
          { channel: 'sms', address: randomNumber() },
          { channel: 'sms', address: randomNumber(), phone_number_id: numberA.id },
          { channel: 'sms', address: randomNumber(), phone_number_id: numberB.id },
          { channel: 'email', address: `p${batch}@example.com`, domain_id: domain.id },
          { channel: 'email', address: `q${batch}@example.com` }
        ]))
      }
      await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/complaints', payload: { org_id: org.id, category: 'other', channel: 'email', reporter_email: 'angry@example.net', domain_id: domain.id } })

      const newestFirst = [...created].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = await list(org, `?limit=7${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        assert.equal(page.meta.total, 26)
        assert.equal(page.meta.limit, 7)
        assert.equal(page.meta.offset, 0)
        seen.push(...page.data.map((row) => row.id))
        cursor = page.meta.next_cursor
      } while (cursor !== null)
      assert.equal(seen.length, 26)
      assert.equal(new Set(seen).size, 26)
      assert.deepEqual(seen.slice(1), newestFirst.map((row) => row.id), 'newest first (the complaint\'s suppression came last)')

      const expectations: Array<[string, (row: SuppressionJson) => boolean, number]> = [
        ['?channel=sms', (row) => row.channel === 'sms', 15],
        ['?channel=email', (row) => row.channel === 'email', 11],
        [`?phone_number_id=${numberA.id}`, (row) => row.phone_number_id === numberA.id, 5],
        [`?domain_id=${domain.id}`, (row) => row.domain_id === domain.id, 6],
        ['?reason=complaint', (row) => row.reason === 'complaint', 1],
        [`?reason=manual&domain_id=${domain.id}`, (row) => row.reason === 'manual' && row.domain_id === domain.id, 5],
        ['?channel=email&reason=manual', (row) => row.channel === 'email' && row.reason === 'manual', 10],
        [`?phone_number_id=${numberA.id}&domain_id=${domain.id}`, () => false, 0],
        ['?scope=org', (row) => row.scope === 'org', 10],
        ['?scope=phone_number', (row) => row.scope === 'phone_number', 10],
        ['?scope=domain', (row) => row.scope === 'domain', 6],
        ['?scope=domain&reason=complaint', (row) => row.scope === 'domain' && row.reason === 'complaint', 1],
        ['?scope=org&channel=email', (row) => row.scope === 'org' && row.channel === 'email', 5]
      ]
      for (const [query, predicate, expected] of expectations) {
        const page = await list(org, `${query}&limit=100`)
        assert.equal(page.meta.total, expected, query)
        assert.equal(page.data.length, expected, query)
        assert.ok(page.data.every(predicate), query)
      }

      const errors: Array<[string, string]> = [
        ['?channel=fax', 'channel'], ['?reason=angry', 'reason'], ['?scope=planet', 'scope'], ['?limit=0', 'limit'], ['?limit=101', 'limit'],
        ['?cursor=nonsense', 'cursor'], ['?address=12', 'address'], [`?domain_id=${numberA.id}`, 'domain_id'],
        [`?phone_number_id=${domain.id}`, 'phone_number_id'], ['?domain_id=not-a-uuid', 'domain_id']
      ]
      for (const [query, field] of errors) {
        const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions${query}` })
        assert.equal(response.statusCode, 422, query)
        assert.ok(field in response.json().error.details, `${query}: ${response.body}`)
      }
      const unknown = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/suppressions?color=red' })
      assert.equal(unknown.statusCode, 400)
    })

    test('a cursor stays valid when its row is lifted meanwhile', async () => {
      const org = await ctx.createOrg()
      const rows = await addSuppressions(ctx, org, Array.from({ length: 5 }, (_, i) => ({ channel: 'email', address: `c${i}@example.com` })))
      const newestFirst = [...rows].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
      const first = await list(org, '?limit=2')
      assert.deepEqual(first.data.map((row) => row.id), newestFirst.slice(0, 2).map((row) => row.id))
      assert.equal((await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${newestFirst[1]?.id ?? ''}` })).statusCode, 200)
      const second = await list(org, `?limit=2&cursor=${encodeURIComponent(first.meta.next_cursor ?? '')}`)
      assert.deepEqual(second.data.map((row) => row.id), newestFirst.slice(2, 4).map((row) => row.id))
      assert.equal(second.meta.total, 4)
    })

    test('DELETE lifts one suppression with an audit event; another organization\'s id is 404', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const [row, kept] = await addSuppressions(ctx, org, [{ channel: 'email', address: 'gone@example.com' }, { channel: 'email', address: 'kept@example.com' }])
      assert.ok(row !== undefined && kept !== undefined)
      const before = await list(org)
      assert.equal(before.meta.total, 2)

      const foreign = await ctx.request(other.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${row.id}` })
      assert.equal(foreign.statusCode, 404)
      assert.equal(foreign.json().error.code, 'NOT_FOUND')

      const removed = await ctx.request(org.adminKey, { method: 'DELETE', url: `/v1/suppressions/${row.id}` })
      assert.equal(removed.statusCode, 200, removed.body)
      assert.deepEqual(removed.json().data, row)
      const events = await ctx.store.db.selectFrom('suppression_events').selectAll().where('org_id', '=', org.id).where('type', '=', 'removed').execute()
      assert.equal(events.length, 1)
      assert.equal(events[0]?.type, 'removed')
      assert.equal(events[0]?.suppression_id, row.id)
      assert.equal(events[0]?.address, 'gone@example.com')
      assert.equal(events[0]?.reason, 'manual')
      assert.equal(events[0]?.actor_kind, 'customer')
      assert.equal(events[0]?.actor_label, 'admin key')

      const afterwards = await list(org)
      assert.equal(afterwards.meta.total, 1)
      assert.deepEqual(afterwards.data.map((item) => item.id), [kept.id])
      assert.equal(afterwards.meta.last_event_at, events[0]?.created_at.toISOString())
      assert.equal(events[0]?.via, 'api')

      assert.equal((await ctx.request(org.adminKey, { method: 'DELETE', url: `/v1/suppressions/${row.id}` })).statusCode, 404)
      const notUuid = await ctx.request(org.adminKey, { method: 'DELETE', url: '/v1/suppressions/123' })
      assert.equal(notUuid.statusCode, 422)
    })

    test('check: organization-wide and sender-scoped suppressions match, another sender\'s do not', async () => {
      const org = await ctx.createOrg()
      const [numberA, numberB] = [await addNumber(ctx, org), await addNumber(ctx, org)]
      const [domainA, domainB] = [await addDomain(ctx, org), await addDomain(ctx, org)]
      const [orgWide, forA, forB, bothScopes] = ['+14155550001', '+14155550002', '+14155550003', '+14155550004']
      const rows = await addSuppressions(ctx, org, [
        { channel: 'sms', address: orgWide },
        { channel: 'sms', address: forA, phone_number_id: numberA.id },
        { channel: 'sms', address: forB, phone_number_id: numberB.id },
        { channel: 'sms', address: bothScopes, phone_number_id: numberA.id },
        { channel: 'sms', address: bothScopes },
        { channel: 'email', address: 'all@example.com' },
        { channel: 'email', address: 'a-only@example.com', domain_id: domainA.id },
        { channel: 'email', address: 'b-only@example.com', domain_id: domainB.id },
        { channel: 'email', address: orgWide.replace('+', '') + '@example.com', domain_id: domainA.id }
      ])
      const id = (address: string, scope?: string) =>
        rows.find((row) => row.address === address && (scope === undefined || row.phone_number_id === scope || row.domain_id === scope))?.id

      const fromA = await check(org, { channel: 'sms', from: numberA.number, recipients: [orgWide, '(415) 555-0002', forB, '+14155550009', bothScopes] })
      assert.equal(fromA.statusCode, 200, fromA.body)
      const answerA = fromA.json().data
      assert.equal(answerA.checked, 5)
      const suppressedA = answerA.suppressed as Array<{ address: string, suppression_id: string, reason: string }>
      assert.deepEqual(suppressedA.map((item) => [item.address, item.suppression_id, item.reason]), [
        [orgWide, id(orgWide), 'manual'],
        ['(415) 555-0002', id(forA), 'manual'],
        [bothScopes, id(bothScopes, numberA.id), 'manual']
      ])
      assert.match(answerA.suppressed[0].created_at, /Z$/)
      // The time is written as every answer writes it (milliseconds, UTC): the suppression's own.
      const createdAt = (address: string, scope?: string) =>
        rows.find((row) => row.address === address && (scope === undefined || row.phone_number_id === scope || row.domain_id === scope))?.created_at
      assert.deepEqual(answerA.suppressed.map((item: { created_at: string }) => item.created_at),
        [createdAt(orgWide), createdAt(forA), createdAt(bothScopes, numberA.id)])

      const fromB = await check(org, { channel: 'sms', from: numberB.number, recipients: [orgWide, forA, forB] })
      assert.deepEqual(fromB.json().data.suppressed.map((item: { address: string }) => item.address), [orgWide, forB])

      const email = await check(org, { channel: 'email', from: `news@${domainB.name.toUpperCase()}`, recipients: ['ALL@example.com', 'a-only@example.com', 'b-only@example.com', 'fresh@example.com'] })
      assert.equal(email.statusCode, 200, email.body)
      assert.deepEqual(email.json().data.suppressed.map((item: { address: string }) => item.address), ['ALL@example.com', 'b-only@example.com'])
      const byDomainName = await check(org, { channel: 'email', from: domainA.name, recipients: ['a-only@example.com', 'b-only@example.com'] })
      assert.deepEqual(byDomainName.json().data.suppressed.map((item: { address: string }) => item.address), ['a-only@example.com'])

      // One recipient written twice, in two forms: both are answered, in request order, with the same suppression.
      const twice = await check(org, { channel: 'email', from: domainA.name, recipients: ['A-only@example.com', 'fresh@example.com', ' a-only@example.com'] })
      assert.deepEqual(twice.json().data.suppressed.map((item: { address: string, suppression_id: string }) => [item.address, item.suppression_id]), [
        ['A-only@example.com', id('a-only@example.com')], [' a-only@example.com', id('a-only@example.com')]
      ])

      const empty = await check(org, { channel: 'sms', from: numberA.number, recipients: [] })
      assert.deepEqual(empty.json().data, { checked: 0, suppressed: [] })

      // Lifting is visible at once.
      assert.equal((await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${id(forA) ?? ''}` })).statusCode, 200)
      const lifted = await check(org, { channel: 'sms', from: numberA.number, recipients: [forA] })
      assert.deepEqual(lifted.json().data.suppressed, [])
    })

    test('check: the sender must be the organization\'s and every recipient readable', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const foreignNumber = await addNumber(ctx, other)
      const foreignDomain = await addDomain(ctx, other)
      await addDomain(ctx, org)
      const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
        [{ channel: 'sms', from: foreignNumber.number, recipients: ['+14155550123'] }, { from: "must be one of the organization's phone numbers (E.164)" }],
        [{ channel: 'sms', from: randomNumber(), recipients: ['+14155550123'] }, { from: "must be one of the organization's phone numbers (E.164)" }],
        [{ channel: 'sms', from: 'nonsense', recipients: ['+14155550123'] }, { from: "must be one of the organization's phone numbers (E.164)" }],
        [{ channel: 'email', from: foreignDomain.name, recipients: ['a@example.com'] }, { from: "must be one of the organization's domains" }],
        [{ channel: 'email', from: randomDomain(), recipients: ['a@example.com'] }, { from: "must be one of the organization's domains" }],
        [{ channel: 'sms', from: number.number, recipients: ['+14155550123', '+14155550124', 'call me', '+1415555012'] }, {
          'recipients[2]': 'must be a phone number that can be written in E.164',
          'recipients[3]': 'must be a phone number that can be written in E.164'
        }]
      ]
      for (const [payload, details] of cases) {
        const response = await check(org, payload)
        assert.equal(response.statusCode, 422, JSON.stringify(payload))
        assert.deepEqual(response.json().error.details, details, JSON.stringify(payload))
      }
      const tooMany = await check(org, { channel: 'sms', from: number.number, recipients: Array.from({ length: 1001 }, () => '+14155550123') })
      assert.equal(tooMany.statusCode, 422)
      assert.equal(tooMany.json().error.details.recipients, 'must have at most 1000 entries')
    })

    test('check: 1000 recipients in one call', async () => {
      const org = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const recipients = Array.from({ length: 1000 }, (_, i) => `+1212555${String(i).padStart(4, '0')}`)
      const suppressedOnes = recipients.filter((_, i) => i % 7 === 0)
      await addSuppressions(ctx, org, suppressedOnes.map((address, i) => i % 2 === 0 ? { channel: 'sms', address } : { channel: 'sms', address, phone_number_id: number.id }))
      const response = await check(org, { channel: 'sms', from: number.number, recipients })
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().data.checked, 1000)
      assert.deepEqual(response.json().data.suppressed.map((item: { address: string }) => item.address), suppressedOnes)
    })

    test('a staff-filed complaint suppresses its reporter for its number or domain, else organization-wide', async () => {
      const org = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const domain = await addDomain(ctx, org)
      const file = async (fields: Record<string, unknown>) => {
        const response = await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/complaints', payload: { org_id: org.id, category: 'unwanted_contact', ...fields } })
        assert.equal(response.statusCode, 201, response.body)
        return response.json().data as { id: string }
      }
      const smsScoped = await file({ channel: 'sms', reporter_number: '415-555-0150', phone_number_id: number.id })
      const smsWide = await file({ channel: 'sms', reporter_number: '+14155550151' })
      const emailScoped = await file({ channel: 'email', reporter_email: 'Reporter@Example.net', domain_id: domain.id })
      const emailWide = await file({ channel: 'email', reporter_email: 'wide@example.net', phone_number_id: number.id })
      const rows = (await list(org, '?limit=100')).data
      const byComplaint = new Map(rows.map((row) => [row.complaint_id, row]))
      assert.equal(rows.length, 4)
      assert.deepEqual(pick(byComplaint.get(smsScoped.id)), ['sms', '+14155550150', 'phone_number', number.id, null, 'complaint'])
      assert.deepEqual(pick(byComplaint.get(smsWide.id)), ['sms', '+14155550151', 'org', null, null, 'complaint'])
      assert.deepEqual(pick(byComplaint.get(emailScoped.id)), ['email', 'reporter@example.net', 'domain', null, domain.id, 'complaint'])
      assert.deepEqual(pick(byComplaint.get(emailWide.id)), ['email', 'wide@example.net', 'org', null, null, 'complaint'])

      const blocked = await check(org, { channel: 'sms', from: number.number, recipients: ['+14155550150', '+14155550151'] })
      const blockedIds = blocked.json().data.suppressed.map((item: { suppression_id: string }) => item.suppression_id)
      assert.deepEqual(blockedIds, [byComplaint.get(smsScoped.id)?.id, byComplaint.get(smsWide.id)?.id])

      // A complaint that fails validation leaves no suppression behind.
      const refused = await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/complaints', payload: { org_id: org.id, category: 'other', channel: 'sms', reporter_number: '+14155550152', domain_id: '01900000-0000-7000-8000-000000000001' } })
      assert.equal(refused.statusCode, 422)
      assert.equal(await countRows(ctx, org.id), 4)
    })

    test('meta.total stays exact through inserts, duplicates and deletes', async () => {
      const org = await ctx.createOrg()
      const domain = await addDomain(ctx, org)
      const rows = await addSuppressions(ctx, org, Array.from({ length: 300 }, (_, i) => ({ channel: 'email', address: `t${i % 250}@example.com`, ...(i % 3 === 0 ? { domain_id: domain.id } : {}) })))
      const distinct = new Set(rows.map((row) => row.id))
      for (const id of [...distinct].slice(0, 40)) {
        assert.equal((await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${id}` })).statusCode, 200)
      }
      const real = await countRows(ctx, org.id)
      assert.equal(real, distinct.size - 40)
      assert.equal((await list(org)).meta.total, real)
      assert.equal((await list(org, `?domain_id=${domain.id}`)).meta.total, await countRows(ctx, org.id, { domainId: domain.id }))
    })
  })
}

function pick (row: SuppressionJson | undefined) {
  return row === undefined ? undefined : [row.channel, row.address, row.scope, row.phone_number_id, row.domain_id, row.reason]
}
