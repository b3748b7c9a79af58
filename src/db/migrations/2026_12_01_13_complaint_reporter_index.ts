import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * The console searches complaints by reporter (an exact email or number). Each index keeps
 * the list's order, so a reporter's complaints page by the same keyset as every other list.
 * Date ranges use `complaints_newest` (org_id, created_at, id) already.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE INDEX complaints_by_reporter_number ON complaints (org_id, reporter_number, created_at DESC, id DESC) WHERE reporter_number IS NOT NULL;
    CREATE INDEX complaints_by_reporter_email ON complaints (org_id, reporter_email, created_at DESC, id DESC) WHERE reporter_email IS NOT NULL;
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP INDEX complaints_by_reporter_email;
    DROP INDEX complaints_by_reporter_number;
  `)
}
