import type { Kysely, Transaction as KyselyTransaction } from 'kysely'
import type { DB } from './schema.js'

/** A handle on the store: the pool (or PGlite), or a transaction, since services compose. */
export type Database = Kysely<DB>

/** A handle that is certainly a transaction: what functions that lock rows or need atomicity across statements take. */
export type Transaction = KyselyTransaction<DB>
