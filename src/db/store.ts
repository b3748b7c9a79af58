/**
 * The store factory: PostgreSQL (a `pg` pool whose clients run named statements) when a
 * URL is configured, else embedded PGlite (one process per data folder, reads prepared).
 */
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './data-lock.js'
import type { Database } from './database.js'
import { useNamedStatements } from './pg-named-statements.js'
import { withPreparedReads } from './pglite-prepared-reads.js'
import type { DB } from './schema.js'

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
      useNamedStatements(client)
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
