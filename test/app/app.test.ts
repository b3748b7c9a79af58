import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { sql } from 'kysely'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'

/** Every route of the contract (Fastify path syntax), and the HTTP statuses each must document. */
const CONTRACT_ROUTES: Array<[string, string]> = [
  ['POST', '/v1/admin/orgs'],
  ['POST', '/v1/admin/orgs/{org_id}/api-keys'],
  ['DELETE', '/v1/admin/api-keys/{id}'],
  ['POST', '/v1/admin/orgs/{org_id}/phone-numbers'],
  ['POST', '/v1/admin/orgs/{org_id}/domains'],
  ['GET', '/v1/complaints'],
  ['GET', '/v1/complaints/counts'],
  ['GET', '/v1/complaints/{id}'],
  ['PATCH', '/v1/complaints/{id}'],
  ['GET', '/v1/complaints/{id}/events'],
  ['POST', '/v1/complaints'],
  ['POST', '/v1/intake/inbound-messages'],
  ['POST', '/v1/intake/carrier-reports'],
  ['POST', '/v1/intake/feedback-reports'],
  ['GET', '/v1/suppressions'],
  ['POST', '/v1/suppressions'],
  ['DELETE', '/v1/suppressions/{id}'],
  ['POST', '/v1/suppressions/check'],
  ['POST', '/v1/lists'],
  ['GET', '/v1/lists'],
  ['GET', '/v1/lists/{id}'],
  ['POST', '/v1/lists/{id}/contacts'],
  ['POST', '/v1/campaigns'],
  ['PATCH', '/v1/campaigns/{id}'],
  ['GET', '/v1/campaigns'],
  ['GET', '/v1/campaigns/{id}'],
  ['GET', '/v1/reports/complaint-rates'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/metrics']
]

for (const database of testDatabases()) {
  describe(`the app (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    test('the OpenAPI document is valid 3.1 and lists every contract route with its error statuses', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
      assert.equal(response.statusCode, 200)
      const document = response.json()
      assert.equal(document.openapi, '3.1.0')
      const validator = new Validator()
      const result = await validator.validate(document)
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000))
      for (const [method, path] of CONTRACT_ROUTES) {
        const operation = document.paths?.[path]?.[method.toLowerCase()]
        assert.ok(operation, `${method} ${path} is documented`)
        const statuses = Object.keys(operation.responses as object)
        assert.ok(statuses.some((status) => status.startsWith('2')), `${method} ${path} documents its success`)
        if (path.startsWith('/v1/')) {
          for (const status of ['401', '403', '429', '500', '503']) assert.ok(statuses.includes(status), `${method} ${path} documents ${status}`)
        }
        if (path.includes('{') && path.startsWith('/v1/')) assert.ok(statuses.includes('404'), `${method} ${path} documents 404`)
      }
      const docs = await ctx.app.inject({ method: 'GET', url: '/docs/' })
      assert.equal(docs.statusCode, 200)
      assert.match(docs.headers['content-type'] as string, /text\/html/)
    })

    test('every response carries a ULID X-Request-Id; unknown routes are enveloped 404s', async () => {
      const health = await ctx.app.inject({ method: 'GET', url: '/healthz' })
      assert.equal(health.statusCode, 200)
      assert.deepEqual(health.json(), { status: 'ok' })
      assert.match(health.headers['x-request-id'] as string, /^[0-9A-HJKMNP-TV-Z]{26}$/)
      const missing = await ctx.app.inject({ method: 'GET', url: '/v1/nothing-here' })
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json().error.code, 'NOT_FOUND')
      assert.equal(missing.json().error.request_id, missing.headers['x-request-id'])
      assert.notEqual(health.headers['x-request-id'], missing.headers['x-request-id'])
      const forged = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'mine' } })
      assert.notEqual(forged.headers['x-request-id'], 'mine')
    })

    test('readyz and metrics (only with OMBUDS_METRICS_TOKEN, only for its bearer)', async () => {
      assert.deepEqual((await ctx.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' })
      assert.equal((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'no token configured: not served')
      const token = 'metrics-token-0123456789'
      const withToken = await startTestApp(database, { metricsToken: token })
      try {
        await withToken.app.inject({ method: 'GET', url: '/v1/complaints' })
        for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`]) {
          const refused = await withToken.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } })
          assert.equal(refused.statusCode, 401, String(authorization))
          assert.equal(refused.json().error.code, 'UNAUTHORIZED')
        }
        const metrics = await withToken.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })
        assert.equal(metrics.statusCode, 200)
        assert.match(metrics.headers['content-type'] as string, /text\/plain/)
        assert.match(metrics.body, /ombuds_http_requests_total\{method="GET",route="\/v1\/complaints",status="401"\} 1/)
        assert.match(metrics.body, /ombuds_http_request_duration_seconds_bucket/)
      } finally {
        await withToken.close()
      }
    })
  })

  describe(`failures (${database})`, () => {
    test('an unexpected error is a generic 500 that leaks nothing', async () => {
      const ctx = await startTestApp(database)
      try {
        const org = await ctx.createOrg()
        // Force a real failure: the counts query's table is gone.
        await sql`DROP TABLE complaint_tallies`.execute(ctx.store.db)
        const response = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/complaints/counts' })
        assert.equal(response.statusCode, 500)
        assert.deepEqual(Object.keys(response.json().error).sort(), ['code', 'message', 'request_id'])
        assert.equal(response.json().error.code, 'INTERNAL')
        assert.equal(response.json().error.message, 'internal error')
        assert.doesNotMatch(response.body, /complaint_tallies|relation|stack|at /)
      } finally {
        await ctx.close()
      }
    })

    test('an unreachable store is 503 with Retry-After, and readyz says so', async () => {
      const ctx = await startTestApp(database)
      const org = await ctx.createOrg()
      await ctx.store.close()
      try {
        for (const [url, key] of [['/v1/complaints/counts', org.ownerKey], ['/readyz', null]] as const) {
          const response = await ctx.request(key, { method: 'GET', url })
          assert.equal(response.statusCode, 503, `${url}: ${response.body}`)
          assert.equal(response.json().error.code, 'SERVICE_UNAVAILABLE')
          assert.ok(Number(response.headers['retry-after']) > 0)
        }
      } finally {
        await ctx.app.close()
      }
    })

    test('the rate limit answers 429 RATE_LIMITED with Retry-After', async () => {
      const ctx = await startTestApp(database, { rateLimitPerMinute: 5 })
      try {
        const org = await ctx.createOrg()
        const statuses = []
        for (let i = 0; i < 6; i++) statuses.push((await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints/counts' })))
        assert.deepEqual(statuses.map((response) => response.statusCode), [200, 200, 200, 200, 200, 429])
        const limited = statuses[5]
        assert.equal(limited?.json().error.code, 'RATE_LIMITED')
        assert.ok(Number(limited?.headers['retry-after']) > 0)
      } finally {
        await ctx.close()
      }
    })
  })
}
