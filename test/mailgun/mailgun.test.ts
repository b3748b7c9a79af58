import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { InjectOptions } from 'fastify'
import { formatMailgunDate, parseMailgunDate } from '../../src/dialects/mailgun/mailgun.format.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases, unknownKey } from '../helper.js'
import { addDomain, addNumber, addSuppressions, countRows } from '../suppressions/fixtures.js'
import { alphabetical, basic, createComplaints, csvUpload, mg } from './fixtures.js'

test('Mailgun dates: written like Mailgun, read in every form its clients send', () => {
  assert.equal(formatMailgunDate(new Date('2025-01-26T07:29:06.123Z')), 'Sun, 26 Jan 2025 07:29:06 UTC')
  assert.equal(formatMailgunDate(new Date('2025-01-05T00:00:00Z')), 'Sun, 05 Jan 2025 00:00:00 UTC')
  const cases: Array<[string, string | null]> = [
    ['Sun, 26 Jan 2025 07:29:06 UTC', '2025-01-26T07:29:06.000Z'],
    ['Thu, 13 Oct 2011 18:02:00 GMT', '2011-10-13T18:02:00.000Z'],
    ['Thu, 13 Oct 2011 18:02:00 UT', '2011-10-13T18:02:00.000Z'],
    ['Tue, 20 Jan 2026 14:00:00 +0000', '2026-01-20T14:00:00.000Z'],
    ['Tue, 20 Jan 2026 14:00:00 -0700', '2026-01-20T21:00:00.000Z'],
    ['Tue, 20 Jan 2026 14:00:00 +05:30', '2026-01-20T08:30:00.000Z'],
    ['20 Jan 2026 14:00 EST', '2026-01-20T19:00:00.000Z'],
    ['Tuesday, 20 Jan 26 14:00:00 GMT', '2026-01-20T14:00:00.000Z'],
    ['Tue, 20 Jan 2026 14:00:00', '2026-01-20T14:00:00.000Z'],
    ['2026-01-20T14:00:00.250Z', '2026-01-20T14:00:00.250Z'],
    ['2026-01-20T14:00:00+01:00', '2026-01-20T13:00:00.000Z'],
    ['Tue, 31 Feb 2026 14:00:00 GMT', null],
    ['Tue, 20 Foo 2026 14:00:00 GMT', null],
    ['Tue, 20 Jan 2026 25:00:00 GMT', null],
    ['Tue, 20 Jan 2026 14:00:00 XYZ', null],
    ['yesterday', null],
    ['', null]
  ]
  for (const [text, expected] of cases) assert.equal(parseMailgunDate(text)?.toISOString() ?? null, expected, text)
})

interface MailgunOrg extends TestOrg {
  domain: string
  domainId: string
}

