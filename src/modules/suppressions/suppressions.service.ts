import type { Static } from 'typebox'
import type { Database } from '../../db/database.js'
import type { ChangeVia, Channel, ComplaintRow, SuppressionReason, SuppressionRow } from '../../db/schema.js'
import { notFound, Problems, validationFailed } from '../../errors.js'
import { normalizeDomain, normalizeEmail, normalizePhone } from '../../lib/addresses.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { newId } from '../../lib/ids.js'
import { type Actor, actorColumns, SYSTEM_ACTOR } from '../../domain.js'
import {
  countSuppressions, deleteSuppressionById, findSuppressionById, type SuppressionChange, type NewSuppression,
  insertSuppressionEvents, latestSuppressionChangeAt, selectSuppressionMatches,
  selectSuppressionPage, type SuppressionFilters, type SuppressionMatch, upsertSuppressions
} from './suppressions.repository.js'
import type { CheckSuppressionsBody, CreateSuppressionsBody, ListSuppressionsQuery } from './suppressions.schemas.js'
import { checkOwnership, type Reference } from '../organizations/ownership.js'

/** Whom to stop delivering to: one address, for one number, one domain, or the whole organization. */
export interface SuppressionTarget {
  channel: Channel
  /** Already normalized: E.164 for sms, lower-cased for email. */
  address: string
  phoneNumberId?: string | null
  domainId?: string | null
}

export interface SuppressionOrigin {
  reason: SuppressionReason
  complaintId?: string | null
  createdAt?: Date
}

/** Who changes suppressions and through which door, for the events the change writes. */
export function suppressionChange (actor: Actor, via: ChangeVia, at: Date = new Date()): SuppressionChange {
  const { actor_kind: actorKind, actor_label: actorLabel, actor_key_prefix: keyPrefix, actor_role: role } = actorColumns(actor)
  return { via, actor_kind: actorKind, actor_label: actorLabel, actor_key_prefix: keyPrefix, actor_role: role, at }
}

/**
 * Suppresses each target (idempotent: an existing suppression keeps its first reason),
 * with an `added` event for each new one. Runs in the caller's transaction; returns the
 * stored rows in input order.
 */
export async function suppress (
  db: Database, orgId: string, targets: SuppressionTarget[], origin: SuppressionOrigin, actor: Actor = SYSTEM_ACTOR, via: ChangeVia = 'system'
): Promise<SuppressionRow[]> {
  const createdAt = origin.createdAt ?? new Date()
  return await upsertSuppressions(db, orgId, targets.map((target) => newSuppression(orgId, target, { ...origin, createdAt })), suppressionChange(actor, via))
}

/** The row `suppress` stores for one target (a fresh id; scope from the target). */
export function newSuppression (orgId: string, target: SuppressionTarget, origin: SuppressionOrigin): NewSuppression {
  const phoneNumberId = target.phoneNumberId ?? null
  const domainId = target.domainId ?? null
  return {
    id: newId(),
    channel: target.channel,
    address: target.address,
    scope: phoneNumberId !== null ? 'phone_number' as const : domainId !== null ? 'domain' as const : 'org' as const,
    scopeId: phoneNumberId ?? domainId ?? orgId,
    phoneNumberId,
    domainId,
    reason: origin.reason,
    complaintId: origin.complaintId ?? null,
    createdAt: origin.createdAt ?? new Date()
  }
}

export function toSuppression (row: SuppressionRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    channel: row.channel,
    address: row.address,
    scope: row.scope,
    phone_number_id: row.phone_number_id,
    domain_id: row.domain_id,
    reason: row.reason,
    complaint_id: row.complaint_id,
    created_at: row.created_at.toISOString()
  }
}

/** An address in its stored form for the channel, or null when it cannot have one. */
function normalizeAddress (channel: Channel, input: string): string | null {
  return channel === 'sms' ? normalizePhone(input) : normalizeEmail(input)
}

