import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { ConfigError, inheritedEnvironment, loadConfig } from '../../src/config.js'

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts')
const BOOTSTRAP_KEY = 'am_live_BootstrapKeyForTheCliTest0000001'.slice(0, 40)

interface Run { code: number | null, stdout: string, stderr: string }

function runCli (args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: inheritedEnvironment().PATH ?? '', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('exit', (code) => { resolve({ code, stdout, stderr }) })
  })
}

async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

async function waitFor (child: ChildProcess, output: { text: string }, pattern: RegExp, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!pattern.test(output.text)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output.text}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}: ${output.text}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('configuration', () => {
  test('defaults and overrides', () => {
    const config = loadConfig({}, {})
    assert.equal(config.port, 8080)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.databaseUrl, null)
    assert.match(config.dataDir, /\.ombuds\/data$/)
    assert.equal(config.logLevel, 'info')
    const overridden = loadConfig({ port: '9000', dataDir: 'memory://', demo: false }, { PORT: '1', DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn' })
    assert.equal(overridden.port, 9000)
    assert.equal(overridden.dataDir, 'memory://')
    assert.equal(overridden.databaseUrl, 'postgres://u@h/db')
    assert.equal(overridden.demo, false)
    assert.equal(overridden.logLevel, 'warn')
    assert.ok(Object.isFrozen(overridden))
  })

  test('bad values name the variable', () => {
    for (const [env, variable] of [
      [{ PORT: 'eighty' }, 'PORT'], [{ PORT: '70000' }, 'PORT'], [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'], [{ OMBUDS_BOOTSTRAP_PLATFORM_KEY: 'secret' }, 'OMBUDS_BOOTSTRAP_PLATFORM_KEY'],
      [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX']
    ] as const) {
      assert.throws(() => loadConfig({}, env), (error: unknown) => error instanceof ConfigError && error.message.startsWith(variable))
    }
  })
})

describe('the ombuds command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ombuds-cli-'))
  after(() => { rmSync(dataDir, { recursive: true, force: true }) })

  test('bad configuration stops it with one line naming the variable', async () => {
    const run = await runCli(['serve', '--data', 'memory://'], { PORT: 'eighty' })
    assert.equal(run.code, 1)
    assert.equal(run.stderr.trim().split('\n').length, 1)
    assert.match(run.stderr, /^ombuds: PORT must be a whole number/)
    const unknown = await runCli(['launch'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /unknown command "launch"/)
  })

  test('migrate applies migrations once', async () => {
    const store = join(dataDir, 'store')
    const first = await runCli(['migrate', '--data', store])
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /^Applied: 2026_11_23_0001_foundation/)
    const second = await runCli(['migrate', '--data', store])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(second.stdout.trim(), 'Already up to date.')
  })

  // Runs on the store the migrate test created (one initdb instead of two).
  test('serve: demo data once, bootstrap platform key, clean shutdown on SIGTERM', async () => {
    const store = join(dataDir, 'store')
    const start = async () => {
      const port = await freePort()
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', String(port), '--data', store], {
        env: { PATH: inheritedEnvironment().PATH ?? '', LOG_LEVEL: 'warn', OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY }
      })
      const output = { text: '' }
      child.stdout.on('data', (chunk: Buffer) => { output.text += chunk.toString() })
      child.stderr.on('data', (chunk: Buffer) => { output.text += chunk.toString() })
      return { child, output, base: `http://127.0.0.1:${port}` }
    }
    const stop = async (child: ChildProcess) => {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      return await exited
    }

    const first = await start()
    await waitFor(first.child, first.output, /platform key: +am_live_/)
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
    const admin = await fetch(`${first.base}/v1/admin/orgs`, {
      method: 'POST', headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Via bootstrap key' })
    })
    assert.equal(admin.status, 201)
    assert.equal(await stop(first.child), 0)

    const second = await start()
    await waitFor(second.child, second.output, /./, 60_000).catch(() => {})
    for (let i = 0; i < 600; i++) {
      const ready = await fetch(`${second.base}/readyz`).then((response) => response.status, () => 0)
      if (ready === 200) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.doesNotMatch(second.output.text, /owner key/, 'demo keys are printed only once')
    const stillThere = await fetch(`${second.base}/v1/complaints`, { headers: { authorization: `Bearer ${ownerKey}` } })
    assert.equal(stillThere.status, 200)
    assert.equal(await stop(second.child), 0)
  })
})
