/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --keep] [-- --reuse] [-- --profile] [-- --no-pglite] [-- --database NAME]`
 *
 * Generates the data set in SQL, starts the real server (`ombuds serve`, its own process)
 * on PostgreSQL and then on embedded PGlite, loads each scenario from autocannon in its own
 * process, measures each scenario's ceiling in the same run, prints a table and writes
 * bench/results/<timestamp>.json. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { testDatabaseUrl } from '../src/config.js'
import { createStore } from '../src/db/store.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { FULL_SIZE, generate, scaled, type Dataset, type Sql } from './generate.js'
import { ROOT, findPgTool, runCommand, runLoad, type ServerProcess, startServer } from './lib.js'
import { type Context, type ScenarioResult, PGLITE_SCENARIOS, POSTGRES_SCENARIOS } from './scenarios.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-pglite': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    'server-root': { type: 'string' },
    duration: { type: 'string' },
    database: { type: 'string', default: 'ombuds_bench' }
  },
  strict: true
})

const quick = flags.quick === true
const only = flags.only === undefined ? null : new Set(flags.only.split(','))
const durations = quick ? { warmup: 1, duration: 4 } : { warmup: 3, duration: 10 }
const WARM_UP_SECONDS = 5
if (flags.duration !== undefined) durations.duration = Number(flags.duration)
const startedAt = new Date()
const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
const workDir = mkdtempSync(join(tmpdir(), 'ombuds-bench-'))
const resultsDir = join(ROOT, 'bench/results')
mkdirSync(resultsDir, { recursive: true })
const log = (line: string): void => { process.stdout.write(`${line}\n`) }
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

const ADMIN_URL = testDatabaseUrl() ?? 'postgres://postgres@127.0.0.1:5432/postgres'
// Its own name per checkout lets two benches share one PostgreSQL server without dropping each other's data.
const BENCH_DB = flags.database ?? 'ombuds_bench'
if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DB)) throw new Error(`--database must be a plain lower-case identifier, not ${BENCH_DB}`)

function withDatabase (url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function pgSql (client: pg.Client): Promise<Sql> {
  return {
    exec: async (text) => { await client.query(text) },
    rows: async <T>(text: string) => (await client.query(text)).rows as T[]
  }
}

async function main (): Promise<void> {
  const results: ScenarioResult[] = []
  const notes: string[] = []
  const machine: Record<string, unknown> = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version
  }
  const generation: Record<string, unknown> = {}
  const runStarted = performance.now()
  log(`Ombuds bench — ${quick ? 'quick (a tenth of the data, short runs)' : 'full'}; ${durations.warmup} s warm-up + ${durations.duration} s per run, 50 connections`)

  // The server under test runs the compiled code, as `npm start` does.
  const runtime: 'dist' | 'tsx' = flags.tsx === true ? 'tsx' : 'dist'
  const serverRoot = flags['server-root']
  if (serverRoot !== undefined) {
    notes.push(`the server under test ran from ${serverRoot}`)
    log(`  server from ${serverRoot} (its own dist/)`)
  } else if (runtime === 'dist') {
    const build = await runCommand('npx', ['tsc', '-p', 'tsconfig.build.json'])
    if (build.code !== 0) {
      notes.push('npm run build reported type errors (work in progress elsewhere in the tree); the emitted dist/ was used')
      log('  build: tsc reported errors; using the emitted dist/ anyway')
    } else log(`  build: ok (${seconds(build.ms)})`)
  }

  // ---------------------------------------------------------------- PostgreSQL
  let admin: pg.Client | null = null
  if (flags['no-postgres'] !== true) {
    admin = new pg.Client({ connectionString: ADMIN_URL })
    try {
      await admin.connect()
    } catch (error) {
      admin = null
      const reason = `PostgreSQL is not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')} (${(error as Error).message}); set DATABASE_URL`
      notes.push(`skipped every PostgreSQL scenario: ${reason}`)
      log(`\n!! SKIPPING the PostgreSQL scenarios: ${reason}\n`)
      for (const scenario of POSTGRES_SCENARIOS) results.push({ name: scenario.name, store: 'postgres', status: 'skipped', reason: 'PostgreSQL not reachable', targets: [] })
    }
  }
  if (admin !== null) {
    const benchUrl = withDatabase(ADMIN_URL, BENCH_DB)
    machine.postgres = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version
    let dataset: Dataset | null = null
    const size = quick ? scaled(FULL_SIZE, 0.1) : FULL_SIZE
    if (flags.reuse === true) {
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB])).rowCount === 1
      if (exists) {
        const client = new pg.Client({ connectionString: benchUrl })
        await client.connect()
        try {
          const row = (await client.query<{ info: Dataset }>('SELECT info FROM bench_dataset')).rows[0]
          // jsonb keeps its own key order: compare the sizes field by field.
          const kept = row?.info.size as Record<string, unknown> | undefined
          if (row !== undefined && kept !== undefined && Object.entries(size).every(([key, value]) => kept[key] === value)) dataset = row.info
        } catch {} finally { await client.end() }
      }
      if (dataset !== null) log(`  reusing database ${BENCH_DB} (--reuse)`)
    }
    if (dataset === null) {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${BENCH_DB}`)
      const store = await createStore({ databaseUrl: benchUrl, dataDir: 'memory://' })
      try { await migrateToLatest(store.db) } finally { await store.close() }
      const client = new pg.Client({ connectionString: benchUrl })
      await client.connect()
      const started = performance.now()
      log(`  generating: ${size.complaints} complaints, ${size.suppressions} suppressions, ${size.contacts} list contacts, ${size.smallOrgs} small orgs`)
      try {
        dataset = await generate(await pgSql(client), size, { postgres: true, log })
        await client.query('CREATE TABLE bench_dataset (info jsonb NOT NULL)')
        await client.query('INSERT INTO bench_dataset VALUES ($1)', [JSON.stringify(dataset)])
      } finally { await client.end() }
      const ms = performance.now() - started
      log(`  generated in ${seconds(ms)}: ${Object.entries(dataset.timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`)
      generation.postgres = { ms: Math.round(ms), ...dataset.timings }
    }
    let server: ServerProcess | null = null
    try {
      server = await startServer({
        databaseUrl: benchUrl,
        platformKey: dataset.platformKey,
        logDir: workDir,
        name: 'server-postgres',
        runtime,
        ...(serverRoot !== undefined ? { serverRoot } : {}),
        ...(flags.profile === true ? { cpuProfileDir: join(resultsDir, `${stamp}-profile`) } : {})
      })
      log(`  server (PostgreSQL, ${runtime}) pid ${server.pid} at ${server.url}`)
      await warmUp(server, dataset)
      const context: Context = { server, dataset, databaseUrl: benchUrl, store: 'postgres', durations, quick, workDir, log, pgbench: findPgTool('pgbench'), psql: findPgTool('psql') }
      for (const scenario of POSTGRES_SCENARIOS) {
        if (only !== null && !only.has(scenario.name)) continue
        log(`\n▶ ${scenario.name}: ${scenario.title}`)
        results.push(await runScenario(scenario.name, 'postgres', () => scenario.run(context)))
      }
    } finally {
      await server?.stop()
      if (flags.keep !== true && flags.reuse !== true) {
        await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
      } else log(`  kept database ${BENCH_DB}`)
      await admin.end()
    }
  }

  // ---------------------------------------------------------------- PGlite
  if (flags['no-pglite'] !== true && (only === null || PGLITE_SCENARIOS.some((s) => only.has(s.name)))) {
    const dataDir = join(workDir, 'pglite')
    const size = {
      complaints: quick ? 10_000 : 100_000, suppressions: quick ? 10_000 : 100_000, contacts: 0, smallOrgs: 20, smallOrgComplaints: quick ? 50 : 500
    }
    const started = performance.now()
    const store = await createStore({ databaseUrl: null, dataDir })
    let dataset: Dataset
    try {
      await migrateToLatest(store.db)
      const pglite = store.pglite
      if (pglite === null) throw new Error('expected PGlite')
      machine.pglite = (await pglite.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v
      log(`\n  generating (PGlite): ${size.complaints} complaints, ${size.suppressions} suppressions`)
      dataset = await generate({
        exec: async (text) => { await pglite.exec(text) },
        rows: async <T>(text: string) => (await pglite.query<T>(text)).rows
      }, size, { postgres: false, log })
    } finally { await store.close() }
    const ms = performance.now() - started
    generation.pglite = { ms: Math.round(ms), ...dataset.timings }
    log(`  generated in ${seconds(ms)}`)
    let server: ServerProcess | null = null
    try {
      server = await startServer({
        dataDir,
        platformKey: dataset.platformKey,
        logDir: workDir,
        name: 'server-pglite',
        runtime,
        ...(serverRoot !== undefined ? { serverRoot } : {}),
        ...(flags.profile === true ? { cpuProfileDir: join(resultsDir, `${stamp}-profile-pglite`) } : {})
      })
      log(`  server (PGlite, ${runtime}) pid ${server.pid} at ${server.url}`)
      await warmUp(server, dataset)
      const context: Context = { server, dataset, databaseUrl: null, store: 'pglite', durations, quick, workDir, log, pgbench: null, psql: null }
      for (const scenario of PGLITE_SCENARIOS) {
        if (only !== null && !only.has(scenario.name)) continue
        log(`\n▶ ${scenario.name}: ${scenario.title}`)
        results.push(await runScenario(scenario.name, 'pglite', () => scenario.run(context)))
      }
    } finally {
      await server?.stop()
    }
  }

  const totalMs = performance.now() - runStarted
  printTable(results)
  const file = join(resultsDir, `${stamp}.json`)
  writeFileSync(file, JSON.stringify({
    startedAt: startedAt.toISOString(),
    mode: quick ? 'quick' : 'full',
    durations,
    totalSeconds: Math.round(totalMs / 1000),
    machine,
    generation,
    notes,
    scenarios: results
  }, null, 2) + '\n')
  log(`\nTotal ${seconds(totalMs)}. Results: ${file}`)
  for (const note of notes) log(`note: ${note}`)
  rmSync(workDir, { recursive: true, force: true })
}

/**
 * A freshly started server is loaded with the first page for a few seconds before the first
 * scenario: its code is not yet optimized by the JIT and its pool connections have not yet
 * prepared and planned their statements. Measured on 2026-12-07 (first page, server CPU per
 * request): 0.55–0.90 ms in the first 4 s of a process against 0.31–0.38 ms from then on;
 * the first scenario after a start measured the start, not the route.
 */
async function warmUp (server: ServerProcess, dataset: Dataset): Promise<void> {
  const warm = await runLoad({
    url: server.url, path: '/v1/complaints', headers: { authorization: `Bearer ${dataset.ownerKey}` }, connections: 50, warmup: 0, duration: WARM_UP_SECONDS
  })
  log(`  warm-up: ${WARM_UP_SECONDS} s of the first page, ${warm.requestsPerSecond.toFixed(0)} req/s`)
}

async function runScenario (name: string, store: 'postgres' | 'pglite', run: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  try {
    const result = await run()
    if (result.status === 'skipped') log(`  skipped: ${result.reason ?? ''}`)
    else {
      for (const target of result.targets) log(`  ${target.met ? 'ok  ' : 'SHORT'} ${target.what}: ${target.actual} (target ${target.target})`)
    }
    return result
  } catch (error) {
    log(`  FAILED: ${(error as Error).stack ?? String(error)}`)
    return { name, store, status: 'failed', reason: (error as Error).message.slice(0, 500), targets: [] }
  }
}

function printTable (results: ScenarioResult[]): void {
  const rows = results.map((r) => [
    `${r.name}${r.store === 'pglite' ? ' (PGlite)' : ''}`,
    r.status,
    r.requestsPerSecond === undefined ? '' : r.requestsPerSecond.toFixed(0),
    r.p50 === undefined ? '' : r.p50.toFixed(1),
    r.p99 === undefined ? '' : r.p99.toFixed(1),
    r.rowsPerSecond === undefined ? '' : r.rowsPerSecond.toFixed(0),
    r.peakRssMb === undefined ? '' : r.peakRssMb.toFixed(0),
    r.cpuMsPerRequest === undefined ? '' : r.cpuMsPerRequest.toFixed(3),
    r.ceiling === undefined ? '' : `${r.ceiling.value.toFixed(0)} ${r.ceiling.unit}`,
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.status === 'ok' ? r.targets.every((t) => t.met) ? 'met' : `SHORT: ${r.targets.filter((t) => !t.met).map((t) => t.what).join('; ')}` : (r.reason ?? '')
  ])
  const header = ['scenario', 'status', 'req/s', 'p50 ms', 'p99 ms', 'rows/s', 'RSS MB', 'CPU ms/req', 'ceiling', 'ratio', 'targets']
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length))))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0).slice(0, 60)).join('  ')
  log('')
  log(line(header))
  log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) log(line(row))
}

// Exit when done, whatever a failed scenario may have left open.
main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`)
  rmSync(workDir, { recursive: true, force: true })
  process.exit(1)
})
