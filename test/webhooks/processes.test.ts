import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { testDatabaseUrl } from '../../src/config.js'
import { type ServerProcess, startServer } from '../trust/server-process.js'
import { Receiver } from './receiver.js'

const PLATFORM_KEY = `am_live_${randomBytes(16).toString('hex')}`
const WEBHOOK_ENV = {
  OMBUDS_BOOTSTRAP_PLATFORM_KEY: PLATFORM_KEY,
  OMBUDS_WEBHOOKS_ALLOW_HTTP: 'true',
  OMBUDS_WEBHOOKS_ALLOW_PRIVATE: 'true',
  OMBUDS_WEBHOOKS_POLL_MS: '50',
  OMBUDS_WEBHOOKS_RETRY_BASE_MS: '20',
  // The claim's lease is three times this: a killed claimer's delivery comes due again 6 s after it was claimed.
  OMBUDS_WEBHOOKS_TIMEOUT_MS: '2000'
}

async function call (server: ServerProcess, key: string, method: string, path: string, body?: unknown): Promise<{ status: number, json: Record<string, any> }> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  return { status: response.status, json: await response.json() as Record<string, any> }
}

/** An organization with an owner key and an endpoint for complaint.created at `url`; returns the key and the endpoint. */
async function setUp (server: ServerProcess, url: string): Promise<{ orgId: string, ownerKey: string, endpointId: string, secret: string }> {
  const org = await call(server, PLATFORM_KEY, 'POST', '/v1/admin/orgs', { name: `Webhooks ${randomBytes(3).toString('hex')}` })
  assert.equal(org.status, 201, JSON.stringify(org.json))
  const orgId = org.json.data.id as string
  const key = await call(server, PLATFORM_KEY, 'POST', `/v1/admin/orgs/${orgId}/api-keys`, { role: 'owner', label: 'owner' })
  const ownerKey = key.json.data.plaintext as string
  const endpoint = await call(server, ownerKey, 'POST', '/v1/webhooks', { url, events: ['complaint.created'] })
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.json))
  return { orgId, ownerKey, endpointId: endpoint.json.data.id, secret: endpoint.json.data.secret }
}

async function file (server: ServerProcess, orgId: string): Promise<string> {
  const filed = await call(server, PLATFORM_KEY, 'POST', '/v1/complaints', { org_id: orgId, category: 'unwanted_contact', channel: 'sms', reporter_number: '+14155550123' })
  assert.equal(filed.status, 201, JSON.stringify(filed.json))
  return filed.json.data.id
}

async function stop (server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null) server.child.kill('SIGKILL')
  await server.exited
}

describe('webhooks across processes (embedded store)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ombuds-webhooks-'))
  const receiver = new Receiver()
  before(async () => { await receiver.start() })
  after(async () => {
    await receiver.stop()
    rmSync(folder, { recursive: true, force: true })
  })

  test('a process killed between commit and delivery: the restarted server delivers the event', async () => {
    const data = join(folder, 'crash')
    // The first attempt never gets its answer: the server is killed while it waits.
    receiver.answer = (n) => n === 1 ? 'hang' : 204
    const first = await startServer(['--data', data, '--no-demo'], WEBHOOK_ENV)
    let setup: Awaited<ReturnType<typeof setUp>>
    let complaintId: string
    try {
      await first.ready()
      setup = await setUp(first, receiver.url)
      complaintId = await file(first, setup.orgId)
      await receiver.waitFor(1, 5000)
    } finally {
      await stop(first)
    }
    const second = await startServer(['--data', data, '--no-demo'], WEBHOOK_ENV)
    try {
      await second.ready()
      const [hung, delivered] = await receiver.waitFor(2, 20_000)
      assert.equal(hung?.headers['webhook-id'], delivered?.headers['webhook-id'], 'the same event, sent again')
      const event = new Webhook(setup.secret).verify(delivered?.body ?? '', delivered?.headers as Record<string, string>) as { data: { id: string } }
      assert.equal(event.data.id, complaintId)
      // The killed process's attempt never got its outcome recorded; the restarted one's is, just after the answer.
      let deliveries = await call(second, setup.ownerKey, 'GET', `/v1/webhooks/${setup.endpointId}/deliveries`)
      for (const deadline = Date.now() + 5000; deliveries.json.data.length === 0 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        deliveries = await call(second, setup.ownerKey, 'GET', `/v1/webhooks/${setup.endpointId}/deliveries`)
      }
      assert.deepEqual(deliveries.json.data.map((item: { attempt: number, status_code: number }) => [item.attempt, item.status_code]), [[2, 204]])
    } finally {
      await stop(second)
    }
  })

  test('SIGTERM waits for the delivery in flight, which is recorded before the process exits', async () => {
    const data = join(folder, 'shutdown')
    receiver.received.length = 0
    receiver.answer = () => ({ status: 200, afterMs: 1000 })
    const server = await startServer(['--data', data, '--no-demo'], WEBHOOK_ENV)
    let setup: Awaited<ReturnType<typeof setUp>>
    try {
      await server.ready()
      setup = await setUp(server, receiver.url)
      await file(server, setup.orgId)
      await receiver.waitFor(1, 5000)
      server.child.kill('SIGTERM')
      assert.equal(await server.exited, 0, server.output.stderr)
    } finally {
      await stop(server)
    }
    const again = await startServer(['--data', data, '--no-demo'], WEBHOOK_ENV)
    try {
      await again.ready()
      const deliveries = await call(again, setup.ownerKey, 'GET', `/v1/webhooks/${setup.endpointId}/deliveries`)
      const attempts = deliveries.json.data as Array<{ succeeded: boolean, attempt: number, status_code: number }>
      assert.deepEqual(attempts.map((item) => [item.succeeded, item.attempt, item.status_code]), [[true, 1, 200]])
      assert.equal(receiver.received.length, 1)
    } finally {
      await stop(again)
    }
  })
})

