import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { issueApiKey } from '../../src/modules/api-keys/api-keys.service.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases, unknownKey } from '../helper.js'
import { basic, csvUpload, mg } from '../mailgun/fixtures.js'
import { addDomain, addNumber } from '../suppressions/fixtures.js'

for (const database of testDatabases()) {
  describe(`hardening (${database})`, () => {
    let ctx: TestContext
    let org: TestOrg
    let domain: string
    let number: string
    before(async () => {
      ctx = await startTestApp(database)
      org = await ctx.createOrg()
      domain = (await addDomain(ctx, org)).name
      number = (await addNumber(ctx, org)).number
    })
    after(async () => { await ctx.close() })

    test('a NUL character in any string is 422 naming the field, on every route and API, and nothing is written', async () => {
      const cases: Array<{ url: string, method: 'POST' | 'GET' | 'PATCH', payload?: unknown, field: string, key?: string }> = [
        { method: 'POST', url: '/v1/intake/inbound-messages', payload: { id: crypto.randomUUID(), from: '+14155550199', to: number, body: 'STOP\u0000' }, field: 'body.body', key: ctx.platformKey },
        { method: 'POST', url: '/v1/admin/orgs', payload: { name: 'Acme\u0000' }, field: 'body.name', key: ctx.platformKey },
        { method: 'POST', url: '/v1/suppressions', payload: { suppressions: [{ channel: 'email', address: 'a\u0000@example.com' }] }, field: 'body.suppressions[0].address' },
        // Deep in a long list, after hundreds of strings that pass: the index named is that string's.
        { method: 'POST', url: '/v1/suppressions/check', payload: { channel: 'sms', from: number, recipients: Array.from({ length: 1000 }, (_, i) => i === 737 ? '+1415555\u00000737' : `+1415555${String(i).padStart(4, '0')}`) }, field: 'body.recipients[737]' },
        { method: 'POST', url: '/v1/lists', payload: { name: 'News', external_id: 'x\u0000' }, field: 'body.external_id' },
        { method: 'GET', url: '/v1/suppressions?address=a%00b%40example.com', field: 'query.address' },
        { method: 'GET', url: '/v1/complaints/%00', field: 'path.id' },
        { method: 'POST', url: '/v1/complaints', payload: { channel: 'sms', category: 'spam', reporter_number: '+14155550100', notes: 'n\u0000' }, field: 'body.notes', key: ctx.platformKey }
      ]
      for (const item of cases) {
        const response = await ctx.request(item.key ?? org.ownerKey, {
          method: item.method, url: item.url, ...(item.payload !== undefined ? { payload: item.payload as object } : {})
        })
        assert.equal(response.statusCode, 422, `${item.url}: ${response.body}`)
        const body = response.json()
        assert.equal(body.error.code, 'VALIDATION_FAILED')
        assert.equal(body.error.details[item.field.replace(/^(body|query|path)\./, '')] ?? body.error.details[item.field], 'must not contain NUL characters', `${item.url}: ${response.body}`)
      }
      const suppressions = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/suppressions' })
      assert.equal(suppressions.json().meta.total, 0, 'nothing was written')

      // The dialects answer in their own shape: Mailgun's validation errors are 400 {message} naming the field.
      const mailgunJson = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints`, payload: [{ address: 'bob\u0000@example.com' }] })
      assert.equal(mailgunJson.statusCode, 400, mailgunJson.body)
      assert.match(mailgunJson.json().message, /\[0\]\.address: must not contain NUL/)
      const mailgunPath = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${domain}/complaints/bob%00%40example.com` })
      assert.equal(mailgunPath.statusCode, 400, mailgunPath.body)
      assert.match(mailgunPath.json().message, /address: must not contain NUL/)
      const mailgunForm = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints`, payload: 'address=bob%00%40example.com', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(mailgunForm.statusCode, 400, mailgunForm.body)
      const csv = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints/import`, ...csvUpload('address,created_at\nbob\u0000@example.com,\n') })
      assert.equal(csv.statusCode, 400, csv.body)
      assert.match(csv.json().message, /line 2/)
      const whatcounts = await ctx.app.inject({ method: 'GET', url: '/rest/lists/%00/complaints', headers: { authorization: basic(org.ownerKey, 'realm') } })
      assert.equal(whatcounts.statusCode, 422, whatcounts.body)
    })

    test('numbers must be finite: Infinity and 1e400 are 422, never 500', async () => {
      for (const url of ['/v1/complaints?limit=Infinity', '/v1/complaints?limit=1e400', '/v1/suppressions?limit=-Infinity']) {
        const response = await ctx.request(org.ownerKey, { method: 'GET', url })
        assert.equal(response.statusCode, 422, `${url}: ${response.body}`)
      }
      const campaign = await ctx.request(org.ownerKey, {
        method: 'POST', url: '/v1/campaigns', payload: '{"name":"x","channel":"sms","sent_count":1e400}', headers: { 'content-type': 'application/json' }
      })
      assert.equal(campaign.statusCode, 422, campaign.body)
      assert.equal(campaign.json().error.details.sent_count, 'must be a finite number')
    })

    test('multipart without a boundary is 400', async () => {
      const response = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints/import`, payload: 'whatever', headers: { 'content-type': 'multipart/form-data' } })
      assert.equal(response.statusCode, 400, response.body)
      const form = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints`, payload: 'whatever', headers: { 'content-type': 'multipart/form-data' } })
      assert.equal(form.statusCode, 400, form.body)
    })

    test('framework errors are in the envelope of the API the path belongs to, without echoing the input', async () => {
      const native = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints/%zzsecret' })
      assert.equal(native.statusCode, 400)
      assert.equal(native.json().error.code, 'INVALID_INPUT')
      assert.equal(native.json().error.request_id, native.headers['x-request-id'])
      assert.doesNotMatch(native.body, /secret/)
      const mailgun = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${domain}/complaints/%zzsecret` })
      assert.equal(mailgun.statusCode, 400)
      assert.deepEqual(Object.keys(mailgun.json()), ['message'])
      assert.doesNotMatch(mailgun.body, /secret/)
      const whatcounts = await ctx.app.inject({ method: 'GET', url: '/rest/lists/%zzsecret/complaints' })
      assert.equal(whatcounts.json().statusCode, 400)

      const tooLong = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${'a'.repeat(1100)}` })
      assert.equal(tooLong.statusCode, 414)
      assert.equal(tooLong.json().error.code, 'INVALID_INPUT')
      assert.doesNotMatch(tooLong.body, /aaaa/)
      const unknownRoute = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/nothing-here?address=jane@example.net' })
      assert.equal(unknownRoute.statusCode, 404)
      assert.equal(unknownRoute.json().error.code, 'NOT_FOUND')
      assert.doesNotMatch(unknownRoute.body, /jane/)
    })

    test('a known path with another method is 405 with Allow, in each API\'s shape', async () => {
      const native = await ctx.request(org.ownerKey, { method: 'PUT', url: '/v1/complaints?status=new' })
      assert.equal(native.statusCode, 405, native.body)
      assert.equal(native.json().error.code, 'METHOD_NOT_ALLOWED')
      assert.equal(native.json().error.request_id, native.headers['x-request-id'])
      assert.deepEqual(String(native.headers.allow).split(', ').sort(), ['GET', 'HEAD', 'POST'])
      const withParameter = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/suppressions/0193abc' })
      assert.equal(withParameter.statusCode, 405, withParameter.body)
      assert.match(String(withParameter.headers.allow), /DELETE/)

      const mailgun = await mg(ctx, org.ownerKey, { method: 'PATCH', url: `/v3/${domain}/complaints` })
      assert.equal(mailgun.statusCode, 405, mailgun.body)
      assert.deepEqual(Object.keys(mailgun.json()), ['message'])
      assert.match(String(mailgun.headers.allow), /GET/)
      const mailgunUnknown = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${domain}/bounces` })
      assert.equal(mailgunUnknown.statusCode, 404)
      assert.deepEqual(mailgunUnknown.json(), { message: 'Not Found' })

      const whatcounts = await ctx.app.inject({ method: 'DELETE', url: '/rest/lists/1/complaints', headers: { authorization: basic(org.ownerKey, 'realm') } })
      assert.equal(whatcounts.statusCode, 405, whatcounts.body)
      assert.equal(whatcounts.json().statusCode, 405)
    })

    test('the longest valid address (254 characters, percent-encoded) can be added, read and deleted through Mailgun\'s routes', async () => {
      const address = `${'l'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(57)}.com`
      assert.equal(address.length, 254)
      const added = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain}/complaints`, payload: [{ address }] })
      assert.equal(added.statusCode, 200, added.body)
      const encoded = [...address].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')
      assert.equal(encoded.length, 762)
      const read = await mg(ctx, org.ownerKey, { method: 'GET', url: `/v3/${domain}/complaints/${encoded}` })
      assert.equal(read.statusCode, 200, read.body)
      assert.equal(read.json().address, address)
      const removed = await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${domain}/complaints/${encoded}` })
      assert.equal(removed.statusCode, 200, removed.body)
    })

    test('security headers on every answer; no-store on API answers; CORS off unless origins are configured', async () => {
      for (const url of ['/v1/complaints', '/healthz', '/docs/', `/v3/${domain}/complaints`, '/nothing']) {
        const response = await ctx.request(org.ownerKey, { method: 'GET', url, headers: { origin: 'https://evil.example' } })
        assert.equal(response.headers['x-content-type-options'], 'nosniff', url)
        assert.ok(response.headers['content-security-policy'], url)
        assert.equal(response.headers['access-control-allow-origin'], undefined, url)
        if (!url.startsWith('/docs')) assert.equal(response.headers['cache-control'], 'no-store', url)
      }
      const issued = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member', label: 'x' } })
      assert.equal(issued.statusCode, 201)
      assert.equal(issued.headers['cache-control'], 'no-store', 'the answer that shows a new key')

      const withCors = await startTestApp(database, { corsOrigins: ['https://console.example'] })
      try {
        const allowed = await withCors.app.inject({ method: 'OPTIONS', url: '/v1/complaints', headers: { origin: 'https://console.example', 'access-control-request-method': 'GET' } })
        assert.equal(allowed.headers['access-control-allow-origin'], 'https://console.example')
        const refused = await withCors.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } })
        assert.equal(refused.headers['access-control-allow-origin'], undefined)
      } finally {
        await withCors.close()
      }
    })

    test('failed authentications are limited per client address (429 with Retry-After) on every API; a good key keeps working', async () => {
      const limited = await startTestApp(database, { authFailuresPerMinute: 5 })
      try {
        const owner = await limited.createOrg()
        const ownDomain = (await addDomain(limited, owner)).name
        await limited.request(owner.ownerKey, { method: 'GET', url: '/v1/complaints' })
        const statuses: number[] = []
        for (let i = 0; i < 5; i++) statuses.push((await limited.request(unknownKey(), { method: 'GET', url: '/v1/complaints' })).statusCode)
        assert.deepEqual(statuses, [401, 401, 401, 401, 401])
        const blocked = await limited.request(unknownKey(), { method: 'GET', url: '/v1/complaints' })
        assert.equal(blocked.statusCode, 429, blocked.body)
        assert.equal(blocked.json().error.code, 'RATE_LIMITED')
        assert.ok(Number(blocked.headers['retry-after']) >= 1)
        const mailgun = await limited.app.inject({ method: 'GET', url: `/v3/${ownDomain}/complaints`, headers: { authorization: basic(unknownKey()) } })
        assert.equal(mailgun.statusCode, 429)
        assert.ok(mailgun.headers['retry-after'])
        const whatcounts = await limited.app.inject({ method: 'GET', url: '/rest/lists/1/complaints', headers: { authorization: basic(unknownKey(), 'realm') } })
        assert.equal(whatcounts.statusCode, 429)
        const other = await limited.app.inject({ method: 'GET', url: '/v1/complaints', headers: { authorization: `Bearer ${unknownKey()}` }, remoteAddress: '10.0.0.9' })
        assert.equal(other.statusCode, 401, 'another address is not limited')
        const good = await limited.request(owner.ownerKey, { method: 'GET', url: '/v1/complaints' })
        assert.equal(good.statusCode, 200, 'a key resolved a moment ago still works from the limited address')
      } finally {
        await limited.close()
      }
    })

    test('waiting for a pool connection is bounded: 503 with Retry-After', { skip: database !== 'postgres' ? 'PGlite has no pool' : false }, async () => {
      // Hold every connection of the test pool (5) until the request has been answered.
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => { release = resolve })
      const holders = Array.from({ length: 5 }, async () => await ctx.store.db.connection().execute(async () => { await held }))
      try {
        await new Promise((resolve) => setTimeout(resolve, 200))
        const started = Date.now()
        const response = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/suppressions' })
        assert.equal(response.statusCode, 503, response.body)
        assert.equal(response.json().error.code, 'SERVICE_UNAVAILABLE')
        assert.ok(Number(response.headers['retry-after']) >= 1)
        assert.ok(Date.now() - started < 15_000)
      } finally {
        release()
        await Promise.all(holders)
      }
    })

    test('an unknown key is remembered: it stays refused without a lookup even once a key with that secret exists', async () => {
      const secret = unknownKey()
      assert.equal((await ctx.request(secret, { method: 'GET', url: '/v1/complaints' })).statusCode, 401)
      // Only a database lookup could see this key: the cached answer is still "unknown".
      await issueApiKey(ctx.store.db, org.id, { role: 'owner', label: 'late', secret })
      assert.equal((await ctx.request(secret, { method: 'GET', url: '/v1/complaints' })).statusCode, 401)
    })
  })
}
