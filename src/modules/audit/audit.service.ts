import type { Database } from '../../db/database.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { newId } from '../../lib/ids.js'
import { type Actor, actorColumns } from '../complaints/complaints.service.js'
import { type AuditFeedRow, insertAuditEvent, selectAuditFeed } from './audit.repository.js'
import type { AuditEventType } from './audit.schemas.js'

export interface AuditQuery {
  cursor?: string
  limit: number
  type?: AuditEventType
  subject_id?: string
  since?: string
  until?: string
}

/** The organization's feed: complaint and suppression events and administrative changes, newest first. */
export async function listAuditEvents (db: Database, orgId: string, query: AuditQuery) {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const { rows, total, lastEventAt } = await selectAuditFeed(db, orgId, {
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.subject_id !== undefined ? { subject_id: query.subject_id.toLowerCase() } : {}),
    ...(query.since !== undefined ? { since: new Date(query.since) } : {}),
    ...(query.until !== undefined ? { until: new Date(query.until) } : {})
  }, cursor, query.limit + 1)
  const { page, nextCursor } = paginate(rows, query.limit)
  return {
    data: page.map(toAuditEvent),
    meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: lastEventAt?.toISOString() ?? null }
  }
}

function toAuditEvent (row: AuditFeedRow) {
  return {
    id: row.id,
    type: row.type as AuditEventType,
    created_at: row.created_at.toISOString(),
    subject: { type: row.subject_type as 'complaint', id: row.subject_id },
    actor: { kind: row.actor_kind, label: row.actor_label, key_prefix: row.actor_key_prefix, role: row.actor_role },
    via: (row.via ?? 'system') as 'api',
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null
  }
}

export interface AdministrativeChange {
  orgId: string
  type: AuditEventType
  subjectType: 'api_key' | 'phone_number' | 'domain' | 'webhook_endpoint' | 'provider_connection'
  subjectId: string
  before?: unknown
  after?: unknown
}

/** Records a change to what an organization is set up with; runs in the caller's transaction. */
export async function recordChange (db: Database, change: AdministrativeChange, actor: Actor): Promise<void> {
  await insertAuditEvent(db, {
    org_id: change.orgId,
    id: newId(),
    type: change.type,
    subject_type: change.subjectType,
    subject_id: change.subjectId,
    ...actorColumns(actor),
    before: change.before ?? null,
    after: change.after ?? null,
    created_at: new Date()
  })
}
