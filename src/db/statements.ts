import { type Kysely, sql } from 'kysely'

/**
 * Runs a migration's DDL one statement at a time (prepared statements, which both
 * drivers use, take one command each). Statements are separated by a `;` at line end.
 */
export async function executeStatements (db: Kysely<unknown>, ddl: string): Promise<void> {
  for (const statement of ddl.split(/;\s*$/m).map((text) => text.trim()).filter((text) => text.replace(/--.*$/gm, '').trim() !== '')) {
    await sql.raw(statement).execute(db)
  }
}
