import type { Database } from '../../db/database.js'
import type { DomainRow, Organization, PhoneNumberRow } from '../../db/schema.js'

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
export async function insertPhoneNumber (db: Database, orgId: string, phone: { id: string, number: string, createdAt: Date }): Promise<PhoneNumberRow | undefined> {
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

export async function findPhoneNumberById (db: Database, orgId: string, id: string): Promise<PhoneNumberRow | undefined> {
  return await db.selectFrom('phone_numbers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
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
