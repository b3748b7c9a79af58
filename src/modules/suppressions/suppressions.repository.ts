import { type Insertable, type QueryCreator, type SelectQueryBuilder, sql } from 'kysely'
import type { Database } from '../../db/database.js'
import { isoText } from '../../db/iso-timestamp.js'
import { rowColumns, rowValues } from '../../db/raw-rows.js'
import type {
  ActorKind, ChangeVia, Channel, DB, SuppressionEventsTable, SuppressionReason, SuppressionRow, SuppressionScope, SuppressionsTable
} from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

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

/** Who added or lifted suppressions and how: written into each suppression event of the change. */
export interface SuppressionChange {
  via: ChangeVia
  actor_kind: ActorKind
  actor_label: string
  actor_key_prefix: string | null
  actor_role: string | null
  at: Date
}

const EVENT_COLUMNS = [
  'org_id', 'id', 'type', 'suppression_id', 'channel', 'address', 'scope', 'scope_id', 'reason', 'removed_count',
  'actor_kind', 'actor_label', 'actor_key_prefix', 'actor_role', 'via', 'complaint_id', 'created_at'
] as const

/**
 * One suppression event per row of `source` (a CTE that returned suppression rows), as
 * the SELECT of an `INSERT INTO suppression_events`: the audit trail is written by the
 * statement that makes the change. `onlyInserted` keeps the rows an upsert really
 * inserted (its `inserted` column).
 */
function eventRowsFrom (source: string, type: 'added' | 'removed', change: SuppressionChange, onlyInserted = false) {
  return sql`SELECT org_id, gen_random_uuid(), ${type}, id, channel, address, scope, scope_id, reason, 1,
      ${change.actor_kind}, ${change.actor_label}, ${change.actor_key_prefix}, ${change.actor_role}, ${change.via}, complaint_id, ${change.at}::timestamptz
    FROM ${sql.table(source)}${onlyInserted ? sql` WHERE inserted` : sql``}`
}

/** `eventRowsFrom` as a data-modifying CTE of a Kysely statement. */
export function insertEventsFrom (qc: QueryCreator<DB>, source: string, type: 'added' | 'removed', change: SuppressionChange, onlyInserted = false) {
  return qc.insertInto('suppression_events').columns(EVENT_COLUMNS).expression(eventRowsFrom(source, type, change, onlyInserted))
}

/** `eventRowsFrom` as the final INSERT of a raw statement, or as one of its CTEs. */
export function eventsFrom (source: string, type: 'added' | 'removed', change: SuppressionChange, onlyInserted = false) {
  return sql`INSERT INTO suppression_events (${sql.join(EVENT_COLUMNS.map((column) => sql.ref(column)))}) ${eventRowsFrom(source, type, change, onlyInserted)}`
}

/**
 * Inserts suppressions, with an `added` event for each new one, in one statement; an
 * address already suppressed in the same scope keeps its one row and its first reason.
 * Returns the rows as stored (new or existing), in input order.
 */
