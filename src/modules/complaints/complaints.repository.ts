import { type Insertable, sql, type Updateable } from 'kysely'
import type { Static } from 'typebox'
import type { Database, Transaction } from '../../db/database.js'
import { isoText } from '../../db/iso-timestamp.js'
import { rowColumns, rowValues } from '../../db/raw-rows.js'
import type {
  Channel, ComplaintCategory, ComplaintEventRow, ComplaintRow, ComplaintSource,
  ComplaintEventsTable, ComplaintStatus, ComplaintsTable, ComplaintTalliesTable, NewComplaintRow
} from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'
import type { Complaint } from './complaints.schemas.js'

export interface ComplaintFilters {
  status?: ComplaintStatus
  category?: ComplaintCategory
  source?: ComplaintSource
  channel?: Channel
  campaign_id?: string
  phone_number_id?: string
  domain_id?: string
  /** Stored (normalized) forms; the service resolves the typed reporter to one of them. */
  reporter_number?: string
  reporter_email?: string
  created_after?: Date
  created_before?: Date
}

const ENTITY_FILTERS = [['campaign_id', 'campaign'], ['phone_number_id', 'phone_number'], ['domain_id', 'domain']] as const
const ATTRIBUTE_FILTERS = ['status', 'category', 'source', 'channel'] as const
/** Filters no tally can answer: with any of them the total counts the index range. */
const SEARCH_FILTERS = ['reporter_number', 'reporter_email'] as const

function filterConditions (orgId: string, filters: ComplaintFilters) {
  const conditions = [sql`org_id = ${orgId}`]
  for (const field of [...ATTRIBUTE_FILTERS, ...ENTITY_FILTERS.map(([column]) => column), ...SEARCH_FILTERS]) {
    const value = filters[field]
    if (value !== undefined) conditions.push(sql`${sql.ref(field)} = ${value}`)
  }
  if (filters.created_after !== undefined) conditions.push(sql`created_at >= ${filters.created_after}`)
  if (filters.created_before !== undefined) conditions.push(sql`created_at < ${filters.created_before}`)
  return conditions
}

/** A new complaint's row and its `created` event, as `complaintRecord` builds them. */
export interface ComplaintFiling {
  row: NewComplaintRow & ComplaintTallyKey
  event: NewComplaintEvent
}

/**
 * Files a complaint in one statement (one round trip; the event's foreign key is checked at
 * the statement's end): the row, its `created` event, its tallies and its list's day count.
 */
export async function insertComplaintFiling (db: Database, filing: ComplaintFiling): Promise<ComplaintRow> {
  const { rows: [filed] } = await sql<ComplaintRow>`WITH ${complaintFilingStatement(filing)} SELECT * FROM filed_complaint`.execute(db)
  if (filed === undefined) throw new Error('the filing statement returned no complaint')
  return filed
}

/**
 * The one way a complaint is filed, as the data-modifying CTEs of a raw statement (here,
 * and intake's one-statement reply that also writes the suppression and the message): the
 * row (`filed_complaint`, returning it), its `created` event, its tally shards and, when it
 * names a list, one more complaint on the list's UTC day (`list_complaint_days`, for the
 * complaint-rate report). Every filing path bumps the same counters the same way. Raw SQL
 * because it is the hot write path (see `src/db/raw-rows.ts`).
 */
export function complaintFilingStatement ({ row, event }: ComplaintFiling) {
  const tallies = tallyRows([{ complaint: row, delta: 1 }])
  return sql`filed_complaint AS (INSERT INTO complaints (${rowColumns(row)}) VALUES ${rowValues(row)} RETURNING *),
    created_event AS (INSERT INTO complaint_events (${rowColumns(event)}) VALUES ${rowValues(event)}),
    counted AS (${tallyUpsert(tallies)}),
    list_day_counted AS (INSERT INTO list_complaint_days (org_id, list_id, day, total)
      SELECT org_id, list_id, (created_at AT TIME ZONE 'UTC')::date, 1 FROM filed_complaint WHERE list_id IS NOT NULL
      ON CONFLICT (org_id, list_id, day) DO UPDATE SET total = list_complaint_days.total + 1)`
}

