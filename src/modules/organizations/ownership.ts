/**
 * The one ownership check: a request that names an organization's phone number, domain,
 * campaign or list by id must name one of its own. Every such reference is checked in one
 * statement, and each that is not the organization's is a field problem with the one
 * message ("is not one of the organization's …").
 */
import type { Database } from '../../db/database.js'
import type { Problems } from '../../errors.js'
import { type OwnedKind, selectOwnedIds } from './organizations.repository.js'

const NOUNS: Record<OwnedKind, string> = { phone_number: 'phone numbers', domain: 'domains', campaign: 'campaigns', list: 'lists' }

/** The reason given for a reference the organization does not own. */
export const notOwned = (kind: OwnedKind): string => `is not one of the organization's ${NOUNS[kind]}`

/** A field naming one of the organization's things by id; an absent id names nothing. */
export interface Reference {
  field: string
  kind: OwnedKind
  id: string | null | undefined
}

export interface OwnedReferences {
  /** The list of a campaign that was checked and found, or null. */
  campaignListId: (campaignId: string) => string | null
}

/** Checks every reference in one statement (none when no id is named); adds a problem for each not owned. */
export async function checkOwnership (db: Database, orgId: string, references: readonly Reference[], problems: Problems): Promise<OwnedReferences> {
  const named = references.filter((reference): reference is Reference & { id: string } => reference.id != null)
  if (named.length === 0) return { campaignListId: () => null }
  const ids: Record<OwnedKind, string[]> = { phone_number: [], domain: [], campaign: [], list: [] }
  for (const reference of named) ids[reference.kind].push(reference.id.toLowerCase())
  const rows = await selectOwnedIds(db, orgId, ids)
  const owned = new Set(rows.map((row) => `${row.kind}:${row.id}`))
  const campaignLists = new Map(rows.filter((row) => row.kind === 'campaign').map((row) => [row.id, row.list_id]))
  for (const reference of named) {
    if (!owned.has(`${reference.kind}:${reference.id.toLowerCase()}`)) problems.add(reference.field, notOwned(reference.kind))
  }
  return { campaignListId: (campaignId) => campaignLists.get(campaignId.toLowerCase()) ?? null }
}