export async function upsertSuppressions (db: Database, orgId: string, entries: NewSuppression[], change: SuppressionChange): Promise<SuppressionRow[]> {
  if (entries.length === 0) return []
  // Rows in the unique index's order: two writes of the same addresses lock them in the same order, so they cannot deadlock.
  const ordered = [...entries].sort((a, b) => compareKeys(a.channel, b.channel) || compareKeys(a.address, b.address) || compareKeys(a.scopeId, b.scopeId))
  const inserted = await db
    .with('inserted', (qc) => qc.insertInto('suppressions').values(ordered.map((entry) => suppressionRow(orgId, entry)))
      .onConflict((conflict) => conflict.columns(['org_id', 'channel', 'address', 'scope_id']).doNothing())
      .returningAll())
    .with('added', (qc) => insertEventsFrom(qc as unknown as QueryCreator<DB>, 'inserted', 'added', change))
    .selectFrom('inserted').selectAll().execute()
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

function compareKeys (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function suppressionRow (orgId: string, entry: NewSuppression): Insertable<SuppressionsTable> {
  return {
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
  }
}

/**
 * One suppression as an upsert to run inside a larger raw statement (a data-modifying CTE),
 * returning the row as stored: the new row, or the existing one, which keeps its first
 * reason, origin and time, and `inserted` (false for the existing one; `eventsFrom` writes
 * the `added` event of a new one). The no-op update (rather than DO NOTHING and a read) is
 * what returns the existing row even when it was committed after the statement began.
 */
export function upsertSuppressionReturningRow (orgId: string, entry: NewSuppression) {
  const row = suppressionRow(orgId, entry)
  return sql`INSERT INTO suppressions (${rowColumns(row)}) VALUES ${rowValues(row)}
    ON CONFLICT (org_id, channel, address, scope_id) DO UPDATE SET reason = suppressions.reason
    RETURNING *, xmax = 0 AS inserted`
}

/**
 * Lifts one address's suppression of one reason in one scope, as a data-modifying CTE of a
 * larger statement (intake's opt-in reply lifts and records in one statement): returns the removed row, at most one (the identity
 * index is unique), for `insertEventsFrom` to write its `removed` event.
 */
export function deleteSuppressionReturningRow (
  db: QueryCreator<DB>, orgId: string, where: { channel: Channel, address: string, scopeId: string, reason: SuppressionReason }
) {
  return db.deleteFrom('suppressions')
    .where('org_id', '=', orgId).where('channel', '=', where.channel)
    .where('address', '=', where.address).where('scope_id', '=', where.scopeId).where('reason', '=', where.reason)
    .returningAll()
}

export interface SuppressionFilters {
  channel?: Channel
  reason?: SuppressionReason
  phone_number_id?: string
  domain_id?: string
  scope?: SuppressionScope
  /** Normalized; requires `channel` (the caller derives it from the address). */
  address?: string
}

function applyFilters<O> (query: SelectQueryBuilder<DB, 'suppressions', O>, filters: SuppressionFilters): SelectQueryBuilder<DB, 'suppressions', O> {
  if (filters.channel !== undefined) query = query.where('channel', '=', filters.channel)
  if (filters.reason !== undefined) query = query.where('reason', '=', filters.reason)
  if (filters.phone_number_id !== undefined) query = query.where('scope_id', '=', filters.phone_number_id)
  if (filters.domain_id !== undefined) query = query.where('scope_id', '=', filters.domain_id)
  if (filters.address !== undefined) query = query.where('address', '=', filters.address)
  if (filters.scope !== undefined) query = query.where('scope', '=', filters.scope)
  return query
}

/**
 * One page, newest first by (created_at, id). Served by `suppressions_newest`, or by the
 * scope, reason or identity index when that filter is given.
 */
export async function selectSuppressionPage (
  db: Database, orgId: string, filters: SuppressionFilters, after: Cursor | null, limit: number
): Promise<SuppressionRow[]> {
  let query = applyFilters(db.selectFrom('suppressions').selectAll().where('org_id', '=', orgId), filters)
  if (after !== null) {
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  }
  return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

/**
 * The exact number of suppressions matching the filters: a sum over the tallies the
 * triggers keep (a few rows per scope), or, when one address is named, a count of that
 * address's handful of rows on the identity index.
 */
export async function countSuppressions (db: Database, orgId: string, filters: SuppressionFilters): Promise<number> {
  if (filters.address !== undefined) {
    const query = applyFilters(db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('total')).where('org_id', '=', orgId), filters)
    return Number((await query.executeTakeFirstOrThrow()).total)
  }
  let query = db.selectFrom('suppression_tallies')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('total'), sql<number>`0`).as('total'))
    .where('org_id', '=', orgId)
  if (filters.channel !== undefined) query = query.where('channel', '=', filters.channel)
  if (filters.reason !== undefined) query = query.where('reason', '=', filters.reason)
  if (filters.phone_number_id !== undefined) query = query.where('scope_id', '=', filters.phone_number_id)
  if (filters.domain_id !== undefined) query = query.where('scope_id', '=', filters.domain_id)
  // Tallies are keyed by scope id: the organization's own id is organization scope, and a
  // number scope only ever holds sms rows and a domain scope email rows (the service's rule).
  if (filters.scope === 'org') query = query.where('scope_id', '=', orgId)
  if (filters.scope === 'phone_number') query = query.where('scope_id', '<>', orgId).where('channel', '=', 'sms')
  if (filters.scope === 'domain') query = query.where('scope_id', '<>', orgId).where('channel', '=', 'email')
  return Number((await query.executeTakeFirstOrThrow()).total)
}

