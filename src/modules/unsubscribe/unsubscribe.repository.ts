import { type Insertable, sql } from 'kysely'
import type { Database } from '../../db/database.js'
import type { UnsubscribesTable } from '../../db/schema.js'

export interface LinkTargets {
  realmId: number
  /** null when the name is not one of the organization's domains */
  domainId: string | null
  /** The given list when it is the organization's, else null */
  listId: string | null
  /** The given campaign when it is the organization's, else null */
  campaignId: string | null
  /** That campaign's list */
  campaignListId: string | null
}

/** What a batch of links needs from the store, in one read: the realm and the ids, each only if the organization's. */
export async function selectLinkTargets (
  db: Database, orgId: string, domainName: string, listId: string | null, campaignId: string | null
): Promise<LinkTargets | undefined> {
  const result = await sql<{ realm_id: number | string, domain_id: string | null, list_id: string | null, campaign_id: string | null, campaign_list_id: string | null }>`
    SELECT o.realm_id,
      (SELECT d.id FROM domains d WHERE d.name = ${domainName} AND d.org_id = o.id) AS domain_id,
      (SELECT l.id FROM lists l WHERE l.org_id = o.id AND l.id = ${listId}::uuid) AS list_id,
      k.id AS campaign_id, k.list_id AS campaign_list_id
    FROM organizations o
    LEFT JOIN campaigns k ON k.org_id = o.id AND k.id = ${campaignId}::uuid
    WHERE o.id = ${orgId}`.execute(db)
  const row = result.rows[0]
  if (row === undefined) return undefined
  return { realmId: Number(row.realm_id), domainId: row.domain_id, listId: row.list_id, campaignId: row.campaign_id, campaignListId: row.campaign_list_id }
}

export interface TokenOwner {
  orgId: string
  orgName: string
  domainName: string
}

/** The organization of a realm and its domain of that id; undefined when either is gone or they do not belong together. */
export async function selectTokenOwner (db: Database, realmId: number, domainId: string): Promise<TokenOwner | undefined> {
  return await db.selectFrom('organizations as o')
    .innerJoin('domains as d', (join) => join.onRef('d.org_id', '=', 'o.id').on('d.id', '=', domainId))
    .select(['o.id as orgId', 'o.name as orgName', 'd.name as domainName'])
    .where('o.realm_id', '=', realmId)
    .executeTakeFirst()
}

/** Records where an unsubscribe came from, once per suppression: false when it was recorded already. */
export async function insertUnsubscribe (db: Database, row: Insertable<UnsubscribesTable>): Promise<boolean> {
  const inserted = await db.insertInto('unsubscribes').values(row)
    .onConflict((conflict) => conflict.columns(['org_id', 'suppression_id']).doNothing())
    .returning('id').executeTakeFirst()
  return inserted !== undefined
}
