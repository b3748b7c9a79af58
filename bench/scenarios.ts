import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, createReadStream, openSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import { inheritedEnvironment } from '../src/config.js'
import type { Dataset } from './generate.js'
import {
  ROOT, captureRouteSql, freePort, type LoadResult, type LoadSpec, rssSampler, runCommand, runLoad, runPgbench, type ServerProcess, sleep, startServer
} from './lib.js'
import { cpuMs } from './process-cpu.mjs'

export interface Context {
  server: ServerProcess
  dataset: Dataset
  databaseUrl: string | null
  store: 'postgres' | 'pglite'
  durations: { warmup: number, duration: number }
  quick: boolean
  workDir: string
  log: (line: string) => void
  pgbench: string | null
  psql: string | null
}

interface Target {
  what: string
  target: string
  actual: string
  met: boolean
}

export interface ScenarioResult {
  name: string
  store: 'postgres' | 'pglite'
  status: 'ok' | 'skipped' | 'failed'
  reason?: string
  requestsPerSecond?: number
  p50?: number
  p99?: number
  rowsPerSecond?: number
  peakRssMb?: number
  rssGrowthMb?: number
  /** The server process's CPU (user + system) during the measured run, divided by its requests. */
  cpuMsPerRequest?: number
  ceiling?: { name: string, value: number, unit: string, p50?: number, p99?: number }
  ratio?: number
  targets: Target[]
  details?: Record<string, unknown>
}

/**
 * The part of a result measured against `psql \\copy` moving the same rows (the import and
 * the CLI export): the ceiling, the ratio to it and the RSS growth, logged once.
 */