/** The newest change to the organization's suppressions: its newest row or its newest removal. */
export async function latestSuppressionChangeAt (db: Database, orgId: string): Promise<Date | null> {
  const row = await db.selectNoFrom((eb) => [
    eb.selectFrom('suppressions').select('created_at').where('org_id', '=', orgId)
      .orderBy('created_at', 'desc').limit(1).as('created'),
    eb.selectFrom('suppression_events').select('created_at').where('org_id', '=', orgId)
      .orderBy('created_at', 'desc').limit(1).as('removed')
  ]).executeTakeFirstOrThrow()
  const times = [row.created, row.removed].filter((time): time is Date => time !== null && time !== undefined)
  return times.length === 0 ? null : new Date(Math.max(...times.map((time) => new Date(time).getTime())))
}

export async function findSuppressionById (db: Database, orgId: string, id: string): Promise<SuppressionRow | undefined> {
  return await db.selectFrom('suppressions').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

export async function deleteSuppressionById (db: Database, orgId: string, id: string): Promise<SuppressionRow | undefined> {
  return await db.deleteFrom('suppressions').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

export type NewSuppressionEvent = Insertable<SuppressionEventsTable>

export async function insertSuppressionEvents (db: Database, events: NewSuppressionEvent[]): Promise<void> {
  if (events.length > 0) await db.insertInto('suppression_events').values(events).execute()
}

export interface SuppressionMatch {
  id: string
  address: string
  reason: SuppressionReason
  /** As the API writes it (`isoText`): in UTC with milliseconds, so text order is time order. */
  created_at: string
}

const CREATED_AT_TEXT = sql.raw(isoText('s.created_at'))

/**
 * The send-path question in one statement: finds the sender (one of the organization's
 * numbers or domains) and every suppression of these addresses for that sender or for
 * the whole organization, as probes of the identity index (org_id, channel, address,
 * scope_id). `senderId` is null when the sender is not the organization's.
 *
 * The addresses are normalized (no whitespace or control character in any of them), so
 * they travel as one newline-separated text split by the server: the driver would
 * otherwise quote and escape each of up to 1,000 elements into an array literal, which
 * the server then parses just the same. Duplicates are harmless (each suppression row
 * matches once).
 */
export async function selectSuppressionMatches (
  db: Database, orgId: string, channel: Channel, sender: string, addresses: string[]
): Promise<{ senderId: string | null, matches: SuppressionMatch[] }> {
  const senderQuery = channel === 'sms'
    ? sql`SELECT id FROM phone_numbers WHERE number = ${sender} AND org_id = ${orgId}`
    : sql`SELECT id FROM domains WHERE name = ${sender} AND org_id = ${orgId}`
  const result = await sql<{ sender_id: string, id: string | null, address: string | null, reason: SuppressionReason | null, created_at: string | null }>`
    WITH sender AS (${senderQuery})
    SELECT sender.id AS sender_id, s.id, s.address, s.reason, ${CREATED_AT_TEXT} AS created_at
    FROM sender LEFT JOIN LATERAL (
      SELECT id, address, reason, created_at FROM suppressions
      WHERE org_id = ${orgId} AND channel = ${channel} AND address = ANY(string_to_array(${addresses.join('\n')}, E'\\n'))
        AND scope_id IN (${orgId}, sender.id)
    ) s ON true`.execute(db)
  const first = result.rows[0]
  if (first === undefined) return { senderId: null, matches: [] }
  const matches: SuppressionMatch[] = []
  for (const row of result.rows) {
    if (row.id !== null) {
      matches.push({ id: row.id, address: row.address as string, reason: row.reason as SuppressionReason, created_at: row.created_at as string })
    }
  }
  return { senderId: first.sender_id, matches }
}

export interface ScopedRows {
  channel: Channel
  scope: SuppressionScope
  scopeId: string
  phoneNumberId: string | null
  domainId: string | null
  reason: SuppressionReason
}

/**
 * Bulk insert for imports: one statement per batch whatever its size (three array
 * parameters unnested server-side), duplicates skipped (the first reason is kept), rows
 * written in address order (so concurrent writers lock them in the same order), an
 * `added` event per new row in the same statement. Returns how many rows were new.
 */
export async function insertScopedSuppressions (
  db: Database, orgId: string, scope: ScopedRows, rows: { ids: string[], addresses: string[], createdAts: string[] }, change: SuppressionChange
): Promise<number> {
  if (rows.ids.length === 0) return 0
  const result = await sql`
    WITH inserted AS (
      INSERT INTO suppressions (org_id, id, channel, address, scope, scope_id, phone_number_id, domain_id, reason, complaint_id, created_at)
      SELECT ${orgId}::uuid, t.id, ${scope.channel}, t.address, ${scope.scope}, ${scope.scopeId}::uuid,
        ${scope.phoneNumberId}::uuid, ${scope.domainId}::uuid, ${scope.reason}, NULL, t.created_at
      FROM unnest(${rows.ids}::uuid[], ${rows.addresses}::text[], ${rows.createdAts}::timestamptz[]) AS t (id, address, created_at)
      ON CONFLICT (org_id, channel, address, scope_id) DO NOTHING
      RETURNING *
    ) ${eventsFrom('inserted', 'added', change)}`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

// Mailgun's complaints of a domain: exactly the rows of the partial index `suppressions_mailgun`.
const DOMAIN_COMPLAINTS = sql`channel = 'email' AND scope = 'domain' AND reason IN ('complaint', 'import')`

export type PageDirection = 'first' | 'next' | 'previous' | 'last'

/**
 * One alphabetical page (byte order) of a domain's complaints, always returned ascending:
 * first / next after `pivot` / previous before `pivot` / last; `term` keeps addresses
 * that start with it. Every variant is one range scan of `suppressions_mailgun`.
 */
export async function selectDomainComplaintPage (
  db: Database, orgId: string, domainId: string,
  page: { direction: PageDirection, pivot: string | null, term: string, limit: number }
): Promise<Array<{ address: string, created_at: Date }>> {
  const conditions = [sql`org_id = ${orgId}`, sql`scope_id = ${domainId}`, DOMAIN_COMPLAINTS]
  if (page.term !== '') {
    conditions.push(sql`address COLLATE "C" >= ${page.term}`, sql`address COLLATE "C" < ${page.term + '\u{10FFFF}'}`)
  }
  const backwards = page.direction === 'previous' || page.direction === 'last'
  if (page.pivot !== null && page.direction === 'next') conditions.push(sql`address COLLATE "C" > ${page.pivot}`)
  if (page.pivot !== null && page.direction === 'previous') conditions.push(sql`address COLLATE "C" < ${page.pivot}`)
  const result = await sql<{ address: string, created_at: Date }>`
    SELECT address, created_at FROM suppressions
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY address COLLATE "C" ${backwards ? sql`DESC` : sql`ASC`}
    LIMIT ${page.limit}`.execute(db)
  return backwards ? result.rows.reverse() : result.rows
}

export async function findDomainComplaint (db: Database, orgId: string, domainId: string, address: string): Promise<SuppressionRow | undefined> {
  const result = await sql<SuppressionRow>`
    SELECT * FROM suppressions
    WHERE org_id = ${orgId} AND channel = 'email' AND address = ${address} AND scope_id = ${domainId} AND ${DOMAIN_COMPLAINTS}`.execute(db)
  return result.rows[0]
}

export async function deleteDomainComplaint (db: Database, orgId: string, domainId: string, address: string): Promise<SuppressionRow | undefined> {
  const result = await sql<SuppressionRow>`
    DELETE FROM suppressions
    WHERE org_id = ${orgId} AND channel = 'email' AND address = ${address} AND scope_id = ${domainId} AND ${DOMAIN_COMPLAINTS}
    RETURNING *`.execute(db)
  return result.rows[0]
}

/** Removes every complaint of a domain, with a `removed` event per address, in one statement; returns how many. */
export async function deleteDomainComplaints (db: Database, orgId: string, domainId: string, change: SuppressionChange): Promise<number> {
  const result = await sql`
    WITH removed AS (
      DELETE FROM suppressions WHERE org_id = ${orgId} AND scope_id = ${domainId} AND ${DOMAIN_COMPLAINTS} RETURNING *
    ) ${eventsFrom('removed', 'removed', change)}`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}