/** Why an address is refused, per channel (the 422's detail). */
export const ADDRESS_REASON: Record<Channel, string> = {
  sms: 'must be a phone number that can be written in E.164',
  email: 'must be an email address'
}

// ---------------------------------------------------------------- native routes

type SuppressionListQuery = Static<typeof ListSuppressionsQuery>

export async function listSuppressions (db: Database, orgId: string, query: SuppressionListQuery) {
  const { cursor: cursorText, limit, address, ...rest } = query
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText)
  const filters: SuppressionFilters = { ...rest }
  const problems = new Problems()
  if (address !== undefined) {
    const channel = rest.channel ?? (address.includes('@') ? 'email' : 'sms')
    const normalized = normalizeAddress(channel, address)
    if (normalized === null) problems.add('address', ADDRESS_REASON[channel])
    else Object.assign(filters, { channel, address: normalized })
  }
  await checkOwnership(db, orgId, [
    { field: 'phone_number_id', kind: 'phone_number', id: rest.phone_number_id },
    { field: 'domain_id', kind: 'domain', id: rest.domain_id }
  ], problems)
  problems.throwIfAny()
  const [rows, total, lastChangeAt] = await Promise.all([
    selectSuppressionPage(db, orgId, filters, cursor, limit + 1),
    countSuppressions(db, orgId, filters),
    latestSuppressionChangeAt(db, orgId)
  ])
  const { page, nextCursor } = paginate(rows, limit)
  return {
    data: page.map(toSuppression),
    meta: { total, limit, offset: 0, next_cursor: nextCursor, last_event_at: lastChangeAt?.toISOString() ?? null }
  }
}

type SuppressionEntry = Static<typeof CreateSuppressionsBody>['suppressions'][number]

/**
 * Adds manual suppressions, all or nothing: every entry is checked first (address, scope
 * that fits the channel, number or domain of the organization) and any problem is 422
 * naming the entry (`suppressions[3].address`). Runs in the caller's transaction.
 */
export async function addSuppressions (trx: Database, orgId: string, entries: SuppressionEntry[], actor: Actor = SYSTEM_ACTOR): Promise<SuppressionRow[]> {
  const problems = new Problems()
  const targets: SuppressionTarget[] = []
  const references: Reference[] = []
  entries.forEach((entry, index) => {
    const field = (name: string) => `suppressions[${index}].${name}`
    const address = normalizeAddress(entry.channel, entry.address)
    if (address === null) problems.add(field('address'), ADDRESS_REASON[entry.channel])
    if (entry.phone_number_id !== undefined) {
      if (entry.channel !== 'sms') problems.add(field('phone_number_id'), 'applies to sms suppressions only')
      else references.push({ field: field('phone_number_id'), kind: 'phone_number', id: entry.phone_number_id })
    }
    if (entry.domain_id !== undefined) {
      if (entry.channel !== 'email') problems.add(field('domain_id'), 'applies to email suppressions only')
      else references.push({ field: field('domain_id'), kind: 'domain', id: entry.domain_id })
    }
    if (address !== null) targets.push({ channel: entry.channel, address, phoneNumberId: entry.phone_number_id ?? null, domainId: entry.domain_id ?? null })
  })
  await checkOwnership(trx, orgId, references, problems)
  problems.throwIfAny()
  return await suppress(trx, orgId, targets, { reason: 'manual' }, actor, 'api')
}

/** One suppression by id; another organization's id is 404. */
export async function getSuppression (db: Database, orgId: string, id: string) {
  const row = await findSuppressionById(db, orgId, id)
  if (row === undefined) throw notFound()
  return toSuppression(row)
}

/** Lifts one suppression by id and records who did it; another organization's id is 404. */
export async function removeSuppression (db: Database, orgId: string, id: string, actor: Actor) {
  return await db.transaction().execute(async (trx) => {
    const row = await deleteSuppressionById(trx, orgId, id)
    if (row === undefined) throw notFound()
    await insertSuppressionEvents(trx, [removalEvent(row, actor, 'api')])
    return toSuppression(row)
  })
}

