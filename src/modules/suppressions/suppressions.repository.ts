import type { Database } from '../../db/database.js'
import type { Channel, SuppressionReason, SuppressionRow, SuppressionScope } from '../../db/schema.js'

export interface NewSuppression {
  id: string
  channel: Channel
  address: string
  scope: SuppressionScope
  scopeId: string
  phoneNumberId: string | null
  domainId: string | null
  reason: SuppressionReason
  complaintId: string | null
  createdAt: Date
}

/**
 * Inserts suppressions; an address already suppressed in the same scope keeps its one
 * row and its first reason. Returns the rows as stored (new or existing), in input order.
 */
export async function upsertSuppressions (db: Database, orgId: string, entries: NewSuppression[]): Promise<SuppressionRow[]> {
  if (entries.length === 0) return []
  const inserted = await db.insertInto('suppressions').values(entries.map((entry) => ({
    org_id: orgId,
    id: entry.id,
    channel: entry.channel,
    address: entry.address,
    scope: entry.scope,
    scope_id: entry.scopeId,
    phone_number_id: entry.phoneNumberId,
    domain_id: entry.domainId,
    reason: entry.reason,
    complaint_id: entry.complaintId,
    created_at: entry.createdAt
  }))).onConflict((conflict) => conflict.columns(['org_id', 'channel', 'address', 'scope_id']).doNothing())
    .returningAll().execute()
  const identity = (row: { channel: string, address: string, scope_id: string }) => `${row.channel}|${row.scope_id}|${row.address}`
  const byIdentity = new Map(inserted.map((row) => [identity(row), row]))
  const missing = entries.filter((entry) => !byIdentity.has(identity({ channel: entry.channel, address: entry.address, scope_id: entry.scopeId })))
  if (missing.length > 0) {
    const existing = await db.selectFrom('suppressions').selectAll()
      .where('org_id', '=', orgId)
      .where((eb) => eb.or(missing.map((entry) => eb.and([
        eb('channel', '=', entry.channel), eb('address', '=', entry.address), eb('scope_id', '=', entry.scopeId)
      ]))))
      .execute()
    for (const row of existing) byIdentity.set(identity(row), row)
  }
  return entries.map((entry) => byIdentity.get(identity({ channel: entry.channel, address: entry.address, scope_id: entry.scopeId })) as SuppressionRow)
}

/** Removes one address's suppression in one scope, optionally only for a given reason. Returns the removed rows. */
export async function deleteSuppression (
  db: Database, orgId: string, where: { channel: Channel, address: string, scopeId: string, reason?: SuppressionReason }
): Promise<SuppressionRow[]> {
  let query = db.deleteFrom('suppressions')
    .where('org_id', '=', orgId).where('channel', '=', where.channel)
    .where('address', '=', where.address).where('scope_id', '=', where.scopeId)
  if (where.reason !== undefined) query = query.where('reason', '=', where.reason)
  return await query.returningAll().execute()
}

export async function findSuppression (
  db: Database, orgId: string, where: { channel: Channel, address: string, scopeId: string }
): Promise<SuppressionRow | undefined> {
  return await db.selectFrom('suppressions').selectAll()
    .where('org_id', '=', orgId).where('channel', '=', where.channel)
    .where('address', '=', where.address).where('scope_id', '=', where.scopeId)
    .executeTakeFirst()
}
