/**
 * A domain's complaint suppressions in Mailgun's terms (the dialect's view of the core in
 * suppressions.service.ts): list, get, add, delete, clear and CSV import of the email
 * suppressions scoped to one domain with reason complaint or import.
 */
import type { Database } from '../../db/database.js'
import { retryOnConflict } from '../../db/retry.js'
import { analyzeIfStale } from '../../db/statistics.js'
import type { DomainRow, SuppressionReason, SuppressionRow } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import { normalizeDomain, normalizeEmail } from '../../lib/addresses.js'
import { isUuid, newIds } from '../../lib/ids.js'
import { type Actor, SYSTEM_ACTOR } from '../../domain.js'
import { findDomainById, findDomainByName } from '../organizations/organizations.repository.js'
import {
  deleteDomainComplaint, deleteDomainComplaints, findDomainComplaint, insertScopedSuppressions, insertSuppressionEvents,
  type PageDirection, selectDomainComplaintPage
} from './suppressions.repository.js'
import { ADDRESS_REASON, removalEvent, suppressionChange } from './suppressions.service.js'

/** The organization's domain of that name, or of that id (Mailgun calls `{domainID}` "the id of the domain"), if it has one. */
export async function findOrgDomain (db: Database, orgId: string, name: string): Promise<DomainRow | undefined> {
  if (isUuid(name)) return await findDomainById(db, orgId, name.toLowerCase())
  const normalized = normalizeDomain(name)
  if (normalized === null) return undefined
  const domain = await findDomainByName(db, normalized)
  return domain?.org_id === orgId ? domain : undefined
}

export interface DomainComplaintPage {
  direction: PageDirection
  /** The page's divider: an address (next: after it, previous: before it). */
  pivot: string | null
  /** Address prefix; empty for all. */
  term: string
  limit: number
}

/** One alphabetical page of the domain's complaint suppressions (ascending). */
export async function listDomainComplaints (db: Database, orgId: string, domainId: string, page: DomainComplaintPage) {
  const pivot = page.pivot === null || page.pivot === '' ? null : page.pivot.trim().toLowerCase()
  const direction = pivot === null && (page.direction === 'next' || page.direction === 'previous') ? 'first' : page.direction
  return await selectDomainComplaintPage(db, orgId, domainId, { direction, pivot, term: page.term.trim().toLowerCase(), limit: page.limit })
}

export async function getDomainComplaint (db: Database, orgId: string, domainId: string, address: string): Promise<SuppressionRow | undefined> {
  const normalized = normalizeEmail(address)
  return normalized === null ? undefined : await findDomainComplaint(db, orgId, domainId, normalized)
}

export interface ComplaintRecord {
  address: string
  /** When the complaint happened; now when null. */
  createdAt: Date | null
}

const MAX_IMPORT_BATCH = 5000

function domainScope (domainId: string, reason: SuppressionReason) {
  return { channel: 'email' as const, scope: 'domain' as const, scopeId: domainId, phoneNumberId: null, domainId, reason }
}

/**
 * Suppresses up to 1000 addresses for a domain (reason complaint), all or nothing: an
 * invalid address fails the call naming it. Existing suppressions keep their first reason.
 * Returns how many addresses were added (those already suppressed, or repeated, count once or not at all).
 */
export async function addDomainComplaints (
  db: Database, orgId: string, domainId: string, records: ComplaintRecord[], actor: Actor = SYSTEM_ACTOR
): Promise<number> {
  const now = new Date().toISOString()
  const rows = { ids: newIds(records.length), addresses: [] as string[], createdAts: [] as string[] }
  records.forEach((record, index) => {
    const address = normalizeEmail(record.address)
    if (address === null) {
      throw new AppError('VALIDATION_FAILED', `${JSON.stringify(record.address)} is not a valid email address (item ${index})`, { [`[${index}].address`]: ADDRESS_REASON.email })
    }
    rows.addresses.push(address)
    rows.createdAts.push(record.createdAt?.toISOString() ?? now)
  })
  return await retryOnConflict(async () => {
    const added = await insertScopedSuppressions(db, orgId, domainScope(domainId, 'complaint'), rows, suppressionChange(actor, 'mailgun'))
    await analyzeIfStale(db, 'suppressions', added)
    return added
  })
}

export interface ImportRow extends ComplaintRecord {
  /** The row's line in its file, for error messages. */
  line: number
}

/**
 * Imports a stream of rows as a domain's complaint suppressions (reason import) in one
 * transaction: all rows or none. Rows are written in multi-row statements of 5000 while
 * the next batch is being read, so memory stays flat whatever the file's size. A bad
 * address fails the import naming its line. `readRows` opens the rows afresh: the caller
 * has them complete (a spooled upload), so the transaction never waits on a client, and a
 * deadlock victim can run the whole import again. Returns the number of rows read.
 */
export async function importDomainComplaints (
  db: Database, orgId: string, domainId: string, readRows: () => AsyncIterable<ImportRow> | Iterable<ImportRow>, actor: Actor = SYSTEM_ACTOR
): Promise<number> {
  return await retryOnConflict(async () => await db.transaction().execute(async (trx) => {
    const scope = domainScope(domainId, 'import')
    const change = suppressionChange(actor, 'import')
    const now = new Date().toISOString()
    let batch = { ids: [] as string[], addresses: [] as string[], createdAts: [] as string[] }
    let pending: Promise<number> | null = null
    let count = 0
    let added = 0
    const flush = async (): Promise<void> => {
      if (pending !== null) added += await pending
      batch.ids = newIds(batch.addresses.length)
      const writing = insertScopedSuppressions(trx, orgId, scope, batch, change)
      writing.catch(() => {}) // awaited on the next flush or at the end
      pending = writing
      batch = { ids: [], addresses: [], createdAts: [] }
    }
    try {
      for await (const row of readRows()) {
        const address = normalizeEmail(row.address)
        if (address === null) {
          throw new AppError('VALIDATION_FAILED', `line ${row.line}: ${JSON.stringify(row.address)} is not a valid email address`, { [`line ${row.line}`]: ADDRESS_REASON.email })
        }
        batch.addresses.push(address)
        batch.createdAts.push(row.createdAt === null ? now : row.createdAt.toISOString())
        count++
        if (batch.addresses.length >= MAX_IMPORT_BATCH) await flush()
      }
      if (batch.addresses.length > 0) await flush()
      if (pending !== null) added += await pending
    } catch (error) {
      // Let the statement in flight finish before the transaction rolls back.
      if (pending !== null) await (pending as Promise<number>).catch(() => {})
      throw error
    }
    await analyzeIfStale(trx, 'suppressions', added)
    return count
  }))
}

/** Lifts one address's complaint suppression for the domain, with an audit event. */
export async function removeDomainComplaint (
  db: Database, orgId: string, domainId: string, address: string, actor: Actor
): Promise<SuppressionRow | undefined> {
  const normalized = normalizeEmail(address)
  if (normalized === null) return undefined
  return await db.transaction().execute(async (trx) => {
    const row = await deleteDomainComplaint(trx, orgId, domainId, normalized)
    if (row !== undefined) await insertSuppressionEvents(trx, [removalEvent(row, actor, 'mailgun')])
    return row
  })
}

/** Lifts every complaint suppression of the domain in one statement, with a `removed` event per address lifted. */
export async function clearDomainComplaints (db: Database, orgId: string, domainId: string, actor: Actor): Promise<number> {
  return await deleteDomainComplaints(db, orgId, domainId, suppressionChange(actor, 'mailgun'))
}
