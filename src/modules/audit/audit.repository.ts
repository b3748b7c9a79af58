import { type Insertable, type RawBuilder, type Selectable, sql } from 'kysely'
import type { Database } from '../../db/database.js'
import type { AuditEventsTable } from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

export type NewAuditEvent = Omit<Insertable<AuditEventsTable>, 'before' | 'after'> & { before: unknown, after: unknown }

/** Records an administrative change (keys, numbers, domains, webhook endpoints); runs in the caller's transaction. */
export async function insertAuditEvent (db: Database, event: NewAuditEvent): Promise<void> {
  await db.insertInto('audit_events').values({
    ...event,
    before: event.before == null ? null : JSON.stringify(event.before),
    after: event.after == null ? null : JSON.stringify(event.after)
  }).execute()
}

/**
 * One entry of the feed, whatever table it comes from: the columns of `audit_events` (which the
 * other two sources are projected to), plus `via`, which the feed derives where a source lacks it.
 */
export type AuditFeedRow = Omit<Selectable<AuditEventsTable>, 'org_id'> & { via: string | null }

export interface AuditFilters {
  type?: string
  subject_id?: string
  since?: Date
  until?: Date
}

// How a change came when the event row predates `via` (or, for complaint events, never had it).
const VIA_OF_ACTOR = sql`CASE actor_kind WHEN 'customer' THEN 'api' WHEN 'platform' THEN 'staff'
  ELSE CASE WHEN actor_label = 'intake' THEN 'intake' ELSE 'system' END END`

/**
 * The three sources of the feed, each projected to the feed's columns: complaint events,
 * suppression events (added, lifted, and the older one-row "cleared"), and audit events.
 * Each stays a simple subquery, so the conditions put on it reach its (org_id, created_at)
 * index.
 */
function sources (orgId: string): RawBuilder<unknown>[] {
  const complaintEvents = sql`SELECT id, created_at, 'complaint.' || type AS type, 'complaint' AS subject_type, complaint_id AS subject_id,
      actor_kind, actor_label, actor_key_prefix, actor_role, ${VIA_OF_ACTOR} AS via,
      CASE WHEN type = 'created' THEN NULL ELSE jsonb_build_object('status', from_status) END AS before,
      jsonb_build_object('status', to_status, 'resolution_note', resolution_note) AS after
    FROM complaint_events WHERE org_id = ${orgId}`
  const suppressionState = sql`CASE WHEN type = 'cleared'
      THEN jsonb_build_object('channel', channel, 'scope', scope, 'domain_id', scope_id, 'removed_count', removed_count)
      ELSE jsonb_build_object('id', suppression_id, 'channel', channel, 'address', address, 'scope', scope,
        'phone_number_id', CASE WHEN scope = 'phone_number' THEN scope_id END,
        'domain_id', CASE WHEN scope = 'domain' THEN scope_id END, 'reason', reason, 'complaint_id', complaint_id) END`
  const suppressionEvents = sql`SELECT id, created_at,
      CASE type WHEN 'added' THEN 'suppression.created' WHEN 'removed' THEN 'suppression.deleted' ELSE 'suppression.cleared' END AS type,
      CASE WHEN type = 'cleared' THEN 'domain' ELSE 'suppression' END AS subject_type, coalesce(suppression_id, scope_id) AS subject_id,
      actor_kind, actor_label, actor_key_prefix, actor_role, coalesce(via, ${VIA_OF_ACTOR}) AS via,
      CASE WHEN type = 'added' THEN NULL ELSE ${suppressionState} END AS before,
      CASE WHEN type = 'added' THEN ${suppressionState} END AS after
    FROM suppression_events WHERE org_id = ${orgId}`
  const auditEvents = sql`SELECT id, created_at, type, subject_type, subject_id,
      actor_kind, actor_label, actor_key_prefix, actor_role,
      CASE actor_kind WHEN 'customer' THEN 'api' WHEN 'platform' THEN 'staff' ELSE 'system' END AS via, before, after
    FROM audit_events WHERE org_id = ${orgId}`
  return [complaintEvents, suppressionEvents, auditEvents]
}

function conditions (filters: AuditFilters, after: Cursor | null) {
  const list = [sql`true`]
  if (filters.type !== undefined) list.push(sql`type = ${filters.type}`)
  if (filters.subject_id !== undefined) list.push(sql`subject_id = ${filters.subject_id}::uuid`)
  if (filters.since !== undefined) list.push(sql`created_at >= ${filters.since}`)
  if (filters.until !== undefined) list.push(sql`created_at < ${filters.until}`)
  if (after !== null) list.push(sql`(created_at, id) < (${after.createdAt}, ${after.id}::uuid)`)
  return sql.join(list, sql` AND `)
}

/**
 * One page of the organization's feed, newest first by (created_at, id): each source's
 * own first `limit` rows (an index range each), merged. Also the exact number of entries
 * matching the filters and the time of the newest entry of the organization.
 */
export async function selectAuditFeed (
  db: Database, orgId: string, filters: AuditFilters, after: Cursor | null, limit: number
): Promise<{ rows: AuditFeedRow[], total: number, lastEventAt: Date | null }> {
  const branches = sources(orgId)
  const page = sql.join(branches.map((source) =>
    sql`(SELECT * FROM (${source}) s WHERE ${conditions(filters, after)} ORDER BY created_at DESC, id DESC LIMIT ${limit})`), sql` UNION ALL `)
  const counts = sql.join(branches.map((source) => sql`(SELECT count(*) FROM (${source}) s WHERE ${conditions(filters, null)})`), sql` + `)
  const newest = sql.join(branches.map((source) => sql`(SELECT max(created_at) FROM (${source}) s)`), sql`, `)
  const [rows, summary] = await Promise.all([
    sql<AuditFeedRow>`SELECT * FROM (${page}) feed ORDER BY created_at DESC, id DESC LIMIT ${limit}`.execute(db),
    sql<{ total: number | string, last_event_at: Date | null }>`SELECT ${counts} AS total, greatest(${newest}) AS last_event_at`.execute(db)
  ])
  const row = summary.rows[0]
  return {
    rows: rows.rows.map((entry) => ({ ...entry, created_at: new Date(entry.created_at) })),
    total: Number(row?.total ?? 0),
    lastEventAt: row?.last_event_at == null ? null : new Date(row.last_event_at)
  }
}
