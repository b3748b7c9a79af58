import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { fileComplaint } from '../complaints/fixtures.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { newMessageId, postInbound, registerNumber } from '../intake/intake-helpers.js'
import { registerDomain } from '../lists/fixtures.js'
import { csvUpload, mg } from '../mailgun/fixtures.js'
import { type ReceivedRequest, Receiver, webhookTestConfig } from './receiver.js'

const PUBLIC_URL = 'https://ombuds.example.com'
const ALL_EVENTS = ['complaint.created', 'complaint.updated', 'suppression.created', 'suppression.deleted']

interface Event {
  id: string
  type: string
  created_at: string
  org_id: string
  data: Record<string, unknown>
  changes?: Record<string, { from: unknown, to: unknown }>
}

async function addEndpoint (ctx: TestContext, org: TestOrg, url: string, events = ALL_EVENTS): Promise<{ id: string, secret: string }> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/webhooks', payload: { url, events } })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().data as { id: string, secret: string }
}

/** The receiver's requests for one organization, each verified with the endpoint's secret. */
function eventsOf (receiver: Receiver, secret: string, orgId: string): Event[] {
  return receiver.received
    .filter((entry) => (JSON.parse(entry.body) as Event).org_id === orgId)
    .map((entry) => new Webhook(secret).verify(entry.body, entry.headers as Record<string, string>) as Event)
}