for (const database of testDatabases()) {
  describe(`Mailgun complaints (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const mgOrg = async (): Promise<MailgunOrg> => {
      const org = await ctx.createOrg()
      const domain = await addDomain(ctx, org, `mg-${randomBytes(4).toString('hex')}.example.com`)
      return { ...org, domain: domain.name, domainId: domain.id }
    }
    const list = async (org: MailgunOrg, query = '') => {
      const response = await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints${query}` })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as { items: Array<{ address: string, created_at: string }>, paging: Record<'first' | 'last' | 'next' | 'previous', string> }
    }
    const checkEmail = async (org: MailgunOrg, recipients: string[]) => {
      const response = await ctx.request(org.memberKey, { method: 'POST', url: '/v1/suppressions/check', payload: { channel: 'email', from: `news@${org.domain}`, recipients } })
      assert.equal(response.statusCode, 200, response.body)
      return (response.json().data.suppressed as Array<{ address: string }>).map((item) => item.address)
    }

    // ------------------------------------------------------------------ auth

    const routes: Array<{ name: string, write: boolean, success: number, prepare: (org: MailgunOrg) => Promise<Omit<InjectOptions, 'method'> & { method: NonNullable<InjectOptions['method']> }> }> = [
      { name: 'GET /v3/{domain}/complaints', write: false, success: 200, prepare: async (org) => ({ method: 'GET', url: `/v3/${org.domain}/complaints` }) },
      {
        name: 'GET /v3/{domain}/complaints/{address}',
        write: false,
        success: 200,
        prepare: async (org) => {
          await createComplaints(ctx, org.ownerKey, org.domain, ['listed@example.com'])
          return { method: 'GET', url: `/v3/${org.domain}/complaints/listed%40example.com` }
        }
      },
      { name: 'POST /v3/{domain}/complaints', write: true, success: 200, prepare: async (org) => ({ method: 'POST', url: `/v3/${org.domain}/complaints`, payload: [{ address: 'new@example.com' }] }) },
      { name: 'POST /v3/{domain}/complaints/import', write: true, success: 202, prepare: async (org) => ({ method: 'POST', url: `/v3/${org.domain}/complaints/import`, ...csvUpload('address,created_at\nimported@example.com,\n') }) },
      {
        name: 'DELETE /v3/{domain}/complaints/{address}',
        write: true,
        success: 200,
        prepare: async (org) => {
          await createComplaints(ctx, org.ownerKey, org.domain, ['gone@example.com'])
          return { method: 'DELETE', url: `/v3/${org.domain}/complaints/gone@example.com` }
        }
      },
      { name: 'DELETE /v3/{domain}/complaints', write: true, success: 200, prepare: async (org) => ({ method: 'DELETE', url: `/v3/${org.domain}/complaints` }) }
    ]
    for (const route of routes) {
      test(`${route.name}: Basic-auth matrix`, async () => {
        const org = await mgOrg()
        const other = await mgOrg()
        const send = async (authorization: string | null, target: MailgunOrg = org) => {
          const { method, ...request } = await route.prepare(target)
          return await ctx.app.inject({ ...request, method, headers: { ...request.headers, ...(authorization !== null ? { authorization } : {}) } })
        }
        const forbidden = (response: Awaited<ReturnType<typeof send>>, why: string) => {
          assert.equal(response.statusCode, 401, `${why}: ${response.body}`)
          assert.equal(response.body, 'Forbidden', why)
          assert.match(String(response.headers['content-type']), /^text\/plain/, why)
          assert.equal(response.headers['www-authenticate'], 'Basic realm="MG API"', why)
        }
        forbidden(await send(null), 'no credentials')
        forbidden(await send(`Bearer ${org.ownerKey}`), 'bearer scheme')
        forbidden(await send(basic(org.ownerKey, 'user')), 'user other than api')
        forbidden(await send('Basic !!!'), 'malformed')
        forbidden(await send(`Basic ${Buffer.from(org.ownerKey).toString('base64')}`), 'no colon')
        forbidden(await send(basic(unknownKey())), 'unknown key')
        forbidden(await send(basic(ctx.platformKey)), 'platform key')
        const revocable = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'owner' } })).json().data
        assert.equal((await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${revocable.id as string}` })).statusCode, 200)
        forbidden(await send(basic(revocable.plaintext)), 'revoked key')

        if (route.write) {
          const member = await send(basic(org.memberKey))
          assert.equal(member.statusCode, 403, member.body)
          assert.deepEqual(member.json(), { message: 'missing required scope' })
        }
        const foreign = await send(basic(other.ownerKey))
        assert.equal(foreign.statusCode, 404, foreign.body)
        assert.deepEqual(foreign.json(), { message: 'Domain not found' })
        const unknownDomain = await ctx.app.inject({ method: 'GET', url: '/v3/nowhere.example/complaints', headers: { authorization: basic(org.ownerKey) } })
        assert.equal(unknownDomain.statusCode, 404)
        assert.deepEqual(unknownDomain.json(), { message: 'Domain not found' })

        const ok = await send(basic(route.write ? org.adminKey : org.memberKey))
        assert.equal(ok.statusCode, route.success, ok.body)
      })
    }

    test('unknown paths under /v3 answer in Mailgun\'s shape', async () => {
      const org = await mgOrg()
      assert.equal((await mg(ctx, null, { method: 'GET', url: `/v3/${org.domain}/bounces` })).statusCode, 401)
      const missing = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${org.domain}/bounces` })
      assert.equal(missing.statusCode, 404)
      assert.deepEqual(missing.json(), { message: 'Not Found' })
    })

    // ------------------------------------------------------------------ create, get, delete

    test('create: a JSON array, with dates in Mailgun\'s forms, then get each one', async () => {
      const org = await mgOrg()
      const before = Date.now()
      const created = await mg(ctx, org.ownerKey, {
        method: 'POST',
        url: `/v3/${org.domain}/complaints`,
        payload: [
          { address: 'alice@example.com', created_at: 'Sun, 26 Jan 2025 07:29:06 UTC' },
          { address: ' Bob@Example.com ', created_at: 'Tue, 20 Jan 2026 14:00:00 -0700' },
          { address: 'carol+news@example.com', created_at: '2024-02-16T16:25:16.000Z', extra: 'ignored' },
          { address: 'dave@example.com' }
        ]
      })
      assert.equal(created.statusCode, 200, created.body)
      assert.deepEqual(created.json(), { message: '4 complaint addresses have been added to the complaints table' })

      const get = async (path: string) => await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints/${path}` })
      assert.deepEqual((await get('alice%40example.com')).json(), { address: 'alice@example.com', created_at: 'Sun, 26 Jan 2025 07:29:06 UTC' })
      assert.deepEqual((await get('bob@example.com')).json(), { address: 'bob@example.com', created_at: 'Tue, 20 Jan 2026 21:00:00 UTC' })
      assert.deepEqual((await get('BOB%40EXAMPLE.COM')).json().address, 'bob@example.com')
      assert.deepEqual((await get('carol%2Bnews%40example.com')).json(), { address: 'carol+news@example.com', created_at: 'Fri, 16 Feb 2024 16:25:16 UTC' })
      assert.deepEqual((await get('carol+news@example.com')).json().address, 'carol+news@example.com', 'raw path (as mailgun-php sends it)')
      const dave = new Date((await get('dave@example.com')).json().created_at as string).getTime()
      assert.ok(dave >= Math.floor(before / 1000) * 1000 && dave <= Date.now(), 'created_at defaults to now')

      const missing = await get('nobody%40example.com')
      assert.equal(missing.statusCode, 404)
      assert.deepEqual(missing.json(), { message: 'No spam complaints found for this address' })
      assert.equal((await get('not-an-address')).statusCode, 404)

      // The same rows, seen natively: email, domain scope, reason complaint.
      const native = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?domain_id=${org.domainId}` })
      assert.equal(native.json().meta.total, 4)
      for (const row of native.json().data) {
        assert.equal(row.channel, 'email')
        assert.equal(row.scope, 'domain')
        assert.equal(row.reason, 'complaint')
      }
    })

    test('create: a single form-encoded or multipart address', async () => {
      const org = await mgOrg()
      const form = await mg(ctx, org.ownerKey, {
        method: 'POST',
        url: `/v3/${org.domain}/complaints`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'address=Form%2Buser%40example.com&created_at=Thu%2C+13+Oct+2011+18%3A02%3A00+GMT'
      })
      assert.equal(form.statusCode, 200, form.body)
      assert.deepEqual(form.json(), { address: 'form+user@example.com', message: 'Address has been added to the complaints table' })
      assert.deepEqual((await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${org.domain}/complaints/form%2Buser%40example.com` })).json().created_at, 'Thu, 13 Oct 2011 18:02:00 GMT'.replace('GMT', 'UTC'))

      const FormData = (await import('form-data')).default
      const multipart = new FormData()
      multipart.append('address', 'multi@example.com')
      const viaMultipart = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, payload: multipart.getBuffer(), headers: multipart.getHeaders() })
      assert.equal(viaMultipart.statusCode, 200, viaMultipart.body)
      assert.deepEqual(viaMultipart.json(), { address: 'multi@example.com', message: 'Address has been added to the complaints table' })

      const noAddress = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'created_at=now' })
      assert.equal(noAddress.statusCode, 400)
      assert.deepEqual(noAddress.json(), { message: 'form: address is required' })
      assert.equal(await countRows(ctx, org.id), 2)
    })

    test("create: the seed's own sample (`\"createdat\": {}`), and created_at {} or omitted, mean now", async () => {
      const org = await mgOrg()
      const before = Date.now()
      const sample = await mg(ctx, org.ownerKey, {
        method: 'POST',
        url: `/v3/${org.domain}/complaints`,
        payload: [{ address: 'alice@example.com', createdat: {} }, { address: 'bob@example.com', createdat: {} }]
      })
      assert.equal(sample.statusCode, 200, sample.body)
      assert.deepEqual(sample.json(), { message: '2 complaint addresses have been added to the complaints table' })
      const other = await mg(ctx, org.ownerKey, {
        method: 'POST',
        url: `/v3/${org.domain}/complaints`,
        payload: [{ address: 'carol@example.com', created_at: {} }, { address: 'dave@example.com' }, { address: 'erin@example.com', createdat: 'Thu, 13 Oct 2011 18:02:00 GMT' }]
      })
      assert.deepEqual(other.json(), { message: '3 complaint addresses have been added to the complaints table' })
      const items = (await list(org)).items
      assert.deepEqual(items.map((item) => item.address), ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com'])
      for (const item of items.slice(0, 4)) {
        const at = new Date(item.created_at).getTime()
        assert.ok(at >= Math.floor(before / 1000) * 1000 && at <= Date.now(), `${item.address}: now`)
      }
      assert.equal(items[4]?.created_at, 'Thu, 13 Oct 2011 18:02:00 UTC')
      const notEmpty = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, payload: [{ address: 'x@example.com', created_at: { when: 'now' } }] })
      assert.equal(notEmpty.statusCode, 400)
    })

    test('{domainID} is the domain\'s name or its id; an address holding a raw / works unencoded', async () => {
      const org = await mgOrg()
      const byId = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domainId}/complaints`, payload: [{ address: 'by-id@example.com' }, { address: 'a/b@example.com' }] })
      assert.equal(byId.statusCode, 200, byId.body)
      assert.deepEqual((await list(org)).items.map((item) => item.address), ['a/b@example.com', 'by-id@example.com'])
      const viaId = await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domainId.toUpperCase()}/complaints/by-id@example.com` })
      assert.equal(viaId.statusCode, 200, viaId.body)
      const foreign = await mgOrg()
      assert.equal((await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${foreign.domainId}/complaints` })).statusCode, 404, "another organization's domain id")

      const raw = await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints/a/b@example.com` })
      assert.equal(raw.statusCode, 200, raw.body)
      assert.deepEqual(raw.json().address, 'a/b@example.com')
      assert.equal((await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints/a%2Fb%40example.com` })).json().address, 'a/b@example.com')
      assert.equal((await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints/x/y@example.com` })).statusCode, 404)
      const removed = await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints/a/b@example.com` })
      assert.equal(removed.statusCode, 200, removed.body)
      assert.deepEqual(removed.json(), { address: 'a/b@example.com', message: 'Complaint addresses for this domain have been removed' })
      assert.deepEqual((await list(org)).items.map((item) => item.address), ['by-id@example.com'])
    })

    test('create: more than 1000 records, an invalid address or date is 400 and writes nothing', async () => {
      const org = await mgOrg()
      const post = async (payload: unknown) => await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, payload: payload as InjectOptions['payload'] })
      const cases: Array<[unknown, string]> = [
        [Array.from({ length: 1001 }, (_, i) => ({ address: `u${i}@example.com` })), 'too many complaints: at most 1000 records per request, got 1001'],
        [[], 'no complaints given: send a JSON array of 1 to 1000 records'],
        [[{ address: 'ok@example.com' }, { address: 'ok2@example.com' }, { address: 'not an address' }], '"not an address" is not a valid email address (item 2)'],
        [[{ address: 'ok@example.com' }, { email: 'x@example.com' }], 'item 1: address is required'],
        [[{ address: 'ok@example.com' }, 'x@example.com'], 'item 1: must be an object with an address'],
        [[{ address: 'ok@example.com', created_at: 'last tuesday' }], 'item 0: created_at "last tuesday" is not an RFC 2822 date'],
        ['"just a string"', 'send a JSON array of {address, created_at} records, or a form with address']
      ]
      for (const [payload, message] of cases) {
        const response = typeof payload === 'string'
          ? await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, payload, headers: { 'content-type': 'application/json' } })
          : await post(payload)
        assert.equal(response.statusCode, 400, response.body)
        assert.deepEqual(response.json(), { message })
      }
      const broken = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints`, payload: '[{"address":', headers: { 'content-type': 'application/json' } })
      assert.equal(broken.statusCode, 400)
      assert.deepEqual(broken.json(), { message: 'body is not valid JSON' })
      assert.equal(await countRows(ctx, org.id), 0, 'nothing was written')

      const thousand = await post(Array.from({ length: 1000 }, (_, i) => ({ address: `u${i}@example.com` })))
      assert.equal(thousand.statusCode, 200)
      assert.deepEqual(thousand.json(), { message: '1000 complaint addresses have been added to the complaints table' })
      assert.equal(await countRows(ctx, org.id), 1000)
      const again = await post([{ address: 'u1@example.com', created_at: 'Thu, 13 Oct 2011 18:02:00 GMT' }])
      assert.deepEqual(again.json(), { message: '0 complaint addresses have been added to the complaints table' }, 'the message counts the addresses actually added')
      const mixed = await post([{ address: 'u2@example.com' }, { address: 'fresh@example.com' }, { address: 'Fresh@example.com' }])
      assert.deepEqual(mixed.json(), { message: '1 complaint addresses have been added to the complaints table' })
      await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints/fresh@example.com` })
      assert.equal(await countRows(ctx, org.id), 1000, 'an address already listed keeps its one row')
      assert.notEqual((await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${org.domain}/complaints/u1@example.com` })).json().created_at, 'Thu, 13 Oct 2011 18:02:00 UTC', 'and its first record')
    })

    test('delete one and delete all: exact messages, audit events, and the check route agrees at once', async () => {
      const org = await mgOrg()
      const otherDomain = await addDomain(ctx, org)
      await createComplaints(ctx, org.ownerKey, org.domain, ['a@example.com', 'b@example.com', 'c@example.com'])
      await createComplaints(ctx, org.ownerKey, otherDomain.name, ['a@example.com'])
      // Not Mailgun complaints: a manual domain suppression and an organization-wide one.
      await addSuppressions(ctx, org, [{ channel: 'email', address: 'manual@example.com', domain_id: org.domainId }, { channel: 'email', address: 'orgwide@example.com' }])
      assert.deepEqual(await checkEmail(org, ['a@example.com', 'b@example.com', 'c@example.com', 'manual@example.com']), ['a@example.com', 'b@example.com', 'c@example.com', 'manual@example.com'])
      assert.deepEqual((await list(org)).items.map((item) => item.address), ['a@example.com', 'b@example.com', 'c@example.com'], 'only complaints are listed')

      const removed = await mg(ctx, org.adminKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints/A%40example.com` })
      assert.equal(removed.statusCode, 200, removed.body)
      assert.deepEqual(removed.json(), { address: 'a@example.com', message: 'Complaint addresses for this domain have been removed' }, "the seed's sample answer")
      assert.deepEqual(await checkEmail(org, ['a@example.com', 'b@example.com']), ['b@example.com'])
      const again = await mg(ctx, org.adminKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints/a@example.com` })
      assert.equal(again.statusCode, 404)
      assert.deepEqual(again.json(), { message: 'No spam complaints found for this address' })
      const notComplaint = await mg(ctx, org.adminKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints/manual@example.com` })
      assert.equal(notComplaint.statusCode, 404, 'a manual suppression is not Mailgun\'s to remove')

      const cleared = await mg(ctx, org.adminKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints` })
      assert.equal(cleared.statusCode, 200)
      assert.deepEqual(cleared.json(), { message: 'Complaint addresses for this domain have been removed' })
      assert.deepEqual((await list(org)).items, [])
      assert.deepEqual(await checkEmail(org, ['a@example.com', 'b@example.com', 'c@example.com', 'manual@example.com', 'orgwide@example.com']), ['manual@example.com', 'orgwide@example.com'])
      assert.equal((await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?domain_id=${otherDomain.id}` })).json().meta.total, 1, 'another domain keeps its complaints')
      assert.equal((await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?domain_id=${org.domainId}` })).json().meta.total, 1)
      const clearedAgain = await mg(ctx, org.adminKey, { method: 'DELETE', url: `/v3/${org.domain}/complaints` })
      assert.deepEqual(clearedAgain.json(), { message: 'Complaint addresses for this domain have been removed' })

      // One event per address lifted, the delete-all's too.
      const events = await ctx.store.db.selectFrom('suppression_events').selectAll().where('org_id', '=', org.id).where('type', '=', 'removed')
        .orderBy('created_at').orderBy('address').execute()
      assert.deepEqual(events.map((event) => [event.type, event.address, event.removed_count, event.actor_label, event.scope_id, event.via]), [
        ['removed', 'a@example.com', 1, 'admin key', org.domainId, 'mailgun'],
        ...['b@example.com', 'c@example.com'].map((address) => ['removed', address, 1, 'admin key', org.domainId, 'mailgun'])
      ])
    })

    // ------------------------------------------------------------------ list

    test('list: 2,500 addresses walked forward and backward, 100 at a time, each exactly once', async () => {
      const org = await mgOrg()
      const addresses = Array.from({ length: 2500 }, (_, i) => `${randomBytes(3).toString('hex')}.${i}@${i % 3 === 0 ? 'a' : 'z'}-example.com`)
      await createComplaints(ctx, org.ownerKey, org.domain, addresses)
      const expected = alphabetical(addresses)
      // inject has no socket address: the configured listen address stands in for it.
      const base = `http://127.0.0.1:8080/v3/${org.domain}/complaints?`

      const first = await list(org)
      assert.equal(first.items.length, 100, 'limit defaults to 100')
      assert.deepEqual(first.items.map((item) => item.address), expected.slice(0, 100))
      assert.equal(first.paging.first, `${base}limit=100&term=`)
      assert.equal(first.paging.last, `${base}page=last&limit=100&term=`)
      assert.equal(first.paging.next, `${base}page=next&address=${encodeURIComponent(expected[99] as string)}&limit=100&term=`)
      assert.equal(first.paging.previous, `${base}page=previous&address=${encodeURIComponent(expected[0] as string)}&limit=100&term=`)
      assert.match(first.items[0]?.created_at ?? '', /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d UTC$/)

      const follow = async (url: string) => await list(org, url.slice(url.indexOf('?')))
      const forward: string[] = []
      let page = await list(org, '?limit=100')
      let pages = 0
      while (page.items.length > 0) {
        forward.push(...page.items.map((item) => item.address))
        page = await follow(page.paging.next)
        pages++
      }
      assert.equal(pages, 25)
      assert.deepEqual(forward, expected)
      assert.deepEqual(page.items, [], 'past the end: an empty array')
      assert.equal(new URL(page.paging.next).searchParams.get('address'), expected.at(-1), 'an empty page keeps the pivot')
      assert.equal(new URL(page.paging.previous).searchParams.get('address'), expected.at(-1))

      const backward: string[] = []
      page = await list(org, '?page=last&limit=100')
      while (page.items.length > 0) {
        assert.deepEqual(page.items.map((item) => item.address), alphabetical(page.items.map((item) => item.address)), 'each page ascending')
        backward.unshift(...page.items.map((item) => item.address))
        page = await follow(page.paging.previous)
      }
      assert.deepEqual(backward, expected)

      const odd = await list(org, '?page=last&limit=7')
      assert.deepEqual(odd.items.map((item) => item.address), expected.slice(-7))
      const firstExplicit = await list(org, `?page=first&limit=3&address=${encodeURIComponent(expected[50] as string)}`)
      assert.deepEqual(firstExplicit.items.map((item) => item.address), expected.slice(0, 3))
      const prev = await list(org, `?page=prev&address=${encodeURIComponent(expected[50] as string)}&limit=3`)
      assert.deepEqual(prev.items.map((item) => item.address), expected.slice(47, 50))
      const repeated = await list(org, `?page=next&address=${encodeURIComponent(expected[10] as string)}&limit=10&term=&limit=5`)
      assert.deepEqual(repeated.items.map((item) => item.address), expected.slice(11, 16), 'a repeated limit is tolerated (the last counts)')
      const max = await list(org, '?limit=1000')
      assert.equal(max.items.length, 1000)
    })

    test('list: term keeps addresses that start with it; bad limit and page are 400', async () => {
      const org = await mgOrg()
      const addresses = ['ann@example.com', 'anna@example.com', 'andrew@example.com', 'bob@example.com', 'an_x@example.com', 'b.an@example.com']
      await createComplaints(ctx, org.ownerKey, org.domain, addresses)
      assert.deepEqual((await list(org, '?term=an')).items.map((item) => item.address), ['an_x@example.com', 'andrew@example.com', 'ann@example.com', 'anna@example.com'])
      assert.deepEqual((await list(org, '?term=ANN')).items.map((item) => item.address), ['ann@example.com', 'anna@example.com'])
      const paged = await list(org, '?term=an&limit=2')
      assert.deepEqual(paged.items.map((item) => item.address), ['an_x@example.com', 'andrew@example.com'])
      assert.equal(new URL(paged.paging.next).searchParams.get('term'), 'an')
      const next = await list(org, paged.paging.next.slice(paged.paging.next.indexOf('?')))
      assert.deepEqual(next.items.map((item) => item.address), ['ann@example.com', 'anna@example.com'])
      assert.deepEqual((await list(org, '?term=an&page=last&limit=1')).items.map((item) => item.address), ['anna@example.com'])
      assert.deepEqual((await list(org, '?term=zzz')).items, [])
      assert.deepEqual((await list(org, '?term=')).items.length, 6)

      for (const [query, message] of [
        ['?limit=0', 'limit must be an integer from 1 to 1000'],
        ['?limit=1001', 'limit must be an integer from 1 to 1000'],
        ['?limit=ten', 'limit must be an integer from 1 to 1000'],
        ['?page=sideways', 'page must be one of first, next, previous, last']
      ]) {
        const response = await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints${query}` })
        assert.equal(response.statusCode, 400, query)
        assert.deepEqual(response.json(), { message }, query)
      }
    })

    test('list: paging URLs never use the Host header: OMBUDS_PUBLIC_URL, X-Forwarded-* only when trusting a proxy, else the listen address', async () => {
      const org = await mgOrg()
      await createComplaints(ctx, org.ownerKey, org.domain, ['x@example.com'])
      const headers = { host: 'attacker.example:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mail-api.example.net' }
      const direct = await mg(ctx, org.memberKey, { method: 'GET', url: `/v3/${org.domain}/complaints`, headers })
      assert.equal(direct.json().paging.first, `http://127.0.0.1:8080/v3/${org.domain}/complaints?limit=100&term=`)

      const published = await startTestApp(database, { publicUrl: 'https://ombuds.example.com/base', trustProxy: true })
      try {
        const owner = await published.createOrg()
        const domain = await addDomain(published, owner)
        const response = await mg(published, owner.memberKey, { method: 'GET', url: `/v3/${domain.name}/complaints`, headers })
        assert.equal(response.json().paging.first, `https://ombuds.example.com/base/v3/${domain.name}/complaints?limit=100&term=`)
      } finally {
        await published.close()
      }

      const proxied = await startTestApp(database, { trustProxy: true })
      try {
        const owner = await proxied.createOrg()
        const domain = await addDomain(proxied, owner)
        const response = await mg(proxied, owner.memberKey, { method: 'GET', url: `/v3/${domain.name}/complaints`, headers })
        assert.equal(response.statusCode, 200, response.body)
        const paging = response.json().paging as Record<string, string>
        assert.equal(paging.first, `https://mail-api.example.net/v3/${domain.name}/complaints?limit=100&term=`)
        assert.equal(paging.next, `https://mail-api.example.net/v3/${domain.name}/complaints?page=next&address=&limit=100&term=`)
      } finally {
        await proxied.close()
      }
    })

    // ------------------------------------------------------------------ import

    const importCsv = async (org: MailgunOrg, content: string | Buffer, options: Parameters<typeof csvUpload>[1] = {}) =>
      await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints/import`, ...csvUpload(content, options) })

    test('import: Mailgun\'s CSV quirks (BOM, CRLF, space after comma, quoted dates, empty created_at)', async () => {
      const org = await mgOrg()
      const csv = '\uFEFFaddress, created_at\r\n' +
        'Alice@Example.com, "Tue, 20 Jan 2026 14:00:00 +0000"\r\n' +
        'bob@example.com,,\r\n' +
        '\r\n' +
        '"carol@example.com","Sun, 26 Jan 2025 07:29:06 UTC"\r\n' +
        'dave@example.com\r\n' +
        'alice@example.com,"Mon, 01 Jan 2024 00:00:00 GMT"\r\n' +
        'erin@example.com,Thu 13 Oct 2011 18:02:00 GMT'
      const response = await importCsv(org, csv, { contentType: 'text/csv' })
      assert.equal(response.statusCode, 202, response.body)
      assert.deepEqual(response.json(), { message: 'file uploaded successfully' })
      const items = (await list(org)).items
      assert.deepEqual(items.map((item) => item.address), ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com'])
      assert.equal(items[0]?.created_at, 'Tue, 20 Jan 2026 14:00:00 UTC', 'the first row of an address wins')
      assert.equal(items[2]?.created_at, 'Sun, 26 Jan 2025 07:29:06 UTC')
      assert.equal(items[4]?.created_at, 'Thu, 13 Oct 2011 18:02:00 UTC')
      assert.ok(Math.abs(new Date(items[1]?.created_at ?? '').getTime() - Date.now()) < 60_000, 'an empty created_at is now')
      const native = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?reason=import&domain_id=${org.domainId}` })
      assert.equal(native.json().meta.total, 5)
      // Any part content type, any file name; only the part named "file" is read.
      const plain = await importCsv(org, 'address\nfrank@example.com\n', { contentType: 'text/plain', filename: 'x.txt' })
      assert.equal(plain.statusCode, 202)
      assert.equal((await list(org)).items.length, 6)
    })

    test("import: the seed's form fields address and created_at add one complaint; a CSV part of any name is read", async () => {
      const org = await mgOrg()
      const FormData = (await import('form-data')).default
      const form = (fields: Record<string, string>) => {
        const body = new FormData()
        for (const [name, value] of Object.entries(fields)) body.append(name, value)
        return { payload: body.getBuffer(), headers: body.getHeaders() as Record<string, string> }
      }
      const post = async (request: { payload: Buffer, headers: Record<string, string> }) => await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints/import`, ...request })
      const dated = await post(form({ address: 'Dated@Example.com', created_at: 'Fri, 16 Feb 2024 16:25:16 UTC' }))
      assert.equal(dated.statusCode, 202, dated.body)
      assert.deepEqual(dated.json(), { message: 'file uploaded successfully' })
      const undated = await post(form({ address: 'undated@example.com' }))
      assert.equal(undated.statusCode, 202, undated.body)
      const items = (await list(org)).items
      assert.deepEqual(items.map((item) => item.address), ['dated@example.com', 'undated@example.com'])
      assert.equal(items[0]?.created_at, 'Fri, 16 Feb 2024 16:25:16 UTC')
      assert.ok(Math.abs(new Date(items[1]?.created_at ?? '').getTime() - Date.now()) < 60_000, 'created_at defaults to now')

      const badDate = await post(form({ address: 'late@example.com', created_at: 'yesterday' }))
      assert.equal(badDate.statusCode, 400)
      assert.deepEqual(badDate.json(), { message: 'form: created_at "yesterday" is not an RFC 2822 date' })
      const badAddress = await post(form({ address: 'nobody' }))
      assert.equal(badAddress.statusCode, 400, badAddress.body)

      for (const field of ['csv', 'complaints', 'upload']) {
        const named = await importCsv(org, `address\n${field}@example.com\n`, { field })
        assert.equal(named.statusCode, 202, named.body)
      }
      assert.deepEqual((await list(org)).items.map((item) => item.address), ['complaints@example.com', 'csv@example.com', 'dated@example.com', 'undated@example.com', 'upload@example.com'])
      const native = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?reason=import&domain_id=${org.domainId}` })
      assert.equal(native.json().meta.total, 5)
    })

    test('import: a bad row fails the whole file naming its line, and nothing is written', async () => {
      const org = await mgOrg()
      // 12,000 good rows (more than two write batches) before the bad one.
      const good = Array.from({ length: 12_000 }, (_, i) => `user${i}@example.com,`).join('\n')
      const cases: Array<[string, string]> = [
        [`address,created_at\n${good}\nnot-an-address,\nlast@example.com,`, 'line 12002: "not-an-address" is not a valid email address'],
        [`address,created_at\n${good}\nlate@example.com,"the day before"`, 'line 12002: created_at "the day before" is not an RFC 2822 date'],
        ['address,created_at\nok@example.com,\n,Tue, 20 Jan 2026', 'line 3: address is empty'],
        ['address,created_at\nok@example.com,"unclosed\n', 'line 2: Quote Not Closed: the parsing is finished with an opening quote at line 2'],
        ['email,when\nok@example.com,', 'line 1: the header must name the columns address,created_at'],
        ['', 'the file is empty: it must start with the header address,created_at']
      ]
      for (const [csv, message] of cases) {
        const response = await importCsv(org, csv)
        assert.equal(response.statusCode, 400, `${message}: ${response.body}`)
        assert.deepEqual(response.json(), { message })
        assert.equal(await countRows(ctx, org.id), 0, `nothing written: ${message}`)
      }
      const tallies = await ctx.store.db.selectFrom('suppression_tallies').select('total').where('org_id', '=', org.id).execute()
      assert.ok(tallies.every((row) => Number(row.total) === 0), 'the tallies were rolled back too')

      const notMultipart = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints/import`, payload: [{ address: 'x@example.com' }] })
      assert.equal(notMultipart.statusCode, 400)
      assert.deepEqual(notMultipart.json(), { message: 'Content-Type must be multipart/form-data with a CSV file part or an address field' })
      const FormData = (await import('form-data')).default
      const nothing = new FormData()
      nothing.append('note', 'no file, no address')
      const empty = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints/import`, payload: nothing.getBuffer(), headers: nothing.getHeaders() })
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(empty.json(), { message: 'send the CSV file as a multipart file part, or the form field address (and created_at)' })

      const header = 'address,created_at\n'
      const valid = await importCsv(org, header + good)
      assert.equal(valid.statusCode, 202, valid.body)
      assert.equal(await countRows(ctx, org.id), 12_000)
      assert.equal((await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?domain_id=${org.domainId}` })).json().meta.total, 12_000)
    })

    test('import: a file over 25 MB is refused with 413 and leaves nothing behind', async () => {
      const org = await mgOrg()
      const row = 'someone.with.a.long.name@example.com,\n'
      const rows = Math.ceil(26 * 1024 * 1024 / row.length)
      const big = Buffer.from('address,created_at\n' + row.repeat(rows))
      assert.ok(big.length > 26 * 1024 * 1024)
      const declared = await importCsv(org, big)
      assert.equal(declared.statusCode, 413, declared.body)
      assert.deepEqual(declared.json(), { message: 'The CSV file must be 25MB or under' })

      // Streamed without a Content-Length: the limit is found while reading, before anything commits.
      const { payload, headers } = csvUpload(Buffer.concat([Buffer.from('address,created_at\nfirst@example.com,\n'), Buffer.alloc(26 * 1024 * 1024, '\n')]))
      const chunks = Array.from({ length: Math.ceil(payload.length / 65536) }, (_, i) => payload.subarray(i * 65536, (i + 1) * 65536))
      const { 'content-length': _length, ...streamHeaders } = headers
      const streamed = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${org.domain}/complaints/import`, payload: Readable.from(chunks), headers: streamHeaders })
      assert.equal(streamed.statusCode, 413, streamed.body)
      assert.deepEqual(streamed.json(), { message: 'The CSV file must be 25MB or under' })
      assert.equal(await countRows(ctx, org.id), 0)
    })

    test('a phone number cannot be a Mailgun domain and Mailgun rows never reach sms', async () => {
      const org = await mgOrg()
      const number = await addNumber(ctx, org)
      await createComplaints(ctx, org.ownerKey, org.domain, ['sms-check@example.com'])
      const sms = await ctx.request(org.memberKey, { method: 'POST', url: '/v1/suppressions/check', payload: { channel: 'sms', from: number.number, recipients: ['+14155550123'] } })
      assert.deepEqual(sms.json().data.suppressed, [])
      const asDomain = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${encodeURIComponent(number.number)}/complaints` })
      assert.equal(asDomain.statusCode, 404)
    })
  })
}
