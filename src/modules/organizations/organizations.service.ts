import type { Database } from '../../db/database.js'
import type { DomainRow, Organization, PhoneNumberRow } from '../../db/schema.js'
import { AppError, notFound, validationFailed } from '../../errors.js'
import { normalizeDomain, normalizeInternationalPhone } from '../../lib/addresses.js'
import { newId } from '../../lib/ids.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { issueApiKey, type IssuedApiKey, type Principal, revokeKey, toApiKey } from '../api-keys/api-keys.service.js'
import type { Role } from '../api-keys/scopes.js'
import { recordChange } from '../audit/audit.service.js'
import { type Actor, SYSTEM_ACTOR } from '../../domain.js'
import {
  deleteDomainRow, deletePhoneNumberRow, findOrganization, insertDomain, insertOrganization, insertPhoneNumber, isSenderReferenced,
  selectOrgApiKeys, selectOrgDomains, selectOrganizationPage, selectOrgPhoneNumbers
} from './organizations.repository.js'

export async function createOrganization (db: Database, name: string) {
  return toOrganization(await insertOrganization(db, { id: newId(), name: name.trim(), createdAt: new Date() }))
}

export async function createOrgApiKey (db: Database, orgId: string, role: Role, label: string | null, actor: Actor = SYSTEM_ACTOR): Promise<IssuedApiKey> {
  await requireOrganization(db, orgId)
  return await db.transaction().execute(async (trx) => {
    const key = await issueApiKey(trx, orgId, { role, label })
    const { plaintext: _secret, ...listed } = key
    await recordChange(trx, { orgId, type: 'api_key.issued', subjectType: 'api_key', subjectId: key.id, after: listed }, actor)
    return key
  })
}

/** Revokes any key (revoking twice is harmless); a customer key's revocation is in its organization's audit trail. */
export async function revokeApiKey (db: Database, id: string, actor: Actor = SYSTEM_ACTOR) {
  return await db.transaction().execute(async (trx) => {
    const at = new Date()
    const key = await revokeKey(trx, id, at)
    if (key === undefined) throw notFound()
    // Revoking twice is harmless and records nothing the second time.
    if (key.org_id !== null && key.revoked_at === at.toISOString()) await recordChange(trx, { orgId: key.org_id, type: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, after: key }, actor)
    return key
  })
}

export async function registerPhoneNumber (db: Database, orgId: string, number: string, actor: Actor = SYSTEM_ACTOR) {
  await requireOrganization(db, orgId)
  const e164 = normalizeInternationalPhone(number)
  if (e164 === null) throw validationFailed({ number: 'must be an E.164 phone number' })
  return await db.transaction().execute(async (trx) => {
    const row = await insertPhoneNumber(trx, orgId, { id: newId(), number: e164, createdAt: new Date() })
    if (row === undefined) throw new AppError('CONFLICT', 'this phone number is already registered')
    const phone = toPhoneNumber(row)
    await recordChange(trx, { orgId, type: 'phone_number.registered', subjectType: 'phone_number', subjectId: row.id, after: phone }, actor)
    return phone
  })
}

export async function registerDomain (db: Database, orgId: string, name: string, actor: Actor = SYSTEM_ACTOR) {
  await requireOrganization(db, orgId)
  const domain = normalizeDomain(name)
  if (domain === null) throw validationFailed({ name: 'must be a domain name' })
  return await db.transaction().execute(async (trx) => {
    const row = await insertDomain(trx, orgId, { id: newId(), name: domain, createdAt: new Date() })
    if (row === undefined) throw new AppError('CONFLICT', 'this domain is already registered')
    const registered = toDomain(row)
    await recordChange(trx, { orgId, type: 'domain.registered', subjectType: 'domain', subjectId: row.id, after: registered }, actor)
    return registered
  })
}

// ---------------------------------------------------------------- reading what was administered

export async function listOrganizations (db: Database, query: { cursor?: string, limit: number, name?: string }) {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const { rows, total } = await selectOrganizationPage(db, query.name !== undefined ? { namePrefix: query.name } : {}, cursor, query.limit + 1)
  const { page, nextCursor } = paginate(rows, query.limit)
  return { data: page.map(toOrganization), meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null } }
}

