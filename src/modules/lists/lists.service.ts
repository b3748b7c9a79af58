import type { Database, Transaction } from '../../db/database.js'
import { analyzeIfStale } from '../../db/statistics.js'
import type { ContactRow, ListRow } from '../../db/schema.js'
import { AppError, notFound, Problems, validationFailed } from '../../errors.js'
import { normalizeEmail, normalizePhone } from '../../lib/addresses.js'
import { decodeCursor, encodeCursor, paginate } from '../../lib/cursor.js'
import { newId } from '../../lib/ids.js'
import {
  addListMembers, type ContactValues, countListContacts, countLists, findContactsByKey, findListById,
  insertList, listExistsAt, listMemberExistsAt, lockContactsOfOrganization, selectListContactPage, selectListPage, upsertContacts
} from './lists.repository.js'

const MAX_CONTACTS_PER_CALL = 1000

const CONTACT_PROFILE_FIELDS = [
  'first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'state', 'zip', 'country', 'fax'
] as const
type ProfileField = typeof CONTACT_PROFILE_FIELDS[number]

export interface NewList {
  name: string
  external_id?: string
}

export async function createList (db: Database, orgId: string, input: NewList) {
  const now = new Date()
  const row = await insertList(db, {
    org_id: orgId, id: newId(), name: input.name, external_id: input.external_id ?? null, created_at: now, updated_at: now
  })
  if (row === undefined) throw new AppError('CONFLICT', 'a list with this external_id exists', { external_id: 'is already used by another list' })
  return toList(row)
}

export async function getList (db: Database, orgId: string, id: string) {
  const row = await findListById(db, orgId, id)
  if (row === undefined) throw notFound()
  return toList(row)
}

export async function listLists (db: Database, orgId: string, query: { cursor?: string, limit: number }) {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
  if (cursor !== null && !await listExistsAt(db, orgId, cursor)) throw validationFailed({ cursor: 'is not a cursor of this list' })
  const [rows, total] = await Promise.all([selectListPage(db, orgId, cursor, query.limit + 1), countLists(db, orgId)])
  const { page, nextCursor } = paginate(rows, query.limit)
  return { data: page.map(toList), meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null } }
}

export type ContactInput = { email?: string, phone?: string } & { [field in ProfileField]?: string | null }

/**
 * Upserts up to 1000 contacts and adds them to the list, in the caller's transaction.
 * Every entry is checked before anything is written: one bad entry refuses the whole call
 * (422 naming `contacts[i].field`).
 *
 * Contacts are keyed by email: an entry with an email is found by its email only, and its
 * phone is a profile field that any number of contacts may share (a switchboard). Only an
 * entry without an email is found by its phone, among the contacts without an email. The
 * phone is kept twice: E.164 for matching, and as given for display. Fields given replace
 * the stored ones (null clears a profile field), fields omitted keep them; `created_at`
 * and `subscriber_id` never change and `updated_at` moves to now. Entries naming the same
 * contact are applied in order.
 */
