import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { Redis } from 'ioredis'
import { inheritedEnvironment, testDatabaseUrl } from '../../src/config.js'
import { runCli, type ServerProcess, startServer } from '../trust/server-process.js'

/**
 * More than one process on one PostgreSQL database: two `ombuds serve` processes (as two
 * machines behind a proxy would run them) share the rate limit through Redis and
 * everything else through PostgreSQL; `--workers 2` runs two worker processes under one
 * primary. Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL, default the local one).
 */
const baseUrl = testDatabaseUrl()
const REDIS_URL = inheritedEnvironment().REDIS_URL ?? 'redis://127.0.0.1:6379'
const RATE_LIMIT = 100
const key = (): string => `am_live_${randomBytes(24).toString('hex').slice(0, 32)}`

test('--workers above 1 is refused on the embedded store, in one line', async () => {
  const result = await runCli(['serve', '--port', '0', '--data', 'memory://', '--no-demo'], { OMBUDS_WORKERS: '2' })
  assert.equal(result.code, 1)
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  assert.match(result.stderr, /--workers 2 needs PostgreSQL \(DATABASE_URL\)/)
})

describe('two processes on one PostgreSQL database', { skip: baseUrl === null ? 'DATABASE_URL is not set' : false }, () => {
  const name = `ombuds_test_workers_${randomBytes(4).toString('hex')}`
  const platformKey = key()
  let databaseUrl: string
  let first: ServerProcess
  let second: ServerProcess
  let admin: pg.Client

  before(async () => {
    const client = new pg.Client({ connectionString: baseUrl as string })
    await client.connect()
    await client.query(`CREATE DATABASE ${name}`)
    await client.end()
    const url = new URL(baseUrl as string)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    const env = { DATABASE_URL: databaseUrl, OMBUDS_BOOTSTRAP_PLATFORM_KEY: platformKey, REDIS_URL, RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), OMBUDS_NO_DEMO: '1' }
    // The first migrates; the second starts on the migrated database.
    first = await startServer([], env)
    await first.ready()
    second = await startServer([], env)
    await second.ready()
    admin = new pg.Client({ connectionString: databaseUrl })
    await admin.connect()
  })

  after(async () => {
    for (const server of [first, second]) server?.child.kill('SIGTERM')
    await Promise.all([first?.exited, second?.exited])
    await admin?.end()
    const client = new pg.Client({ connectionString: baseUrl as string })
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await client.end()
  })

  const call = async (server: ServerProcess, bearer: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    const text = await response.text()
    return { status: response.status, body: text.length > 0 ? JSON.parse(text) as { data: Record<string, unknown> } : null, text }
  }
  const createOrg = async () => {
    const org = await call(first, platformKey, 'POST', '/v1/admin/orgs', { name: `Org ${randomBytes(3).toString('hex')}` })
    assert.equal(org.status, 201, org.text)
    const orgId = org.body?.data.id as string
    const issue = async (role: string) => {
      const issued = await call(second, platformKey, 'POST', `/v1/admin/orgs/${orgId}/api-keys`, { role, label: role })
      assert.equal(issued.status, 201, issued.text)
      return { id: issued.body?.data.id as string, plaintext: issued.body?.data.plaintext as string }
    }
    return { orgId, owner: await issue('owner'), member: await issue('member') }
  }

  test('one key\'s rate limit is global: both processes count it in Redis', async (t) => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    const reachable = await redis.connect().then(async () => await redis.ping(), () => null)
    redis.disconnect()
    if (reachable !== 'PONG') {
      t.skip(`Redis is not reachable at ${REDIS_URL}`)
      return
    }
    const { member } = await createOrg()
    const statuses: number[] = []
    // Both processes at once, ten requests at a time (well inside the minute even on a loaded machine): each sees 60 of the 120.
    for (let batch = 0; batch < 12; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, async (_, i) => await call(i % 2 === 0 ? first : second, member.plaintext, 'GET', '/v1/complaints?limit=1')))
      statuses.push(...answers.map((answer) => answer.status))
    }
    assert.equal(statuses.filter((status) => status === 200).length, RATE_LIMIT)
    assert.equal(statuses.filter((status) => status === 429).length, 120 - RATE_LIMIT)
  })

  test('concurrent filings and suppressions through both processes leave tallies equal to COUNT(*)', async () => {
    const { orgId, owner } = await createOrg()
    const filings = Array.from({ length: 40 }, (_, i) => call(i % 2 === 0 ? first : second, platformKey, 'POST', '/v1/complaints', {
      org_id: orgId, category: i % 3 === 0 ? 'phishing_fraud' : 'unwanted_contact', channel: 'sms', reporter_number: `+1415555${String(1000 + i)}`
    }))
    const suppressions = Array.from({ length: 20 }, (_, i) => call(i % 2 === 0 ? first : second, owner.plaintext, 'POST', '/v1/suppressions', {
      suppressions: [{ channel: 'email', address: `r${i}@example.com` }, { channel: 'email', address: 'shared@example.com' }]
    }))
    for (const response of await Promise.all([...filings, ...suppressions])) assert.ok(response.status === 201 || response.status === 200, response.text)

    const complaints = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints WHERE org_id = $1', [orgId])
    const complaintTally = await admin.query<{ n: number }>("SELECT coalesce(sum(total), 0)::int AS n FROM complaint_tallies WHERE org_id = $1 AND scope = 'org'", [orgId])
    assert.ok((complaints.rows[0]?.n ?? 0) >= 40)
    assert.equal(complaintTally.rows[0]?.n, complaints.rows[0]?.n)
    const byKey = await admin.query<{ mismatched: number }>(`
      SELECT count(*)::int AS mismatched FROM (
        SELECT status, category, source, channel, count(*) AS n FROM complaints WHERE org_id = $1 GROUP BY 1, 2, 3, 4
      ) c FULL JOIN (
        SELECT status, category, source, channel, sum(total) AS n FROM complaint_tallies WHERE org_id = $1 AND scope = 'org' GROUP BY 1, 2, 3, 4
      ) t USING (status, category, source, channel)
      WHERE c.n IS DISTINCT FROM t.n`, [orgId])
    assert.equal(byKey.rows[0]?.mismatched, 0)

    // Filing a complaint also suppresses its reporter (sms): both channels count.
    const suppressed = await admin.query<{ channel: string, n: number }>('SELECT channel, count(*)::int AS n FROM suppressions WHERE org_id = $1 GROUP BY 1 ORDER BY 1', [orgId])
    const suppressionTally = await admin.query<{ channel: string, n: number }>(
      'SELECT channel, sum(total)::int AS n FROM suppression_tallies WHERE org_id = $1 GROUP BY 1 HAVING sum(total) > 0 ORDER BY 1', [orgId])
    assert.equal(suppressed.rows.find((row) => row.channel === 'email')?.n, 21, 'twenty addresses and the one all requests share, once')
    assert.deepEqual(suppressionTally.rows, suppressed.rows)
    const listed = await call(second, owner.plaintext, 'GET', '/v1/complaints?limit=1')
    assert.equal((listed.body as unknown as { meta: { total: number } }).meta.total, complaints.rows[0]?.n)
  })

  test('an Idempotency-Key sent to both processes at once files one complaint', async () => {
    const { orgId } = await createOrg()
    const body = { org_id: orgId, category: 'phishing_fraud', channel: 'sms', reporter_number: '+14155550199' }
    const headers = { 'idempotency-key': `ticket-${randomBytes(4).toString('hex')}` }
    const answers = await Promise.all([first, second, first, second].map((server) => call(server, platformKey, 'POST', '/v1/complaints', body, headers)))
    const ids = new Set(answers.filter((answer) => answer.status === 201).map((answer) => answer.body?.data.id))
    assert.equal(ids.size, 1, answers.map((answer) => `${answer.status} ${answer.text.slice(0, 200)}`).join('\n'))
    for (const answer of answers) assert.ok(answer.status === 201 || answer.status === 409, answer.text)
    const rows = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints WHERE org_id = $1', [orgId])
    assert.equal(rows.rows[0]?.n, 1)
  })

  test('a key revoked through one process is refused by the other within the documented second', async () => {
    const { member } = await createOrg()
    assert.equal((await call(second, member.plaintext, 'GET', '/v1/complaints?limit=1')).status, 200, 'the second process has the key cached')
    assert.equal((await call(first, platformKey, 'DELETE', `/v1/admin/api-keys/${member.id}`)).status, 200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    assert.equal((await call(second, member.plaintext, 'GET', '/v1/complaints?limit=1')).status, 401)
    assert.equal((await call(first, member.plaintext, 'GET', '/v1/complaints?limit=1')).status, 401)
  })

  test('--workers 2: one port, two worker processes, a dead worker is replaced, SIGTERM stops them all', async () => {
    const server = await startServer([], { DATABASE_URL: databaseUrl, OMBUDS_BOOTSTRAP_PLATFORM_KEY: platformKey, OMBUDS_NO_DEMO: '1', OMBUDS_WORKERS: '2' })
    try {
      await server.ready()
      const workers = (): number[] => {
        const listed = spawnSync('ps', ['-o', 'pid=', '--ppid', String(server.child.pid)]).stdout.toString()
        return listed.trim().split(/\s+/).filter(Boolean).map(Number)
      }
      const deadline = Date.now() + 60_000
      while (workers().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
      const started = workers()
      assert.equal(started.length, 2)
      assert.match(server.output.stdout, /in 2 processes/)
      const answers = await Promise.all(Array.from({ length: 20 }, async () => await call(server, platformKey, 'GET', '/v1/admin/orgs')))
      assert.ok(answers.every((answer) => answer.status === 200))

      process.kill(started[0] as number, 'SIGKILL')
      const replaced = (): boolean => workers().length === 2 && !workers().includes(started[0] as number)
      while (!replaced() && Date.now() < deadline + 30_000) await new Promise((resolve) => setTimeout(resolve, 200))
      assert.equal(workers().length, 2, `a new worker took the dead one's place: ${server.output.stderr}`)
      await server.ready()
      assert.match(server.output.stderr, /ended \(SIGKILL\); starting another/)
    } finally {
      server.child.kill('SIGTERM')
    }
    assert.equal(await server.exited, 0)
  })
})