function againstCopy (name: string, context: Context, ceilingName: string, rows: number, rowsPerSecond: number,
  rss: { peakMb: number, baselineMb: number }, copy: { code: number | null, ms: number, stderr: string }) {
  if (copy.code !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`)
  const copyRowsPerSecond = rows / (copy.ms / 1000)
  context.log(`  ceiling: ${ceilingName}, ${rows} rows in ${(copy.ms / 1000).toFixed(1)} s = ${copyRowsPerSecond.toFixed(0)} rows/s`)
  const ratio = rowsPerSecond / copyRowsPerSecond
  const growth = rss.peakMb - rss.baselineMb
  const result = {
    name,
    store: context.store,
    status: 'ok' as const,
    rowsPerSecond,
    peakRssMb: rss.peakMb,
    rssGrowthMb: growth,
    ceiling: { name: ceilingName, value: copyRowsPerSecond, unit: 'rows/s' },
    ratio
  }
  return { result, ratio, growth }
}

export interface Scenario {
  name: string
  title: string
  run: (context: Context) => Promise<ScenarioResult>
}

const CONNECTIONS = 50
const shared: { firstPageRps?: number } = {}

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })
const atLeast = (what: string, actual: number, target: number, unit = ''): Target =>
  ({ what, target: `≥ ${target}${unit}`, actual: `${round(actual)}${unit}`, met: actual >= target })
const atMost = (what: string, actual: number, target: number, unit = ''): Target =>
  ({ what, target: `≤ ${target}${unit}`, actual: `${round(actual)}${unit}`, met: actual <= target })
const round = (value: number): number => value >= 100 ? Math.round(value) : Math.round(value * 100) / 100

/** One request before the load: a 404 from a route that is not there yet makes the scenario "skipped". */
async function probe (context: Context, path: string, init: RequestInit = {}): Promise<{ skip: string | null, status: number, body: string }> {
  const response = await fetch(`${context.server.url}${path}`, init)
  const body = await response.text()
  if (response.status === 404) {
    let message = body.slice(0, 200)
    try { message = (JSON.parse(body) as { error?: { message?: string }, message?: string }).error?.message ?? message } catch {}
    return { skip: `${init.method ?? 'GET'} ${path.split('?')[0] ?? path} answers 404 (${message}): the route is not there yet`, status: 404, body }
  }
  if (response.status >= 300) throw new Error(`probe ${path}: HTTP ${response.status}: ${body.slice(0, 500)}`)
  return { skip: null, status: response.status, body }
}

const skipped = (name: string, context: Context, reason: string): ScenarioResult => ({ name, store: context.store, status: 'skipped', reason, targets: [] })

/** Runs the load against the server under test while sampling its RSS. */
async function measure (context: Context, spec: Omit<LoadSpec, 'url' | 'connections' | 'warmup' | 'duration'>): Promise<LoadResult & { peakRssMb: number, rssGrowthMb: number }> {
  const sampler = rssSampler(context.server.pid)
  let result: LoadResult
  try {
    result = await runLoad({ url: context.server.url, connections: CONNECTIONS, ...context.durations, ...spec, cpuPid: context.server.pid })
  } finally {
    sampler.stop()
  }
  const rss = sampler.stop()
  const bad = result.non2xx + result.errors + result.timeouts
  context.log(`  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${cpuText(result)} per request, peak RSS ${rss.peakMb.toFixed(0)} MB${bad > 0 ? `, ${bad} failed (${JSON.stringify(result.statuses)})` : ''}`)
  if (bad > result.total * 0.01) throw new Error(`${bad} of ${result.total} requests failed: ${JSON.stringify(result.statuses)}; see ${context.server.logFile}`)
  return { ...result, peakRssMb: rss.peakMb, rssGrowthMb: rss.peakMb - rss.baselineMb }
}

const cpuText = (run: LoadResult): string => run.serverCpuMsPerRequest === null ? '?' : `${run.serverCpuMsPerRequest.toFixed(3)} ms`

async function withClient<T> (context: Context, work: (client: pg.Client) => Promise<T>): Promise<T> {
  if (context.databaseUrl === null) throw new Error('no database url')
  const client = new pg.Client({ connectionString: context.databaseUrl })
  await client.connect()
  try { return await work(client) } finally { await client.end() }
}

async function pgbenchCeiling (context: Context, name: string, statements: string[]): Promise<{ tps: number, latencyMs: number }> {
  if (context.pgbench === null || context.databaseUrl === null) throw new Error('pgbench not found (install postgresql-contrib / postgresql-client)')
  const script = statements.map((statement) => `${statement};`).join('\n') + '\n'
  const file = join(context.workDir, `${name}.sql`)
  const result = await runPgbench(context.pgbench, context.databaseUrl, script, file, { clients: CONNECTIONS, ...context.durations })
  context.log(`  ceiling: pgbench ${result.tps.toFixed(0)} tps (${statements.length} statements per transaction, ${CONNECTIONS} clients, latency ${result.latencyMs} ms)`)
  return result
}

const NO_PGBENCH = 'pgbench not found (on PATH or in /usr/lib/postgresql/*/bin): install postgresql-contrib'
const NO_PSQL = 'psql not found (on PATH or in /usr/lib/postgresql/*/bin): install postgresql-client'

/**
 * A ceiling: `body` served from memory by a bare Fastify route (bench/bare-server.mjs) at
 * `path`, under the same load as the scenario; with `roundTrip`, also the same route after one
 * `SELECT 1` through pg, and with `bytes`, the body sent as text with no serialization.
 */
async function bareFastify (context: Context, name: string, body: string, path: string, options: { roundTrip?: boolean, bytes?: boolean } = {}) {
  const file = join(context.workDir, `${name}.json`)
  writeFileSync(file, body)
  const port = await freePort()
  const args = [join(ROOT, 'bench/bare-server.mjs'), String(port), file, path, ...(options.roundTrip === true ? [context.databaseUrl as string] : [])]
  const bare = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  await once(bare.stdout, 'data')
  const url = `http://127.0.0.1:${port}`
  try {
    const load = { url, connections: CONNECTIONS, ...context.durations, cpuPid: bare.pid as number }
    const ceiling = await runLoad({ ...load, path })
    const floor = options.roundTrip === true ? await runLoad({ ...load, path: '/db' }) : null
    const bytes = options.bytes === true ? await runLoad({ ...load, path: '/bytes' }) : null
    return { ceiling, floor, bytes }
  } finally {
    bare.kill('SIGTERM')
  }
}

/**
 * What PostgreSQL alone serves of a route: pgbench running the statements the route runs
 * (captured), with the scenario's client count and the whole machine to itself. When that
 * is below `target` × the bare ceiling, the target cannot be reached on this machine by
 * any server code, however cheap: the figure says so.
 */
async function databaseAlone (context: Context, name: string, url: string, headers: Record<string, string>, bareRps: number, target: number) {
  if (context.pgbench === null) {
    context.log(`  (${NO_PGBENCH}: no database-alone ceiling)`)
    return null
  }
  const captured = await captureRouteSql(context.databaseUrl as string, { method: 'GET', url, headers })
  const pgbench = await pgbenchCeiling(context, `${name}-sql`, captured.statements)
  const ratio = pgbench.tps / bareRps
  context.log(`  PostgreSQL alone (pgbench, the route's SQL): ${pgbench.tps.toFixed(0)} tps = ${ratio.toFixed(2)} of bare Fastify; the target needs ${(target * bareRps).toFixed(0)} req/s (${target} of bare)${ratio < target ? ': out of reach on this machine by construction' : ''}`)
  return { tps: pgbench.tps, latencyMs: pgbench.latencyMs, ratioToBare: ratio, reachable: ratio >= target, sql: captured.statements }
}

const firstPage: Scenario = {
  name: 'first-page',
  title: 'GET /v1/complaints (limit 20) vs a bare Fastify route serving the same JSON from memory',
  async run (context) {
    const headers = bearer(context.dataset.ownerKey)
    const first = await probe(context, '/v1/complaints', { headers })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const page = JSON.parse(first.body) as { data: unknown[], meta: { total: number } }
    const expected = await withClient(context, async (client) => Number((await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM complaints WHERE org_id = $1', [context.dataset.bigOrgId])).rows[0]?.n))
    if (page.data.length !== 20 || page.meta.total !== expected) throw new Error(`first page: ${page.data.length} rows, meta.total ${page.meta.total}, expected 20 and ${expected}`)
    const run = await measure(context, { path: '/v1/complaints', headers })
    shared.firstPageRps = run.requestsPerSecond

    // The ceiling: the same JSON from a bare Fastify route, same machine, same load.
    const { ceiling, floor } = await bareFastify(context, 'first-page', first.body, '/v1/complaints', { roundTrip: true })
    context.log(`  ceiling: bare Fastify ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99} ms, CPU ${cpuText(ceiling)} per request; with one SELECT 1 round trip ${floor?.requestsPerSecond.toFixed(0)} req/s, p99 ${floor?.p99} ms, CPU ${floor === null ? '?' : cpuText(floor)} per request`)
    const ratio = run.requestsPerSecond / ceiling.requestsPerSecond
    const database = await databaseAlone(context, this.name, '/v1/complaints', headers, ceiling.requestsPerSecond, 0.3)
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      ceiling: { name: 'bare Fastify, same JSON from memory', value: ceiling.requestsPerSecond, unit: 'req/s', p50: ceiling.p50, p99: ceiling.p99 },
      ratio,
      // Issue 16's step toward 0.5: 0.3 of bare Fastify.
      targets: [atLeast('ratio to bare Fastify', ratio, 0.3), atMost('p99', run.p99, 25, ' ms')],
      details: {
        metaTotal: page.meta.total,
        responseBytes: first.body.length,
        bareCpuMsPerRequest: ceiling.serverCpuMsPerRequest,
        databaseAlone: database,
        bareWithOneRoundTrip: floor === null
          ? null
          : {
              requestsPerSecond: floor.requestsPerSecond,
              p50: floor.p50,
              p99: floor.p99,
              cpuMsPerRequest: floor.serverCpuMsPerRequest,
              ratio: run.requestsPerSecond / floor.requestsPerSecond
            }
      }
    }
  }
}

const deepCursor: Scenario = {
  name: 'deep-cursor',
  title: 'GET /v1/complaints?cursor=… 90 % deep vs the first page',
  async run (context) {
    const headers = bearer(context.dataset.ownerKey)
    const depth = Math.round(context.dataset.size.complaints * 0.9)
    const row = await withClient(context, async (client) => (await client.query<{ created_at: Date, id: string }>(
      'SELECT created_at, id FROM complaints WHERE org_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1',
      [context.dataset.bigOrgId, depth - 1])).rows[0])
    if (row === undefined) throw new Error('no row at that depth')
    const cursor = Buffer.from(JSON.stringify({ created_at: row.created_at.toISOString(), id: row.id })).toString('base64')
    const path = `/v1/complaints?cursor=${encodeURIComponent(cursor)}`
    const first = await probe(context, path, { headers })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const page = JSON.parse(first.body) as { data: Array<{ id: string }> }
    if (page.data.length !== 20) throw new Error(`deep page has ${page.data.length} rows`)
    if (shared.firstPageRps === undefined) {
      context.log('  (measuring the first page as the ceiling)')
      shared.firstPageRps = (await measure(context, { path: '/v1/complaints', headers })).requestsPerSecond
    }
    const run = await measure(context, { path, headers })
    const ratio = run.requestsPerSecond / shared.firstPageRps
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      ceiling: { name: 'first page, same run', value: shared.firstPageRps, unit: 'req/s' },
      ratio,
      targets: [atLeast('ratio to the first page', ratio, 0.9)],
      details: { depth }
    }
  }
}

const filtered: Scenario = {
  name: 'filtered',
  title: 'GET /v1/complaints?status=triage&category=phishing_fraud vs pgbench running the route\'s SQL',
  async run (context) {
    if (context.pgbench === null) return skipped(this.name, context, NO_PGBENCH)
    const headers = bearer(context.dataset.ownerKey)
    const path = '/v1/complaints?status=triage&category=phishing_fraud'
    const first = await probe(context, path, { headers })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const page = JSON.parse(first.body) as { data: unknown[], meta: { total: number } }
    const exact = await withClient(context, async (client) => Number((await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM complaints WHERE org_id = $1 AND status = 'triage' AND category = 'phishing_fraud'", [context.dataset.bigOrgId])).rows[0]?.n))
    if (page.meta.total !== exact) throw new Error(`meta.total ${page.meta.total} is not the exact count ${exact}`)
    const captured = await captureRouteSql(context.databaseUrl as string, { method: 'GET', url: path, headers })
    const ceiling = await pgbenchCeiling(context, this.name, captured.statements)
    const run = await measure(context, { path, headers })
    const ratio = run.requestsPerSecond / ceiling.tps
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      ceiling: { name: `pgbench, the route's ${captured.statements.length} statements per transaction`, value: ceiling.tps, unit: 'tps' },
      ratio,
      targets: [atLeast("ratio to pgbench's tps", ratio, 0.7)],
      details: { metaTotal: page.meta.total, sql: captured.statements }
    }
  }
}

type CheckRecipients = 'email' | 'e164' | 'typed'

/** `+1 303 …`: the generator's sms suppressions are odd i (`+1303` and i in seven digits). */
const suppressedNumber = (n: number, max: number): string => `+1303${String(2 * ((n * 7919) % Math.floor(max / 2)) + 1).padStart(7, '0')}`
/** The same number as a person types it, in one of three shapes. */
function typedNumber (e164: string, n: number): string {
  const [area, exchange, line] = [e164.slice(2, 5), e164.slice(5, 8), e164.slice(8)]
  return n % 3 === 0 ? `(${area}) ${exchange}-${line}` : n % 3 === 1 ? `+1 ${area}-${exchange}-${line}` : `${area}.${exchange}.${line}`
}

/** Recipients: one in ten is suppressed (organization-wide or for the sender), the rest are not. */
function checkBodies (dataset: Dataset, count: number, recipientsAre: CheckRecipients): string[] {
  const bodies: string[] = []
  const max = dataset.size.suppressions
  for (let b = 0; b < count; b++) {
    const recipients: string[] = []
    for (let r = 0; r < 1000; r++) {
      const n = b * 1000 + r
      if (recipientsAre === 'email') {
        recipients.push(r % 10 === 0 ? `s${2 * (1 + ((n * 7919) % Math.floor(max / 2)))}@suppressed.example` : `fresh${n}@recipients.example`)
      } else {
        const number = r % 10 === 0 ? suppressedNumber(n, max) : `+1404${String(n).padStart(7, '0')}`
        recipients.push(recipientsAre === 'typed' ? typedNumber(number, n) : number)
      }
    }
    const from = recipientsAre === 'email' ? dataset.domains[0]?.name : dataset.phoneNumbers[0]?.number
    bodies.push(JSON.stringify({ channel: recipientsAre === 'email' ? 'email' : 'sms', from, recipients }))
  }
  return bodies
}

/** A send-path check scenario: 1,000 recipients per call, 20 rotating bodies; pgbench runs the route's SQL when asked. */
function checkScenario (name: string, title: string, recipientsAre: CheckRecipients, targets: { recipientsPerSecond: number, ratio: number | null }): Scenario {
  return {
    name,
    title,
    async run (context) {
      if (targets.ratio !== null && context.pgbench === null) return skipped(this.name, context, NO_PGBENCH)
      const headers = { ...bearer(context.dataset.ownerKey), 'content-type': 'application/json' }
      const bodies = checkBodies(context.dataset, 20, recipientsAre)
      const first = await probe(context, '/v1/suppressions/check', { method: 'POST', headers, body: bodies[0] })
      if (first.skip !== null) return skipped(this.name, context, first.skip)
      const answer = JSON.parse(first.body) as { data: { checked: number, suppressed: unknown[] } }
      context.log(`  one check: ${answer.data.checked} checked, ${answer.data.suppressed.length} suppressed`)
      if (answer.data.suppressed.length === 0) throw new Error('no recipient of the first body is suppressed: the data set and the bodies disagree')
      let ceiling: { tps: number, latencyMs: number } | null = null
      let sql: string[] = []
      if (targets.ratio !== null) {
        const captured = await captureRouteSql(context.databaseUrl as string, { method: 'POST', url: '/v1/suppressions/check', headers, payload: JSON.parse(bodies[0] as string) })
        sql = captured.statements
        ceiling = await pgbenchCeiling(context, this.name, sql)
      }
      const run = await measure(context, { path: '/v1/suppressions/check', method: 'POST', headers, kind: 'rotate', bodies })
      const recipientsPerSecond = run.requestsPerSecond * 1000
      const result: ScenarioResult = {
        name: this.name,
        store: context.store,
        status: 'ok',
        requestsPerSecond: run.requestsPerSecond,
        p50: run.p50,
        p99: run.p99,
        rowsPerSecond: recipientsPerSecond,
        peakRssMb: run.peakRssMb,
        cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
        targets: [atLeast('recipients/s', recipientsPerSecond, targets.recipientsPerSecond)],
        details: { suppressedInFirstBody: answer.data.suppressed.length, sql: sql.map((s) => s.slice(0, 400)) }
      }
      if (ceiling !== null && targets.ratio !== null) {
        result.ratio = run.requestsPerSecond / ceiling.tps
        result.ceiling = { name: `pgbench, the route's ${sql.length} statements per transaction`, value: ceiling.tps, unit: 'tps' }
        result.targets.push(atLeast("ratio to pgbench's tps", result.ratio, targets.ratio))
      }
      return result
    }
  }
}

const suppressionCheck = checkScenario('suppression-check',
  'POST /v1/suppressions/check with 1,000 email recipients vs pgbench running the lookup SQL', 'email', { recipientsPerSecond: 400_000, ratio: 0.7 })
const suppressionCheckSms = checkScenario('suppression-check-sms',
  'POST /v1/suppressions/check with 1,000 E.164 phone numbers vs pgbench running the lookup SQL', 'e164', { recipientsPerSecond: 200_000, ratio: 0.7 })
const suppressionCheckTyped = checkScenario('suppression-check-typed',
  'POST /v1/suppressions/check with 1,000 phone numbers as people type them ((415) 555-0123, +1 415-555-0123, 415.555.0123)', 'typed',
  { recipientsPerSecond: 100_000, ratio: null })

/** Batches of 1000 realistic recipients (long and short addresses, common mailbox domains) for link building. */
function linkBodies (dataset: Dataset, count: number): string[] {
  const domains = ['gmail.com', 'yahoo.com', 'outlook.com', 'mail.example-company.co.uk', 'example.org']
  return Array.from({ length: count }, (_, b) => JSON.stringify({
    channel: 'email',
    from_domain: dataset.domains[0]?.name,
    recipients: Array.from({ length: 1000 }, (_, r) => `${r % 3 === 0 ? 'firstname.lastname' : 'reader'}${b * 1000 + r}@${domains[r % domains.length]}`)
  }))
}

const unsubscribeLinks: Scenario = {
  name: 'unsubscribe-links',
  title: 'POST /v1/unsubscribe-links/batch with 1,000 recipients: one-click links built per second',
  async run (context) {
    const headers = { ...bearer(context.dataset.ownerKey), 'content-type': 'application/json' }
    const bodies = linkBodies(context.dataset, 20)
    const first = await probe(context, '/v1/unsubscribe-links/batch', { method: 'POST', headers, body: bodies[0] })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const links = (JSON.parse(first.body) as { data: Array<{ url: string }> }).data
    const longestUrl = Math.max(...links.map((link) => link.url.length))
    if (links.length !== 1000) throw new Error(`one batch gave ${links.length} links`)
    const run = await measure(context, { path: '/v1/unsubscribe-links/batch', method: 'POST', headers, kind: 'rotate', bodies })
    const linksPerSecond = run.requestsPerSecond * 1000
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      rowsPerSecond: linksPerSecond,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      targets: [atLeast('links/s', linksPerSecond, 50_000)],
      details: { longestUrl, responseBytes: first.body.length }
    }
  }
}

const importRecipient = (i: number): string => `imp${i}@x.example`

const mailgunImport: Scenario = {
  name: 'mailgun-import',
  title: 'Mailgun CSV import, 25 MB (about 600,000 rows) vs psql \\copy of the same rows',
  async run (context) {
    if (context.psql === null) return skipped(this.name, context, NO_PSQL)
    const { dataset } = context
    const limit = context.quick ? 2_500_000 : 25_000_000
    // address,created_at — half the rows with a quoted RFC 2822 date, half with none.
    const lines = ['address,created_at']
    let bytes = lines[0]!.length + 1
    const dates = Array.from({ length: 28 }, (_, d) => `"${new Date(Date.UTC(2026, 0, d + 1, 14)).toUTCString().replace('GMT', '+0000')}"`)
    for (let i = 1; ; i++) {
      const line = i % 2 === 0 ? `${importRecipient(i)},${dates[i % 28]}` : `${importRecipient(i)},`
      if (bytes + line.length + 1 > limit) break
      lines.push(line)
      bytes += line.length + 1
    }
    const rows = lines.length - 1
    const csv = lines.join('\n') + '\n'
    const auth = `Basic ${Buffer.from(`api:${dataset.ownerKey}`).toString('base64')}`
    const url = `${context.server.url}/v3/${dataset.importDomain.name}/complaints/import`
    await withClient(context, async (client) => {
      await client.query('DELETE FROM suppressions WHERE org_id = $1 AND domain_id = ANY($2)', [dataset.bigOrgId, [dataset.importDomain.id, dataset.copyDomain.id]])
    })
    // Probe with a tiny file first: a 404 means the route is not there yet.
    const tiny = new FormData()
    tiny.append('file', new Blob(['address,created_at\nprobe@x.example,\n']), 'file')
    const probeResponse = await fetch(url, { method: 'POST', headers: { authorization: auth }, body: tiny })
    const probeBody = await probeResponse.text()
    if (probeResponse.status === 404) return skipped(this.name, context, `POST /v3/{domain}/complaints/import answers 404 (${probeBody.slice(0, 120)}): the route is not there yet`)
    if (probeResponse.status >= 300) throw new Error(`probe import: HTTP ${probeResponse.status} ${probeBody.slice(0, 300)}`)
    const last = importRecipient(rows)
    await sleep(500)

    const form = new FormData()
    form.append('file', new Blob([csv]), 'file')
    const sampler = rssSampler(context.server.pid)
    const started = performance.now()
    const response = await fetch(url, { method: 'POST', headers: { authorization: auth }, body: form })
    const responseBody = await response.text()
    const answeredMs = performance.now() - started
    if (response.status >= 300) { sampler.stop(); throw new Error(`import: HTTP ${response.status} ${responseBody.slice(0, 300)}`) }
    // The import may finish after the 202: wait until every row is in the table.
    const done = await withClient(context, async (client) => {
      const deadline = Date.now() + (context.quick ? 120_000 : 600_000)
      const count = async (): Promise<number> => Number((await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM suppressions WHERE org_id = $1 AND channel = 'email' AND address >= 'imp' AND address < 'imq' AND scope_id = $2",
        [dataset.bigOrgId, dataset.importDomain.id])).rows[0]?.n)
      for (;;) {
        const present = await client.query("SELECT 1 FROM suppressions WHERE org_id = $1 AND channel = 'email' AND address = $2 AND scope_id = $3", [dataset.bigOrgId, last, dataset.importDomain.id])
        if (present.rowCount === 1) {
          const n = await count()
          if (n >= rows) return { ms: performance.now() - started, rows: n }
        }
        if (Date.now() > deadline) return { ms: performance.now() - started, rows: await count(), timedOut: true }
        await sleep(present.rowCount === 1 ? 200 : 25)
      }
    })
    const rss = sampler.stop()
    const rowsPerSecond = done.rows / (done.ms / 1000)
    context.log(`  import: HTTP ${response.status} after ${(answeredMs / 1000).toFixed(1)} s, ${done.rows} of ${rows} rows in ${(done.ms / 1000).toFixed(1)} s = ${rowsPerSecond.toFixed(0)} rows/s, RSS ${rss.baselineMb.toFixed(0)} → ${rss.peakMb.toFixed(0)} MB`)

    // The ceiling: psql \copy of the same rows (the table's own columns) into the same table.
    const copyLines: string[] = []
    for (let i = 1; i <= rows; i++) {
      const createdAt = i % 2 === 0 ? new Date(Date.UTC(2026, 0, (i % 28) + 1, 14)).toISOString() : new Date().toISOString()
      copyLines.push(`${dataset.bigOrgId},${uuidv7()},email,${importRecipient(i)},domain,${dataset.copyDomain.id},,${dataset.copyDomain.id},import,,${createdAt}`)
    }
    const copyFile = join(context.workDir, 'copy.csv')
    writeFileSync(copyFile, copyLines.join('\n') + '\n')
    const copy = await runCommand(context.psql, [context.databaseUrl as string, '-v', 'ON_ERROR_STOP=1', '-c',
      `\\copy suppressions (org_id, id, channel, address, scope, scope_id, phone_number_id, domain_id, reason, complaint_id, created_at) FROM '${copyFile}' WITH (FORMAT csv)`])
    const { result, ratio, growth } = againstCopy(this.name, context, 'psql \\copy of the same rows', rows, rowsPerSecond, rss, copy)
    return {
      ...result,
      targets: [
        atLeast("ratio to \\copy's rows/s", ratio, 0.5),
        atMost('RSS growth', growth, 100, ' MB'),
        { what: 'every row imported', target: String(rows), actual: String(done.rows), met: done.rows >= rows }
      ],
      details: { fileBytes: bytes, rows, httpStatus: response.status, answeredSeconds: answeredMs / 1000, response: responseBody.slice(0, 200) }
    }
  }
}

const INTAKE_TEXTS = [
  'STOP', 'This is spam, I never signed up for this', 'Who is this?? stop texting me', 'HELP', 'Thanks, see you then!',
  'unsubscribe', 'This is a scam, reported', 'ok', 'Please remove me from your list', 'START'
]

const intake: Scenario = {
  name: 'intake',
  title: 'POST /v1/intake/inbound-messages, unique replies',
  async run (context) {
    const headers = { ...bearer(context.dataset.platformKey), 'content-type': 'application/json' }
    const to = context.dataset.phoneNumbers.map((p) => p.number)
    const first = await probe(context, '/v1/intake/inbound-messages', {
      method: 'POST', headers, body: JSON.stringify({ id: uuidv7(), from: '+14045550100', to: to[0], body: 'This is spam' })
    })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const run = await measure(context, { path: '/v1/intake/inbound-messages', method: 'POST', headers, kind: 'intake', texts: INTAKE_TEXTS, to, seed: Date.now() % 100000 })
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      rowsPerSecond: run.requestsPerSecond,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      targets: [atLeast('replies/s', run.requestsPerSecond, 1500), atMost('p99', run.p99, 50, ' ms')]
    }
  }
}

const whatcountsReport: Scenario = {
  name: 'whatcounts-report',
  title: 'GET /rest/lists/{listId}/complaints on a list with 100,000 complaints',
  async run (context) {
    const list = context.dataset.list
    if (list === null) return skipped(this.name, context, context.dataset.listSkipReason ?? 'no list')
    const headers = {
      authorization: `Basic ${Buffer.from(`bench:${context.dataset.ownerKey}`).toString('base64')}`,
      accept: 'application/vnd.whatcounts-v1+json'
    }
    const path = `/rest/lists/${list.id}/complaints`
    const first = await probe(context, path, { headers })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const body = JSON.parse(first.body) as { subscribers: unknown[] }
    if (body.subscribers.length !== 500) throw new Error(`whatcounts-report: ${body.subscribers.length} subscribers on the first page, expected 500`)
    const run = await measure(context, { path, headers })
    // Context for the p99: the same page with one client at a time (no queueing).
    const single = await runLoad({ url: context.server.url, path, headers, connections: 1, warmup: 0, duration: Math.min(5, context.durations.duration) })
    context.log(`  one client at a time: ${single.requestsPerSecond.toFixed(0)} req/s, p50 ${single.p50} ms, p99 ${single.p99} ms; ${first.body.length} bytes per page`)
    // The ceiling: the same page from a bare Fastify route, same machine, same load; and, for the record, its bytes sent as they are.
    const { ceiling, bytes } = await bareFastify(context, this.name, first.body, path, { bytes: true })
    context.log(`  ceiling: bare Fastify ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99} ms, CPU ${cpuText(ceiling)} per request; the bytes as they are ${bytes?.requestsPerSecond.toFixed(0)} req/s, p99 ${bytes?.p99} ms`)
    const ratio = run.requestsPerSecond / ceiling.requestsPerSecond
    const database = await databaseAlone(context, this.name, path, headers, ceiling.requestsPerSecond, 0.5)
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      ceiling: { name: 'bare Fastify, same page from memory', value: ceiling.requestsPerSecond, unit: 'req/s', p50: ceiling.p50, p99: ceiling.p99 },
      ratio,
      targets: [atLeast('ratio to bare Fastify', ratio, 0.5)],
      details: {
        listComplaints: list.complaints,
        pageBytes: first.body.length,
        bareCpuMsPerRequest: ceiling.serverCpuMsPerRequest,
        databaseAlone: database,
        singleClient: { requestsPerSecond: single.requestsPerSecond, p50: single.p50, p99: single.p99 },
        bareBytesAsTheyAre: bytes === null
          ? null
          : { requestsPerSecond: bytes.requestsPerSecond, p50: bytes.p50, p99: bytes.p99, ratio: run.requestsPerSecond / bytes.requestsPerSecond }
      }
    }
  }
}

