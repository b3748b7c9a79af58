import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { newId } from '../../src/lib/ids.js'
import { fileComplaint } from '../complaints/fixtures.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { Receiver, webhookTestConfig } from './receiver.js'

interface Endpoint { id: string, secret: string, enabled: boolean, disabled_reason: string | null }

async function addEndpoint (ctx: TestContext, org: TestOrg, url: string, events: string[] = ['complaint.created']): Promise<Endpoint> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/webhooks', payload: { url, events } })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().data as Endpoint
}

for (const database of testDatabases()) {
  describe(`webhooks out (${database})`, () => {
    let ctx: TestContext
    const receiver = new Receiver()
    before(async () => {
      await receiver.start()
      ctx = await startTestApp(database, webhookTestConfig())
    })
    after(async () => {
      await ctx.close()
      await receiver.stop()
    })

    const withEndpoint = async (c: TestContext, org: TestOrg) => await addEndpoint(c, org, receiver.url)
    runAuthMatrix(() => ctx, [
      { method: 'POST', route: '/v1/webhooks', scope: 'webhooks:write', success: 201, prepare: async () => ({ url: '/v1/webhooks', payload: { url: receiver.url, events: ['complaint.created'] } }) },
      { method: 'GET', route: '/v1/webhooks', scope: 'webhooks:read', success: 200, prepare: async () => ({ url: '/v1/webhooks' }) },
      { method: 'GET', route: '/v1/webhooks/{id}', scope: 'webhooks:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/webhooks/${(await withEndpoint(c, org)).id}` }) },
      {
        method: 'PATCH',
        route: '/v1/webhooks/{id}',
        scope: 'webhooks:write',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => ({ url: `/v1/webhooks/${(await withEndpoint(c, org)).id}`, payload: { description: 'CRM' } })
      },
      { method: 'DELETE', route: '/v1/webhooks/{id}', scope: 'webhooks:write', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/webhooks/${(await withEndpoint(c, org)).id}` }) },
      {
        method: 'POST',
        route: '/v1/webhooks/{id}/rotate-secret',
        scope: 'webhooks:write',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => ({ url: `/v1/webhooks/${(await withEndpoint(c, org)).id}/rotate-secret` })
      },
      {
        method: 'GET',
        route: '/v1/webhooks/{id}/deliveries',
        scope: 'webhooks:read',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => ({ url: `/v1/webhooks/${(await withEndpoint(c, org)).id}/deliveries` })
      },
      {
        method: 'POST',
        route: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
        scope: 'webhooks:write',
        success: 202,
        ownsResource: true,
        prepare: async (c, org) => {
          const endpoint = await withEndpoint(c, org)
          await fileComplaint(c, org)
          const attempt = await waitForAttempt(c, org, endpoint.id, (item) => item.succeeded)
          return { url: `/v1/webhooks/${endpoint.id}/deliveries/${attempt.delivery_id}/retry` }
        }
      }
    ])

    test('a filed complaint reaches a real receiver within 2 s, signed, with the complaint as the API returns it', async () => {
      const org = await ctx.createOrg()
      const endpoint = await addEndpoint(ctx, org, receiver.url)
      assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{32}$/)
      const filedAt = Date.now()
      const complaint = await fileComplaint(ctx, org)
      const [request] = await receiver.waitFor(1, 2000, (entry) => entry.body.includes(complaint.id))
      assert.ok(request !== undefined && request.at - filedAt < 2000)
      const payload = new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>) as Record<string, unknown>
      const read = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${complaint.id}` })
      assert.deepEqual(Object.keys(payload).sort(), ['created_at', 'data', 'id', 'org_id', 'type'])
      assert.equal(payload.type, 'complaint.created')
      assert.equal(payload.org_id, org.id)
      assert.equal(payload.id, request.headers['webhook-id'])
      assert.deepEqual(payload.data, read.json().data)
      assert.throws(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(request.body, request.headers as Record<string, string>))
    })

    test('a receiver answering 500, 500, 200: three attempts listed newest first with their status codes, a next retry after each failure', async () => {
      const failing = new Receiver()
      failing.answer = (n) => n <= 2 ? 500 : 200
      await failing.start()
      try {
        const org = await ctx.createOrg()
        const endpoint = await addEndpoint(ctx, org, failing.url)
        const complaint = await fileComplaint(ctx, org)
        const requests = await failing.waitFor(3, 5000)
        assert.equal(new Set(requests.map((entry) => entry.headers['webhook-id'])).size, 1, 'one event, retried')
        assert.ok(requests.every((entry) => entry.body.includes(complaint.id)))
        await waitForAttempt(ctx, org, endpoint.id, (item) => item.succeeded)
        const listed = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries` })
        assert.equal(listed.statusCode, 200, listed.body)
        const attempts = listed.json().data as AttemptJson[]
        assert.equal(listed.json().meta.total, 3)
        assert.deepEqual(attempts.map((item) => [item.attempt, item.status_code, item.succeeded]), [[3, 200, true], [2, 500, false], [1, 500, false]])
        assert.equal(new Set(attempts.map((item) => item.delivery_id)).size, 1, 'the attempts of one delivery')
        assert.ok(attempts.every((item) => item.event_id === requests[0]?.headers['webhook-id'] && item.event_type === 'complaint.created'))
        assert.deepEqual(attempts.map((item) => item.error), [null, 'the endpoint answered 500', 'the endpoint answered 500'])
        assert.ok(attempts.every((item) => Number.isInteger(item.duration_ms) && item.duration_ms >= 0))
        // Each failure names the retry that followed it; the success names none.
        const [third, second, first] = attempts as [AttemptJson, AttemptJson, AttemptJson]
        assert.equal(third.next_retry_at, null)
        for (const [failure, next] of [[first, second], [second, third]] as const) {
          assert.ok(failure.next_retry_at !== null && Date.parse(failure.next_retry_at) > Date.parse(failure.attempted_at), JSON.stringify(failure))
          assert.ok(Date.parse(next.attempted_at) >= Date.parse(failure.next_retry_at ?? '') - 5, `${next.attempted_at} before ${failure.next_retry_at}`)
        }
        // The cursor walks the same list.
        const page1 = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries?limit=2` })).json()
        assert.deepEqual(page1.data.map((item: AttemptJson) => item.id), attempts.slice(0, 2).map((item) => item.id))
        const page2 = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${encodeURIComponent(page1.meta.next_cursor as string)}` })).json()
        assert.deepEqual(page2.data.map((item: AttemptJson) => item.id), [first.id])
        assert.equal(page2.meta.next_cursor, null)
        // Retrying by the delivery's id sends the event again: a fourth attempt.
        const retried = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/webhooks/${endpoint.id}/deliveries/${third.delivery_id}/retry` })
        assert.equal(retried.statusCode, 202, retried.body)
        assert.equal(retried.json().data.id, third.delivery_id)
        await failing.waitFor(4, 5000)
        const fourth = await waitForAttempt(ctx, org, endpoint.id, (item) => item.attempt === 4)
        assert.deepEqual([fourth.delivery_id, fourth.status_code, fourth.succeeded], [third.delivery_id, 200, true])
        const unknown = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries?cursor=bm90IGEgY3Vyc29y` })
        assert.equal(unknown.statusCode, 422, unknown.body)
      } finally {
        await failing.stop()
      }
    })

    test('PATCH {enabled: false} stops deliveries; {enabled: true} sends the queue parked meanwhile', async () => {
      const flaky = new Receiver()
      let failing = true
      flaky.answer = () => failing ? 503 : 204
      await flaky.start()
      try {
        const org = await ctx.createOrg()
        const endpoint = await addEndpoint(ctx, org, flaky.url)
        const complaint = await fileComplaint(ctx, org)
        await flaky.waitFor(1, 5000)
        const disabled = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/webhooks/${endpoint.id}`, payload: { enabled: false } })
        assert.deepEqual([disabled.statusCode, disabled.json().data.enabled, disabled.json().data.disabled_reason], [200, false, 'manual'])
        // Its retries stop (once an attempt in flight, if any, has ended); nothing is queued for an event while it is disabled.
        await new Promise((resolve) => setTimeout(resolve, 300))
        failing = false
        const before = flaky.received.length
        const whileDisabled = await fileComplaint(ctx, org)
        await new Promise((resolve) => setTimeout(resolve, 500))
        assert.equal(flaky.received.length, before, 'nothing sent while disabled')
        const attempts = async () => (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries` })).json().data as AttemptJson[]
        assert.ok((await attempts()).every((item) => !item.succeeded))
        const enabled = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/webhooks/${endpoint.id}`, payload: { enabled: true } })
        assert.deepEqual([enabled.statusCode, enabled.json().data.enabled, enabled.json().data.disabled_reason], [200, true, null])
        const [resumed] = await flaky.waitFor(1, 5000, (entry) => entry.at > Date.parse(enabled.json().data.updated_at) - 5)
        assert.ok(resumed?.body.includes(complaint.id), 'the parked delivery is sent once enabled')
        const done = await waitForAttempt(ctx, org, endpoint.id, (item) => item.succeeded)
        assert.ok(done.attempt >= 2)
        await new Promise((resolve) => setTimeout(resolve, 300))
        assert.ok(!flaky.received.some((entry) => entry.body.includes(whileDisabled.id)), 'an event of the disabled time is not sent')
      } finally {
        await flaky.stop()
      }
    })

    test('attempts older than 30 days are deleted by the worker; newer ones stay listed', async () => {
      const org = await ctx.createOrg()
      const endpoint = await addEndpoint(ctx, org, receiver.url)
      await fileComplaint(ctx, org)
      const sent = await waitForAttempt(ctx, org, endpoint.id, (item) => item.succeeded)
      const day = 24 * 3600_000
      const old = (daysAgo: number) => ({
        ...{ org_id: org.id, id: newId(), endpoint_id: endpoint.id, delivery_id: sent.delivery_id, event_id: sent.event_id },
        ...{ event_type: 'complaint.created' as const, attempt: 1, attempted_at: new Date(Date.now() - daysAgo * day) },
        ...{ status_code: 500, duration_ms: 3, error: 'the endpoint answered 500', next_retry_at: null }
      })
      const [expired, kept] = [old(31), old(29)]
      await ctx.store.db.insertInto('webhook_attempts').values([expired, kept]).execute()
      // A process's worker prunes as it starts (and every 10 minutes after).
      const other = await buildApp(testConfig({ ...webhookTestConfig(), webhooksPollMs: 60_000 }), { store: ctx.store })
      await other.ready()
      try {
        const ids = async () => (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries` })).json().data.map((item: AttemptJson) => item.id)
        const deadline = Date.now() + 5000
        while ((await ids()).includes(expired.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
        assert.deepEqual(await ids(), [sent.id, kept.id])
      } finally {
        await other.close()
      }
    })
  })
}

interface AttemptJson {
  id: string
  delivery_id: string
  event_id: string
  event_type: string
  attempt: number
  attempted_at: string
  succeeded: boolean
  status_code: number | null
  duration_ms: number
  error: string | null
  next_retry_at: string | null
}

async function waitForAttempt (ctx: TestContext, org: TestOrg, endpointId: string, done: (item: AttemptJson) => boolean, ms = 5000): Promise<AttemptJson> {
  const deadline = Date.now() + ms
  for (;;) {
    const response = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/webhooks/${endpointId}/deliveries` })
    assert.equal(response.statusCode, 200, response.body)
    const item = (response.json().data as AttemptJson[]).find(done)
    if (item !== undefined) return item
    if (Date.now() > deadline) throw new Error(`no such attempt: ${response.body}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
