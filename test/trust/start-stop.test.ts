import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import pg from 'pg'
import { testDatabaseUrl } from '../../src/config.js'
import { freePort, migratedDataFolder, runCli, startServer } from './server-process.js'

const BOOTSTRAP_KEY = 'am_live_StartStopTestBootstrapKey000000001'.slice(0, 40)

/** One line on stderr, no stack trace. */
function assertOneLine (stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n')
  assert.equal(lines.length, 1, stderr)
  assert.match(lines[0] as string, pattern)
  assert.doesNotMatch(stderr, /\n\s+at /)
}

describe('start and stop (real processes)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ombuds-start-stop-'))
  after(() => { rmSync(folder, { recursive: true, force: true }) })

  test('one writer per embedded data folder: a second process exits at once naming the folder and the holder; a killed holder\'s lock is taken over', async () => {
    const data = await migratedDataFolder(join(folder, 'data'))
    const first = await startServer(['--data', data, '--no-demo'])
    try {
      await first.ready()
      const second = await runCli(['serve', '--port', String(await freePort()), '--data', data, '--no-demo'], {}, 60_000)
      assert.equal(second.code, 1)
      assertOneLine(second.stderr, new RegExp(`data folder .*data is in use by process ${String(first.child.pid)}`))
      const migrate = await runCli(['migrate', '--data', data], {}, 60_000)
      assert.equal(migrate.code, 1, 'migrate takes the lock too')
      assert.match(migrate.stderr, /is in use by process/)
    } finally {
      first.child.kill('SIGKILL')
      await first.exited
    }
    // The holder died without releasing: the next start takes the folder over at once.
    const third = await startServer(['--data', data, '--no-demo'])
    try {
      await third.ready()
    } finally {
      third.child.kill('SIGTERM')
      assert.equal(await third.exited, 0)
    }
  })

  test('a port in use is one line and exit code 1', async () => {
    const blocker = createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => { resolve((blocker.address() as { port: number }).port) }))
    try {
      const run = await runCli(['serve', '--port', String(port), '--data', 'memory://'])
      assert.equal(run.code, 1)
      assertOneLine(run.stderr, new RegExp(`^ombuds: port ${port} on 127.0.0.1 is already in use: stop the other process or choose another --port`))
    } finally {
      blocker.close()
    }
  })

  test('an unreachable database is one line and exit code 1; its stack only at debug', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/nothing'
    const run = await runCli(['serve', '--database-url', url])
    assert.equal(run.code, 1)
    assertOneLine(run.stderr, /^ombuds: cannot reach PostgreSQL at 127\.0\.0\.1:1\/nothing \(connection refused\): is it running\? Check DATABASE_URL$/)
    const debug = await runCli(['serve', '--database-url', url], { LOG_LEVEL: 'debug' })
    assert.equal(debug.code, 1)
    assert.match(debug.stderr, /\n\s+at /, 'the stack at debug')
  })

  test('SIGTERM drains for at most the grace period, then exits', async () => {
    const server = await startServer(['--data', await migratedDataFolder(join(folder, 'grace'))], { OMBUDS_SHUTDOWN_GRACE_MS: '1500', OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
    await server.ready()
    // An upload that never finishes keeps one request in flight.
    const socket = connect(Number(new URL(server.base).port), '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(`POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${BOOTSTRAP_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`)
    socket.on('error', () => {})
    await new Promise((resolve) => setTimeout(resolve, 300))
    const signalled = Date.now()
    server.child.kill('SIGTERM')
    const code = await server.exited
    const took = Date.now() - signalled
    socket.destroy()
    assert.equal(code, 1, server.output.stderr)
    assert.match(server.output.stderr, /grace period/)
    assert.ok(took >= 1400 && took < 15_000, `exited after ${took} ms`)
  })

  const databaseUrl = testDatabaseUrl()
  describe('on PostgreSQL', { skip: databaseUrl === null ? 'DATABASE_URL is not set' : false }, () => {
    const scratch = async (name: string, setup?: string): Promise<{ url: string, drop: () => Promise<void> }> => {
      const admin = new pg.Client({ connectionString: databaseUrl as string })
      await admin.connect()
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const url = new URL(databaseUrl as string)
      url.pathname = `/${name}`
      if (setup !== undefined) {
        const client = new pg.Client({ connectionString: url.toString() })
        await client.connect()
        await client.query(setup)
        await client.end()
      }
      return {
        url: url.toString(),
        drop: async () => {
          const client = new pg.Client({ connectionString: databaseUrl as string })
          await client.connect()
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          await client.end()
        }
      }
    }

    test('a missing database and a failed migration are one line each', async () => {
      const url = new URL(databaseUrl as string)
      url.pathname = `/ombuds_missing_${process.pid}`
      const missing = await runCli(['serve', '--database-url', url.toString()])
      assert.equal(missing.code, 1)
      assertOneLine(missing.stderr, /^ombuds: database "ombuds_missing_\d+" does not exist on PostgreSQL at .*: create it \(createdb\) or fix DATABASE_URL$/)

      const broken = await scratch(`ombuds_broken_${process.pid}`, 'CREATE TABLE organizations (x int)')
      try {
        const run = await runCli(['serve', '--database-url', broken.url])
        assert.equal(run.code, 1)
        assertOneLine(run.stderr, /^ombuds: a migration failed: .*organizations.* already exists; the store was left as it was before that migration/)
      } finally {
        await broken.drop()
      }
    })

    test('no demo data on a DATABASE_URL store unless --demo', async () => {
      const store = await scratch(`ombuds_demo_${process.pid}`)
      try {
        const plain = await startServer(['--database-url', store.url])
        await plain.ready()
        plain.child.kill('SIGTERM')
        assert.equal(await plain.exited, 0)
        assert.doesNotMatch(plain.output.stdout, /platform key/)
        const demo = await startServer(['--database-url', store.url, '--demo'])
        await demo.ready()
        demo.child.kill('SIGTERM')
        assert.equal(await demo.exited, 0)
        assert.match(demo.output.stdout, /platform key: +am_live_/)
      } finally {
        await store.drop()
      }
    })
  })
})
