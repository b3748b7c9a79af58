import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { createOmbudsClient, OmbudsError } from '@ombuds/client'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { addDomain, randomNumber } from '../suppressions/fixtures.js'

/** An answer the proxy gives instead of forwarding (a forced failure). */
interface Forced { status: number, headers?: Record<string, string> }

/**
 * A proxy in front of the real server that answers the queued forced failures first, then
 * forwards every request; it records when each request arrived.
 */
async function failingProxy (target: string): Promise<{ url: string, force: (...answers: Forced[]) => void, arrivals: number[], close: () => Promise<void> }> {
  const queue: Forced[] = []
  const arrivals: number[] = []
  const server: Server = createServer((request, response) => {
    arrivals.push(Date.now())
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const forced = queue.shift()
      if (forced !== undefined) {
        response.writeHead(forced.status, { 'content-type': 'application/json', ...forced.headers })
        response.end(JSON.stringify({ success: false, error: { code: forced.status === 429 ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE', message: 'forced', request_id: 'FORCED' } }))
        return
      }
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>
      fetch(`${target}${request.url ?? ''}`, { method: request.method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) })
        .then(async (answer) => {
          response.writeHead(answer.status, Object.fromEntries(answer.headers))
          response.end(Buffer.from(await answer.arrayBuffer()))
        }, (error: unknown) => { response.destroy(error as Error) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    force: (...answers) => { queue.push(...answers) },
    arrivals,
    close: async () => { await new Promise((resolve) => server.close(resolve)) }
  }
}

for (const database of testDatabases()) {
  describe(`@ombuds/client against a running server (${database})`, () => {
    let ctx: TestContext
    let baseUrl: string
    let org: TestOrg
    before(async () => {
      ctx = await startTestApp(database)
      baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
      org = await ctx.createOrg()
    })
    after(async () => { await ctx.close() })

    test('typed calls: platform administration and a complaint read back', async () => {
      const platform = createOmbudsClient({ baseUrl, apiKey: ctx.platformKey })
      const created = await platform.POST('/v1/admin/orgs', { body: { name: 'Client Co' } })
      assert.equal(created.response.status, 201)
      assert.equal(created.data.data.name, 'Client Co')
      const key = await platform.POST('/v1/admin/orgs/{org_id}/api-keys', { params: { path: { org_id: created.data.data.id } }, body: { role: 'owner' } })
      assert.match(key.data.data.plaintext, /^am_live_\w{32}$/)
      const number = await platform.POST('/v1/admin/orgs/{org_id}/phone-numbers', { params: { path: { org_id: created.data.data.id } }, body: { number: randomNumber() } })
      const filed = await platform.POST('/v1/complaints', {
        body: { org_id: created.data.data.id, category: 'other', channel: 'sms', reporter_number: '+14155550123', phone_number_id: number.data.data.id }
      })
      const owner = createOmbudsClient({ baseUrl: `${baseUrl}/`, apiKey: key.data.data.plaintext })
      const read = await owner.GET('/v1/complaints/{id}', { params: { path: { id: filed.data.data.id } } })
      assert.equal(read.data.data.source, 'staff')
      const triaged = await owner.PATCH('/v1/complaints/{id}', { params: { path: { id: filed.data.data.id } }, body: { status: 'triage' } })
      assert.equal(triaged.data.data.status, 'triage')
    })

    test('errors are thrown as OmbudsError with code, status, request id and details', async () => {
      const client = createOmbudsClient({ baseUrl, apiKey: org.ownerKey })
      const missing = await client.GET('/v1/complaints/{id}', { params: { path: { id: '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b' } } }).then(() => null, (error: unknown) => error)
      assert.ok(missing instanceof OmbudsError)
      assert.equal(missing.code, 'NOT_FOUND')
      assert.equal(missing.status, 404)
      assert.match(missing.requestId ?? '', /^[0-9A-HJKMNP-TV-Z]{26}$/)
      const invalid = await client.POST('/v1/suppressions', { body: { suppressions: [{ channel: 'email', address: 'not an address' }] } }).then(() => null, (error: unknown) => error)
      assert.ok(invalid instanceof OmbudsError)
      assert.equal(invalid.code, 'VALIDATION_FAILED')
      assert.equal(invalid.status, 422)
      assert.ok(invalid.details?.['suppressions[0].address'], JSON.stringify(invalid.details))
      const anonymous = await createOmbudsClient({ baseUrl }).GET('/v1/complaints').then(() => null, (error: unknown) => error)
      assert.ok(anonymous instanceof OmbudsError && anonymous.code === 'UNAUTHORIZED' && anonymous.status === 401)
      // A dialect's own error shape still becomes an OmbudsError, with the request id from the header.
      const mailgun = await client.GET('/v3/{domain}/complaints', { params: { path: { domain: 'unknown.example' } } }).then(() => null, (error: unknown) => error)
      assert.ok(mailgun instanceof OmbudsError)
      assert.equal(mailgun.status, 401)
      assert.equal(mailgun.code, 'UNAUTHORIZED')
      assert.match(mailgun.requestId ?? '', /^[0-9A-HJKMNP-TV-Z]{26}$/)
    })

    test('paginate walks every page of a cursor list, with filters and path parameters', async () => {
      const client = createOmbudsClient({ baseUrl, apiKey: org.ownerKey })
      const domain = await addDomain(ctx, org)
      const addresses = Array.from({ length: 230 }, (_, i) => `user${i}@${domain.name}`)
      await client.POST('/v1/suppressions', { body: { suppressions: addresses.map((address) => ({ channel: 'email' as const, address, domain_id: domain.id })) } })
      await client.POST('/v1/suppressions', { body: { suppressions: [{ channel: 'sms', address: '+14155550199' }] } })
      const seen: string[] = []
      for await (const suppression of client.paginate('listSuppressions', { channel: 'email', domain_id: domain.id, limit: 40 })) seen.push(suppression.address)
      assert.equal(seen.length, 230)
      assert.deepEqual([...seen].sort(), [...addresses].sort())
      assert.equal(new Set(seen).size, 230)

      const list = await client.POST('/v1/lists', { body: { name: 'Paged' } })
      await client.POST('/v1/lists/{id}/contacts', { params: { path: { id: list.data.data.id } }, body: { contacts: addresses.slice(0, 3).map((email) => ({ email })) } })
      const contacts = []
      for await (const contact of client.paginate('listContacts', {}, { id: list.data.data.id })) contacts.push(contact.email)
      assert.equal(contacts.length, 3)
      const empty = []
      for await (const complaint of client.paginate('listComplaints', { status: 'resolved' })) empty.push(complaint)
      assert.deepEqual(empty, [])
    })

    test('429 and 503 are retried, honouring Retry-After; a POST is sent again whole', async () => {
      const proxy = await failingProxy(baseUrl)
      try {
        const client = createOmbudsClient({ baseUrl: proxy.url, apiKey: org.ownerKey, retryBaseDelayMs: 50 })
        proxy.force({ status: 503, headers: { 'retry-after': '1' } }, { status: 429 })
        const started = Date.now()
        const added = await client.POST('/v1/suppressions', { body: { suppressions: [{ channel: 'sms', address: '+14155550177' }] } })
        assert.equal(added.data.data[0]?.address, '+14155550177')
        assert.equal(proxy.arrivals.length, 3)
        assert.ok((proxy.arrivals[1] ?? 0) - started >= 950, 'waited the Retry-After second')

        // Past the retries, or asked to wait longer than allowed, the error is thrown.
        proxy.force({ status: 429 }, { status: 429 })
        const exhausted = await createOmbudsClient({ baseUrl: proxy.url, apiKey: org.ownerKey, retries: 1, retryBaseDelayMs: 10 })
          .GET('/v1/complaints').then(() => null, (error: unknown) => error)
        assert.ok(exhausted instanceof OmbudsError && exhausted.code === 'RATE_LIMITED' && exhausted.status === 429)
        proxy.force({ status: 503, headers: { 'retry-after': '120' } })
        const before = proxy.arrivals.length
        const tooLong = await client.GET('/v1/complaints').then(() => null, (error: unknown) => error)
        assert.ok(tooLong instanceof OmbudsError && tooLong.code === 'SERVICE_UNAVAILABLE')
        assert.equal(proxy.arrivals.length, before + 1)
      } finally {
        await proxy.close()
      }
    })
  })
}