/** The `removed` event of a lifted suppression. */
export function removalEvent (row: SuppressionRow, actor: Actor, via: ChangeVia) {
  return {
    org_id: row.org_id,
    id: newId(),
    type: 'removed' as const,
    suppression_id: row.id,
    channel: row.channel,
    address: row.address,
    scope: row.scope,
    scope_id: row.scope_id,
    reason: row.reason,
    removed_count: 1,
    ...actorColumns(actor),
    via,
    complaint_id: row.complaint_id,
    created_at: new Date()
  }
}

type CheckRequest = Static<typeof CheckSuppressionsBody>

/**
 * The send path's question: which of these recipients may not be sent to from this
 * sender? A recipient is suppressed by a suppression of its address for the sender's
 * number/domain or for the whole organization. Answered by one statement; a recipient
 * that cannot be normalized fails the whole call (422 naming its index), so a pipeline
 * never mistakes "unreadable" for "allowed".
 */
export async function checkSuppressions (db: Database, orgId: string, request: CheckRequest) {
  const { channel, recipients } = request
  const sender = channel === 'sms' ? normalizePhone(request.from) : normalizeDomain(request.from.slice(request.from.lastIndexOf('@') + 1))
  const problems = new Problems()
  if (sender === null) problems.add('from', channel === 'sms' ? "must be one of the organization's phone numbers (E.164)" : "must be one of the organization's domains")
  const normalized: string[] = new Array(recipients.length)
  for (let index = 0; index < recipients.length; index++) {
    const address = normalizeAddress(channel, recipients[index] as string)
    if (address === null) problems.add(`recipients[${index}]`, ADDRESS_REASON[channel])
    else normalized[index] = address
  }
  problems.throwIfAny()
  const { senderId, matches } = await selectSuppressionMatches(db, orgId, channel, sender as string, normalized)
  if (senderId === null) {
    throw validationFailed({ from: channel === 'sms' ? "must be one of the organization's phone numbers (E.164)" : "must be one of the organization's domains" })
  }
  // An address may be suppressed twice (organization-wide and for this sender): report its oldest suppression.
  const byAddress = new Map<string, SuppressionMatch>()
  for (const match of matches) {
    const known = byAddress.get(match.address)
    if (known === undefined || match.created_at < known.created_at || (match.created_at === known.created_at && match.id < known.id)) {
      byAddress.set(match.address, match)
    }
  }
  const suppressed: Array<{ address: string, reason: SuppressionReason, suppression_id: string, created_at: string }> = []
  if (byAddress.size > 0) {
    for (let index = 0; index < recipients.length; index++) {
      const match = byAddress.get(normalized[index] as string)
      if (match !== undefined) {
        suppressed.push({ address: recipients[index] as string, reason: match.reason, suppression_id: match.id, created_at: match.created_at })
      }
    }
  }
  return { checked: recipients.length, suppressed }
}

/**
 * The consequence of a complaint with a known reporter: the reporter is suppressed for
 * the complaint's number (sms) or domain (email), or organization-wide when it names
 * none; reason `complaint`, linked to the complaint. Runs in the caller's transaction.
 */
export async function suppressComplaintReporter (trx: Database, complaint: ComplaintRow, actor: Actor = SYSTEM_ACTOR, via: ChangeVia = 'system'): Promise<SuppressionRow | undefined> {
  const address = complaint.channel === 'sms' ? complaint.reporter_number : complaint.reporter_email
  if (address === null) return undefined
  const [row] = await suppress(trx, complaint.org_id, [{
    channel: complaint.channel,
    address,
    phoneNumberId: complaint.channel === 'sms' ? complaint.phone_number_id : null,
    domainId: complaint.channel === 'email' ? complaint.domain_id : null
  }], { reason: 'complaint', complaintId: complaint.id }, actor, via)
  return row
}
