import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Webhook } from 'standardwebhooks'
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
          const delivery = await waitForDelivery(c, org, endpoint.id, (item) => item.state === 'succeeded')
          return { url: `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/retry` }
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

    test('a receiver answering 500 twice gets the event on the third attempt, recorded in the deliveries', async () => {
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
        const deliveries = await waitForDelivery(ctx, org, endpoint.id, (item) => item.state === 'succeeded')
        assert.equal(deliveries.attempts, 3)
        assert.equal(deliveries.last_status_code, 200)
        assert.equal(deliveries.next_attempt_at, null)
      } finally {
        await failing.stop()
      }
    })
  })
}

interface DeliveryJson {
  id: string
  state: string
  attempts: number
  last_status_code: number | null
  last_error: string | null
  next_attempt_at: string | null
  event_type: string
}

async function waitForDelivery (ctx: TestContext, org: TestOrg, endpointId: string, done: (item: DeliveryJson) => boolean, ms = 5000): Promise<DeliveryJson> {
  const deadline = Date.now() + ms
  for (;;) {
    const response = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/webhooks/${endpointId}/deliveries` })
    assert.equal(response.statusCode, 200, response.body)
    const item = (response.json().data as DeliveryJson[]).find(done)
    if (item !== undefined) return item
    if (Date.now() > deadline) throw new Error(`no such delivery: ${response.body}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