export async function findComplaint (db: Database, orgId: string, id: string): Promise<ComplaintRow | undefined> {
  return await db.selectFrom('complaints').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

/**
 * Reads and locks several rows for a bulk state change, in id order so that two bulk
 * changes over overlapping sets lock in the same order and never deadlock.
 */
export async function lockComplaints (trx: Transaction, orgId: string, ids: readonly string[]): Promise<ComplaintRow[]> {
  return await trx.selectFrom('complaints').selectAll().where('org_id', '=', orgId).where('id', 'in', [...ids])
    .orderBy('id').forUpdate().execute()
}

/** Reads and locks the row for a state change, until the caller's transaction ends. */
export async function lockComplaint (trx: Transaction, orgId: string, id: string): Promise<ComplaintRow | undefined> {
  return await trx.selectFrom('complaints').selectAll().where('org_id', '=', orgId).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateComplaint (
  trx: Database, orgId: string, id: string,
  changes: Partial<Pick<Updateable<ComplaintsTable>, 'status' | 'resolution_note' | 'resolved_at' | 'updated_at'>>
): Promise<ComplaintRow> {
  return await trx.updateTable('complaints').set(changes).where('org_id', '=', orgId).where('id', '=', id)
    .returningAll().executeTakeFirstOrThrow()
}

export interface ComplaintListing {
  /** The page as PostgreSQL wrote it: a JSON array of complaints in the API's shape (see `COMPLAINT_JSON`) */
  pageJson: string
  /** The keyset of the page's last row when more rows follow, else null */
  next: Cursor | null
  total: number
  /** The newest complaint event's time, already as the API writes it (RFC 3339 UTC, milliseconds) */
  lastEventAt: string | null
  /** false when the cursor names no complaint of the organization */
  cursorValid: boolean
}

/**
 * How each field of the API's complaint (`Complaint` in complaints.schemas.ts) is written
 * by PostgreSQL: as the column's JSON value, or, for timestamps, as the API's RFC 3339 text
 * (to_json alone would write `2026-04-26T12:00:00.123+00:00`, and a new timestamp column
 * would arrive in whatever form the session's settings give). The type requires every field
 * of the schema, and `timestamp` exactly for the columns that are dates, so a field added to
 * the schema or a new timestamp column does not compile until it is listed here.
 */
const COMPLAINT_JSON = {
  id: 'value',
  org_id: 'value',
  status: 'value',
  category: 'value',
  source: 'value',
  channel: 'value',
  reporter_number: 'value',
  reporter_email: 'value',
  phone_number_id: 'value',
  domain_id: 'value',
  campaign_id: 'value',
  list_id: 'value',
  outbound_message_id: 'value',
  inbound_message_id: 'value',
  excerpt: 'value',
  feedback_type: 'value',
  resolution_note: 'value',
  resolved_at: 'timestamp',
  created_at: 'timestamp',
  updated_at: 'timestamp'
} as const satisfies { [K in keyof Static<typeof Complaint>]: K extends keyof ComplaintRow ? (ComplaintRow[K] extends Date | null ? 'timestamp' : 'value') : never }

/** The API's fields of row `p`, named as the schema names them, for `to_json` (which writes compact JSON in column order). */
const complaintFields = sql.raw(Object.entries(COMPLAINT_JSON).map(([field, kind]) =>
  `${kind === 'timestamp' ? isoText(`p."${field}"`) : `p."${field}"`} AS "${field}"`).join(', '))
const lastEventAt = sql.raw(isoText('created_at'))
const nextCreatedAt = sql.raw(isoText('p.created_at'))

/** How many rows a page statement fetches: the smallest of these above the page's limit (see below). */
const FETCH_SIZES = [21, 51, 101] as const

/**
 * A whole list response in one statement (one round trip, one snapshot): the page, newest
 * first by (created_at, id) from the index whose prefix matches the filters, the exact
 * total (tallies, or the index range when they cannot answer), the time of the newest
 * complaint event and whether the cursor is one of the organization's complaints.
 * The page comes back as the JSON text of the API's answer (one field for the driver to
 * decode, nothing for the server to parse or serialize again), with the next cursor's keyset.
 * Same SQL text for the same filter set, so the store can keep it prepared.
 */
export async function selectComplaintListing (
  db: Database, orgId: string, filters: ComplaintFilters, after: Cursor | null, limit: number
): Promise<ComplaintListing> {
  const conditions = filterConditions(orgId, filters)
  const pageConditions = after === null ? conditions : [...conditions, sql`(created_at, id) < (${after.createdAt}, ${after.id})`]
  const cursorValid = after === null
    ? sql`true`
    : sql`EXISTS (SELECT 1 FROM complaints WHERE org_id = ${orgId} AND id = ${after.id} AND created_at = ${after.createdAt})`
  // One row more than the page tells whether another page follows; n numbers the rows newest first.
  // The number of rows fetched is written into the SQL text, from a few fixed sizes: with a
  // parameter there, PostgreSQL estimates a generic plan at 10 % of the organization's rows,
  // never prefers it and plans every execution again (0.25–0.35 ms, more than the 0.2–0.25 ms
  // of the execution itself); with a constant it settles on the generic plan after five
  // executions. Three sizes keep the texts per filter set at three.
  // Only without a cursor: past one, the generic plan PostgreSQL settled on for the keyset
  // comparison made a page 900,000 deep 60 times slower (32 against 2,090 req/s for the first
  // page), so a cursor page keeps the row count as a parameter and is planned each time.
  const fetchSize = after === null ? sql.lit(FETCH_SIZES.find((size) => size > limit) ?? limit + 1) : sql`${limit} + 1`
  const result = await sql<{
    page: string, next_created_at: string | null, next_id: string | null, total: number | string, last_event_at: string | null, cursor_valid: boolean
  }>`
    WITH p AS (
      SELECT *, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n FROM (
        SELECT * FROM complaints WHERE ${sql.join(pageConditions, sql` AND `)} ORDER BY created_at DESC, id DESC LIMIT ${fetchSize}
      ) AS fetched
    )
    SELECT (${totalExpression(orgId, filters, conditions)}) AS total,
      (SELECT ${lastEventAt} FROM complaint_events WHERE org_id = ${orgId} ORDER BY created_at DESC LIMIT 1) AS last_event_at,
      ${cursorValid} AS cursor_valid,
      (SELECT '[' || coalesce(string_agg(to_json(c)::text, ',' ORDER BY p.n), '') || ']'
        FROM p CROSS JOIN LATERAL (SELECT ${complaintFields}) AS c WHERE p.n <= ${limit}) AS page,
      last.next_created_at, last.next_id
    FROM (SELECT 1) AS one
    LEFT JOIN (
      SELECT ${nextCreatedAt} AS next_created_at, p.id AS next_id FROM p
      WHERE p.n = ${limit} AND EXISTS (SELECT 1 FROM p AS more WHERE more.n > ${limit})
    ) AS last ON true`.execute(db)
  const row = result.rows[0]
  if (row === undefined) throw new Error('the listing statement returned no row')
  return {
    pageJson: row.page,
    next: row.next_created_at === null || row.next_id === null ? null : { createdAt: new Date(row.next_created_at), id: row.next_id },
    total: Number(row.total),
    lastEventAt: row.last_event_at,
    cursorValid: row.cursor_valid
  }
}

/**
 * The exact number of complaints matching the filters, as a subquery. With at most one
 * entity filter (campaign, number, domain) it sums the tallies kept in the writing
 * transactions, so it costs the same for ten complaints or ten million; otherwise it
 * counts the index range.
 */
function totalExpression (orgId: string, filters: ComplaintFilters, conditions: Array<ReturnType<typeof sql>>) {
  const entityFilters = ENTITY_FILTERS.filter(([column]) => filters[column] !== undefined)
  const searching = SEARCH_FILTERS.some((field) => filters[field] !== undefined) || filters.created_after !== undefined || filters.created_before !== undefined
  if (entityFilters.length > 1 || searching) return sql`SELECT count(*) FROM complaints WHERE ${sql.join(conditions, sql` AND `)}`
  const [entity] = entityFilters
  const tallyConditions = [
    sql`org_id = ${orgId}`,
    sql`scope = ${entity === undefined ? 'org' : entity[1]}`,
    sql`scope_id = ${entity === undefined ? orgId : filters[entity[0]] as string}`
  ]
  for (const field of ATTRIBUTE_FILTERS) {
    const value = filters[field]
    if (value !== undefined) tallyConditions.push(sql`${sql.ref(field)} = ${value}`)
  }
  return sql`SELECT coalesce(sum(total), 0) FROM complaint_tallies WHERE ${sql.join(tallyConditions, sql` AND `)}`
}

export async function countByStatus (db: Database, orgId: string): Promise<Record<ComplaintStatus, number>> {
  const rows = await db.selectFrom('complaint_tallies')
    .select(['status', (eb) => eb.fn.sum<number>('total').as('total')])
    .where('org_id', '=', orgId).where('scope', '=', 'org').where('scope_id', '=', orgId)
    .groupBy('status').execute()
  const counts: Record<ComplaintStatus, number> = { new: 0, triage: 0, resolved: 0 }
  for (const row of rows) counts[row.status] = Number(row.total)
  return counts
}

/**
 * Counts by status of the complaints matching search filters (reporter, dates): an index
 * range, since no tally is kept per reporter or per day.
 */
export async function countByStatusMatching (
  db: Database, orgId: string, filters: ComplaintFilters, resolvedSince: Date
): Promise<Record<ComplaintStatus, number> & { resolvedRecent: number }> {
  const result = await sql<{ status: ComplaintStatus, total: number | string, resolved_recent: number | string }>`
    SELECT status, count(*) AS total, count(*) FILTER (WHERE resolved_at >= ${resolvedSince}) AS resolved_recent
    FROM complaints WHERE ${sql.join(filterConditions(orgId, filters), sql` AND `)} GROUP BY status`.execute(db)
  const counts = { new: 0, triage: 0, resolved: 0, resolvedRecent: 0 }
  for (const row of result.rows) {
    counts[row.status] = Number(row.total)
    counts.resolvedRecent += Number(row.resolved_recent)
  }
  return counts
}

export async function countResolvedSince (db: Database, orgId: string, since: Date): Promise<number> {
  const row = await db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('total'))
    .where('org_id', '=', orgId).where('status', '=', 'resolved').where('resolved_at', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.total)
}

/** The tallies a complaint contributes to: the organization's, and its campaign's, number's and domain's. */
export type ComplaintTallyKey = Pick<ComplaintRow, 'org_id' | 'status' | 'category' | 'source' | 'channel'> & Partial<Pick<ComplaintRow, 'campaign_id' | 'phone_number_id' | 'domain_id'>>

/** Each tally is split into this many rows (see migration 0006); counts sum them. */
const TALLY_SHARDS = 8

type TallyRow = Omit<ComplaintTalliesTable, 'shard'> & { shard: number }

/**
 * The tally rows that `changes` move, in one shard picked at random (so concurrent filings
 * in one organization rarely wait on the same row), in key order (so concurrent writers
 * lock them in the same order).
 */
function tallyRows (changes: Array<{ complaint: ComplaintTallyKey, delta: number }>): TallyRow[] {
  const shard = Math.floor(Math.random() * TALLY_SHARDS)
  const rows = new Map<string, TallyRow>()
  for (const { complaint, delta } of changes) {
    const scopes: Array<['org' | 'campaign' | 'phone_number' | 'domain', string | null | undefined]> = [
      ['org', complaint.org_id], ['campaign', complaint.campaign_id], ['phone_number', complaint.phone_number_id], ['domain', complaint.domain_id]
    ]
    for (const [scope, scopeId] of scopes) {
      if (scopeId == null) continue
      const key = [complaint.org_id, scope, scopeId, complaint.status, complaint.category, complaint.source, complaint.channel].join('|')
      const existing = rows.get(key)
      if (existing !== undefined) existing.total += delta
      else {
        const { org_id: orgId, status, category, source, channel } = complaint
        rows.set(key, { org_id: orgId, scope, scope_id: scopeId, status, category, source, channel, shard, total: delta })
      }
    }
  }
  return [...rows.entries()].filter(([, row]) => row.total !== 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, row]) => row)
}