const databaseUrl = testDatabaseUrl()
describe('webhooks across processes (PostgreSQL)', { skip: databaseUrl === null ? 'DATABASE_URL is not set' : false }, () => {
  const name = `ombuds_webhooks_${process.pid}_${randomBytes(4).toString('hex')}`
  const receiver = new Receiver()
  let url = ''
  before(async () => {
    await receiver.start()
    const admin = new pg.Client({ connectionString: databaseUrl ?? '' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const scratch = new URL(databaseUrl ?? '')
    scratch.pathname = `/${name}`
    url = scratch.toString()
  })
  after(async () => {
    await receiver.stop()
    const admin = new pg.Client({ connectionString: databaseUrl ?? '' })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  })

  test('two API processes deliver each event exactly once', async () => {
    const env = { ...WEBHOOK_ENV, DATABASE_URL: url, OMBUDS_SECRETS_KEY: randomBytes(32).toString('base64') }
    const a = await startServer(['--no-demo'], env)
    let b: ServerProcess | null = null
    try {
      await a.ready()
      b = await startServer(['--no-demo'], env)
      await b.ready()
      const setup = await setUp(a, receiver.url)
      const servers = [a, b]
      const filed: string[] = []
      for (let round = 0; round < 10; round++) {
        filed.push(...await Promise.all([0, 1, 2, 3].map(async (i) => await file(servers[i % 2] as ServerProcess, setup.orgId))))
      }
      const ids = new Set<string>()
      const deadline = Date.now() + 20_000
      while (ids.size < filed.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        for (const entry of receiver.received) ids.add(String(entry.headers['webhook-id']))
      }
      assert.equal(ids.size, filed.length, 'every event arrived')
      // Time for a duplicate to show up, were there one.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      assert.equal(receiver.received.length, filed.length, 'no event arrived twice')
      const verifier = new Webhook(setup.secret)
      const complaints = receiver.received
        .map((entry) => (verifier.verify(entry.body, entry.headers as Record<string, string>) as { data: { id: string } }).data.id)
      assert.deepEqual(complaints.sort(), [...filed].sort())
      const attempts = await call(b, setup.ownerKey, 'GET', `/v1/webhooks/${setup.endpointId}/deliveries?limit=100`)
      assert.equal(attempts.json.meta.total, filed.length)
      assert.ok(attempts.json.data.every((item: { succeeded: boolean, attempt: number }) => item.succeeded && item.attempt === 1))
    } finally {
      await stop(a)
      if (b !== null) await stop(b)
    }
  })

  test('ombuds serve --workers 2: each event delivered exactly once', async () => {
    receiver.received.length = 0
    receiver.answer = () => 204
    const env = { ...WEBHOOK_ENV, DATABASE_URL: url, OMBUDS_SECRETS_KEY: randomBytes(32).toString('base64') }
    const server = await startServer(['--no-demo', '--workers', '2'], env)
    try {
      await server.ready(60_000)
      const setup = await setUp(server, receiver.url)
      const filed: string[] = []
      for (let round = 0; round < 10; round++) filed.push(...await Promise.all([0, 1, 2, 3].map(async () => await file(server, setup.orgId))))
      const deadline = Date.now() + 20_000
      while (new Set(receiver.received.map((entry) => entry.headers['webhook-id'])).size < filed.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      // Time for a duplicate to show up, were there one.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const verifier = new Webhook(setup.secret)
      const complaints = receiver.received
        .map((entry) => (verifier.verify(entry.body, entry.headers as Record<string, string>) as { data: { id: string } }).data.id)
      assert.deepEqual(complaints.sort(), [...filed].sort(), 'every event once')
      const attempts = await call(server, setup.ownerKey, 'GET', `/v1/webhooks/${setup.endpointId}/deliveries?limit=100`)
      assert.equal(attempts.json.meta.total, filed.length)
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })
})
