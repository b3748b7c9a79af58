import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { connect, deliver, sendGridKeys, telnyxKeys } from './provider-helpers.js'

const TWILIO = { auth_token: 'twilio-auth-token-0123456789abcdef' }

for (const database of testDatabases()) {
  describe(`provider connections (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const base = (orgId: string) => `/v1/admin/orgs/${orgId}/provider-connections`

    runAuthMatrix(() => ctx, [
      {
        method: 'POST', route: '/v1/admin/orgs/{org_id}/provider-connections', scope: 'platform:admin', success: 201,
        prepare: async (_c, org) => ({ url: base(org.id), payload: { provider: 'twilio', label: 'Twilio', credentials: TWILIO } })
      },
      {
        method: 'GET', route: '/v1/admin/orgs/{org_id}/provider-connections', scope: 'platform:admin', success: 200,
        prepare: async (_c, org) => ({ url: base(org.id) })
      },
      {
        method: 'GET', route: '/v1/admin/orgs/{org_id}/provider-connections/{id}', scope: 'platform:admin', success: 200,
        prepare: async (c, org) => ({ url: `${base(org.id)}/${(await connect(c, org, 'twilio', TWILIO)).id}` })
      },
      {
        method: 'POST', route: '/v1/admin/orgs/{org_id}/provider-connections/{id}/rotate', scope: 'platform:admin', success: 200,
        prepare: async (c, org) => ({ url: `${base(org.id)}/${(await connect(c, org, 'twilio', TWILIO)).id}/rotate`, payload: { credentials: TWILIO } })
      },
      {
        method: 'DELETE', route: '/v1/admin/orgs/{org_id}/provider-connections/{id}', scope: 'platform:admin', success: 200,
        prepare: async (c, org) => ({ url: `${base(org.id)}/${(await connect(c, org, 'twilio', TWILIO)).id}` })
      }
    ])

    test('a connection answers its webhook URL and never its credentials; list, read, rotate, delete', async () => {
      const org = await ctx.createOrg()
      const created = await ctx.request(ctx.platformKey, { method: 'POST', url: base(org.id), payload: { provider: 'twilio', label: 'Twilio production', credentials: TWILIO } })
      assert.equal(created.statusCode, 201, created.body)
      const body = created.json()
      assert.equal(body.success, true)
      assert.deepEqual(Object.keys(body.data).sort(), ['created_at', 'id', 'label', 'provider', 'webhook_url'])
      assert.equal(body.data.provider, 'twilio')
      assert.equal(body.data.label, 'Twilio production')
      // Links are built from OMBUDS_PUBLIC_URL or the listen address (inject has no socket): never from the Host header.
      assert.equal(body.data.webhook_url, `http://127.0.0.1:8080/hooks/twilio/${body.data.id as string}`)
      assert.ok(!created.body.includes(TWILIO.auth_token))

      const second = await connect(ctx, org, 'mailgun', { signing_key: 'key-mailgun-signing' })
      const list = await ctx.request(ctx.platformKey, { method: 'GET', url: `${base(org.id)}?limit=1` })
      assert.equal(list.statusCode, 200, list.body)
      assert.deepEqual(list.json().data.map((row: { id: string }) => row.id), [second.id], 'newest first')
      assert.equal(list.json().meta.total, 2)
      const next = await ctx.request(ctx.platformKey, { method: 'GET', url: `${base(org.id)}?limit=1&cursor=${encodeURIComponent(list.json().meta.next_cursor as string)}` })
      assert.deepEqual(next.json().data.map((row: { id: string }) => row.id), [body.data.id])
      assert.equal(next.json().meta.next_cursor, null)

      const read = await ctx.request(ctx.platformKey, { method: 'GET', url: `${base(org.id)}/${body.data.id as string}` })
      assert.deepEqual(read.json().data, body.data)

      const rotated = await ctx.request(ctx.platformKey, { method: 'POST', url: `${base(org.id)}/${body.data.id as string}/rotate`, payload: { credentials: { auth_token: 'the-new-token' } } })
      assert.equal(rotated.statusCode, 200, rotated.body)
      assert.deepEqual(rotated.json().data, body.data, 'the URL does not change')
      const stored = await ctx.store.db.selectFrom('provider_connections').selectAll().where('id', '=', body.data.id).executeTakeFirstOrThrow()
      assert.ok(!stored.credentials.toString('latin1').includes('the-new-token'), 'credentials are encrypted at rest')
      assert.ok(!stored.credentials.toString('latin1').includes(TWILIO.auth_token))

      const removed = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `${base(org.id)}/${body.data.id as string}` })
      assert.equal(removed.statusCode, 200)
      const audit = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/audit-events?subject_id=${body.data.id as string}` })
      assert.equal(audit.statusCode, 200, audit.body)
      assert.deepEqual(audit.json().data.map((event: { type: string }) => event.type).sort(), [
        'provider_connection.created', 'provider_connection.credentials_rotated', 'provider_connection.deleted'
      ])
      assert.equal(audit.json().data[0].actor.kind, 'platform')
      assert.ok(!audit.body.includes('the-new-token') && !audit.body.includes(TWILIO.auth_token), 'the trail never holds a secret')
      const gone = await ctx.request(ctx.platformKey, { method: 'GET', url: `${base(org.id)}/${body.data.id as string}` })
      assert.equal(gone.statusCode, 404)
      const hook = await deliver(ctx, body.data, 'Body=STOP', { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' })
      assert.equal(hook.statusCode, 404, 'a deleted connection is an unknown connection')
    })

    test("credentials are each provider's own, checked; another organization's connection is 404", async () => {
      const org = await ctx.createOrg()
      const valid: Record<string, Record<string, string>> = {
        twilio: TWILIO,
        telnyx: { public_key: telnyxKeys().publicKey },
        sendgrid: { public_key: sendGridKeys().publicKey },
        mailgun: { signing_key: 'key-0123' },
        postmark: { username: 'postmark', password: 'hunter2' },
        ses: { topic_arn: 'arn:aws:sns:us-east-1:123456789012:ses-complaints' }
      }
      for (const [provider, credentials] of Object.entries(valid)) {
        const connection = await connect(ctx, org, provider, credentials)
        assert.equal(connection.webhook_url, `http://127.0.0.1:8080/hooks/${provider}/${connection.id}`)
      }
      const invalid: Array<[string, Record<string, string>, string]> = [
        ['twilio', {}, 'credentials.auth_token'],
        ['twilio', { auth_token: 'x', signing_key: 'y' }, 'credentials.signing_key'],
        ['telnyx', { public_key: Buffer.alloc(16).toString('base64') }, 'credentials.public_key'],
        ['sendgrid', { public_key: telnyxKeys().publicKey }, 'credentials.public_key'],
        ['postmark', { username: 'a:b', password: 'c' }, 'credentials.username'],
        ['postmark', { username: 'a' }, 'credentials.password'],
        ['ses', { topic_arn: 'ses-complaints' }, 'credentials.topic_arn']
      ]
      for (const [provider, credentials, field] of invalid) {
        const response = await ctx.request(ctx.platformKey, { method: 'POST', url: base(org.id), payload: { provider, label: 'x', credentials } })
        assert.equal(response.statusCode, 422, `${provider} ${JSON.stringify(credentials)}: ${response.body}`)
        assert.ok(response.json().error.details[field], `${provider}: ${response.body}`)
      }
      const unknownProvider = await ctx.request(ctx.platformKey, { method: 'POST', url: base(org.id), payload: { provider: 'sparkpost', label: 'x', credentials: {} } })
      assert.equal(unknownProvider.statusCode, 422)

      const other = await ctx.createOrg()
      const mine = await connect(ctx, org, 'twilio', TWILIO)
      const foreign = await ctx.request(ctx.platformKey, { method: 'GET', url: `${base(other.id)}/${mine.id}` })
      assert.equal(foreign.statusCode, 404)
      const noOrg = await ctx.request(ctx.platformKey, { method: 'POST', url: base(randomUUID()), payload: { provider: 'twilio', label: 'x', credentials: TWILIO } })
      assert.equal(noOrg.statusCode, 404)
    })

    test('an unknown connection, a wrong provider or a malformed id is 404 and writes nothing', async () => {
      const org = await ctx.createOrg()
      const connection = await connect(ctx, org, 'mailgun', { signing_key: 'key-0123' })
      for (const url of [`/hooks/mailgun/${randomUUID()}`, `/hooks/sendgrid/${connection.id}`, '/hooks/mailgun/not-an-id', `/hooks/sparkpost/${connection.id}`]) {
        const response = await ctx.app.inject({ method: 'POST', url, payload: '{}', headers: { 'content-type': 'application/json' } })
        assert.equal(response.statusCode, 404, url)
        assert.equal(response.json().error.code, 'NOT_FOUND')
      }
    })
  })
}
