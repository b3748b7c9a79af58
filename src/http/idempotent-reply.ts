import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Database, Transaction } from '../db/database.js'
import { runIdempotently } from '../modules/idempotency/idempotency.service.js'
import { callerPrincipal } from './auth.js'

/** The header every POST route accepts. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'A repeat within 24 h returns the first response and changes nothing (at most 255 bytes)' }))
})

/**
 * Answers a POST with `{success: true, data}` produced by `work` in one transaction,
 * honouring `Idempotency-Key`: a repeat gets the first response and
 * `Idempotent-Replayed: true`. The key is scoped to the caller's key and the request path.
 */
export async function replyIdempotently<T> (
  db: Database, request: FastifyRequest, reply: FastifyReply, successStatus: number, work: (trx: Transaction) => Promise<T>
): Promise<FastifyReply> {
  const header = request.headers['idempotency-key']
  const result = await runIdempotently(db, {
    principalId: callerPrincipal(request).keyId,
    route: `${request.method} ${request.url.split('?')[0] ?? ''}`,
    key: typeof header === 'string' ? header : undefined,
    payload: request.body
  }, async (trx) => ({ statusCode: successStatus, body: { success: true as const, data: await work(trx) } }))
  if (result.replayed) reply.header('Idempotent-Replayed', 'true')
  return await reply.code(result.statusCode).send(result.body)
}