/** One statement adding the rows' totals to their tally rows (columns in `TallyRow`'s order). */
function tallyUpsert (rows: TallyRow[]) {
  return sql`INSERT INTO complaint_tallies (org_id, scope, scope_id, status, category, source, channel, shard, total)
    VALUES ${sql.join(rows.map((row) => sql`(${sql.join([row.org_id, row.scope, row.scope_id, row.status, row.category, row.source, row.channel, row.shard, row.total])})`))}
    ON CONFLICT (org_id, scope, scope_id, status, category, source, channel, shard) DO UPDATE SET total = complaint_tallies.total + excluded.total`
}

/** Moves tallies by `delta` for each complaint given, in one statement. */
export async function adjustTallies (trx: Database, changes: Array<{ complaint: ComplaintTallyKey, delta: number }>): Promise<void> {
  const rows = tallyRows(changes)
  if (rows.length > 0) await tallyUpsert(rows).execute(trx)
}

export type NewComplaintEvent = Insertable<ComplaintEventsTable>

export async function insertComplaintEvents (trx: Database, events: NewComplaintEvent[]): Promise<void> {
  if (events.length > 0) await trx.insertInto('complaint_events').values(events).execute()
}

export async function selectComplaintEvents (db: Database, orgId: string, complaintId: string): Promise<ComplaintEventRow[]> {
  return await db.selectFrom('complaint_events').selectAll()
    .where('org_id', '=', orgId).where('complaint_id', '=', complaintId)
    .orderBy('created_at', 'asc').orderBy('id', 'asc').execute()
}
