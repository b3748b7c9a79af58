import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { fileComplaint } from '../complaints/fixtures.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { addDomain, addNumber, addSuppressions, randomDomain } from '../suppressions/fixtures.js'

for (const database of testDatabases()) {
  describe(`reading what was administered (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    runAuthMatrix(() => ctx, [
      { method: 'GET', route: '/v1/admin/orgs', scope: 'platform:admin', success: 200, prepare: async () => ({ url: '/v1/admin/orgs' }) },
      { method: 'GET', route: '/v1/admin/orgs/{org_id}', scope: 'platform:admin', success: 200, prepare: async (_c, org) => ({ url: `/v1/admin/orgs/${org.id}` }) },
      { method: 'GET', route: '/v1/admin/orgs/{org_id}/api-keys', scope: 'platform:admin', success: 200, prepare: async (_c, org) => ({ url: `/v1/admin/orgs/${org.id}/api-keys` }) },
      { method: 'GET', route: '/v1/admin/orgs/{org_id}/phone-numbers', scope: 'platform:admin', success: 200, prepare: async (_c, org) => ({ url: `/v1/admin/orgs/${org.id}/phone-numbers` }) },
      { method: 'GET', route: '/v1/admin/orgs/{org_id}/domains', scope: 'platform:admin', success: 200, prepare: async (_c, org) => ({ url: `/v1/admin/orgs/${org.id}/domains` }) },
      {
        method: 'DELETE',
        route: '/v1/admin/orgs/{org_id}/phone-numbers/{id}',
        scope: 'platform:admin',
        success: 200,
        prepare: async (c, org) => ({ url: `/v1/admin/orgs/${org.id}/phone-numbers/${(await addNumber(c, org)).id}` })
      },
      {
        method: 'DELETE',
        route: '/v1/admin/orgs/{org_id}/domains/{id}',
        scope: 'platform:admin',
        success: 200,
        prepare: async (c, org) => ({ url: `/v1/admin/orgs/${org.id}/domains/${(await addDomain(c, org)).id}` })
      },
      { method: 'GET', route: '/v1/org', scope: 'org:read', success: 200, prepare: async () => ({ url: '/v1/org' }) }
    ])

    test('GET /v1/org: the caller\'s organization, its numbers and domains, and the key\'s prefix, role and scopes', async () => {
      const org = await ctx.createOrg()
      const phone = await addNumber(ctx, org)
      const domain = await addDomain(ctx, org)
      const owner = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/org' })
      assert.equal(owner.statusCode, 200, owner.body)
      const data = owner.json().data
      assert.deepEqual(Object.keys(data).sort(), ['created_at', 'domains', 'id', 'key', 'name', 'phone_numbers', 'realm_id'])
      assert.equal(data.id, org.id)
      assert.equal(data.name, org.name)
      assert.equal(data.realm_id, org.realmId)
      assert.deepEqual(data.phone_numbers.map((item: { id: string, number: string }) => [item.id, item.number]), [[phone.id, phone.number]])
      assert.deepEqual(data.domains.map((item: { id: string }) => item.id), [domain.id])
      assert.deepEqual(data.key, { prefix: org.ownerKey.slice(0, 12), role: 'owner', scopes: data.key.scopes })
      assert.ok(data.key.scopes.includes('webhooks:write'))
      const member = (await ctx.request(org.memberKey, { method: 'GET', url: '/v1/org' })).json().data
      assert.equal(member.key.role, 'member')
      assert.ok(member.key.scopes.includes('webhooks:read') && !member.key.scopes.includes('webhooks:write'))
    })

    test('organizations: cursor pages newest first, name prefix in any case, details with numbers and domains', async () => {
      const tag = `Reads${Date.now().toString(36)}`
      const created = []
      for (let i = 0; i < 5; i++) created.push(await ctx.createOrg(`${tag} ${i}`))
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const query: string = `name=${tag.toLowerCase()}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
        const page = await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs?${query}` })
        assert.equal(page.statusCode, 200, page.body)
        assert.equal(page.json().meta.total, 5)
        seen.push(...page.json().data.map((item: { id: string }) => item.id))
        cursor = page.json().meta.next_cursor
      } while (cursor !== null)
      assert.deepEqual(seen, created.map((org) => org.id).reverse())
      const details = await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs/${created[0]?.id ?? ''}` })
      assert.equal(details.json().data.name, `${tag} 0`)
      assert.deepEqual(details.json().data.phone_numbers, [])
      const missing = await ctx.request(ctx.platformKey, { method: 'GET', url: '/v1/admin/orgs/01900000-0000-7000-8000-000000000001' })
      assert.equal(missing.statusCode, 404)
    })

    test('an organization\'s keys: prefix, role, label, last use and revocation, never the secret', async () => {
      const org = await ctx.createOrg()
      assert.equal((await ctx.request(org.memberKey, { method: 'GET', url: '/v1/complaints' })).statusCode, 200)
      const revoked = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'admin' } })).json().data
      await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${revoked.id as string}` })
      const response = await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs/${org.id}/api-keys` })
      assert.equal(response.statusCode, 200)
      const keys = response.json().data as Array<Record<string, unknown>>
      assert.equal(keys.length, 4)
      assert.equal(response.json().meta.total, 4)
      assert.ok(!response.body.includes(org.ownerKey) && !response.body.includes('plaintext') && !response.body.includes('hash'))
      assert.deepEqual(keys.map((key) => key.role), ['admin', 'member', 'admin', 'owner'])
      assert.ok(keys[0]?.revoked_at !== null && keys[1]?.revoked_at === null)
      const member = keys.find((key) => key.prefix === org.memberKey.slice(0, 12))
      assert.equal(member?.label, 'member key')
      assert.ok(typeof member?.last_used_at === 'string', 'the member key was used')
    })

    test('numbers and domains: listed, deleted when unreferenced, 409 while complaints or suppressions name them, 404 for another organization\'s', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const [used, spare] = [await addNumber(ctx, org), await addNumber(ctx, org)]
      const [suppressed, unused] = [await addDomain(ctx, org, randomDomain()), await addDomain(ctx, org, randomDomain())]
      await fileComplaint(ctx, org, { phone_number_id: used.id })
      await addSuppressions(ctx, org, [{ channel: 'email', address: 'a@example.com', domain_id: suppressed.id }])

      const phones = await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs/${org.id}/phone-numbers` })
      assert.deepEqual(phones.json().data.map((item: { id: string }) => item.id), [used.id, spare.id])
      const refused = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${org.id}/phone-numbers/${used.id}` })
      assert.equal(refused.statusCode, 409, refused.body)
      assert.match(refused.json().error.message, /complaints/)
      const refusedDomain = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${org.id}/domains/${suppressed.id}` })
      assert.equal(refusedDomain.statusCode, 409)
      assert.match(refusedDomain.json().error.message, /suppressions/)
      const foreign = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${other.id}/phone-numbers/${spare.id}` })
      assert.equal(foreign.statusCode, 404)

      const deleted = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${org.id}/phone-numbers/${spare.id}` })
      assert.equal(deleted.statusCode, 200, deleted.body)
      assert.equal(deleted.json().data.id, spare.id)
      assert.equal((await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${org.id}/domains/${unused.id}` })).statusCode, 200)
      const domains = await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs/${org.id}/domains` })
      assert.deepEqual(domains.json().data.map((item: { id: string }) => item.id), [suppressed.id])
      // The number is free again: another organization may register it.
      const again = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${other.id}/phone-numbers`, payload: { number: spare.number } })
      assert.equal(again.statusCode, 201)
    })
  })
}
