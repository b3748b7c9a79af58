import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadClientConfig, loadConfig, testConfig, testDatabaseUrl } from '../../src/config.js'
import { createStore } from '../../src/db/store.js'
import { runCli, spawnCli } from './run-cli.js'

const BOOTSTRAP_KEY = 'am_live_BootstrapKeyForTheCliTest0000001'.slice(0, 40)

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

async function waitFor (child: ChildProcess, output: { text: string }, pattern: RegExp, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!pattern.test(output.text)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output.text}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}: ${output.text}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The subcommands a help text lists (its "Commands:" section, without `help`). */
function subcommands (help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1] ?? ''
  return [...section.matchAll(/^ {2}(\w[\w-]*)/gm)].map((match) => match[1] as string).filter((name) => name !== 'help')
}

describe('configuration', () => {
  test('defaults and overrides', () => {
    const config = loadConfig({}, {})
    assert.equal(config.port, 8080)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.databaseUrl, null)
    assert.match(config.dataDir, /\.ombuds\/data$/)
    assert.equal(config.logLevel, 'info')
    assert.equal(config.workers, 1)
    const overridden = loadConfig({ port: '9000', dataDir: 'memory://', demo: false, workers: '0' }, { PORT: '1', DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn', OMBUDS_WORKERS: '3' })
    assert.equal(overridden.port, 9000)
    assert.equal(overridden.dataDir, 'memory://')
    assert.equal(overridden.databaseUrl, 'postgres://u@h/db')
    assert.equal(overridden.demo, false)
    assert.equal(overridden.logLevel, 'warn')
    assert.equal(overridden.workers, 0, 'the flag wins over OMBUDS_WORKERS')
    assert.equal(loadConfig({}, { OMBUDS_WORKERS: '4' }).workers, 4)
    assert.ok(Object.isFrozen(overridden))
  })

  test('bad values name the variable', () => {
    for (const [env, variable] of [
      [{ PORT: 'eighty' }, 'PORT'], [{ PORT: '70000' }, 'PORT'], [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'], [{ OMBUDS_BOOTSTRAP_PLATFORM_KEY: 'secret' }, 'OMBUDS_BOOTSTRAP_PLATFORM_KEY'],
      [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX'], [{ OMBUDS_WORKERS: 'many' }, 'OMBUDS_WORKERS'], [{ OMBUDS_WORKERS: '-1' }, 'OMBUDS_WORKERS']
    ] as const) {
      assert.throws(() => loadConfig({}, env), (error: unknown) => error instanceof ConfigError && error.message.startsWith(variable))
    }
  })

  test('the CLI\'s server and key: flags win over OMBUDS_URL and OMBUDS_KEY', () => {
    assert.deepEqual({ ...loadClientConfig({}, {}) }, { url: 'http://127.0.0.1:8080', key: null })
    const key = `am_live_${'k'.repeat(32)}`
    assert.deepEqual({ ...loadClientConfig({}, { OMBUDS_URL: 'https://ombuds.example.com/', OMBUDS_KEY: key }) }, { url: 'https://ombuds.example.com', key })
    assert.equal(loadClientConfig({ url: 'http://10.0.0.1:9000' }, { OMBUDS_URL: 'https://ombuds.example.com' }).url, 'http://10.0.0.1:9000')
    assert.throws(() => loadClientConfig({}, { OMBUDS_URL: 'ftp://x' }), (error: unknown) => error instanceof ConfigError && /^OMBUDS_URL/.test(error.message))
    assert.throws(() => loadClientConfig({ key: 'secret' }, {}), (error: unknown) => error instanceof ConfigError && /^OMBUDS_KEY/.test(error.message))
  })
})

describe('the ombuds command line', () => {
  test('--help on every command exits 0 and prints its usage', async () => {
    const seen: string[] = []
    let level: string[][] = [[]]
    while (level.length > 0) {
      const runs = await Promise.all(level.map(async (path) => ({ path, run: await runCli([...path, '--help']) })))
      level = []
      for (const { path, run } of runs) {
        assert.equal(run.code, 0, `ombuds ${path.join(' ')} --help: ${run.stderr}`)
        assert.match(run.stdout, new RegExp(`^Usage: ombuds ${path.map((part) => `${part} `).join('')}`), path.join(' '))
        seen.push(path.join(' '))
        level.push(...subcommands(run.stdout).map((name) => [...path, name]))
      }
    }
    for (const command of ['serve', 'migrate', 'orgs create', 'orgs list', 'keys create', 'keys revoke', 'numbers add', 'domains add']) {
      assert.ok(seen.includes(command), `${command} is listed in the help (saw: ${seen.join(', ')})`)
    }
    assert.match((await runCli(['--help'])).stdout, /Exit codes: 0 done, 1 failed.*2 wrong command line/)
  })

  test('a wrong command line exits 2 with the usage; a bad setting exits 1 with one line naming it', async () => {
    const unknown = await runCli(['launch'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /^ombuds: unknown command 'launch'\n/)
    assert.match(unknown.stderr, /Usage: ombuds \[options\] \[command\]/)
    assert.equal(unknown.stdout, '')
    const nothing = await runCli([])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr, /Usage: ombuds/)
    const option = await runCli(['serve', '--bogus'])
    assert.equal(option.code, 2)
    assert.match(option.stderr, /^ombuds: unknown option '--bogus'\n[\s\S]*Usage: ombuds serve/)
    const role = await runCli(['keys', 'create', '--org', 'x', '--role', 'king'])
    assert.equal(role.code, 2)
    assert.match(role.stderr, /argument 'king' is invalid. Allowed choices are owner, admin, member/)
    const platform = await runCli(['keys', 'create', '--platform', '--org', 'x'])
    assert.equal(platform.code, 2)
    assert.match(platform.stderr, /^ombuds: --platform creates a platform key: it takes neither --org nor --role\n/)

    const port = await runCli(['serve', '--data', 'memory://'], { PORT: 'eighty' })
    assert.equal(port.code, 1)
    assert.equal(port.stderr, 'ombuds: PORT must be a whole number from 0 to 65535, got "eighty"\n')
    const workers = await runCli(['serve', '--data', 'memory://', '--workers', 'all'])
    assert.equal(workers.code, 1)
    assert.equal(workers.stderr, 'ombuds: OMBUDS_WORKERS must be a whole number from 0 to 1024, got "all"\n')
    const closed = `http://127.0.0.1:${await freePort()}`
    const keyless = await runCli(['orgs', 'list', '--url', closed])
    assert.equal(keyless.code, 1)
    assert.equal(keyless.stderr, 'ombuds: an API key is required: pass --key am_live_… or set OMBUDS_KEY\n')
    const unreachable = await runCli(['orgs', 'list'], { OMBUDS_URL: closed, OMBUDS_KEY: BOOTSTRAP_KEY })
    assert.equal(unreachable.code, 1)
    assert.equal(unreachable.stderr, `ombuds: cannot reach ${closed}: connection refused: is it running? (check --url / OMBUDS_URL)\n`)
  })
})

describe('serve, migrate and the platform key of last resort (embedded store)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ombuds-cli-'))
  const store = join(dataDir, 'store')
  after(() => { rmSync(dataDir, { recursive: true, force: true }) })
  let recoveryKey = ''

  test('migrate applies migrations once', async () => {
    const first = await runCli(['migrate', '--data', store])
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /^Applied: 2026_11_23_0001_foundation/)
    const second = await runCli(['migrate', '--data', store])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(second.stdout.trim(), 'Already up to date.')
  })

  test('keys create --platform prints a new platform key, written straight into the store', async () => {
    const created = await runCli(['keys', 'create', '--platform', '--data', store, '--label', 'recovery'])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /^am_live_[0-9A-Za-z]{32}\n$/)
    assert.match(created.stderr, /^Created platform key am_live_\w{4}… \(id [0-9a-f-]{36}\); it is shown once:\n$/)
    recoveryKey = created.stdout.trim()
  })

  // Runs on the store the tests above created (one initdb instead of two).
  test('serve: says where it runs on every start, demo data once, keys from the store and the environment, clean shutdown', async () => {
    const start = async () => {
      const port = await freePort()
      const child = spawnCli(['serve', '--port', String(port), '--data', store, '--demo', '--workers', '1'], { LOG_LEVEL: 'warn', OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
      const output = { text: '' }
      child.stdout?.on('data', (chunk: Buffer) => { output.text += chunk.toString() })
      child.stderr?.on('data', (chunk: Buffer) => { output.text += chunk.toString() })
      return { child, output, base: `http://127.0.0.1:${port}` }
    }
    const stop = async (child: ChildProcess) => {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      return await exited
    }

    const first = await start()
    await waitFor(first.child, first.output, /platform key: +am_live_/)
    assert.match(first.output.text, new RegExp(`Ombuds is running at ${first.base} \\(console: ${first.base}/console\\)`))
    const ownerKey = /owner key: +(am_live_\w{32})/.exec(first.output.text)?.[1]
    assert.ok(ownerKey, first.output.text)
    const complaints = await fetch(`${first.base}/v1/complaints?limit=100`, { headers: { authorization: `Bearer ${ownerKey}` } })
    const body = await complaints.json() as { data: Array<{ status: string, category: string, source: string }>, meta: { total: number } }
    assert.ok(body.meta.total >= 24)
    for (const status of ['new', 'triage', 'resolved']) assert.ok(body.data.some((c) => c.status === status), status)
    for (const source of ['recipient', 'carrier', 'staff', 'feedback_loop', 'import']) assert.ok(body.data.some((c) => c.source === source), source)
    assert.equal(new Set(body.data.map((c) => c.category)).size, 7)
    const suppressions = await fetch(`${first.base}/v1/suppressions`, { headers: { authorization: `Bearer ${ownerKey}` } })
    const suppressed = await suppressions.json() as { meta: { total: number }, data: Array<{ reason: string, complaint_id: string | null }> }
    assert.ok(suppressed.meta.total >= 20, `demo suppressions: ${suppressed.meta.total}`)
    assert.ok(suppressed.data.some((s) => s.reason === 'opt_out') && suppressed.data.every((s) => s.complaint_id !== null))
    for (const key of [BOOTSTRAP_KEY, recoveryKey]) {
      const admin = await fetch(`${first.base}/v1/admin/orgs`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Via a platform key' })
      })
      assert.equal(admin.status, 201, key)
    }
    assert.equal(await stop(first.child), 0)

    const second = await start()
    await waitFor(second.child, second.output, /Ombuds is running at/)
    assert.match(second.output.text, new RegExp(`Ombuds is running at ${second.base} \\(console: ${second.base}/console\\)`))
    assert.doesNotMatch(second.output.text, /owner key/, 'demo keys are printed only once')
    const stillThere = await fetch(`${second.base}/v1/complaints`, { headers: { authorization: `Bearer ${ownerKey}` } })
    assert.equal(stillThere.status, 200)
    assert.equal(await stop(second.child), 0)
  })
})

const postgresUrl = testDatabaseUrl()
if (postgresUrl !== null) {
  test('keys create --platform against PostgreSQL (--database-url)', async () => {
    const name = `ombuds_cli_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: postgresUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(postgresUrl)
    url.pathname = `/${name}`
    try {
      const created = await runCli(['keys', 'create', '--platform', '--database-url', url.toString()])
      assert.equal(created.code, 0, created.stderr)
      const key = created.stdout.trim()
      assert.match(key, /^am_live_[0-9A-Za-z]{32}$/)
      const store = await createStore({ databaseUrl: url.toString(), dataDir: 'memory://' })
      const app = await buildApp(testConfig({ databaseUrl: url.toString() }), { store })
      try {
        const orgs = await app.inject({ method: 'GET', url: '/v1/admin/orgs', headers: { authorization: `Bearer ${key}` } })
        assert.equal(orgs.statusCode, 200, orgs.body)
      } finally {
        await app.close()
        await store.close()
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    }
  })
}
