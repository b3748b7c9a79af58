import type { Insertable } from 'kysely'
import type { Database } from '../../db/database.js'
import type { ProviderConnectionRow, ProviderConnectionsTable, ProviderEventsTable } from '../../db/schema.js'

/** Provider connections and the events they received. */

export async function insertProviderConnection (db: Database, row: Insertable<ProviderConnectionsTable>): Promise<ProviderConnectionRow> {
  return await db.insertInto('provider_connections').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function findProviderConnection (db: Database, orgId: string, id: string): Promise<ProviderConnectionRow | undefined> {
  return await db.selectFrom('provider_connections').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

/** A webhook names only the connection. */
export async function findProviderConnectionById (db: Database, id: string): Promise<ProviderConnectionRow | undefined> {
  return await db.selectFrom('provider_connections').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Newest first, keyset (created_at, id); `limit + 1` rows so the caller knows whether there is a next page. */
export async function selectProviderConnectionPage (
  db: Database, orgId: string, after: { createdAt: Date, id: string } | null, limit: number
): Promise<ProviderConnectionRow[]> {
  let query = db.selectFrom('provider_connections').selectAll().where('org_id', '=', orgId)
  if (after !== null) {
    query = query.where((eb) => eb.or([
      eb('created_at', '<', after.createdAt),
      eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])
    ]))
  }
  return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
}

export async function countProviderConnections (db: Database, orgId: string): Promise<number> {
  const row = await db.selectFrom('provider_connections').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function updateProviderCredentials (db: Database, orgId: string, id: string, credentials: Buffer, updatedAt: Date): Promise<ProviderConnectionRow | undefined> {
  return await db.updateTable('provider_connections').set({ credentials, updated_at: updatedAt })
    .where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

export async function deleteProviderConnection (db: Database, orgId: string, id: string): Promise<ProviderConnectionRow | undefined> {
  return await db.deleteFrom('provider_connections').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

/** Which of these event ids the connection has already recorded. */
export async function selectRecordedEventIds (db: Database, connectionId: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const rows = await db.selectFrom('provider_events').select('event_id')
    .where('connection_id', '=', connectionId).where('event_id', 'in', eventIds).execute()
  return new Set(rows.map((row) => row.event_id))
}

export async function isNonceUsed (db: Database, connectionId: string, nonce: string): Promise<boolean> {
  const row = await db.selectFrom('provider_events').select('event_id')
    .where('connection_id', '=', connectionId).where('nonce', '=', nonce).executeTakeFirst()
  return row !== undefined
}

/**
 * Records a delivery's events; false when a concurrent copy recorded one of them (or the
 * nonce) first, in which case the caller rolls its writes back.
 */
export async function insertProviderEvents (db: Database, rows: Array<Insertable<ProviderEventsTable>>): Promise<boolean> {
  if (rows.length === 0) return true
  const inserted = await db.insertInto('provider_events').values(rows)
    .onConflict((conflict) => conflict.doNothing()).returning('event_id').execute()
  return inserted.length === rows.length
}
