/**
 * What every intake flow shares: who writes (the intake actor), how an item's id and its
 * numbers are read, and how a flow tells its runner that a concurrent copy won.
 */
import type { Database } from '../../db/database.js'
import type { Actor } from '../../domain.js'
import { Problems, validationFailed } from '../../errors.js'
import { normalizeExactE164 } from '../../lib/addresses.js'
import { isUuid } from '../../lib/ids.js'
import { findCampaignById } from '../campaigns/campaigns.repository.js'

export const INTAKE_ACTOR: Actor = { kind: 'system', label: 'intake' }

const EXCERPT_LENGTH = 500

/**
 * Thrown inside the writing transaction when a concurrent copy of the same item
 * recorded it first: the transaction rolls back and the runner answers with the winner's
 * stored answer, read with `lookup`.
 */
export class LostRace extends Error {
  override readonly name = 'LostRace'
  constructor (readonly lookup: (reader: Database) => Promise<unknown>) {
    super('a concurrent copy of this item was recorded first')
  }
}

export interface IntakeOutcome<T> {
  answer: T
  /** true when the item was already recorded: nothing was written. */
  replayed: boolean
}

/** The text cut to `EXCERPT_LENGTH` characters (code points, so no emoji is split). */
export function excerptOf (text: string | null | undefined): string | null {
  if (text == null || text.trim() === '') return null
  const codePoints = Array.from(text)
  return codePoints.length <= EXCERPT_LENGTH ? text : codePoints.slice(0, EXCERPT_LENGTH).join('')
}

/** Each field's number in strict E.164; every field that is not one is named in one 422. */
export function requireE164<F extends string> (fields: Record<F, string>): Record<F, string> {
  const problems = new Problems()
  const numbers: Record<string, string> = {}
  for (const [field, value] of Object.entries<string>(fields)) {
    const number = normalizeExactE164(value)
    if (number === null) problems.add(field, 'must be a phone number in E.164 format, e.g. +14155550123')
    else numbers[field] = number
  }
  problems.throwIfAny()
  return numbers as Record<F, string>
}

/** An intake item's id as stored: opaque, at most 255 bytes; a UUID in its canonical lower-case form. */
export function intakeId (field: string, value: string): string {
  if (Buffer.byteLength(value, 'utf8') > 255) throw validationFailed({ [field]: 'must be at most 255 bytes' })
  return isUuid(value) ? value.toLowerCase() : value
}

/**
 * The campaign a report names, if it is one of the organization's. An opt-out or a spam
 * report must never be lost because the platform sent a stale or foreign campaign id, so
 * an unknown one is dropped rather than refused.
 */
export async function ownCampaignId (db: Database, orgId: string, campaignId: string | undefined): Promise<string | null> {
  if (campaignId === undefined) return null
  return (await findCampaignById(db, orgId, campaignId.toLowerCase()))?.id ?? null
}
