import type { Insertable } from 'kysely'
import type { Database } from '../../db/database.js'
import type { OrgKeywordRow, OrgKeywordsTable } from '../../db/schema.js'

export async function selectOrgKeywords (db: Database, orgId: string): Promise<OrgKeywordRow[]> {
  return await db.selectFrom('org_keywords').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'asc').orderBy('id', 'asc').execute()
}

/** undefined when the organization already has a keyword of that form. */
export async function insertOrgKeyword (db: Database, row: Insertable<OrgKeywordsTable>): Promise<OrgKeywordRow | undefined> {
  return await db.insertInto('org_keywords').values(row).onConflict((conflict) => conflict.columns(['org_id', 'form']).doNothing()).returningAll().executeTakeFirst()
}

export async function deleteOrgKeyword (db: Database, orgId: string, id: string): Promise<OrgKeywordRow | undefined> {
  return await db.deleteFrom('org_keywords').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}
