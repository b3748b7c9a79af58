import type { Database } from '../../db/database.js'
import type { ApiKeyRow } from '../../db/schema.js'
import type { Role, Scope } from './scopes.js'

export interface NewApiKey {
  id: string
  orgId: string | null
  kind: 'customer' | 'platform'
  role: Role | null
  scopes: readonly Scope[]
  label: string | null
  prefix: string
  keyHash: Buffer
  createdAt: Date
}

const toRow = (key: NewApiKey) => ({
  id: key.id,
  org_id: key.orgId,
  kind: key.kind,
  role: key.role,
  scopes: [...key.scopes],
  label: key.label,
  prefix: key.prefix,
  key_hash: key.keyHash,
  created_at: key.createdAt,
  last_used_at: null,
  revoked_at: null
})

export async function insertApiKey (db: Database, key: NewApiKey): Promise<ApiKeyRow> {
  return await db.insertInto('api_keys').values(toRow(key)).returningAll().executeTakeFirstOrThrow()
}

/** Inserts the key unless one with the same hash exists (the bootstrap key on every start). */
export async function ensureApiKey (db: Database, key: NewApiKey): Promise<void> {
  await db.insertInto('api_keys').values(toRow(key))
    .onConflict((conflict) => conflict.column('key_hash').doUpdateSet({ scopes: [...key.scopes], revoked_at: null }))
    .execute()
}

export async function findApiKeyByHash (db: Database, keyHash: Buffer): Promise<ApiKeyRow | undefined> {
  return await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst()
}

/** Revokes a key; returns the row (whether it was active or already revoked), or undefined if unknown. */
export async function revokeApiKey (db: Database, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const revoked = await db.updateTable('api_keys').set({ revoked_at: at })
    .where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst()
  return revoked ?? await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function touchApiKey (db: Database, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
}
