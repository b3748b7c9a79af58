import { sql } from 'kysely'
import type { Database, Transaction } from '../../db/database.js'
import type { ContactRow, ListRow } from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

export async function insertList (db: Database, row: ListRow): Promise<ListRow | undefined> {
  return await db.insertInto('lists').values(row)
    .onConflict((conflict) => conflict.columns(['org_id', 'external_id']).where('external_id', 'is not', null).doNothing())
    .returningAll().executeTakeFirst()
}

export async function findListById (db: Database, orgId: string, id: string): Promise<ListRow | undefined> {
  return await db.selectFrom('lists').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

export async function findListByExternalId (db: Database, orgId: string, externalId: string): Promise<ListRow | undefined> {
  return await db.selectFrom('lists').selectAll().where('org_id', '=', orgId).where('external_id', '=', externalId).executeTakeFirst()
}

export async function selectListPage (db: Database, orgId: string, after: Cursor | null, limit: number): Promise<ListRow[]> {
  let query = db.selectFrom('lists').selectAll().where('org_id', '=', orgId)
  if (after !== null) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

export async function countLists (db: Database, orgId: string): Promise<number> {
  const row = await db.selectFrom('lists').select((eb) => eb.fn.countAll<number>().as('total')).where('org_id', '=', orgId).executeTakeFirstOrThrow()
  return Number(row.total)
}

export async function listExistsAt (db: Database, orgId: string, cursor: Cursor): Promise<boolean> {
  const row = await db.selectFrom('lists').select('id')
    .where('org_id', '=', orgId).where('id', '=', cursor.id).where('created_at', '=', cursor.createdAt).executeTakeFirst()
  return row !== undefined
}

/**
 * Serializes contact upserts of one organization until the caller's transaction ends, so
 * two calls naming the same new address cannot both insert it.
 */
export async function lockContactsOfOrganization (trx: Transaction, orgId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`contacts:${orgId}`}, 0))`.execute(trx)
}

/**
 * The organization's contacts keyed by any of these emails, and its contacts without an
 * email keyed by any of these phones (a phone identifies only a contact without an email).
 */
export async function findContactsByKey (db: Database, orgId: string, emails: string[], phones: string[]): Promise<ContactRow[]> {
  if (emails.length === 0 && phones.length === 0) return []
  return await db.selectFrom('contacts').selectAll().where('org_id', '=', orgId)
    .where((eb) => eb.or([
      ...(emails.length > 0 ? [eb('email', 'in', emails)] : []),
      ...(phones.length > 0 ? [eb.and([eb('email', 'is', null), eb('phone', 'in', phones)])] : [])
    ]))
    .execute()
}

export type ContactValues = Omit<ContactRow, 'subscriber_id'>

/**
 * Writes contacts in one statement: new ids are inserted, known ids are overwritten with
 * the merged values (keeping `created_at` and `subscriber_id`). Ids must be distinct.
 */
export async function upsertContacts (trx: Database, rows: ContactValues[]): Promise<ContactRow[]> {
  if (rows.length === 0) return []
  return await trx.insertInto('contacts').values(rows)
    .onConflict((conflict) => conflict.columns(['org_id', 'id']).doUpdateSet((eb) => ({
      email: eb.ref('excluded.email'),
      phone: eb.ref('excluded.phone'),
      phone_display: eb.ref('excluded.phone_display'),
      first_name: eb.ref('excluded.first_name'),
      last_name: eb.ref('excluded.last_name'),
      company: eb.ref('excluded.company'),
      address1: eb.ref('excluded.address1'),
      address2: eb.ref('excluded.address2'),
      city: eb.ref('excluded.city'),
      state: eb.ref('excluded.state'),
      zip: eb.ref('excluded.zip'),
      country: eb.ref('excluded.country'),
      fax: eb.ref('excluded.fax'),
      updated_at: eb.ref('excluded.updated_at')
    })))
    .returningAll().execute()
}

/** Adds contacts to a list; those already on it keep their original joining time. */
export async function addListMembers (trx: Database, orgId: string, listId: string, contactIds: string[], at: Date): Promise<void> {
  if (contactIds.length === 0) return
  await trx.insertInto('list_members')
    .values(contactIds.map((contactId) => ({ org_id: orgId, list_id: listId, contact_id: contactId, created_at: at })))
    .onConflict((conflict) => conflict.columns(['org_id', 'list_id', 'contact_id']).doNothing())
    .execute()
}

export type ListContactRow = ContactRow & { added_at: Date }

/** One page of a list's contacts, newest members first by (joined at, contact id). */
export async function selectListContactPage (db: Database, orgId: string, listId: string, after: Cursor | null, limit: number): Promise<ListContactRow[]> {
  let query = db.selectFrom('list_members as m')
    .innerJoin('contacts as c', (join) => join.onRef('c.org_id', '=', 'm.org_id').onRef('c.id', '=', 'm.contact_id'))
    .selectAll('c')
    .select('m.created_at as added_at')
    .where('m.org_id', '=', orgId).where('m.list_id', '=', listId)
  if (after !== null) query = query.where((eb) => eb(eb.refTuple('m.created_at', 'm.contact_id'), '<', eb.tuple(after.createdAt, after.id)))
  return await query.orderBy('m.created_at', 'desc').orderBy('m.contact_id', 'desc').limit(limit).execute()
}

export async function countListContacts (db: Database, orgId: string, listId: string): Promise<number> {
  const row = await db.selectFrom('list_members').select((eb) => eb.fn.countAll<number>().as('total'))
    .where('org_id', '=', orgId).where('list_id', '=', listId).executeTakeFirstOrThrow()
  return Number(row.total)
}

export async function listMemberExistsAt (db: Database, orgId: string, listId: string, cursor: Cursor): Promise<boolean> {
  const row = await db.selectFrom('list_members').select('contact_id')
    .where('org_id', '=', orgId).where('list_id', '=', listId)
    .where('contact_id', '=', cursor.id).where('created_at', '=', cursor.createdAt).executeTakeFirst()
  return row !== undefined
}
