import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './data-lock.js'
import type { DB } from './schema.js'

export type Database = Kysely<DB>
export type StoreKind = 'pglite' | 'postgres'

export interface StoreOptions {
  databaseUrl: string | null
  databasePoolMax?: number
  dataDir: string
  /** A PGlite data-dir dump to start from (tests load a migrated template this way). */
  loadDataDir?: Blob
  /** PostgreSQL only: server-side limits for every connection of the pool, and how long to wait for one. */
  statementTimeoutMs?: number
  idleTransactionTimeoutMs?: number
  poolWaitMs?: number
}

export interface Store {
  readonly db: Database
  readonly kind: StoreKind
  /** The embedded PGlite instance, when that is the store (for dumps and COPY). */
  readonly pglite: PGlite | null
  /** The PostgreSQL pool, when that is the store (for COPY streams). */
  readonly pool: pg.Pool | null
  close (): Promise<void>
}

// Keep timestamps as JS Dates and bigint counters as numbers (they stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

const statementNames = new Map<string, string>()
const MAX_PREPARED_STATEMENTS = 2000

/**
 * Every parameterized statement runs as a named prepared statement: PostgreSQL parses and
 * plans it once per connection instead of on every execution. Names are given per distinct
 * SQL text (Kysely emits the same text for the same query shape); past a bound, new texts
 * (e.g. multi-row inserts of every size) run unnamed as before. Statements without
 * parameters (transaction control, DDL) are left alone.
 */
function preparedStatements (client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => unknown
  const prepared = (text: unknown, values?: unknown): unknown => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return query(text, values)
    let name = statementNames.get(text)
    if (name === undefined) {
      if (statementNames.size >= MAX_PREPARED_STATEMENTS) return query(text, values)
      name = `ombuds_${statementNames.size + 1}`
      statementNames.set(text, name)
    }
    return query({ name, text, values })
  }
  client.query = prepared as typeof client.query
}

/** Read-only statements: no data-modifying CTE, no row locks. */
const READ_ONLY = /^\s*(select|with)\b/i
const WRITES = /\b(insert|update|delete|merge)\b/i

/**
 * PGlite runs every parameterized query as six protocol calls into wasm and plans it every
 * time. Reads outside transactions (the API's hot paths) run instead as `EXECUTE` of a
 * statement `PREPARE`d once per SQL text, with the parameters as quoted literals: two calls,
 * and no planning once PostgreSQL settles on a generic plan. Anything else — writes,
 * transactions, parameters that are not plain values, statements whose parameter types
 * PostgreSQL cannot infer — runs as before.
 */
function withPreparedReads (pglite: PGlite): PGlite {
  const names = new Map<string, string | null>()
  const query = async (text: string, params?: unknown[], options?: { rowMode?: 'object' | 'array' }) => {
    const literals = params === undefined || params.length === 0 || !READ_ONLY.test(text) || WRITES.test(text) ? null : params.map(sqlLiteral)
    let name = names.get(text)
    if (literals === null || literals.includes(null) || name === null || (name === undefined && names.size >= MAX_PREPARED_STATEMENTS)) {
      return await pglite.query(text, params, options)
    }
    if (name === undefined) {
      name = `ombuds_${names.size + 1}`
      try {
        await pglite.exec(`PREPARE ${name} AS ${text}`)
      } catch {
        names.set(text, null)
        return await pglite.query(text, params, options)
      }
      names.set(text, name)
    }
    const [result] = await pglite.exec(`EXECUTE ${name} (${literals.join(', ')})`, options)
    if (result === undefined) throw new Error('EXECUTE returned no result')
    return result
  }
  return new Proxy(pglite, {
    get (target, property) {
      if (property === 'query') return query
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  })
}

/** A parameter as an SQL literal, or null when it is not a plain value (then it is bound as usual). */
function sqlLiteral (value: unknown): string | null {
  if (value === null) return 'NULL'
  if (typeof value === 'string') return value.includes('\0') ? null : `'${value.replace(/'/g, "''")}'`
  if (typeof value === 'number') return Number.isFinite(value) ? `'${String(value)}'` : null
  if (typeof value === 'boolean') return value ? "'true'" : "'false'"
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${value.toISOString()}'`
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || item === null)) {
    const items = value.map((item) => item === null ? 'NULL' : `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`)
    return `'{${items.join(',').replace(/'/g, "''")}}'`
  }
  return null
}

/** Opens the store the configuration names: PostgreSQL when a URL is given, else embedded PGlite. */
export async function createStore (options: StoreOptions): Promise<Store> {
  if (options.databaseUrl !== null) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.databasePoolMax ?? 10,
      // A stalled client or a runaway statement must not keep a connection forever: the
      // server ends both (the transaction rolls back), and waiting for a free connection
      // is bounded (its error is answered 503 with Retry-After).
      statement_timeout: options.statementTimeoutMs ?? 60_000,
      idle_in_transaction_session_timeout: options.idleTransactionTimeoutMs ?? 30_000,
      connectionTimeoutMillis: options.poolWaitMs ?? 5000,
      // A server that vanishes without closing the socket would otherwise leave a query waiting forever.
      query_timeout: (options.statementTimeoutMs ?? 60_000) + 5000,
      keepAlive: true
    })
    // An idle client's error (e.g. the server restarting) must not crash the process.
    pool.on('error', () => {})
    pool.on('connect', (client) => {
      // A checked-out client whose server goes away emits 'error' outside any query; the
      // query or transaction using it fails on its own (answered 503), the process must not.
      client.on('error', () => {})
      preparedStatements(client)
    })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', pglite: null, pool, close: () => db.destroy() }
  }
  const inMemory = options.dataDir === 'memory://'
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true })
  // One process per data folder: a second one would write to a copy nobody else sees.
  const unlock = inMemory ? async () => {} : await lockDataDir(options.dataDir)
  let pglite: PGlite
  try {
    pglite = await PGlite.create({
      ...(inMemory ? {} : { dataDir: options.dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: { 20: (value: string) => Number(value) }
    })
  } catch (error) {
    await unlock()
    throw error
  }
  // The prepared reads below would otherwise be planned again on every execution
  // (PostgreSQL keeps choosing custom plans for them): about 40 % of a list request.
  await pglite.exec('SET plan_cache_mode = force_generic_plan')
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite: withPreparedReads(pglite) }) })
  return {
    db,
    kind: 'pglite',
    pglite,
    pool: null,
    close: async () => {
      try {
        await db.destroy()
      } finally {
        await unlock()
      }
    }
  }
}