export async function upsertListContacts (trx: Transaction, orgId: string, listId: string, inputs: ContactInput[]) {
  const list = await findListById(trx, orgId, listId)
  if (list === undefined) throw notFound()
  if (inputs.length > MAX_CONTACTS_PER_CALL) throw validationFailed({ contacts: `must have at most ${MAX_CONTACTS_PER_CALL} entries` })

  const problems = new Problems()
  const normalized = inputs.map((input, index) => {
    const email = input.email === undefined ? undefined : normalizeEmail(input.email)
    const phone = input.phone === undefined ? undefined : normalizePhone(input.phone)
    if (input.email === undefined && input.phone === undefined) problems.add(`contacts[${index}].email`, 'email or phone is required')
    if (email === null) problems.add(`contacts[${index}].email`, 'must be an email address')
    if (phone === null) problems.add(`contacts[${index}].phone`, 'must be a phone number (E.164, or a US number)')
    return { input, email: email ?? undefined, phone: phone ?? undefined }
  })
  problems.throwIfAny()

  await lockContactsOfOrganization(trx, orgId)
  const existing = await findContactsByKey(trx, orgId,
    [...new Set(normalized.flatMap((entry) => entry.email ?? []))],
    [...new Set(normalized.flatMap((entry) => entry.email === undefined ? entry.phone ?? [] : []))])

  const now = new Date()
  const planned = new Map<string, ContactValues>()
  const byEmail = new Map<string, string>()
  /** Contacts without an email, by phone: the only ones a phone identifies. */
  const byPhone = new Map<string, string>()
  const remember = (row: ContactValues): void => {
    planned.set(row.id, row)
    if (row.email !== null) byEmail.set(row.email, row.id)
    else if (row.phone !== null) byPhone.set(row.phone, row.id)
  }
  const createdIds = new Set<string>()
  for (const row of existing) {
    const { subscriber_id: _subscriberId, ...values } = row
    remember(values)
  }

  const order: string[] = []
  for (const { input, email, phone } of normalized) {
    const targetId = email !== undefined ? byEmail.get(email) : phone === undefined ? undefined : byPhone.get(phone)
    const current = targetId === undefined ? undefined : planned.get(targetId)
    const row: ContactValues = current !== undefined
      ? { ...current, updated_at: now }
      : {
          org_id: orgId,
          id: newId(),
          email: email ?? null,
          phone: null,
          phone_display: null,
          first_name: null,
          last_name: null,
          company: null,
          address1: null,
          address2: null,
          city: null,
          state: null,
          zip: null,
          country: null,
          fax: null,
          created_at: now,
          updated_at: now
        }
    if (current === undefined) createdIds.add(row.id)
    if (phone !== undefined) {
      row.phone = phone
      row.phone_display = input.phone?.trim() ?? null
    }
    for (const field of CONTACT_PROFILE_FIELDS) {
      const value = input[field]
      if (value !== undefined) row[field] = value
    }
    remember(row)
    order.push(row.id)
  }

  const touched = [...new Set(order)]
  const written = await upsertContacts(trx, touched.map((id) => planned.get(id) as ContactValues))
  await addListMembers(trx, orgId, listId, touched, now)
  await analyzeIfStale(trx, 'contacts', createdIds.size)
  await analyzeIfStale(trx, 'list_members', touched.length)
  const byId = new Map(written.map((row) => [row.id, row]))
  return {
    created: touched.filter((id) => createdIds.has(id)).length,
    updated: touched.filter((id) => !createdIds.has(id)).length,
    contacts: order.map((id) => toContact(byId.get(id) as ContactRow))
  }
}

export async function listListContacts (db: Database, orgId: string, listId: string, query: { cursor?: string, limit: number }) {
  if (await findListById(db, orgId, listId) === undefined) throw notFound()
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor)
  if (cursor !== null && !await listMemberExistsAt(db, orgId, listId, cursor)) throw validationFailed({ cursor: 'is not a cursor of this list' })
  const [rows, total] = await Promise.all([
    selectListContactPage(db, orgId, listId, cursor, query.limit + 1),
    countListContacts(db, orgId, listId)
  ])
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const nextCursor = rows.length > query.limit && last !== undefined ? encodeCursor({ createdAt: last.added_at, id: last.id }) : null
  return {
    data: page.map((row) => ({ ...toContact(row), added_at: row.added_at.toISOString() })),
    meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null }
  }
}

function toList (row: ListRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    external_id: row.external_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
}

function toContact (row: ContactRow) {
  return {
    id: row.id,
    subscriber_id: Number(row.subscriber_id),
    email: row.email,
    phone: row.phone,
    phone_display: row.phone_display ?? row.phone,
    first_name: row.first_name,
    last_name: row.last_name,
    company: row.company,
    address1: row.address1,
    address2: row.address2,
    city: row.city,
    state: row.state,
    zip: row.zip,
    country: row.country,
    fax: row.fax,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
}
