import { sql } from 'kysely'
import type { Database } from '../../db/database.js'
import type { ApiKeyRow, DomainRow, Organization, PhoneNumberRow } from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

export async function insertOrganization (db: Database, org: { id: string, name: string, createdAt: Date }): Promise<Organization> {
  return await db.insertInto('organizations')
    .values({ id: org.id, name: org.name, created_at: org.createdAt })
    .returningAll().executeTakeFirstOrThrow()
}

export async function findOrganization (db: Database, orgId: string): Promise<Organization | undefined> {
  return await db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst()
}

export async function countOrganizations (db: Database): Promise<number> {
  const row = await db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  return Number(row.count)
}

/** Inserts the number unless it is registered already (to any organization); undefined then. */
export async function insertPhoneNumber (
  db: Database, orgId: string, phone: { id: string, number: string, createdAt: Date }
): Promise<PhoneNumberRow | undefined> {
  return await db.insertInto('phone_numbers')
    .values({ org_id: orgId, id: phone.id, number: phone.number, created_at: phone.createdAt })
    .onConflict((conflict) => conflict.column('number').doNothing())
    .returningAll().executeTakeFirst()
}

export async function insertDomain (db: Database, orgId: string, domain: { id: string, name: string, createdAt: Date }): Promise<DomainRow | undefined> {
  return await db.insertInto('domains')
    .values({ org_id: orgId, id: domain.id, name: domain.name, created_at: domain.createdAt })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .returningAll().executeTakeFirst()
}

export async function findDomainById (db: Database, orgId: string, id: string): Promise<DomainRow | undefined> {
  return await db.selectFrom('domains').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

/** The registration of a number, whatever its organization (intake finds the organization this way). */
export async function findPhoneNumberByNumber (db: Database, number: string): Promise<PhoneNumberRow | undefined> {
  return await db.selectFrom('phone_numbers').selectAll().where('number', '=', number).executeTakeFirst()
}

/** The registration of a domain, whatever its organization. */
export async function findDomainByName (db: Database, name: string): Promise<DomainRow | undefined> {
  return await db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst()
}

/** One page of organizations, newest first by (created_at, id), optionally those whose name starts with `namePrefix` (any case). */
export async function selectOrganizationPage (
  db: Database, filters: { namePrefix?: string }, after: Cursor | null, limit: number
): Promise<{ rows: Organization[], total: number }> {
  const prefix = filters.namePrefix?.toLowerCase()
  let page = db.selectFrom('organizations').selectAll()
  let count = db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('total'))
  if (prefix !== undefined) {
    page = page.where(sql<boolean>`starts_with(lower(name), ${prefix})`)
    count = count.where(sql<boolean>`starts_with(lower(name), ${prefix})`)
  }
  if (after !== null) page = page.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  const [rows, total] = await Promise.all([
    page.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute(),
    count.executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(total.total) }
}

export async function selectOrgApiKeys (db: Database, orgId: string): Promise<ApiKeyRow[]> {
  return await db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
}

export async function selectOrgPhoneNumbers (db: Database, orgId: string): Promise<PhoneNumberRow[]> {
  return await db.selectFrom('phone_numbers').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute()
}

export async function selectOrgDomains (db: Database, orgId: string): Promise<DomainRow[]> {
  return await db.selectFrom('domains').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute()
}

/** Whether complaints or suppressions still name the number or domain (their audit trail must not lose it). */
export async function isSenderReferenced (
  db: Database, orgId: string, sender: { phoneNumberId?: string, domainId?: string }
): Promise<{ complaints: boolean, suppressions: boolean }> {
  const column = sender.phoneNumberId !== undefined ? 'phone_number_id' : 'domain_id'
  const id = sender.phoneNumberId ?? sender.domainId ?? ''
  const row = await db.selectNoFrom((eb) => [
    eb.exists(eb.selectFrom('complaints').select('id').where('org_id', '=', orgId).where(column, '=', id)).as('complaints'),
    eb.exists(eb.selectFrom('suppressions').select('id').where('org_id', '=', orgId).where('scope_id', '=', id)).as('suppressions')
  ]).executeTakeFirstOrThrow()
  return { complaints: Boolean(row.complaints), suppressions: Boolean(row.suppressions) }
}

export async function deletePhoneNumberRow (db: Database, orgId: string, id: string): Promise<PhoneNumberRow | undefined> {
  return await db.deleteFrom('phone_numbers').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

export async function deleteDomainRow (db: Database, orgId: string, id: string): Promise<DomainRow | undefined> {
  return await db.deleteFrom('domains').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

/** What an organization owns that other rows name by id (see ownership.ts). */
export type OwnedKind = 'phone_number' | 'domain' | 'campaign' | 'list'

/**
 * Which of these ids are the organization's, per kind, with each campaign's list, in one
 * statement whatever the kinds named (one SQL text; empty arrays cost an index probe each).
 */
export async function selectOwnedIds (
  db: Database, orgId: string, ids: Record<OwnedKind, string[]>
): Promise<Array<{ kind: OwnedKind, id: string, list_id: string | null }>> {
  const result = await sql<{ kind: OwnedKind, id: string, list_id: string | null }>`
    SELECT 'phone_number' AS kind, id, NULL::uuid AS list_id FROM phone_numbers WHERE org_id = ${orgId} AND id = ANY(${ids.phone_number}::uuid[])
    UNION ALL SELECT 'domain', id, NULL FROM domains WHERE org_id = ${orgId} AND id = ANY(${ids.domain}::uuid[])
    UNION ALL SELECT 'campaign', id, list_id FROM campaigns WHERE org_id = ${orgId} AND id = ANY(${ids.campaign}::uuid[])
    UNION ALL SELECT 'list', id, NULL FROM lists WHERE org_id = ${orgId} AND id = ANY(${ids.list}::uuid[])`.execute(db)
  return result.rows
}
