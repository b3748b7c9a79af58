import type { Database } from '../../db/database.js'
import type { CampaignRow, Channel } from '../../db/schema.js'
import { AppError, notFound, Problems, validationFailed } from '../../errors.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { newId } from '../../lib/ids.js'
import { checkOwnership } from '../organizations/ownership.js'
import {
  type CampaignFilters, campaignExistsAt, countCampaigns, findCampaignByExternalId, findCampaignById, insertCampaign,
  lockCampaign, selectCampaignPage, updateCampaign
} from './campaigns.repository.js'

export interface NewCampaign {
  name: string
  channel: Channel
  list_id?: string
  phone_number_id?: string
  domain_id?: string
  external_id?: string
  sent_count?: number
}

export interface CampaignChanges {
  name?: string
  list_id?: string | null
  phone_number_id?: string | null
  domain_id?: string | null
  external_id?: string | null
  sent_count?: number
}

const externalIdTaken = (): AppError =>
  new AppError('CONFLICT', 'a campaign with this external_id exists', { external_id: 'is already used by another campaign' })

/** The references a campaign names must be the organization's, and fit its channel. */
async function assertReferences (
  db: Database, orgId: string, channel: Channel, refs: { list_id?: string | null, phone_number_id?: string | null, domain_id?: string | null }
): Promise<void> {
  const problems = new Problems()
  if (refs.phone_number_id != null && channel !== 'sms') problems.add('phone_number_id', 'applies to sms campaigns only')
  if (refs.domain_id != null && channel !== 'email') problems.add('domain_id', 'applies to email campaigns only')
  await checkOwnership(db, orgId, [
    { field: 'list_id', kind: 'list', id: refs.list_id },
    { field: 'phone_number_id', kind: 'phone_number', id: channel === 'sms' ? refs.phone_number_id : null },
    { field: 'domain_id', kind: 'domain', id: channel === 'email' ? refs.domain_id : null }
  ], problems)
  problems.throwIfAny()
}

export async function createCampaign (trx: Database, orgId: string, input: NewCampaign) {
  await assertReferences(trx, orgId, input.channel, input)
  const now = new Date()
  const row = await insertCampaign(trx, {
    org_id: orgId,
    id: newId(),
    name: input.name,
    channel: input.channel,
    list_id: input.list_id ?? null,
    phone_number_id: input.phone_number_id ?? null,
    domain_id: input.domain_id ?? null,
    external_id: input.external_id ?? null,
    sent_count: input.sent_count ?? 0,
    created_at: now,
    updated_at: now
  })
  if (row === undefined) throw externalIdTaken()
  return toCampaign(row)
}

/**
 * Changes a campaign (typically `sent_count` as sending progresses). Complaints filed
 * earlier keep the list they inherited; later ones inherit the new list.
 */
export async function changeCampaign (db: Database, orgId: string, id: string, changes: CampaignChanges) {
  return await db.transaction().execute(async (trx) => {
    const current = await lockCampaign(trx, orgId, id)
    if (current === undefined) throw notFound()
    await assertReferences(trx, orgId, current.channel, changes)
    if (changes.external_id != null && changes.external_id !== current.external_id) {
      const holder = await findCampaignByExternalId(trx, orgId, changes.external_id)
      if (holder !== undefined) throw externalIdTaken()
    }
    try {
      const updated = await updateCampaign(trx, orgId, id, { ...changes, updated_at: new Date() })
      return toCampaign(updated)
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') throw externalIdTaken()
      throw error
    }
  })
}

export async function getCampaign (db: Database, orgId: string, id: string) {
  const row = await findCampaignById(db, orgId, id)
  if (row === undefined) throw notFound()
  return toCampaign(row)
}

export async function listCampaigns (db: Database, orgId: string, query: CampaignFilters & { cursor?: string, limit: number }) {
  const { cursor: cursorText, limit, ...filters } = query
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText)
  const problems = new Problems()
  await checkOwnership(db, orgId, [{ field: 'list_id', kind: 'list', id: filters.list_id }], problems)
  problems.throwIfAny()
  if (cursor !== null && !await campaignExistsAt(db, orgId, cursor)) throw validationFailed({ cursor: 'is not a cursor of this list' })
  const [rows, total] = await Promise.all([selectCampaignPage(db, orgId, filters, cursor, limit + 1), countCampaigns(db, orgId, filters)])
  const { page, nextCursor } = paginate(rows, limit)
  return { data: page.map(toCampaign), meta: { total, limit, offset: 0, next_cursor: nextCursor, last_event_at: null } }
}

function toCampaign (row: CampaignRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    channel: row.channel,
    list_id: row.list_id,
    phone_number_id: row.phone_number_id,
    domain_id: row.domain_id,
    external_id: row.external_id,
    sent_count: Number(row.sent_count),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
}
