import { createHash } from 'node:crypto'
import type { Database, Transaction } from '../../db/database.js'
import { retryOnConflict } from '../../db/retry.js'
import { AppError, validationFailed } from '../../errors.js'
import { findStoredResponse, storeResponse } from './idempotency.repository.js'

const WINDOW_MS = 24 * 60 * 60 * 1000
const MAX_KEY_BYTES = 255

export interface IdempotentRequest {
  principalId: string
  /** The route's identity, e.g. `POST /v1/complaints`. */
  route: string
  /** The Idempotency-Key header, if any. */
  key: string | undefined
  /** What makes two requests "the same": the parsed body. */
  payload: unknown
}

export interface IdempotentResult<T> {
  statusCode: number
  body: T
  replayed: boolean
}

/**
 * Runs `work` in a transaction together with storing its response under the key, so a
 * repeat within 24 h returns the first response and changes nothing, even when two
 * copies race (the loser's transaction rolls back and it answers with the winner's).
 * A transaction PostgreSQL aborts as a deadlock victim runs again (`retryOnConflict`).
 */
export async function runIdempotently<T> (
  db: Database,
  request: IdempotentRequest,
  work: (trx: Transaction) => Promise<{ statusCode: number, body: T }>
): Promise<IdempotentResult<T>> {
  const key = request.key
  if (key === undefined) return { ...await retryOnConflict(async () => await db.transaction().execute(work)), replayed: false }
  if (key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw validationFailed({ 'Idempotency-Key': `must be 1..${MAX_KEY_BYTES} bytes` })
  }
  const requestHash = createHash('sha256').update(JSON.stringify(request.payload ?? null)).digest('hex')
  const notBefore = new Date(Date.now() - WINDOW_MS)
  const replay = async (): Promise<IdempotentResult<T> | undefined> => {
    const stored = await findStoredResponse(db, request.principalId, request.route, key, notBefore)
    if (stored === undefined) return undefined
    if (stored.request_hash !== requestHash) {
      throw validationFailed({ 'Idempotency-Key': 'was already used with a different request' })
    }
    return { statusCode: stored.status_code, body: JSON.parse(stored.response_body) as T, replayed: true }
  }
  const earlier = await replay()
  if (earlier !== undefined) return earlier
  const lostRace = Symbol('lost race')
  try {
    const result = await retryOnConflict(async () => await db.transaction().execute(async (trx) => {
      const outcome = await work(trx)
      const stored = await storeResponse(trx, request.principalId, request.route, key, {
        request_hash: requestHash, status_code: outcome.statusCode, response_body: JSON.stringify(outcome.body)
      }, new Date(), notBefore)
      if (!stored) throw lostRace
      return outcome
    }))
    return { ...result, replayed: false }
  } catch (error) {
    if (error !== lostRace) throw error
    const winner = await replay()
    if (winner === undefined) throw new AppError('CONFLICT', 'a request with this Idempotency-Key is in progress')
    return winner
  }
}