/** Complaint bodies for one organization, each from its own reporter (so no filing finds its reporter suppressed already). */
function filingBodies (orgId: string, count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({
    org_id: orgId, category: 'unwanted_contact', channel: 'sms', reporter_number: `+1312${String(offset + i).padStart(7, '0')}`
  }))
}

async function postJson (context: Context, key: string, path: string, body: unknown): Promise<{ data: Record<string, unknown> }> {
  const headers = { ...bearer(key), 'content-type': 'application/json' }
  const response = await fetch(`${context.server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  if (response.status === 404) throw Object.assign(new Error(`${path} answers 404`), { skip: true })
  if (response.status >= 300) throw new Error(`${path}: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`)
  return await response.json() as { data: Record<string, unknown> }
}

/**
 * A receiver in the bench process answering 204 to everything; counts what it got, and how
 * many of those repeated a `webhook-id` it had already seen (a receiver that dedupes on it
 * would drop them: the count says whether at-least-once became more than once).
 */
async function startReceiver (): Promise<{ url: string, received: () => number, repeated: () => number, close: () => Promise<void> }> {
  let received = 0
  const seen = new Set<string>()
  let repeated = 0
  const receiver = createServer((request, response) => {
    const id = String(request.headers['webhook-id'])
    request.resume()
    request.on('end', () => {
      received++
      if (seen.has(id)) repeated++
      else seen.add(id)
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => { receiver.listen(0, '127.0.0.1', resolve) })
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    received: () => received,
    repeated: () => repeated,
    close: async () => {
      receiver.closeAllConnections()
      await new Promise<void>((resolve) => { receiver.close(() => { resolve() }) })
    }
  }
}

/** An organization with an owner key and one endpoint for complaint.created at `url`; null when the route is not there. */
async function subscribedOrg (context: Context, name: string, url: string): Promise<{ orgId: string, ownerKey: string, endpointId: string } | null> {
  const platformKey = context.dataset.platformKey
  const orgId = (await postJson(context, platformKey, '/v1/admin/orgs', { name })).data.id as string
  const ownerKey = (await postJson(context, platformKey, `/v1/admin/orgs/${orgId}/api-keys`, { role: 'owner', label: 'bench' })).data.plaintext as string
  try {
    const endpointId = (await postJson(context, ownerKey, '/v1/webhooks', { url, events: ['complaint.created'] })).data.id as string
    return { orgId, ownerKey, endpointId }
  } catch (error) {
    if ((error as { skip?: boolean }).skip === true) return null
    throw error
  }
}

/** Deliveries of an organization not yet succeeded or given up (PostgreSQL only; null on PGlite, whose one connection is the server's). */
async function pendingDeliveries (context: Context, orgId: string): Promise<number | null> {
  if (context.databaseUrl === null) return null
  return await withClient(context, async (client) =>
    Number((await client.query("SELECT count(*) AS n FROM webhook_deliveries WHERE org_id = $1 AND state = 'pending'", [orgId])).rows[0]?.n))
}

/** Every delivery row of an organization (PostgreSQL only). */
async function queuedDeliveries (context: Context, orgId: string): Promise<number | null> {
  if (context.databaseUrl === null) return null
  return await withClient(context, async (client) =>
    Number((await client.query('SELECT count(*) AS n FROM webhook_deliveries WHERE org_id = $1', [orgId])).rows[0]?.n))
}

/** CPU used so far by the server, this bench process (where the webhook receiver runs) and the bench database's PostgreSQL backends, in ms. */
interface CpuMark { server: number | null, bench: number, postgres: Map<number, number> | null }

/** What each took since `cpuMark`; null where it cannot be read here (PGlite has no backends; a PostgreSQL on another machine has no /proc here). */
interface CpuSpent { serverMs: number | null, benchMs: number, postgresMs: number | null }

async function postgresCpu (context: Context): Promise<Map<number, number> | null> {
  if (context.databaseUrl === null) return null
  const pids = await withClient(context, async (client) =>
    (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((row) => row.pid))
  const marks = new Map<number, number>()
  for (const pid of pids) {
    const ms = cpuMs(pid)
    if (ms === null) return null
    marks.set(pid, ms)
  }
  return marks
}

const benchCpuMs = (): number => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000 }

async function cpuMark (context: Context): Promise<CpuMark> {
  return { server: cpuMs(context.server.pid), bench: benchCpuMs(), postgres: await postgresCpu(context) }
}

async function cpuSince (context: Context, mark: CpuMark): Promise<CpuSpent> {
  const server = cpuMs(context.server.pid)
  const bench = benchCpuMs()
  const now = await postgresCpu(context)
  // A backend that connected meanwhile counts from zero; one that left is not counted (the server's pool keeps its connections).
  const postgresMs = now === null || mark.postgres === null ? null : [...now].reduce((sum, [pid, ms]) => sum + ms - (mark.postgres?.get(pid) ?? 0), 0)
  return { serverMs: server === null || mark.server === null ? null : server - mark.server, benchMs: bench - mark.bench, postgresMs }
}

/** CPU per event in µs, each part rounded. */
const cpuPer = (spent: CpuSpent, events: number) => ({
  serverUs: spent.serverMs === null ? null : Math.round(spent.serverMs * 1000 / events),
  postgresUs: spent.postgresMs === null ? null : Math.round(spent.postgresMs * 1000 / events),
  benchUs: Math.round(spent.benchMs * 1000 / events)
})

/** Complaints of an organization (PostgreSQL only). */
async function complaintsOf (context: Context, orgId: string): Promise<number | null> {
  if (context.databaseUrl === null) return null
  return await withClient(context, async (client) =>
    Number((await client.query('SELECT count(*) AS n FROM complaints WHERE org_id = $1', [orgId])).rows[0]?.n))
}

/** Waits until `done` or `ms` pass; returns the seconds waited, or null when it was not done in time. */
async function waitUntil (done: () => Promise<boolean>, ms: number): Promise<number | null> {
  const started = performance.now()
  while (!await done()) {
    if (performance.now() - started > ms) return null
    await sleep(250)
  }
  return (performance.now() - started) / 1000
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/**
 * A round's CPU per filing, with no endpoint and with one, and their ratio: the filing rate
 * the endpoint would leave if CPU were the only limit (null when a part cannot be read).
 */
function filingCpu (none: ReturnType<typeof cpuPer>, one: ReturnType<typeof cpuPer>) {
  const total = (entry: ReturnType<typeof cpuPer>) =>
    entry.serverUs === null || entry.postgresUs === null ? null : entry.serverUs + entry.postgresUs + entry.benchUs
  const noneTotal = total(none)
  const oneTotal = total(one)
  return { none, one, ratio: noneTotal === null || oneTotal === null ? null : noneTotal / oneTotal }
}

const FILING_ROUNDS = 5
const DRAIN_WAIT_MS = 60_000

const webhookFiling: Scenario = {
  name: 'webhook-filing',
  title: 'POST /v1/complaints: filing with one webhook endpoint subscribed vs none, and whether the worker keeps up',
  async run (context) {
    // A real receiver in this process; the server under test allows local http targets (bench/lib.ts).
    const receiver = await startReceiver()
    try {
      const quiet = (await postJson(context, context.dataset.platformKey, '/v1/admin/orgs', { name: 'bench webhooks (none)' })).data.id as string
      const subscribed = await subscribedOrg(context, 'bench webhooks (one endpoint)', receiver.url)
      if (subscribed === null) return skipped(this.name, context, 'POST /v1/webhooks answers 404: the route is not there yet')
      const headers = { ...bearer(context.dataset.platformKey), 'content-type': 'application/json' }
      const load = async (orgId: string, offset: number) =>
        await measure(context, { path: '/v1/complaints', method: 'POST', headers, kind: 'rotate', bodies: filingBodies(orgId, 5000, offset) })
      // Paired rounds (no endpoint, then one), compared round by round and summarized by the
      // median: on a shared machine one round's ratio is noise. Before the next round the
      // backlog is left to drain, so the worker's sends do not weigh on the next baseline.
      type Run = Awaited<ReturnType<typeof load>>
      type Cpu = ReturnType<typeof cpuPer>
      interface Round {
        none: Run
        one: Run
        ratio: number
        filed: number
        deliveredDuring: number
        drainedAfterSeconds: number | null
        cpu: { none: Cpu, one: Cpu, ratio: number | null } | null
      }
      const rounds: Round[] = []
      // One unmeasured pass of both first: the server's first load runs colder (2.8 ms of its CPU
      // per filing against 1.3–1.5 ms later, Dec 7), which put the first round's ratio above 1.
      context.log('  warm-up: the same filing with no endpoint, then with one, not counted')
      await load(quiet, FILING_ROUNDS * 10_000)
      await load(subscribed.orgId, FILING_ROUNDS * 10_000 + 5000)
      if (context.databaseUrl !== null) await waitUntil(async () => await pendingDeliveries(context, subscribed.orgId) === 0, DRAIN_WAIT_MS)
      // What the rounds' events are compared with (the warm-up's deliveries left out; on PGlite some may still arrive).
      const receivedBeforeRounds = receiver.received()
      for (let index = 0; index < FILING_ROUNDS; index++) {
        context.log(`  round ${index + 1}/${FILING_ROUNDS}: no endpoint, then one endpoint subscribed (the worker sends while the load runs)`)
        // CPU per filing too (PostgreSQL): far less noisy than the rates on a shared machine. With the
        // endpoint it is counted until the backlog has drained, so every delivery's work is in it.
        const quietBefore = await complaintsOf(context, quiet)
        const noneMark = await cpuMark(context)
        const none = await load(quiet, index * 10_000)
        const noneSpent = await cpuSince(context, noneMark)
        const quietFiled = quietBefore === null ? null : (await complaintsOf(context, quiet) ?? 0) - quietBefore
        const before = receiver.received()
        const queuedBefore = await queuedDeliveries(context, subscribed.orgId)
        const oneMark = await cpuMark(context)
        const one = await load(subscribed.orgId, index * 10_000 + 5000)
        const deliveredDuring = receiver.received() - before
        // Every event of the run, its warm-up's included (the load's total counts the measured part only).
        const queuedAfter = await queuedDeliveries(context, subscribed.orgId)
        const events = queuedAfter === null || queuedBefore === null ? one.total : queuedAfter - queuedBefore
        const drainedAfterSeconds = context.databaseUrl === null
          ? null
          : await waitUntil(async () => await pendingDeliveries(context, subscribed.orgId) === 0, DRAIN_WAIT_MS)
        const oneSpent = await cpuSince(context, oneMark)
        const ratio = one.requestsPerSecond / none.requestsPerSecond
        const cpu = quietFiled === null ? null : filingCpu(cpuPer(noneSpent, quietFiled), cpuPer(oneSpent, events))
        rounds.push({ none, one, ratio, filed: events, deliveredDuring, drainedAfterSeconds, cpu })
        context.log(`    ratio ${ratio.toFixed(2)}; ${events} events, ${deliveredDuring} delivered during the run; ` +
          (drainedAfterSeconds === null ? `backlog not drained ${DRAIN_WAIT_MS / 1000} s after it` : `backlog drained ${drainedAfterSeconds.toFixed(1)} s after it`))
        if (cpu !== null) {
          const show = (entry: Cpu) => `server ${entry.serverUs ?? '?'} + PostgreSQL ${entry.postgresUs ?? '?'} + bench process (receiver) ${entry.benchUs} µs`
          context.log(`    CPU per filing: none ${show(cpu.none)}; one endpoint ${show(cpu.one)}; ratio ${cpu.ratio?.toFixed(2) ?? '?'}`)
        }
      }
      const ratio = median(rounds.map((entry) => entry.ratio))
      const cpuRatios = rounds.flatMap((entry) => entry.cpu?.ratio ?? [])
      const cpuRatio = cpuRatios.length === rounds.length ? median(cpuRatios) : null
      const middle = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)] as (typeof rounds)[number]
      const pending = await pendingDeliveries(context, subscribed.orgId)
      const filed = rounds.reduce((sum, entry) => sum + entry.filed, 0)
      context.log(`  median ratio ${ratio.toFixed(2)} (rounds: ${rounds.map((entry) => entry.ratio.toFixed(2)).join(', ')}); ` +
        `${receiver.received() - receivedBeforeRounds} received in the rounds (${receiver.repeated()} in all a webhook-id seen before) for ${filed} events counted${pending === null ? '' : `, ${pending} still pending`}`)
      if (cpuRatio !== null) context.log(`  CPU per filing, none / one endpoint (median): ${cpuRatio.toFixed(2)} (rounds: ${cpuRatios.map((value) => value.toFixed(2)).join(', ')})`)
      return {
        name: this.name,
        store: context.store,
        status: 'ok',
        requestsPerSecond: median(rounds.map((entry) => entry.one.requestsPerSecond)),
        p50: middle.one.p50,
        p99: middle.one.p99,
        peakRssMb: Math.max(...rounds.map((entry) => entry.one.peakRssMb)),
        ceiling: {
          name: `the same filing with no endpoint (median of ${FILING_ROUNDS} paired rounds)`,
          value: median(rounds.map((entry) => entry.none.requestsPerSecond)),
          unit: 'req/s',
          p50: middle.none.p50,
          p99: middle.none.p99
        },
        ratio,
        targets: [
          atLeast('filing rate with one endpoint / with none (median of the paired rounds)', ratio, 0.9),
          ...(pending === null ? [] : [atMost('deliveries pending after the last round drained', pending, 0)])
        ],
        details: {
          rounds: rounds.map((entry) => ({
            none: round(entry.none.requestsPerSecond),
            oneEndpoint: round(entry.one.requestsPerSecond),
            ratio: round(entry.ratio),
            filed: entry.filed,
            deliveredDuring: entry.deliveredDuring,
            drainedAfterSeconds: entry.drainedAfterSeconds === null ? null : round(entry.drainedAfterSeconds),
            cpuPerFiling: entry.cpu
          })),
          cpuRatio: cpuRatio === null ? null : round(cpuRatio),
          eventsFiled: filed,
          eventsReceived: receiver.received() - receivedBeforeRounds,
          receivedAgain: receiver.repeated(),
          pendingAfter: pending
        }
      }
    } finally {
      await receiver.close()
    }
  }
}

const DELIVERY_BACKLOG = 20_000

/**
 * How fast one server process delivers: a backlog queued while the endpoint is disabled
 * (copies of one real event, written by SQL), then the endpoint enabled and the time until
 * the receiver has them all and every delivery is recorded.
 */
const webhookDelivery: Scenario = {
  name: 'webhook-delivery',
  title: `webhook worker: ${DELIVERY_BACKLOG} queued deliveries to one local receiver, deliveries/s`,
  async run (context) {
    if (context.databaseUrl === null) return skipped(this.name, context, 'queues its backlog with SQL beside the server: PostgreSQL only')
    const receiver = await startReceiver()
    try {
      const org = await subscribedOrg(context, 'bench webhook delivery', receiver.url)
      if (org === null) return skipped(this.name, context, 'POST /v1/webhooks answers 404: the route is not there yet')
      const headers = { ...bearer(org.ownerKey), 'content-type': 'application/json' }
      const patch = async (enabled: boolean) => {
        const response = await fetch(`${context.server.url}/v1/webhooks/${org.endpointId}`, { method: 'PATCH', headers, body: JSON.stringify({ enabled }) })
        if (!response.ok) throw new Error(`PATCH /v1/webhooks/{id}: HTTP ${response.status}`)
      }
      // One real event, sent and recorded, is the model of the backlog's rows.
      await postJson(context, context.dataset.platformKey, '/v1/complaints', JSON.parse(filingBodies(org.orgId, 1, 9_000_000)[0] as string))
      if (await waitUntil(async () => await pendingDeliveries(context, org.orgId) === 0, 10_000) === null) throw new Error('the first event was not delivered')
      await patch(false)
      await withClient(context, async (client) => {
        await client.query(`
          INSERT INTO webhook_deliveries (org_id, id, endpoint_id, event_id, event_type, resource, changes, state, attempts, next_attempt_at, created_at)
          SELECT d.org_id, gen_random_uuid(), d.endpoint_id, gen_random_uuid(), d.event_type, d.resource, d.changes, 'pending', 0,
            -- parked, as a disabled endpoint's queue is (the date \`resumeEndpointQueue\` looks for)
            '9999-12-31T00:00:00Z', now()
          FROM webhook_deliveries d, generate_series(1, $2) WHERE d.org_id = $1`, [org.orgId, DELIVERY_BACKLOG])
      })
      const before = receiver.received()
      const sampler = rssSampler(context.server.pid)
      const mark = await cpuMark(context)
      const started = performance.now()
      await patch(true)
      const received = await waitUntil(async () => receiver.received() - before >= DELIVERY_BACKLOG, 300_000)
      const recorded = await waitUntil(async () => await pendingDeliveries(context, org.orgId) === 0, 60_000)
      const seconds = (performance.now() - started) / 1000
      const cpu = cpuPer(await cpuSince(context, mark), DELIVERY_BACKLOG)
      const rss = sampler.stop()
      if (received === null || recorded === null) {
        throw new Error(`${receiver.received() - before} of ${DELIVERY_BACKLOG} received, ${await pendingDeliveries(context, org.orgId)} pending after ${seconds.toFixed(0)} s`)
      }
      const perSecond = DELIVERY_BACKLOG / seconds
      const duplicates = receiver.received() - before - DELIVERY_BACKLOG
      context.log(`  ${DELIVERY_BACKLOG} deliveries received in ${received.toFixed(1)} s, all recorded in ${seconds.toFixed(1)} s: ${perSecond.toFixed(0)} deliveries/s; ` +
        `${duplicates} received twice; peak RSS ${rss.peakMb.toFixed(0)} MB`)
      context.log(`  CPU per delivery: server ${cpu.serverUs ?? '?'} µs, PostgreSQL ${cpu.postgresUs ?? '?'} µs, bench process (receiver) ${cpu.benchUs} µs`)
      return {
        name: this.name,
        store: context.store,
        status: 'ok',
        rowsPerSecond: perSecond,
        peakRssMb: rss.peakMb,
        rssGrowthMb: rss.peakMb - rss.baselineMb,
        targets: [atMost('events received twice', duplicates, 0)],
        details: { backlog: DELIVERY_BACKLOG, receivedSeconds: round(received), recordedSeconds: round(seconds), cpuPerDelivery: cpu }
      }
    } finally {
      await receiver.close()
    }
  }
}

const pgliteFirstPage: Scenario = {
  name: 'pglite-first-page',
  title: 'embedded PGlite: GET /v1/complaints first page',
  async run (context) {
    const headers = bearer(context.dataset.ownerKey)
    const first = await probe(context, '/v1/complaints', { headers })
    if (first.skip !== null) return skipped(this.name, context, first.skip)
    const page = JSON.parse(first.body) as { data: unknown[], meta: { total: number } }
    if (page.data.length !== 20 || page.meta.total !== context.dataset.size.complaints) throw new Error(`PGlite first page: ${page.data.length} rows, total ${page.meta.total}`)
    const run = await measure(context, { path: '/v1/complaints', headers })
    return {
      name: this.name,
      store: context.store,
      status: 'ok',
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      peakRssMb: run.peakRssMb,
      cpuMsPerRequest: run.serverCpuMsPerRequest ?? undefined,
      targets: [atLeast('req/s', run.requestsPerSecond, 1000)],
      details: { complaints: context.dataset.size.complaints }
    }
  }
}

/** The CSV export's columns, as `ombuds complaints export` writes them. */
const COMPLAINT_CSV_COLUMNS = 'id, org_id, status, category, source, channel, reporter_number, reporter_email, phone_number_id, domain_id, ' +
  'campaign_id, list_id, outbound_message_id, inbound_message_id, excerpt, feedback_type, resolution_note, resolved_at, created_at, updated_at'

/** Lines of a file, read as a stream (an export of a million rows is too big for one string). */
async function countLines (path: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
  }
  return lines
}

/** Runs a command with its stdout written to a file (an export too big to hold as a string). */
async function runToFile (command: string, args: string[], outFile: string): Promise<{ code: number, stderr: string, ms: number }> {
  const out = openSync(outFile, 'w')
  const started = performance.now()
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', out, 'pipe'], env: inheritedEnvironment() })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  closeSync(out)
  return { code: code ?? 1, stderr, ms: performance.now() - started }
}

const cliExport: Scenario = {
  name: 'cli-export',
  title: '`ombuds complaints export --format csv` of the big organization vs psql \\copy (SELECT …) TO STDOUT',
  async run (context) {
    if (context.psql === null) return skipped(this.name, context, NO_PSQL)
    const { dataset } = context
    const cliFile = join(context.workDir, 'cli-export.csv')
    const started = performance.now()
    const child = spawn(process.execPath, [join(ROOT, 'bin/ombuds.js'), 'complaints', 'export', '--format', 'csv', '--out', cliFile], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: inheritedEnvironment().PATH ?? '', OMBUDS_URL: context.server.url, OMBUDS_KEY: dataset.ownerKey }
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    // The baseline once rows flow (the CLI's modules loaded, the first pages written): what must stay flat is the export itself.
    const exited = once(child, 'exit') as Promise<[number | null]>
    const written = async (): Promise<number> => await stat(`${cliFile}.partial`).then((file) => file.size, () => 0)
    while (child.exitCode === null && await written() < 1_000_000) await sleep(10)
    const sampler = rssSampler(child.pid ?? 0)
    const [code] = await exited
    const ms = performance.now() - started
    const rss = sampler.stop()
    if (code !== 0) throw new Error(`ombuds complaints export exited ${code}: ${stderr.slice(-500)}`)
    const rows = await countLines(cliFile) - 1
    const rowsPerSecond = rows / (ms / 1000)
    context.log(`  ombuds complaints export: ${rows} rows in ${(ms / 1000).toFixed(1)} s = ${rowsPerSecond.toFixed(0)} rows/s, RSS ${rss.baselineMb.toFixed(0)} MB once rows flow → peak ${rss.peakMb.toFixed(0)} MB`)

    // The ceiling: the same rows, columns and order straight out of PostgreSQL.
    const query = `SELECT ${COMPLAINT_CSV_COLUMNS} FROM complaints WHERE org_id = '${dataset.bigOrgId}' ORDER BY created_at DESC, id DESC`
    const copy = await runToFile(context.psql, [context.databaseUrl as string, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) TO STDOUT WITH (FORMAT csv, HEADER)`],
      join(context.workDir, 'copy-export.csv'))
    const { result, growth } = againstCopy(this.name, context, 'psql \\copy (SELECT …) TO STDOUT', rows, rowsPerSecond, rss, copy)
    return {
      ...result,
      targets: [
        atMost('CLI RSS growth', growth, 100, ' MB'),
        { what: 'every complaint exported', target: String(dataset.size.complaints), actual: String(rows), met: rows >= dataset.size.complaints }
      ],
      details: { rows, seconds: ms / 1000, copySeconds: copy.ms / 1000 }
    }
  }
}

