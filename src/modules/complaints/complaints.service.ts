import type { Static } from 'typebox'
import type { Database } from '../../db/database.js'
import { type Actor, actorColumns } from '../../domain.js'
import type {
  Channel, ComplaintCategory, ComplaintEventRow, ComplaintRow, ComplaintSource, ComplaintStatus, ReplyClassificationRecord
} from '../../db/schema.js'
import { AppError, notFound, Problems, validationFailed } from '../../errors.js'
import { normalizeEmail, normalizePhone } from '../../lib/addresses.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import { type JsonText, jsonText } from '../../lib/json-text.js'
import { newId } from '../../lib/ids.js'
import { findOrganization } from '../organizations/organizations.repository.js'
import { checkOwnership } from '../organizations/ownership.js'
import { suppressComplaintReporter } from '../suppressions/suppressions.service.js'
import {
  adjustTallies, type ComplaintFiling, type ComplaintFilters, countByStatus, countByStatusMatching, countResolvedSince,
  findComplaint, insertComplaintEvents, insertComplaintFiling, lockComplaint, lockComplaints,
  selectComplaintEvents, selectComplaintListing, updateComplaint
} from './complaints.repository.js'
import type { BulkUpdateComplaintsBody, ComplaintCountsQuery, FileComplaintBody, ListComplaintsQuery } from './complaints.schemas.js'

const RESOLVED_WINDOW_DAYS = 30

/** The transitions the contract allows; a PATCH to the current status only touches the note. */
const ALLOWED_TRANSITIONS: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  new: ['triage', 'resolved'],
  triage: ['new', 'resolved'],
  resolved: ['triage']
}

export interface NewComplaint {
  category: ComplaintCategory
  source: ComplaintSource
  channel: Channel
  reporterNumber?: string | null
  reporterEmail?: string | null
  phoneNumberId?: string | null
  domainId?: string | null
  campaignId?: string | null
  listId?: string | null
  outboundMessageId?: string | null
  inboundMessageId?: string | null
  excerpt?: string | null
  feedbackType?: string | null
  /** An SMS reply's classification, kept on the `created` event so the decision can be audited. */
  classification?: ReplyClassificationRecord | null
  createdAt?: Date
}

/**
 * Files a complaint: the row, its `created` event, its tallies and its list's day count,
 * in one statement. Addresses are normalized; references must belong to the organization.
 * A complaint that names a campaign inherits the campaign's list (unless it names a list).
 */
export async function fileComplaint (trx: Database, orgId: string, input: NewComplaint, actor: Actor): Promise<ComplaintRow> {
  const problems = new Problems()
  const reporterNumber = input.reporterNumber == null ? null : normalizePhone(input.reporterNumber)
  if (input.reporterNumber != null && reporterNumber === null) problems.add('reporter_number', 'must be a phone number (E.164)')
  const reporterEmail = input.reporterEmail == null ? null : normalizeEmail(input.reporterEmail)
  if (input.reporterEmail != null && reporterEmail === null) problems.add('reporter_email', 'must be an email address')
  // Every reference the complaint names, checked in one round trip (with the campaign's list).
  const owned = await checkOwnership(trx, orgId, [
    { field: 'phone_number_id', kind: 'phone_number', id: input.phoneNumberId },
    { field: 'domain_id', kind: 'domain', id: input.domainId },
    { field: 'campaign_id', kind: 'campaign', id: input.campaignId },
    { field: 'list_id', kind: 'list', id: input.listId }
  ], problems)
  problems.throwIfAny()
  const listId = input.listId ?? (input.campaignId == null ? null : owned.campaignListId(input.campaignId))

  // The row, its `created` event, its tallies and its list's day count: one statement.
  return await insertComplaintFiling(trx, complaintRecord(orgId, { ...input, reporterNumber, reporterEmail, listId }, actor))
}

/**
 * A new complaint's row and its `created` event, from input already checked and
 * normalized (addresses in stored form, references the organization's, the list
 * resolved): what `fileComplaint` inserts, and what intake inserts in its own statement.
 */
