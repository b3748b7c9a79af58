import type { Updateable } from 'kysely'
import type { Database, Transaction } from '../../db/database.js'
import type { CampaignRow, CampaignsTable, Channel } from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

export interface CampaignFilters {
  channel?: Channel
  list_id?: string
}

/** Inserts the campaign unless its external_id is taken in the organization; undefined then. */
export async function insertCampaign (db: Database, row: CampaignRow): Promise<CampaignRow | undefined> {
  return await db.insertInto('campaigns').values(row)
    .onConflict((conflict) => conflict.columns(['org_id', 'external_id']).where('external_id', 'is not', null).doNothing())
    .returningAll().executeTakeFirst()
}

export async function findCampaignById (db: Database, orgId: string, id: string): Promise<CampaignRow | undefined> {
  return await db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

export async function findCampaignByExternalId (db: Database, orgId: string, externalId: string): Promise<CampaignRow | undefined> {
  return await db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId).where('external_id', '=', externalId).executeTakeFirst()
}

/** Reads and locks the row for a change, until the caller's transaction ends. */
export async function lockCampaign (trx: Transaction, orgId: string, id: string): Promise<CampaignRow | undefined> {
  return await trx.selectFrom('campaigns').selectAll().where('org_id', '=', orgId).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateCampaign (
  trx: Database, orgId: string, id: string,
  changes: Partial<Pick<Updateable<CampaignsTable>, 'name' | 'list_id' | 'phone_number_id' | 'domain_id' | 'external_id' | 'sent_count' | 'updated_at'>>
): Promise<CampaignRow> {
  return await trx.updateTable('campaigns').set(changes).where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function selectCampaignPage (db: Database, orgId: string, filters: CampaignFilters, after: Cursor | null, limit: number): Promise<CampaignRow[]> {
  let query = db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId)
  if (filters.channel !== undefined) query = query.where('channel', '=', filters.channel)
  if (filters.list_id !== undefined) query = query.where('list_id', '=', filters.list_id)
  if (after !== null) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

export async function countCampaigns (db: Database, orgId: string, filters: CampaignFilters): Promise<number> {
  let query = db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('total')).where('org_id', '=', orgId)
  if (filters.channel !== undefined) query = query.where('channel', '=', filters.channel)
  if (filters.list_id !== undefined) query = query.where('list_id', '=', filters.list_id)
  return Number((await query.executeTakeFirstOrThrow()).total)
}

export async function campaignExistsAt (db: Database, orgId: string, cursor: Cursor): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id')
    .where('org_id', '=', orgId).where('id', '=', cursor.id).where('created_at', '=', cursor.createdAt).executeTakeFirst()
  return row !== undefined
}