/**
 * More than one process on the same machine and database: the first page and the email
 * check served by one process, by `serve --workers 2` (node:cluster, one port), and by two
 * separate `serve` processes each loaded by its own autocannon with half the connections
 * (what two machines behind a proxy would do, without the proxy). Figures only, no target.
 */
const processes: Scenario = {
  name: 'processes',
  title: 'one process vs serve --workers 2 vs two separate processes (first page, email check)',
  async run (context) {
    if (context.databaseUrl === null) return skipped(this.name, context, 'needs PostgreSQL')
    const headers = bearer(context.dataset.ownerKey)
    const checkHeaders = { ...headers, 'content-type': 'application/json' }
    const bodies = checkBodies(context.dataset, 20, 'email')
    const loads = {
      'first-page': { path: '/v1/complaints', headers },
      check: { path: '/v1/suppressions/check', method: 'POST' as const, headers: checkHeaders, kind: 'rotate' as const, bodies }
    }
    const start = async (name: string, workers: number): Promise<ServerProcess> => await startServer({
      databaseUrl: context.databaseUrl as string,
      platformKey: context.dataset.platformKey,
      logDir: context.workDir,
      name,
      runtime: 'dist',
      extraEnv: { OMBUDS_WORKERS: String(workers) }
    })
    const figures: Record<string, Record<string, { requestsPerSecond: number, p99: number }>> = {}
    for (const [load, spec] of Object.entries(loads)) {
      const one = await runLoad({ url: context.server.url, connections: CONNECTIONS, ...context.durations, ...spec })
      const clustered = await start('server-workers-2', 2)
      let cluster: LoadResult
      try {
        cluster = await runLoad({ url: clustered.url, connections: CONNECTIONS, ...context.durations, ...spec })
      } finally { await clustered.stop() }
      const pair = [await start('server-separate-1', 1), await start('server-separate-2', 1)]
      let separate: LoadResult[]
      try {
        const half = { connections: CONNECTIONS / 2, ...context.durations, ...spec }
        separate = await Promise.all(pair.map(async (server) => await runLoad({ url: server.url, ...half })))
      } finally { await Promise.all(pair.map(async (server) => { await server.stop() })) }
      figures[load] = {
        'one process': { requestsPerSecond: one.requestsPerSecond, p99: one.p99 },
        'serve --workers 2': { requestsPerSecond: cluster.requestsPerSecond, p99: cluster.p99 },
        'two separate processes': {
          requestsPerSecond: separate.reduce((sum, result) => sum + result.requestsPerSecond, 0),
          p99: Math.max(...separate.map((result) => result.p99))
        }
      }
      for (const [how, figure] of Object.entries(figures[load] ?? {})) {
        context.log(`  ${load}, ${how}: ${figure.requestsPerSecond.toFixed(0)} req/s, p99 ${figure.p99} ms`)
      }
    }
    return { name: this.name, store: context.store, status: 'ok', targets: [], details: figures }
  }
}

/** Read scenarios first, writers last (they add rows the readers would count). */
export const POSTGRES_SCENARIOS: Scenario[] = [
  firstPage, deepCursor, filtered, cliExport, suppressionCheck, suppressionCheckSms, suppressionCheckTyped, unsubscribeLinks, whatcountsReport, intake,
  webhookFiling, webhookDelivery, mailgunImport, processes
]
export const PGLITE_SCENARIOS: Scenario[] = [pgliteFirstPage, unsubscribeLinks, webhookFiling]