export function complaintRecord (orgId: string, input: NewComplaint, actor: Actor): ComplaintFiling {
  const createdAt = input.createdAt ?? new Date()
  const id = newId()
  return {
    row: {
      org_id: orgId,
      id,
      status: 'new',
      category: input.category,
      source: input.source,
      channel: input.channel,
      reporter_number: input.reporterNumber ?? null,
      reporter_email: input.reporterEmail ?? null,
      phone_number_id: input.phoneNumberId ?? null,
      domain_id: input.domainId ?? null,
      campaign_id: input.campaignId ?? null,
      list_id: input.listId ?? null,
      outbound_message_id: input.outboundMessageId ?? null,
      inbound_message_id: input.inboundMessageId ?? null,
      excerpt: input.excerpt ?? null,
      feedback_type: input.feedbackType ?? null,
      resolution_note: null,
      resolved_at: null,
      created_at: createdAt,
      updated_at: createdAt
    },
    event: {
      org_id: orgId,
      id: newId(),
      complaint_id: id,
      type: 'created',
      from_status: null,
      to_status: 'new',
      resolution_note: null,
      ...actorColumns(actor),
      created_at: createdAt,
      classification: input.classification == null ? null : JSON.stringify(input.classification)
    }
  }
}

type StaffComplaint = Static<typeof FileComplaintBody>

/** A complaint filed by platform staff for someone who contacted support. */
export async function fileStaffComplaint (trx: Database, input: StaffComplaint, actor: Actor): Promise<ComplaintRow> {
  if (await findOrganization(trx, input.org_id) === undefined) throw validationFailed({ org_id: 'is not an organization' })
  const problems = new Problems()
  if (input.channel === 'sms' && input.reporter_number === undefined) problems.add('reporter_number', 'is required for sms complaints')
  if (input.channel === 'email' && input.reporter_email === undefined) problems.add('reporter_email', 'is required for email complaints')
  if (input.channel === 'sms' && input.reporter_email !== undefined) problems.add('reporter_email', 'does not apply to sms complaints')
  if (input.channel === 'email' && input.reporter_number !== undefined) problems.add('reporter_number', 'does not apply to email complaints')
  problems.throwIfAny()
  const complaint = await fileComplaint(trx, input.org_id, {
    category: input.category,
    source: 'staff',
    channel: input.channel,
    reporterNumber: input.reporter_number ?? null,
    reporterEmail: input.reporter_email ?? null,
    phoneNumberId: input.phone_number_id ?? null,
    domainId: input.domain_id ?? null,
    campaignId: input.campaign_id ?? null,
    outboundMessageId: input.outbound_message_id ?? null,
    excerpt: input.excerpt ?? null
  }, actor)
  // The reporter asked a person to make it stop: suppress them for that number/domain (else organization-wide).
  await suppressComplaintReporter(trx, complaint, actor, 'staff')
  return complaint
}

export type ComplaintListQuery = Static<typeof ListComplaintsQuery>

interface ListPageMeta {
  total: number
  limit: number
  offset: 0
  next_cursor: string | null
  last_event_at: string | null
}

/**
 * A page of the organization's complaints. `data` is the JSON text PostgreSQL wrote for the
 * page (an array of complaints in the API's shape, see `selectComplaintListing`), passed on
 * as it is: parsing it and serializing it again was most of a page's CPU in this process.
 */
export async function listComplaints (db: Database, orgId: string, query: ComplaintListQuery): Promise<{ data: JsonText, meta: ListPageMeta }> {
  const { cursor: cursorText, limit, ...requested } = query
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText)
  const filters = resolveSearchFilters(requested)
  await assertFilterReferences(db, orgId, filters)
  // One statement: page, exact total, newest event and the cursor's validity together.
  const { pageJson, next, total, lastEventAt, cursorValid } = await selectComplaintListing(db, orgId, filters, cursor, limit)
  if (!cursorValid) throw validationFailed({ cursor: 'is not a cursor of this list' })
  return {
    data: jsonText(pageJson),
    meta: { total, limit, offset: 0, next_cursor: next === null ? null : encodeCursor(next), last_event_at: lastEventAt }
  }
}

