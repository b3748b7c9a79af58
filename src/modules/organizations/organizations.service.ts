import type { Database } from '../../db/database.js'
import type { DomainRow, Organization, PhoneNumberRow } from '../../db/schema.js'
import { AppError, notFound, validationFailed } from '../../errors.js'
import { normalizeDomain, normalizePhone } from '../../lib/addresses.js'
import { newId } from '../../lib/ids.js'
import { issueApiKey, type IssuedApiKey } from '../api-keys/api-keys.service.js'
import type { Role } from '../api-keys/scopes.js'
import { findOrganization, insertDomain, insertOrganization, insertPhoneNumber } from './organizations.repository.js'

export async function createOrganization (db: Database, name: string) {
  return toOrganization(await insertOrganization(db, { id: newId(), name: name.trim(), createdAt: new Date() }))
}

export async function createOrgApiKey (db: Database, orgId: string, role: Role, label: string | null): Promise<IssuedApiKey> {
  await requireOrganization(db, orgId)
  return await issueApiKey(db, orgId, { role, label })
}

export async function registerPhoneNumber (db: Database, orgId: string, number: string) {
  await requireOrganization(db, orgId)
  const e164 = normalizePhone(number)
  if (e164 === null || !number.trim().startsWith('+')) throw validationFailed({ number: 'must be an E.164 phone number' })
  const row = await insertPhoneNumber(db, orgId, { id: newId(), number: e164, createdAt: new Date() })
  if (row === undefined) throw new AppError('CONFLICT', 'this phone number is already registered')
  return toPhoneNumber(row)
}

export async function registerDomain (db: Database, orgId: string, name: string) {
  await requireOrganization(db, orgId)
  const domain = normalizeDomain(name)
  if (domain === null) throw validationFailed({ name: 'must be a domain name' })
  const row = await insertDomain(db, orgId, { id: newId(), name: domain, createdAt: new Date() })
  if (row === undefined) throw new AppError('CONFLICT', 'this domain is already registered')
  return toDomain(row)
}

async function requireOrganization (db: Database, orgId: string): Promise<Organization> {
  const org = await findOrganization(db, orgId)
  if (org === undefined) throw notFound()
  return org
}

export const toOrganization = (row: Organization) => ({
  id: row.id, name: row.name, realm_id: row.realm_id, created_at: row.created_at.toISOString()
})

export const toPhoneNumber = (row: PhoneNumberRow) => ({
  id: row.id, org_id: row.org_id, number: row.number, created_at: row.created_at.toISOString()
})

export const toDomain = (row: DomainRow) => ({
  id: row.id, org_id: row.org_id, name: row.name, created_at: row.created_at.toISOString()
})
