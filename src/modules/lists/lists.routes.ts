import { callerOrgId } from '../../http/auth.js'
import { IdempotencyHeaders, replyIdempotently } from '../../http/idempotent-reply.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { CreateListBody, List, ListContact, ListIdParams, PageOnlyQuery, UpsertContactsBody, UpsertContactsResult } from './lists.schemas.js'
import { createList, getList, listListContacts, listLists, upsertListContacts } from './lists.service.js'

const tags = ['Lists and contacts']

export async function listRoutes (app: App): Promise<void> {
  app.post('/v1/lists', {
    config: { scope: 'lists:write' },
    schema: {
      tags,
      operationId: 'createList',
      summary: 'Create a list',
      description: '`external_id` is unique per organization (409 otherwise). Accepts `Idempotency-Key`.',
      headers: IdempotencyHeaders,
      body: CreateListBody,
      response: responses({ 201: Envelope(List) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const orgId = callerOrgId(request)
    return await replyIdempotently(app.db, request, reply, 201, async (trx) => await createList(trx, orgId, request.body))
  })

  app.get('/v1/lists', {
    config: { scope: 'lists:read' },
    schema: { tags, operationId: 'listLists', summary: 'List lists', description: 'Newest first.', querystring: PageOnlyQuery, response: responses({ 200: ListEnvelope(List) }, ['INVALID_INPUT', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, ...await listLists(app.db, callerOrgId(request), request.query) }
  })

  app.get('/v1/lists/:id', {
    config: { scope: 'lists:read' },
    schema: { tags, operationId: 'getList', summary: 'Read a list', params: ListIdParams, response: responses({ 200: Envelope(List) }, ['NOT_FOUND', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, data: await getList(app.db, callerOrgId(request), request.params.id) }
  })

  app.post('/v1/lists/:id/contacts', {
    config: { scope: 'lists:write' },
    schema: {
      tags,
      operationId: 'upsertContacts',
      summary: 'Upsert contacts into a list',
      description: 'Up to 1000 contacts, upserted and added to the list. A contact is keyed by its email; its phone is a profile field that many contacts may share ' +
        '(a switchboard). Only an entry without an email is found by its phone, among the contacts without an email. ' +
        'Fields given replace stored ones (null clears), fields omitted keep them; `created_at` and `subscriber_id` never change, `updated_at` moves. ' +
        'Any bad entry is 422 naming `contacts[i].field` and nothing of the call is written. Answers 200 (an upsert). Accepts `Idempotency-Key`.',
      headers: IdempotencyHeaders,
      params: ListIdParams,
      body: UpsertContactsBody,
      response: responses({ 200: Envelope(UpsertContactsResult) }, ['NOT_FOUND', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const orgId = callerOrgId(request)
    return await replyIdempotently(app.db, request, reply, 200, async (trx) => await upsertListContacts(trx, orgId, request.params.id, request.body.contacts))
  })

  app.get('/v1/lists/:id/contacts', {
    config: { scope: 'lists:read' },
    schema: {
      tags,
      operationId: 'listContacts',
      summary: "A list's contacts",
      description: 'Newest members first by (added_at, id).',
      params: ListIdParams,
      querystring: PageOnlyQuery,
      response: responses({ 200: ListEnvelope(ListContact) }, ['INVALID_INPUT', 'NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listListContacts(app.db, callerOrgId(request), request.params.id, request.query) }
  })
}
