import type { Database } from '../../db/database.js'
import type { OrgKeywordRow } from '../../db/schema.js'
import { AppError, notFound, validationFailed } from '../../errors.js'
import { newId } from '../../lib/ids.js'
import { classifyReply, compileOrgKeywords, normalizeKeyword, type OrgKeywordKind, type OrgKeywords } from '../intake/classifier/classifier.js'
import { deleteOrgKeyword, insertOrgKeyword, selectOrgKeywords } from './keywords.repository.js'

/**
 * How long another process may keep answering with an organization's old keywords: each
 * process caches an organization's keywords for at most this long; the process that
 * changes them forgets its copy at once.
 */
const ORG_KEYWORDS_TTL_MS = 30_000

function toOrgKeyword (row: OrgKeywordRow) {
  return { id: row.id, keyword: row.keyword, kind: row.kind, created_at: row.created_at.toISOString() }
}

export async function listOrgKeywords (db: Database, orgId: string) {
  const rows = await selectOrgKeywords(db, orgId)
  return {
    data: rows.map(toOrgKeyword),
    meta: { total: rows.length, limit: rows.length, offset: 0, next_cursor: null, last_event_at: rows.at(-1)?.created_at.toISOString() ?? null }
  }
}

/**
 * Adds one of the organization's own reply keywords. A word the built-in rules already read
 * as an opt-out can only be added as an opt-out: an organization cannot turn "STOP" or
 * "cancel" into a help or opt-in word and so stop honouring a revocation.
 */
export async function addOrgKeyword (db: Database, orgId: string, input: { keyword: string, kind: OrgKeywordKind }) {
  const keyword = input.keyword.trim()
  const form = normalizeKeyword(keyword)
  if (form === '') throw validationFailed({ keyword: 'must contain a letter or a digit' })
  if (input.kind !== 'opt_out' && classifyReply(keyword).kind === 'opt_out') {
    throw validationFailed({ keyword: 'is already an opt-out word; it can only be added as opt_out' })
  }
  const row = await insertOrgKeyword(db, { org_id: orgId, id: newId(), keyword, form, kind: input.kind, created_at: new Date() })
  if (row === undefined) throw new AppError('CONFLICT', 'the organization already has this keyword', { keyword: 'is already a keyword of the organization (compared as replies are)' })
  return toOrgKeyword(row)
}

export async function removeOrgKeyword (db: Database, orgId: string, id: string) {
  const row = await deleteOrgKeyword(db, orgId, id)
  if (row === undefined) throw notFound()
  return toOrgKeyword(row)
}

interface CachedKeywords {
  keywords: OrgKeywords
  expiresAt: number
}

/**
 * The organizations' keywords as the classifier reads them, compiled once per change. Intake
 * asks for them on every reply; a cached answer is at most `ttlMs` old, and `forget` drops an
 * organization's copy when this process changes its keywords, so a change is used at once here
 * and within `ttlMs` in every other process.
 */
export class OrgKeywordCache {
  private readonly cache = new Map<string, CachedKeywords>()

  constructor (private readonly ttlMs = ORG_KEYWORDS_TTL_MS) {}

  /** `db` is the caller's: inside a transaction the read must use it (PGlite has one connection). */
  async keywordsOf (db: Database, orgId: string): Promise<OrgKeywords> {
    const now = Date.now()
    const cached = this.cache.get(orgId)
    if (cached !== undefined && cached.expiresAt > now) return cached.keywords
    const keywords = compileOrgKeywords(await selectOrgKeywords(db, orgId))
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(orgId, { keywords, expiresAt: now + this.ttlMs })
    return keywords
  }

  forget (orgId: string): void {
    this.cache.delete(orgId)
  }
}
