import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { inheritedEnvironment, testConfig } from '../src/config.js'
import type { DB } from '../src/db/schema.js'

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '')

export const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Resident set size of a process, in MB (Linux /proc). */
function rssMb (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /VmRSS:\s+(\d+) kB/.exec(status)
    return match?.[1] === undefined ? 0 : Number(match[1]) / 1024
  } catch {
    return 0
  }
}

/** Samples a process's RSS every 50 ms until stopped; returns the peak and the first sample. */
export function rssSampler (pid: number): { stop: () => { baselineMb: number, peakMb: number } } {
  const baselineMb = rssMb(pid)
  let peakMb = baselineMb
  const timer = setInterval(() => { peakMb = Math.max(peakMb, rssMb(pid)) }, 50)
  return {
    stop: () => {
      clearInterval(timer)
      peakMb = Math.max(peakMb, rssMb(pid))
      return { baselineMb, peakMb }
    }
  }
}

export interface ServerProcess {
  url: string
  port: number
  pid: number
  child: ChildProcess
  logFile: string
  stop (): Promise<void>
}

export interface ServerOptions {
  databaseUrl?: string
  dataDir?: string
  platformKey: string
  logDir: string
  name: string
  /** Run the compiled dist/ (after `npm run build`) or the sources through tsx. */
  runtime: 'dist' | 'tsx'
  cpuProfileDir?: string
  extraEnv?: Record<string, string>
  /** Another checkout to run the server from (before/after comparisons); default this one. */
  serverRoot?: string
}

/** Starts `ombuds serve` as its own process (the server under test) and waits until /readyz answers. */
export async function startServer (options: ServerOptions): Promise<ServerProcess> {
  const port = await freePort()
  const root = options.serverRoot ?? ROOT
  const entry = options.runtime === 'dist' ? [join(root, 'bin/ombuds.js')] : ['--import', 'tsx', join(root, 'src/cli.ts')]
  const args = [
    ...(options.cpuProfileDir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ...entry, 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-demo',
    ...(options.databaseUrl !== undefined ? ['--database-url', options.databaseUrl] : []),
    ...(options.dataDir !== undefined ? ['--data', options.dataDir] : [])
  ]
  const env: Record<string, string> = {
    PATH: inheritedEnvironment().PATH ?? '/usr/bin:/bin',
    HOME: inheritedEnvironment().HOME ?? '/tmp',
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
    OMBUDS_BOOTSTRAP_PLATFORM_KEY: options.platformKey,
    OMBUDS_NO_DEMO: '1',
    // A PostgreSQL store needs configured link keys (a fixed bench secret: scratch database).
    OMBUDS_UNSUBSCRIBE_KEYS: `bench:${'BenchUnsubscribeSecret'.padEnd(32, '0')}`,
    // Webhook secrets need a sealing key on PostgreSQL; the webhook scenario's receiver is local http.
    OMBUDS_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    OMBUDS_WEBHOOKS_ALLOW_HTTP: 'true',
    OMBUDS_WEBHOOKS_ALLOW_PRIVATE: 'true',
    ...options.extraEnv
  }
  const logFile = join(options.logDir, `${options.name}.log`)
  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  const url = `http://127.0.0.1:${port}`
  let exited = false
  child.once('exit', () => { exited = true })
  const deadline = Date.now() + 120_000
  for (;;) {
    if (exited) throw new Error(`the server exited at start; see ${logFile}:\n${tail(logFile)}`)
    if (Date.now() > deadline) throw new Error(`the server did not become ready; see ${logFile}`)
    try {
      const response = await fetch(`${url}/readyz`)
      if (response.ok) break
    } catch {}
    await sleep(100)
  }
  return {
    url,
    port,
    pid: child.pid as number,
    child,
    logFile,
    async stop () {
      if (exited) return
      const done = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await done
      clearTimeout(timer)
    }
  }
}

function tail (file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

export interface LoadSpec {
  url: string
  path: string
  method?: string
  headers?: Record<string, string>
  body?: string
  kind?: 'static' | 'intake' | 'rotate'
  bodies?: string[]
  texts?: string[]
  to?: string[]
  seed?: number
  /** A process whose CPU during the measured run is reported (the server under test, or a ceiling's). */
  cpuPid?: number
  connections: number
  warmup: number
  duration: number
}

export interface LoadResult {
  requestsPerSecond: number
  total: number
  p50: number
  p90: number
  p99: number
  max: number
  non2xx: number
  errors: number
  timeouts: number
  statuses: Record<string, number>
  /** CPU used by `cpuPid` during the measured run, in total and per request (null without `cpuPid`). */
  serverCpuMs: number | null
  serverCpuMsPerRequest: number | null
}

let loadRuns = 0

/** Runs autocannon in its own process (bench/load.mjs): warm-up, then the measured run. */
export async function runLoad (spec: LoadSpec): Promise<LoadResult> {
  // The spec goes through a file: request bodies can be larger than a command line.
  const specFile = join(tmpdir(), `ombuds-bench-load-${process.pid}-${++loadRuns}.json`)
  await writeFile(specFile, JSON.stringify(spec))
  const child = spawn(process.execPath, [join(ROOT, 'bench/load.mjs'), specFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  await rm(specFile, { force: true })
  if (code !== 0) throw new Error(`load generator failed (${code}): ${stderr.slice(-2000)}`)
  const line = stdout.trim().split('\n').at(-1) ?? '{}'
  return JSON.parse(line) as LoadResult
}

/** Finds pgbench: on PATH, or in a Debian-style /usr/lib/postgresql/<version>/bin. */
export function findPgTool (tool: 'pgbench' | 'psql'): string | null {
  for (const dir of (inheritedEnvironment().PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, tool))) return join(dir, tool)
  }
  const base = '/usr/lib/postgresql'
  if (existsSync(base)) {
    for (const version of readdirSync(base).sort().reverse()) {
      const candidate = join(base, version, 'bin', tool)
      if (existsSync(candidate)) return candidate
    }
  }
  return null
}

export async function runCommand (
  command: string, args: string[], options: { env?: Record<string, string> } = {}
): Promise<{ code: number, stdout: string, stderr: string, ms: number }> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: inheritedEnvironment(options.env) })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code: code ?? 1, stdout, stderr, ms: performance.now() - started }
}

