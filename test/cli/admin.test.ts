import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { randomDomain, randomNumber } from '../suppressions/fixtures.js'
import { jsonLines, runCli } from './run-cli.js'

interface Org { id: string, name: string, realm_id: number }

for (const database of testDatabases()) {
  describe(`ombuds orgs, keys, numbers, domains against a running server (${database})`, () => {
    let ctx: TestContext
    let env: Record<string, string>
    before(async () => {
      ctx = await startTestApp(database)
      env = { OMBUDS_URL: await ctx.app.listen({ port: 0, host: '127.0.0.1' }), OMBUDS_KEY: ctx.platformKey }
    })
    after(async () => { await ctx.close() })

    test('orgs create prints the id; orgs list shows a table or JSON lines', async () => {
      const name = `CLI org ${Date.now()}`
      const created = await runCli(['orgs', 'create', name], env)
      assert.equal(created.code, 0, created.stderr)
      const id = created.stdout.trim()
      assert.match(id, /^[0-9a-f-]{36}$/)
      const json = await runCli(['orgs', 'create', `${name} (json)`, '--json'], env)
      assert.equal(jsonLines<Org>(json.stdout)[0]?.name, `${name} (json)`)

      const listed = await runCli(['orgs', 'list', '--json', '--name', name], env)
      assert.equal(listed.code, 0, listed.stderr)
      assert.deepEqual(jsonLines<Org>(listed.stdout).map((org) => org.name).sort(), [name, `${name} (json)`])
      const table = await runCli(['orgs', 'list', '--name', name], env)
      const [header, ...rows] = table.stdout.trimEnd().split('\n')
      assert.match(header ?? '', /^ID +REALM_ID +NAME +CREATED_AT$/)
      assert.equal(rows.length, 2)
      assert.ok(rows.some((row) => row.startsWith(id) && row.includes(name)))
    })

    test('keys create prints a working key; keys revoke stops it; numbers and domains add print their ids', async () => {
      const org = (await runCli(['orgs', 'create', 'Keyed org'], env)).stdout.trim()
      const created = await runCli(['keys', 'create', '--org', org, '--role', 'owner', '--label', 'from the CLI'], env)
      assert.equal(created.code, 0, created.stderr)
      const key = created.stdout.trim()
      assert.match(key, /^am_live_[0-9A-Za-z]{32}$/)
      const caller = await ctx.request(key, { method: 'GET', url: '/v1/org' })
      assert.equal(caller.statusCode, 200)
      assert.equal(caller.json().data.id, org)

      const number = randomNumber()
      const numberId = await runCli(['numbers', 'add', '--org', org, number], env)
      assert.equal(numberId.code, 0, numberId.stderr)
      const domain = randomDomain()
      const domainId = await runCli(['domains', 'add', '--org', org, domain, '--json'], env)
      assert.equal(domainId.code, 0, domainId.stderr)
      const details = (await ctx.request(ctx.platformKey, { method: 'GET', url: `/v1/admin/orgs/${org}` })).json().data as { phone_numbers: Array<{ id: string, number: string }>, domains: Array<{ id: string, name: string }> }
      assert.deepEqual(details.phone_numbers.map((n) => [n.id, n.number]), [[numberId.stdout.trim(), number]])
      assert.deepEqual(details.domains.map((d) => d.name), [domain])
      assert.equal(jsonLines<{ id: string }>(domainId.stdout)[0]?.id, details.domains[0]?.id)

      const keyId = jsonLines<{ id: string, plaintext: string }>((await runCli(['keys', 'create', '--org', org, '--role', 'member', '--json'], env)).stdout)[0]
      assert.ok(keyId)
      const revoked = await runCli(['keys', 'revoke', keyId.id], env)
      assert.equal(revoked.code, 0, revoked.stderr)
      assert.equal(revoked.stdout, `Revoked ${keyId.id}\n`)
      assert.equal((await ctx.request(keyId.plaintext, { method: 'GET', url: '/v1/org' })).statusCode, 401)
    })

    test('an API error is one line with its code and request id, exit 1', async () => {
      const missing = await runCli(['keys', 'revoke', '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b'], env)
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /^ombuds: .+ \[NOT_FOUND, HTTP 404, request [\w-]+\]\n$/)
      const invalid = await runCli(['numbers', 'add', '--org', '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b', 'not a number'], env)
      assert.equal(invalid.code, 1)
      assert.match(invalid.stderr, /^ombuds: .+\[(VALIDATION_FAILED|NOT_FOUND), HTTP 4\d\d, request [\w-]+\]\n$/)
      const forbidden = await runCli(['orgs', 'list'], { ...env, OMBUDS_KEY: (await ctx.createOrg()).ownerKey })
      assert.equal(forbidden.code, 1)
      assert.match(forbidden.stderr, /^ombuds: .+ \[FORBIDDEN, HTTP 403, request [\w-]+\]\n$/)
    })
  })
}
