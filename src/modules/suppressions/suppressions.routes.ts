import { Type } from 'typebox'
import { callerOrgId, callerPrincipal } from '../../http/auth.js'
import { IdempotencyHeaders, replyIdempotently } from '../../http/idempotent-reply.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { actorOf } from '../api-keys/api-keys.service.js'
import {
  CheckResult, CheckSuppressionsBody, CreateSuppressionsBody, ListSuppressionsQuery, Suppression, SuppressionIdParams
} from './suppressions.schemas.js'
import { addSuppressions, checkSuppressions, getSuppression, listSuppressions, removeSuppression, toSuppression } from './suppressions.service.js'

const tags = ['Suppressions']

export async function suppressionRoutes (app: App): Promise<void> {
  app.get('/v1/suppressions', {
    config: { scope: 'suppressions:read' },
    schema: {
      tags,
      operationId: 'listSuppressions',
      summary: 'List suppressions',
      description: 'Newest first by (created_at, id). `meta.total` is exact for the filters; `meta.last_event_at` is the time of the newest suppression or removal.',
      querystring: ListSuppressionsQuery,
      response: responses({ 200: ListEnvelope(Suppression) }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listSuppressions(app.db, callerOrgId(request), request.query) }
  })

  app.post('/v1/suppressions', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'addSuppressions',
      summary: 'Add suppressions',
      description: '1..1000 entries, all or nothing (422 names the bad entry, e.g. `suppressions[3].address`). ' +
        'A `domain_id` gives domain scope (email), a `phone_number_id` phone-number scope (sms), neither the whole organization; reason `manual`. ' +
        'An address already suppressed in that scope keeps its row and first reason; the answer lists the stored rows in request order. Accepts `Idempotency-Key`.',
      headers: IdempotencyHeaders,
      body: CreateSuppressionsBody,
      response: responses({ 201: Envelope(Type.Array(Suppression)) }, ['VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const orgId = callerOrgId(request)
    return await replyIdempotently(app.db, request, reply, 201, async (trx) =>
      (await addSuppressions(trx, orgId, request.body.suppressions, actorOf(callerPrincipal(request)))).map(toSuppression))
  })

  app.get('/v1/suppressions/:id', {
    config: { scope: 'suppressions:read' },
    schema: {
      tags,
      operationId: 'getSuppression',
      summary: 'Get a suppression',
      description: 'Another organization\'s id, or a suppression that was lifted, is 404 (the lift is in `GET /v1/audit-events`).',
      params: SuppressionIdParams,
      response: responses({ 200: Envelope(Suppression) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await getSuppression(app.db, callerOrgId(request), request.params.id) }
  })

  app.delete('/v1/suppressions/:id', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'deleteSuppression',
      summary: 'Lift a suppression',
      description: 'Delivery to the address is allowed again at once. Writes an audit event (who, what, when). Another organization\'s id is 404.',
      params: SuppressionIdParams,
      response: responses({ 200: Envelope(Suppression) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await removeSuppression(app.db, callerOrgId(request), request.params.id, actorOf(callerPrincipal(request))) }
  })

  app.post('/v1/suppressions/check', {
    config: { scope: 'suppressions:read' },
    schema: {
      tags,
      operationId: 'checkSuppressions',
      summary: 'May I deliver to these recipients from this sender?',
      description: 'The send path\'s check: up to 1000 recipients, answered by one indexed query. A recipient is suppressed by a suppression of its address for the sender ' +
        '(`from`: one of the organization\'s numbers for sms; one of its domains, or an address at one, for email) or for the whole organization. ' +
        'A recipient that cannot be normalized (E.164 / email) fails the call with 422 naming it (`recipients[3]`). ' +
        'Changes nothing, so `Idempotency-Key` is accepted and ignored: a repeat always gets the current answer.',
      headers: IdempotencyHeaders,
      body: CheckSuppressionsBody,
      response: responses({ 200: Envelope(CheckResult) }, ['VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    return { success: true as const, data: await checkSuppressions(app.db, callerOrgId(request), request.body) }
  })
}