/** An organization with the numbers and domains it sends from. */
export async function getOrganizationDetails (db: Database, orgId: string) {
  const org = await requireOrganization(db, orgId)
  const [phones, domains] = await Promise.all([selectOrgPhoneNumbers(db, orgId), selectOrgDomains(db, orgId)])
  return { ...toOrganization(org), phone_numbers: phones.map(toPhoneNumber), domains: domains.map(toDomain) }
}

/** What a console shows after sign-in: the caller's organization, and the caller key's role and scopes. */
export async function getCallerOrganization (db: Database, principal: Principal) {
  if (principal.orgId === null) throw notFound()
  return {
    ...await getOrganizationDetails(db, principal.orgId),
    key: { prefix: principal.prefix, role: principal.role, scopes: [...principal.scopes] }
  }
}

/** Every list below is a handful of rows: returned whole, in the list envelope. */
const whole = <T>(data: T[]) => ({ data, meta: { total: data.length, limit: data.length, offset: 0, next_cursor: null, last_event_at: null } })

export async function listOrgApiKeys (db: Database, orgId: string) {
  await requireOrganization(db, orgId)
  return whole((await selectOrgApiKeys(db, orgId)).map(toApiKey))
}

export async function listOrgPhoneNumbers (db: Database, orgId: string) {
  await requireOrganization(db, orgId)
  return whole((await selectOrgPhoneNumbers(db, orgId)).map(toPhoneNumber))
}

export async function listOrgDomains (db: Database, orgId: string) {
  await requireOrganization(db, orgId)
  return whole((await selectOrgDomains(db, orgId)).map(toDomain))
}

/**
 * Deletes a number or a domain the organization no longer sends from. Refused (409) while
 * anything names it: complaints and suppressions are the compliance record (a cascade
 * would silently lift opt-outs and erase complaint history, and the number could later be
 * registered again and sent from), and campaigns or intake records keep it too.
 */
export async function deleteSender (db: Database, orgId: string, sender: { phoneNumberId: string } | { domainId: string }, actor: Actor = SYSTEM_ACTOR) {
  const isPhone = 'phoneNumberId' in sender
  const id = isPhone ? sender.phoneNumberId : sender.domainId
  const what = isPhone ? 'phone number' : 'domain'
  return await db.transaction().execute(async (trx) => {
    const referenced = await isSenderReferenced(trx, orgId, isPhone ? { phoneNumberId: id } : { domainId: id })
    if (referenced.complaints || referenced.suppressions) {
      const by = [referenced.complaints ? 'complaints' : null, referenced.suppressions ? 'suppressions' : null].filter((name) => name !== null).join(' and ')
      throw new AppError('CONFLICT', `the ${what} is referenced by ${by}; it is kept as their record`)
    }
    let deleted
    try {
      deleted = isPhone ? await deletePhoneNumberRow(trx, orgId, id) : await deleteDomainRow(trx, orgId, id)
    } catch (error) {
      if ((error as { code?: unknown }).code === '23503') throw new AppError('CONFLICT', `the ${what} is referenced by campaigns or intake records; it is kept as their record`)
      throw error
    }
    if (deleted === undefined) throw notFound()
    const before = isPhone ? toPhoneNumber(deleted as PhoneNumberRow) : toDomain(deleted as DomainRow)
    await recordChange(trx, { orgId, type: isPhone ? 'phone_number.deleted' : 'domain.deleted', subjectType: isPhone ? 'phone_number' : 'domain', subjectId: id, before }, actor)
    return before
  })
}

async function requireOrganization (db: Database, orgId: string): Promise<Organization> {
  const org = await findOrganization(db, orgId)
  if (org === undefined) throw notFound()
  return org
}

const toOrganization = (row: Organization) => ({
  id: row.id, name: row.name, realm_id: row.realm_id, created_at: row.created_at.toISOString()
})

const toPhoneNumber = (row: PhoneNumberRow) => ({
  id: row.id, org_id: row.org_id, number: row.number, created_at: row.created_at.toISOString()
})

const toDomain = (row: DomainRow) => ({
  id: row.id, org_id: row.org_id, name: row.name, created_at: row.created_at.toISOString()
})
