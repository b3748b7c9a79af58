import type { Database } from '../../db/database.js'

export interface StoredResponse {
  request_hash: string
  status_code: number
  response_body: string
}

export async function findStoredResponse (
  db: Database, principalId: string, route: string, key: string, notBefore: Date
): Promise<StoredResponse | undefined> {
  return await db.selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response_body'])
    .where('principal_id', '=', principalId).where('route', '=', route).where('key', '=', key)
    .where('created_at', '>=', notBefore)
    .executeTakeFirst()
}

/** Stores a response; false when another request stored one for this key first. */
export async function storeResponse (
  db: Database, principalId: string, route: string, key: string, response: StoredResponse, at: Date, notBefore: Date
): Promise<boolean> {
  // An expired entry for the same key is replaced; a live one wins the race.
  const stored = await db.insertInto('idempotency_keys')
    .values({ principal_id: principalId, route, key, ...response, created_at: at })
    .onConflict((conflict) => conflict.columns(['principal_id', 'route', 'key']).doUpdateSet({
      request_hash: response.request_hash,
      status_code: response.status_code,
      response_body: response.response_body,
      created_at: at
    }).where('idempotency_keys.created_at', '<', notBefore))
    .returning('key')
    .executeTakeFirst()
  return stored !== undefined
}

export async function deleteExpiredResponses (db: Database, before: Date): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute()
}
