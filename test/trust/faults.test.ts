import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { testConfig, testDatabaseUrl } from '../../src/config.js'
import type { App } from '../../src/http/types.js'
import { type Cluster, clusterUnavailable, startCluster } from './pg-cluster.js'

const BOOTSTRAP_KEY = 'am_live_FaultsTestBootstrapPlatformKey0001'.slice(0, 40)
const REQUEST_TIMEOUT_MS = 10_000

interface Write { kind: 'suppression' | 'complaint' | 'inbound', id: string, status: number, ms: number, retryAfter: string | undefined, at: number }

describe('faults: PostgreSQL stopped under a steady write load (a private cluster)', { skip: clusterUnavailable(testDatabaseUrl()) ?? false }, () => {
  let cluster: Cluster
  let app: App
  before(async () => {
    cluster = await startCluster()
    const admin = new pg.Client({ connectionString: cluster.url })
    await admin.connect()
    await admin.query('CREATE DATABASE ombuds_faults')
    await admin.end()
    app = await buildApp(testConfig({
      databaseUrl: cluster.url.replace(/\/postgres$/, '/ombuds_faults'),
      bootstrapPlatformKey: BOOTSTRAP_KEY,
      rateLimitPerMinute: 0,
      authFailuresPerMinute: 0,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      poolWaitMs: 2000,
      statementTimeoutMs: 5000
    }))
    await app.ready()
  })
  after(async () => {
    await app?.close()
    await cluster?.destroy()
  })

  test('503 with Retry-After while it is down (never 500, never longer than the request timeout), writes succeed within 5 s of its return, zero answered writes lost', async () => {
    const call = async (key: string, method: 'POST', url: string, payload: object): Promise<LightMyRequestResponse> =>
      await app.inject({ method, url, payload, headers: { authorization: `Bearer ${key}` } })
    const org = (await call(BOOTSTRAP_KEY, 'POST', '/v1/admin/orgs', { name: 'Faults' })).json().data as { id: string }
    const ownerKey = ((await call(BOOTSTRAP_KEY, 'POST', `/v1/admin/orgs/${org.id}/api-keys`, { role: 'owner', label: 'o' })).json().data as { plaintext: string }).plaintext
    const number = `+1415${randomInt(2_000_000, 9_999_999)}`
    assert.equal((await call(BOOTSTRAP_KEY, 'POST', `/v1/admin/orgs/${org.id}/phone-numbers`, { number })).statusCode, 201)

    const writes: Write[] = []
    let running = true
    let sequence = 0
    const record = (kind: Write['kind'], id: string, response: LightMyRequestResponse, started: number): void => {
      writes.push({ kind, id, status: response.statusCode, ms: Date.now() - started, retryAfter: response.headers['retry-after'] as string | undefined, at: Date.now() })
    }
    const writers = [
      async () => {
        const address = `fault${sequence++}-${randomUUID().slice(0, 8)}@example.com`
        const started = Date.now()
        record('suppression', address, await call(ownerKey, 'POST', '/v1/suppressions', { suppressions: [{ channel: 'email', address }] }), started)
      },
      async () => {
        const started = Date.now()
        const response = await call(BOOTSTRAP_KEY, 'POST', '/v1/complaints', { org_id: org.id, category: 'other', channel: 'sms', reporter_number: `+1628${randomInt(2_000_000, 9_999_999)}` })
        record('complaint', response.statusCode === 201 ? (response.json().data as { id: string }).id : '', response, started)
      },
      async () => {
        const id = randomUUID()
        const started = Date.now()
        record('inbound', id, await call(BOOTSTRAP_KEY, 'POST', '/v1/intake/inbound-messages', { id, from: `+1628${randomInt(2_000_000, 9_999_999)}`, to: number, body: 'STOP' }), started)
      }
    ]
    const loops = writers.map(async (write) => {
      // `running` is cleared by the test body while the writers loop.
      // eslint-disable-next-line no-unmodified-loop-condition
      while (running) {
        await write()
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })

    await new Promise((resolve) => setTimeout(resolve, 1500))
    const stoppedAt = Date.now()
    await cluster.stop('immediate')
    await new Promise((resolve) => setTimeout(resolve, 3000))
    await cluster.start()
    const restartedAt = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 6000))
    running = false
    await Promise.all(loops)

    const statuses = new Map<number, number>()
    for (const write of writes) statuses.set(write.status, (statuses.get(write.status) ?? 0) + 1)
    const summary = JSON.stringify([...statuses])
    assert.ok(writes.every((write) => write.status < 500 || write.status === 503), `only 2xx and 503: ${summary}`)
    assert.ok(writes.some((write) => write.status === 503 && write.at > stoppedAt), `503s while it was down: ${summary}`)
    for (const write of writes.filter((w) => w.status === 503)) assert.ok(Number(write.retryAfter) >= 1, 'Retry-After on every 503')
    const slowest = Math.max(...writes.map((write) => write.ms))
    assert.ok(slowest <= REQUEST_TIMEOUT_MS + 1000, `slowest answer ${slowest} ms`)
    const firstSuccessAfter = writes.find((write) => write.at > restartedAt && write.status < 300)
    assert.ok(firstSuccessAfter !== undefined && firstSuccessAfter.at - restartedAt < 5000, `a write succeeded ${firstSuccessAfter === undefined ? 'never' : `${firstSuccessAfter.at - restartedAt} ms`} after the restart`)

    // Every write answered 2xx is in the database.
    const client = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/, '/ombuds_faults') })
    await client.connect()
    try {
      const answered = writes.filter((write) => write.status < 300)
      const ids = (kind: Write['kind']) => answered.filter((write) => write.kind === kind).map((write) => write.id)
      const suppressions = await client.query('SELECT count(*)::int AS n FROM suppressions WHERE org_id = $1 AND address = ANY($2)', [org.id, ids('suppression')])
      const complaints = await client.query('SELECT count(*)::int AS n FROM complaints WHERE org_id = $1 AND id = ANY($2::uuid[])', [org.id, ids('complaint')])
      const inbound = await client.query('SELECT count(*)::int AS n FROM inbound_messages WHERE id::text = ANY($1::text[])', [ids('inbound')])
      assert.equal(suppressions.rows[0].n, ids('suppression').length, 'suppressions answered 201 are stored')
      assert.equal(complaints.rows[0].n, ids('complaint').length, 'complaints answered 201 are stored')
      assert.equal(inbound.rows[0].n, ids('inbound').length, 'inbound messages answered 2xx are stored')
      assert.ok(answered.length > 30, `enough writes: ${summary}`)
    } finally {
      await client.end()
    }
  })
})