/**
 * The search filters in stored form: the reporter as typed becomes the normalized email or
 * number it is kept as (so "(415) 555-0123" finds "+14155550123"), the dates become Dates.
 */
function resolveSearchFilters<T extends Static<typeof ComplaintCountsQuery>> (query: T): Omit<T, 'reporter' | 'created_after' | 'created_before'> & ComplaintFilters {
  const { reporter, created_after: createdAfter, created_before: createdBefore, ...rest } = query
  const filters: Omit<T, 'reporter' | 'created_after' | 'created_before'> & ComplaintFilters = rest
  if (reporter !== undefined) {
    const email = reporter.includes('@') ? normalizeEmail(reporter) : null
    const number = email === null ? normalizePhone(reporter) : null
    if (email === null && number === null) throw validationFailed({ reporter: 'must be an email address or a phone number' })
    if (email !== null) filters.reporter_email = email
    if (number !== null) filters.reporter_number = number
  }
  if (createdAfter !== undefined) filters.created_after = new Date(createdAfter)
  if (createdBefore !== undefined) filters.created_before = new Date(createdBefore)
  return filters
}

/** Filters by an id the organization does not have are refused, like unknown enum values. */
async function assertFilterReferences (db: Database, orgId: string, filters: ComplaintFilters): Promise<void> {
  const problems = new Problems()
  await checkOwnership(db, orgId, [
    { field: 'phone_number_id', kind: 'phone_number', id: filters.phone_number_id },
    { field: 'domain_id', kind: 'domain', id: filters.domain_id },
    { field: 'campaign_id', kind: 'campaign', id: filters.campaign_id }
  ], problems)
  problems.throwIfAny()
}

export async function getComplaint (db: Database, orgId: string, id: string) {
  const row = await findComplaint(db, orgId, id)
  if (row === undefined) throw notFound()
  return toComplaint(row)
}

export interface StatusChange {
  /** undefined: unchanged (a note-only change). */
  status?: ComplaintStatus
  /** undefined: unchanged; "": cleared; otherwise stored. */
  resolution_note?: string
}

/**
 * Applies a triage step under a row lock: checks the transition, maintains `resolved_at`,
 * the note, the tallies, and writes the event that records who did it.
 */
export async function changeComplaintStatus (db: Database, orgId: string, id: string, change: StatusChange, actor: Actor) {
  if (change.status === undefined && change.resolution_note === undefined) throw validationFailed({ status: 'status or resolution_note is required' })
  return await db.transaction().execute(async (trx) => {
    const current = await lockComplaint(trx, orgId, id)
    if (current === undefined) throw notFound()
    return toComplaint(await applyStatusChange(trx, current, change, actor))
  })
}

export type BulkStatusChange = Static<typeof BulkUpdateComplaintsBody>

/**
 * The same triage step for up to 100 complaints, all or nothing: every id must be one of
 * the organization's complaints (404 naming the others) and every transition allowed
 * (409), else nothing changes. Each complaint that changes gets its own event.
 */
export async function changeComplaintStatuses (db: Database, orgId: string, change: BulkStatusChange, actor: Actor) {
  return await db.transaction().execute(async (trx) => {
    const current = await lockComplaints(trx, orgId, change.ids)
    const found = new Map(current.map((row) => [row.id, row]))
    const missing: Record<string, string> = {}
    change.ids.forEach((id, index) => { if (!found.has(id)) missing[`ids[${index}]`] = 'not found' })
    // Like a single read: an unknown id and another organization's id are both "not found".
    if (Object.keys(missing).length > 0) throw new AppError('NOT_FOUND', 'not found', missing)
    const updated: ComplaintRow[] = []
    for (const id of change.ids) updated.push(await applyStatusChange(trx, found.get(id) as ComplaintRow, change, actor))
    return updated.map(toComplaint)
  })
}

