import { sql } from 'kysely'
import type { Database } from './database.js'

/** Below this many changed rows a write is not "bulk": the planner's estimates stay good enough. */
const MIN_CHANGED_ROWS = 1000
/** Autovacuum's own default trigger (autovacuum_analyze_scale_factor), applied at once instead of a minute later. */
const STALE_FRACTION = 0.1

export type AnalyzedTable = 'suppressions' | 'contacts' | 'list_members'

/**
 * Refreshes a table's planner statistics after a bulk write that changed more than 10 %
 * of what the planner believes the table holds. Without it, right after a 150,000-row
 * import the planner still thinks `suppressions` is nearly empty and picks plans for an
 * empty table: one send-path check of 1,000 recipients went from 3 ms to 1.3 s until
 * autovacuum (up to a minute later on PostgreSQL, never on PGlite, which has none) ran
 * ANALYZE. ANALYZE samples a bounded number of rows (300 × statistics target), so it
 * costs tens of milliseconds whatever the size; inside the writing transaction it counts
 * that transaction's own new rows. Cached plans are invalidated by the new statistics.
 */
export async function analyzeIfStale (db: Database, table: AnalyzedTable, changedRows: number): Promise<boolean> {
  if (changedRows < MIN_CHANGED_ROWS) return false
  const result = await sql<{ estimate: number }>`SELECT reltuples::float8 AS estimate FROM pg_class WHERE oid = ${table}::regclass`.execute(db)
  const estimate = Number(result.rows[0]?.estimate ?? -1)
  // -1: never analyzed (the planner guesses from the page count).
  if (estimate >= 0 && changedRows < estimate * STALE_FRACTION) return false
  await sql`ANALYZE ${sql.table(table)}`.execute(db)
  return true
}