/** pgbench over a custom script at the given concurrency: warm-up, then the measured run's transactions/s. */
export async function runPgbench (
  pgbench: string, databaseUrl: string, script: string, scriptFile: string, options: { clients: number, warmup: number, duration: number }
): Promise<{ tps: number, latencyMs: number }> {
  await writeFile(scriptFile, script)
  const base = ['-n', '-M', 'prepared', '-c', String(options.clients), '-j', '2', '-f', scriptFile]
  if (options.warmup > 0) await runCommand(pgbench, [...base, '-T', String(options.warmup), databaseUrl])
  const result = await runCommand(pgbench, [...base, '-T', String(options.duration), databaseUrl])
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(result.stdout)
  const latency = /latency average = ([\d.]+) ms/.exec(result.stdout)
  if (result.code !== 0 || tps?.[1] === undefined) throw new Error(`pgbench failed: ${result.stderr.slice(-1500)}${result.stdout.slice(-500)}`)
  return { tps: Number(tps[1]), latencyMs: Number(latency?.[1] ?? 0) }
}

/** A SQL literal for a query parameter, so that pgbench runs exactly the route's statement. */
function sqlLiteral (value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof Date) return `'${value.toISOString()}'`
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`
  if (Array.isArray(value)) {
    const items = value.map((item) => item === null ? 'NULL' : `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`)
    return `'{${items.join(',').replace(/'/g, "''")}}'`
  }
  return `'${String(value).replace(/'/g, "''")}'`
}

function inlineParameters (query: CompiledQuery): string {
  let text = query.sql
  for (let i = query.parameters.length; i >= 1; i--) {
    text = text.split(`$${i}`).join(sqlLiteral(query.parameters[i - 1]))
  }
  return text
}

/**
 * The SQL a route really runs: the app built in this process over the bench database, with
 * a query log, answers one request; key lookups (cached in the server) are left out.
 */
export async function captureRouteSql (databaseUrl: string, request: { method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown }): Promise<{ statements: string[], statusCode: number, body: string }> {
  const captured: CompiledQuery[] = []
  let capturing = false
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => { if (capturing && event.level === 'query') captured.push(event.query) }
  })
  // The webhook delivery worker polls once at start and then not for a minute: its statements are not the route's.
  const app = await buildApp(testConfig({ rateLimitPerMinute: 0, webhooksPollMs: 60_000 }), { store: { db, kind: 'postgres', pglite: null, pool, close: async () => { await db.destroy() } } })
  const injection = {
    method: request.method, url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload as object } : {})
  }
  try {
    await app.ready()
    // Once to resolve (and cache) the key, once captured.
    await app.inject(injection)
    capturing = true
    const response = await app.inject(injection)
    capturing = false
    const statements = captured.filter((query) => !/"api_keys"/.test(query.sql)).map(inlineParameters)
    return { statements, statusCode: response.statusCode, body: response.body }
  } finally {
    await app.close()
    await db.destroy()
  }
}