/**
 * Applies a triage step to a row the caller has locked: checks the transition, maintains
 * `resolved_at`, the note, the tallies, and writes the event that records who did it.
 */
async function applyStatusChange (trx: Database, current: ComplaintRow, change: StatusChange, actor: Actor): Promise<ComplaintRow> {
  const status = change.status ?? current.status
  const statusChanges = status !== current.status
  if (statusChanges && !ALLOWED_TRANSITIONS[current.status].includes(status)) {
    throw new AppError('CONFLICT', `a ${current.status} complaint cannot move to ${status}`)
  }
  const note = change.resolution_note === undefined ? current.resolution_note : change.resolution_note === '' ? null : change.resolution_note
  const noteChanges = note !== current.resolution_note
  if (!statusChanges && !noteChanges) return current

  const now = new Date()
  const resolvedAt = !statusChanges ? current.resolved_at : status === 'resolved' ? now : null
  const updated = await updateComplaint(trx, current.org_id, current.id, { status, resolution_note: note, resolved_at: resolvedAt, updated_at: now })
  await insertComplaintEvents(trx, [{
    org_id: current.org_id,
    id: newId(),
    complaint_id: current.id,
    type: statusChanges ? 'status_changed' : 'note_changed',
    from_status: current.status,
    to_status: updated.status,
    resolution_note: note,
    ...actorColumns(actor),
    created_at: now
  }])
  if (statusChanges) await adjustTallies(trx, [{ complaint: current, delta: -1 }, { complaint: updated, delta: 1 }])
  return updated
}

export async function listComplaintEvents (db: Database, orgId: string, complaintId: string) {
  if (await findComplaint(db, orgId, complaintId) === undefined) throw notFound()
  const events = await selectComplaintEvents(db, orgId, complaintId)
  return {
    data: events.map(toComplaintEvent),
    meta: { total: events.length, limit: events.length, offset: 0, next_cursor: null, last_event_at: events.at(-1)?.created_at.toISOString() ?? null }
  }
}

export async function complaintCounts (db: Database, orgId: string, query: Static<typeof ComplaintCountsQuery> = {}) {
  const since = new Date(Date.now() - RESOLVED_WINDOW_DAYS * 24 * 60 * 60 * 1000)
  const filters = resolveSearchFilters(query)
  if (Object.keys(filters).length > 0) {
    const matching = await countByStatusMatching(db, orgId, filters, since)
    return { new: matching.new, in_triage: matching.triage, resolved_recent: matching.resolvedRecent, resolved_window_days: RESOLVED_WINDOW_DAYS }
  }
  const [byStatus, resolvedRecent] = await Promise.all([countByStatus(db, orgId), countResolvedSince(db, orgId, since)])
  return { new: byStatus.new, in_triage: byStatus.triage, resolved_recent: resolvedRecent, resolved_window_days: RESOLVED_WINDOW_DAYS }
}

export function toComplaint (row: ComplaintRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    status: row.status,
    category: row.category,
    source: row.source,
    channel: row.channel,
    reporter_number: row.reporter_number,
    reporter_email: row.reporter_email,
    phone_number_id: row.phone_number_id,
    domain_id: row.domain_id,
    campaign_id: row.campaign_id,
    list_id: row.list_id,
    outbound_message_id: row.outbound_message_id,
    inbound_message_id: row.inbound_message_id,
    excerpt: row.excerpt,
    feedback_type: row.feedback_type,
    resolution_note: row.resolution_note,
    resolved_at: row.resolved_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
}

function toComplaintEvent (row: ComplaintEventRow) {
  return {
    id: row.id,
    complaint_id: row.complaint_id,
    type: row.type,
    from_status: row.from_status,
    to_status: row.to_status,
    resolution_note: row.resolution_note,
    actor: { kind: row.actor_kind, label: row.actor_label },
    classification: row.classification,
    created_at: row.created_at.toISOString()
  }
}
