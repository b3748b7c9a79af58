import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'

for (const database of testDatabases()) {
  describe(`platform administration (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [
      { method: 'POST', route: '/v1/admin/orgs', scope: 'platform:admin', success: 201, prepare: async () => ({ url: '/v1/admin/orgs', payload: { name: 'Acme' } }) },
      { method: 'POST', route: '/v1/admin/orgs/{org_id}/api-keys', scope: 'platform:admin', success: 201, prepare: async (_ctx, org) => ({ url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member' } }) },
      {
        method: 'DELETE',
        route: '/v1/admin/api-keys/{id}',
        scope: 'platform:admin',
        success: 200,
        prepare: async (c, org) => {
          const key = await c.request(c.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member' } })
          return { url: `/v1/admin/api-keys/${key.json().data.id as string}` }
        }
      },
      { method: 'POST', route: '/v1/admin/orgs/{org_id}/phone-numbers', scope: 'platform:admin', success: 201, prepare: async () => ({ url: `/v1/admin/orgs/${(await ctx.createOrg()).id}/phone-numbers`, payload: { number: randomNumber() } }) },
      { method: 'POST', route: '/v1/admin/orgs/{org_id}/domains', scope: 'platform:admin', success: 201, prepare: async (_c, org) => ({ url: `/v1/admin/orgs/${org.id}/domains`, payload: { name: `${org.id.slice(-8)}-${Math.random().toString(36).slice(2, 8)}.example` } }) }
    ])

    test('an organization gets a numeric realm id and keys carry the role scopes', async () => {
      const org = await ctx.createOrg('Realm Test')
      assert.ok(Number.isInteger(org.realmId) && org.realmId > 0)
      const issued = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member', label: 'reader' } })
      assert.equal(issued.statusCode, 201)
      const key = issued.json().data
      assert.match(key.plaintext, /^am_live_[0-9A-Za-z]{32}$/)
      assert.equal(key.prefix, key.plaintext.slice(0, 12))
      assert.deepEqual(key.scopes, ['complaints:read', 'suppressions:read', 'reports:read', 'lists:read', 'org:read', 'audit:read', 'webhooks:read'])
      assert.equal(key.label, 'reader')
      const stored = await ctx.store.db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow()
      assert.ok(!stored.key_hash.toString('latin1').includes(key.plaintext), 'only a hash is stored')
      assert.equal(stored.key_hash.length, 32)
    })

    test('a revoked key fails at once and revoking twice is harmless', async () => {
      const org = await ctx.createOrg()
      const issued = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'owner' } })).json().data
      assert.equal((await ctx.request(issued.plaintext, { method: 'GET', url: '/v1/complaints' })).statusCode, 200)
      const first = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${issued.id}` })
      assert.equal(first.statusCode, 200)
      assert.ok(first.json().data.revoked_at)
      assert.equal((await ctx.request(issued.plaintext, { method: 'GET', url: '/v1/complaints' })).statusCode, 401)
      const second = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${issued.id}` })
      assert.equal(second.statusCode, 200)
      assert.equal(second.json().data.revoked_at, first.json().data.revoked_at)
      const unknown = await ctx.request(ctx.platformKey, { method: 'DELETE', url: '/v1/admin/api-keys/01900000-0000-7000-8000-000000000001' })
      assert.equal(unknown.statusCode, 404)
    })

    test('unknown organizations are 404, bad input 422, unknown fields 400', async () => {
      const missing = '01900000-0000-7000-8000-000000000001'
      for (const path of ['api-keys', 'phone-numbers', 'domains']) {
        const payload = path === 'api-keys' ? { role: 'owner' } : path === 'domains' ? { name: 'x.example' } : { number: '+14155550100' }
        const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${missing}/${path}`, payload })
        assert.equal(response.statusCode, 404, path)
        assert.equal(response.json().error.code, 'NOT_FOUND')
      }
      const badRole = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${missing}/api-keys`, payload: { role: 'god' } })
      assert.equal(badRole.statusCode, 422)
      assert.equal(badRole.json().error.details.role, 'must be one of: owner, admin, member')
      const extra = await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/admin/orgs', payload: { name: 'x', plan: 'gold' } })
      assert.equal(extra.statusCode, 400)
      assert.equal(extra.json().error.code, 'INVALID_INPUT')
      assert.equal(extra.json().error.details.plan, 'is not accepted by this route')
      const empty = await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/admin/orgs', payload: {} })
      assert.equal(empty.statusCode, 422)
      assert.equal(empty.json().error.details.name, 'is required')
    })

    test('a phone number and a domain belong to at most one organization', async () => {
      const [a, b] = [await ctx.createOrg(), await ctx.createOrg()]
      const number = randomNumber()
      const first = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${a.id}/phone-numbers`, payload: { number } })
      assert.equal(first.statusCode, 201, first.body)
      assert.equal(first.json().data.number, number)
      const again = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${b.id}/phone-numbers`, payload: { number } })
      assert.equal(again.statusCode, 409)
      assert.equal(again.json().error.code, 'CONFLICT')
      const notE164 = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${a.id}/phone-numbers`, payload: { number: '555-0100' } })
      assert.equal(notE164.statusCode, 422)
      assert.ok(notE164.json().error.details.number)

      const name = `Mail-${a.id.slice(-6)}.Example.COM`
      const domain = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${a.id}/domains`, payload: { name } })
      assert.equal(domain.statusCode, 201)
      assert.equal(domain.json().data.name, name.toLowerCase())
      const taken = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${b.id}/domains`, payload: { name: name.toLowerCase() } })
      assert.equal(taken.statusCode, 409)
      const invalid = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${a.id}/domains`, payload: { name: 'not a domain' } })
      assert.equal(invalid.statusCode, 422)
    })
  })
}

function randomNumber (): string {
  return `+1415${String(Math.floor(2_000_000 + Math.random() * 7_999_999))}`
}