async function waitForEvents (receiver: Receiver, secret: string, orgId: string, count: number, filter: (event: Event) => boolean): Promise<Event[]> {
  const forOrg = (entry: ReceivedRequest) => entry.body.includes(orgId)
  const deadline = Date.now() + 10_000
  for (;;) {
    await receiver.waitFor(1, 10_000, forOrg)
    const events = eventsOf(receiver, secret, orgId).filter(filter)
    if (events.length >= count) return events
    if (Date.now() > deadline) throw new Error(`got ${events.length} of ${count} events: ${JSON.stringify(eventsOf(receiver, secret, orgId).map((e) => e.type))}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

for (const database of testDatabases()) {
  describe(`webhook events from every path (${database})`, () => {
    let ctx: TestContext
    const receiver = new Receiver()
    const unsubscribeKey = { id: 'k1', secret: randomBytes(32).toString('base64url') }
    before(async () => {
      await receiver.start()
      ctx = await startTestApp(database, { ...webhookTestConfig(), publicUrl: PUBLIC_URL, unsubscribeKeys: [unsubscribeKey] })
    })
    after(async () => {
      await ctx.close()
      await receiver.stop()
    })

    test('native API: suppression.created and suppression.deleted carry the suppression as the API returns it', async () => {
      const org = await ctx.createOrg()
      const { secret } = await addEndpoint(ctx, org, receiver.url)
      const created = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/suppressions', payload: { suppressions: [{ channel: 'email', address: 'Reader@Example.net' }] } })
      assert.equal(created.statusCode, 201, created.body)
      const suppression = created.json().data[0] as { id: string }
      const read = (await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/suppressions/${suppression.id}` })).json().data
      const removed = await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/suppressions/${suppression.id}` })
      assert.equal(removed.statusCode, 200, removed.body)
      const [added] = await waitForEvents(receiver, secret, org.id, 1, (event) => event.type === 'suppression.created')
      const [deleted] = await waitForEvents(receiver, secret, org.id, 1, (event) => event.type === 'suppression.deleted')
      assert.deepEqual(added?.data, read)
      assert.deepEqual(deleted?.data, read)
      assert.notEqual(added?.id, deleted?.id)
    })

    test('complaint.updated carries from/to for the status and the note', async () => {
      const org = await ctx.createOrg()
      const { secret } = await addEndpoint(ctx, org, receiver.url, ['complaint.updated'])
      const complaint = await fileComplaint(ctx, org)
      const triage = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${complaint.id}`, payload: { status: 'triage', resolution_note: 'calling back' } })
      assert.equal(triage.statusCode, 200, triage.body)
      const note = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${complaint.id}`, payload: { resolution_note: 'called' } })
      assert.equal(note.statusCode, 200, note.body)
      const events = await waitForEvents(receiver, secret, org.id, 2, (event) => event.type === 'complaint.updated')
      const byNote = new Map(events.map((event) => [event.data.resolution_note, event]))
      assert.deepEqual(byNote.get('calling back')?.changes, { status: { from: 'new', to: 'triage' }, resolution_note: { from: null, to: 'calling back' } })
      assert.deepEqual(byNote.get('called')?.changes, { resolution_note: { from: 'calling back', to: 'called' } })
      assert.deepEqual(byNote.get('called')?.data, note.json().data)
      assert.ok(eventsOf(receiver, secret, org.id).every((event) => event.type === 'complaint.updated'), 'only the subscribed type is sent')
    })

    test('Mailgun dialect: create, CSV import, delete one and delete all each yield their events', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org)
      const { secret } = await addEndpoint(ctx, org, receiver.url, ['suppression.created', 'suppression.deleted'])
      const one = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain.name}/complaints`, payload: [{ address: 'one@example.com' }] })
      assert.equal(one.statusCode, 200, one.body)
      const imported = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain.name}/complaints/import`, ...csvUpload('address\ntwo@example.com\nthree@example.com\nfour@example.com\n') })
      assert.equal(imported.statusCode, 202, imported.body)
      const created = await waitForEvents(receiver, secret, org.id, 4, (event) => event.type === 'suppression.created')
      assert.deepEqual(created.map((event) => event.data.address).sort(), ['four@example.com', 'one@example.com', 'three@example.com', 'two@example.com'])
      const deleteOne = await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${domain.name}/complaints/one%40example.com` })
      assert.equal(deleteOne.statusCode, 200, deleteOne.body)
      const deleteAll = await mg(ctx, org.ownerKey, { method: 'DELETE', url: `/v3/${domain.name}/complaints` })
      assert.equal(deleteAll.statusCode, 200, deleteAll.body)
      const deleted = await waitForEvents(receiver, secret, org.id, 4, (event) => event.type === 'suppression.deleted')
      assert.deepEqual(deleted.map((event) => event.data.address).sort(), ['four@example.com', 'one@example.com', 'three@example.com', 'two@example.com'])
    })

    test('intake: an SMS STOP files a complaint and suppresses, START lifts it', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const { secret } = await addEndpoint(ctx, org, receiver.url)
      const from = '+14155550199'
      assert.equal((await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })).statusCode, 200)
      const [complaint] = await waitForEvents(receiver, secret, org.id, 1, (event) => event.type === 'complaint.created')
      const [suppression] = await waitForEvents(receiver, secret, org.id, 1, (event) => event.type === 'suppression.created')
      assert.equal(complaint?.data.reporter_number, from)
      assert.equal(suppression?.data.address, from)
      assert.equal((await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'START' })).statusCode, 200)
      const [lifted] = await waitForEvents(receiver, secret, org.id, 1, (event) => event.type === 'suppression.deleted')
      assert.equal(lifted?.data.id, suppression?.data.id)
    })

    test('unsubscribe: a one-click POST to /u/{token} yields suppression.created', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org)
      const { secret } = await addEndpoint(ctx, org, receiver.url, ['suppression.created'])
      const link = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links', payload: { channel: 'email', from_domain: domain.name, recipient: 'leaver@example.net' } })
      assert.equal(link.statusCode, 200, link.body)
      const url = (link.json().data as { url: string }).url
      const clicked = await ctx.app.inject({
        method: 'POST', url: url.slice(PUBLIC_URL.length), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click'
      })
      assert.equal(clicked.statusCode, 200, clicked.body)
      const [event] = await waitForEvents(receiver, secret, org.id, 1, () => true)
      assert.equal(event?.type, 'suppression.created')
      assert.equal(event?.data.address, 'leaver@example.net')
      assert.equal(event?.data.reason, 'unsubscribe')
    })

    test('an organization without a subscribed endpoint gets no outbox rows', async () => {
      const org = await ctx.createOrg()
      await addEndpoint(ctx, org, receiver.url, ['suppression.deleted'])
      const quiet = await ctx.createOrg()
      await fileComplaint(ctx, quiet)
      await fileComplaint(ctx, org)
      const rows = await ctx.store.db.selectFrom('webhook_deliveries').select('org_id').where('org_id', 'in', [org.id, quiet.id]).execute()
      assert.deepEqual(rows, [])
    })

    test('rotation: for 24 h both the new and the previous secret sign; the audit feed records every endpoint change', async () => {
      const org = await ctx.createOrg()
      const endpoint = await addEndpoint(ctx, org, receiver.url, ['complaint.created'])
      const rotated = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/webhooks/${endpoint.id}/rotate-secret` })
      assert.equal(rotated.statusCode, 200, rotated.body)
      const fresh = rotated.json().data as { secret: string, previous_secret_expires_at: string }
      assert.notEqual(fresh.secret, endpoint.secret)
      const overlap = new Date(fresh.previous_secret_expires_at).getTime() - Date.now()
      assert.ok(overlap > 23.9 * 3600_000 && overlap <= 24 * 3600_000, `overlap ${overlap} ms`)
      const complaint = await fileComplaint(ctx, org)
      const [request] = await receiver.waitFor(1, 5000, (entry) => entry.body.includes(complaint.id))
      const signatures = String(request?.headers['webhook-signature']).split(' ')
      assert.equal(signatures.length, 2)
      assert.ok(signatures.every((signature) => signature.startsWith('v1,')))
      const headers = request?.headers as Record<string, string>
      for (const secret of [fresh.secret, endpoint.secret]) {
        const only = signatures.find((signature) => {
          try {
            new Webhook(secret).verify(request?.body ?? '', { ...headers, 'webhook-signature': signature })
            return true
          } catch {
            return false
          }
        })
        assert.ok(only !== undefined, 'each secret has its own signature')
      }
      await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/webhooks/${endpoint.id}`, payload: { description: 'CRM' } })
      await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/webhooks/${endpoint.id}` })
      const feed = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/audit-events?subject_id=${endpoint.id}` })
      assert.equal(feed.statusCode, 200, feed.body)
      type Entry = { type: string, actor: { key_prefix: string }, subject: { type: string }, after: Record<string, unknown> | null }
      const entries = feed.json().data as Entry[]
      assert.deepEqual(entries.map((entry) => entry.type), ['webhook.deleted', 'webhook.updated', 'webhook.secret_rotated', 'webhook.created'])
      assert.ok(entries.every((entry) => entry.subject.type === 'webhook_endpoint' && entry.actor.key_prefix === org.ownerKey.slice(0, 12)))
      assert.ok(!JSON.stringify(entries).includes('whsec_'), 'secrets stay out of the feed')
    })

    test('limits: 20 endpoints per organization', async () => {
      const org = await ctx.createOrg()
      for (let i = 0; i < 20; i++) await addEndpoint(ctx, org, `https://hooks${i}.example.com/in`)
      const refused = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://one-more.example.com', events: ['complaint.created'] } })
      assert.equal(refused.statusCode, 409, refused.body)
      const list = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/webhooks?limit=100' })
      assert.equal(list.json().meta.total, 20)
      assert.ok(!list.body.includes('whsec_'), 'lists never show secrets')
    })
  })

  describe(`webhook targets (${database})`, () => {
    let strict: TestContext
    const receiver = new Receiver()
    const secretsKey = randomBytes(32)
    before(async () => {
      await receiver.start()
      strict = await startTestApp(database, { ...webhookTestConfig(), secretsKey, webhooksAllowHttp: false, webhooksAllowPrivate: false })
    })
    after(async () => {
      await strict.close()
      await receiver.stop()
    })

    test('private, loopback and link-local targets and plain http are refused with 422', async () => {
      const org = await strict.createOrg()
      for (const url of [
        'http://hooks.example.com/in', 'https://10.1.2.3/in', 'https://127.0.0.1:8443/', 'https://[::1]/in', 'https://169.254.169.254/latest',
        'https://localhost/in', 'https://api.localhost/in', 'https://[::ffff:127.0.0.1]/', 'https://192.168.1.10/', 'https://0x7f.1/', 'https://[fd00::1]/',
        'https://user:pass@hooks.example.com/', 'not a url'
      ]) {
        const response = await strict.request(org.ownerKey, { method: 'POST', url: '/v1/webhooks', payload: { url, events: ['complaint.created'] } })
        assert.equal(response.statusCode, 422, `${url}: ${response.body}`)
        assert.ok(response.json().error.details.url !== undefined, url)
      }
      const good = await addEndpoint(strict, org, 'https://hooks.example.com/in')
      const moved = await strict.request(org.ownerKey, { method: 'PATCH', url: `/v1/webhooks/${good.id}`, payload: { url: 'https://10.0.0.1/in' } })
      assert.equal(moved.statusCode, 422, moved.body)
    })

    test('at send time the resolved address is checked again: a name that resolves to loopback is not sent to', async () => {
      const org = await strict.createOrg()
      // Made where private targets are allowed, then sent from a server where they are not.
      const lenient = await buildApp(testConfig({ ...webhookTestConfig(), secretsKey, webhooksPollMs: 60_000 }), { store: strict.store })
      await lenient.ready()
      const made = await lenient.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { authorization: `Bearer ${org.ownerKey}` },
        payload: { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['complaint.created'] }
      })
      await lenient.close()
      assert.equal(made.statusCode, 201, made.body)
      const endpointId = (made.json().data as { id: string }).id
      await fileComplaint(strict, org)
      const deadline = Date.now() + 5000
      let attempt: { error: string | null, status_code: number | null, next_retry_at: string | null } | undefined
      while (attempt === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        attempt = (await strict.request(org.ownerKey, { method: 'GET', url: `/v1/webhooks/${endpointId}/deliveries` })).json().data[0]
      }
      assert.match(attempt?.error ?? '', /resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/)
      assert.equal(attempt?.status_code, null)
      assert.ok(attempt?.next_retry_at != null, 'retried later, like any failure')
      assert.equal(receiver.received.length, 0)
    })
  })

  describe(`failing endpoints (${database})`, () => {
    let ctx: TestContext
    const receiver = new Receiver()
    before(async () => {
      receiver.answer = () => 500
      await receiver.start()
      // The whole schedule in two seconds: the 24 h window, scaled down. Half a second left room
      // for one attempt only on a loaded machine (each attempt is a claim, a send and a record).
      ctx = await startTestApp(database, { ...webhookTestConfig(), webhooksRetryBaseMs: 10, webhooksRetryWindowMs: 2000 })
    })
    after(async () => {
      await ctx.close()
      await receiver.stop()
    })

    test('an endpoint failing for the whole window is disabled and says so; its delivery failed; enabling it and retrying sends again', async () => {
      const org = await ctx.createOrg()
      const endpoint = await addEndpoint(ctx, org, receiver.url, ['complaint.created'])
      await fileComplaint(ctx, org)
      // Retried for the whole window, then given up; the next failure, a window after the first, disables the endpoint.
      const failed = async () => (await ctx.store.db.selectFrom('webhook_deliveries').select('state').where('org_id', '=', org.id).execute())
        .some((row) => row.state === 'failed')
      const deadline = Date.now() + 30_000
      while (!await failed() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      // Disabled at the first failure a window after the first one: that attempt or a later event's.
      let read: { enabled: boolean, disabled_reason: string | null, disabled_at: string | null, failing_since: string | null } | undefined
      const readEndpoint = async () => (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}` })).json().data
      while ((read = await readEndpoint())?.enabled !== false && Date.now() < deadline) {
        await fileComplaint(ctx, org)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.equal(read?.enabled, false)
      assert.equal(read?.disabled_reason, 'failing')
      assert.ok(read?.disabled_at !== null && read?.failing_since !== null)
      // The first event's attempts: all answered 500, the last one without a next retry (given up).
      // Every page (the retries of the events filed meanwhile may be more than one page).
      type Attempt = { delivery_id: string, event_id: string, attempt: number, status_code: number | null, succeeded: boolean, next_retry_at: string | null }
      const attempts: Attempt[] = []
      for (let cursor: string | null = ''; cursor !== null;) {
        const after: string = cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`
        const page: { data: Attempt[], meta: { next_cursor: string | null } } =
          (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries?limit=100${after}` })).json()
        attempts.push(...page.data)
        cursor = page.meta.next_cursor
      }
      // The oldest delivery given up (the events filed meanwhile are sent alongside and defer each other's retries).
      const firstDelivery = (await ctx.store.db.selectFrom('webhook_deliveries').select(['id', 'event_id']).where('org_id', '=', org.id)
        .where('state', '=', 'failed').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow())
      const ofFirst = attempts.filter((item) => item.delivery_id === firstDelivery.id)
      assert.ok(ofFirst.length >= 1)
      assert.ok(Math.max(...attempts.map((item) => item.attempt)) >= 2, 'deliveries were retried')
      assert.deepEqual(ofFirst.map((item) => item.attempt), Array.from({ length: ofFirst.length }, (_, i) => ofFirst.length - i), 'newest first')
      assert.ok(ofFirst.every((item) => item.status_code === 500 && !item.succeeded && item.event_id === firstDelivery.event_id))
      assert.equal(ofFirst[0]?.next_retry_at, null)
      assert.ok(ofFirst.slice(1).every((item) => item.next_retry_at !== null))
      const deliveryRows = async () => await ctx.store.db.selectFrom('webhook_deliveries').select(['id', 'event_id', 'state', 'next_attempt_at'])
        .where('org_id', '=', org.id).execute()
      const rows = await deliveryRows()
      assert.equal(rows.find((row) => row.id === firstDelivery.id)?.state, 'failed')
      const pending = rows.filter((row) => row.state === 'pending')
      // The sends in flight when it was disabled end (their leases are released) before counting.
      const leased = async () => (await ctx.store.db.selectFrom('webhook_deliveries').select('id').where('org_id', '=', org.id)
        .where('lease_token', 'is not', null).execute()).length
      const settle = Date.now() + 10_000
      while (await leased() > 0 && Date.now() < settle) await new Promise((resolve) => setTimeout(resolve, 50))
      const sent = receiver.received.length
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(receiver.received.length, sent, 'nothing is sent while it is disabled')
      const feed = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/audit-events?type=webhook.disabled&subject_id=${endpoint.id}` })).json().data
      assert.equal(feed.length, 1)
      assert.equal(feed[0].actor.kind, 'system')
      // Nothing is queued for a disabled endpoint.
      await fileComplaint(ctx, org)
      assert.equal((await deliveryRows()).length, rows.length)

      receiver.answer = () => 204
      const enabled = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/webhooks/${endpoint.id}`, payload: { enabled: true } })
      assert.deepEqual([enabled.json().data.enabled, enabled.json().data.disabled_reason, enabled.json().data.failing_since], [true, null, null])
      const retried = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/webhooks/${endpoint.id}/deliveries/${firstDelivery.id}/retry` })
      assert.equal(retried.statusCode, 202, retried.body)
      // The failed one because it was retried, any still pending because the endpoint is enabled again.
      const enabledAt = Date.parse(enabled.json().data.updated_at)
      const expected = [firstDelivery.event_id, ...pending.map((row) => row.event_id)]
      for (const eventId of expected) await receiver.waitFor(1, 5000, (entry) => entry.headers['webhook-id'] === eventId && entry.at > enabledAt)
      const missing = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/webhooks/${endpoint.id}/deliveries/01900000-0000-7000-8000-000000000001/retry` })
      assert.equal(missing.statusCode, 404)
    })
  })
}

for (const database of testDatabases()) {
  describe(`a failing endpoint's backlog (${database})`, () => {
    let ctx: TestContext
    const receiver = new Receiver()
    before(async () => {
      await receiver.start()
      ctx = await startTestApp(database, { ...webhookTestConfig(), webhooksRetryBaseMs: 8000, webhooksRetryWindowMs: 60_000, webhooksTimeoutMs: 10_000 })
    })
    after(async () => {
      await ctx.close()
      await receiver.stop()
    })

    test('after a failure the endpoint\'s queued deliveries wait for the same retry instead of each being tried', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org)
      const endpoint = await addEndpoint(ctx, org, receiver.url, ['suppression.created'])
      let failing = true
      receiver.answer = () => failing ? 503 : 204
      // 600 deliveries queued by one statement. The worker claims and sends at most 200 before
      // an answer (MAX_IN_FLIGHT); the first failure recorded defers every queued one not in flight.
      const backlog = 600
      const csv = `address\n${Array.from({ length: backlog }, (_, i) => `queued${i}@example.com`).join('\n')}\n`
      const imported = await mg(ctx, org.ownerKey, { method: 'POST', url: `/v3/${domain.name}/complaints/import`, ...csvUpload(csv) })
      assert.equal(imported.statusCode, 202, imported.body)
      const rows = async () => await ctx.store.db.selectFrom('webhook_deliveries').select(['id', 'attempts', 'next_attempt_at', 'state'])
        .where('org_id', '=', org.id).execute()
      // Wait for the first failure, then past the burst (well short of its retry, 6.4 s at the earliest).
      const firstAttempts = async () => await ctx.store.db.selectFrom('webhook_attempts').select(['attempted_at', 'next_retry_at'])
        .where('org_id', '=', org.id).where('attempt', '=', 1).orderBy('attempted_at').execute()
      const deadline = Date.now() + 10_000
      while ((await firstAttempts()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const [firstFailure] = await firstAttempts()
      assert.ok(firstFailure?.next_retry_at != null)
      const burstEnd = firstFailure.attempted_at.getTime() + 5000
      assert.ok(Date.now() < firstFailure.next_retry_at.getTime(), 'still before the first retry')
      const sent = (await firstAttempts()).filter((row) => row.attempted_at.getTime() < burstEnd)
      assert.ok(sent.length <= 200, `${sent.length} sent before the first failure deferred the rest`)
      const waiting = (await rows()).filter((row) => row.attempts === 0)
      assert.ok(waiting.length >= backlog - 200 && waiting.every((row) => row.next_attempt_at.getTime() > Date.now()), JSON.stringify(waiting.slice(0, 3)))
      const listed = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/webhooks/${endpoint.id}/deliveries?limit=100` })).json()
      const failedWithRetry = (item: { succeeded: boolean, next_retry_at: string | null }) => !item.succeeded && item.next_retry_at !== null
      assert.ok(listed.data.every(failedWithRetry), JSON.stringify(listed.data.slice(0, 3)))
      failing = false
      const done = Date.now() + 30_000
      while ((await rows()).some((row) => row.state !== 'succeeded') && Date.now() < done) await new Promise((resolve) => setTimeout(resolve, 100))
      assert.ok((await rows()).every((row) => row.state === 'succeeded'), 'the whole backlog is delivered once the endpoint answers')
    })
  })
}
