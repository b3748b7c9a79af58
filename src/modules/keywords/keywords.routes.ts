import { callerOrgId } from '../../http/auth.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { CreateOrgKeywordBody, OrgKeyword, OrgKeywordIdParams } from './keywords.schemas.js'
import { addOrgKeyword, listOrgKeywords, removeOrgKeyword } from './keywords.service.js'

const tags = ['Reply keywords']

/**
 * An organization's own opt-out / opt-in / help words. They decide suppressions, so writing
 * them takes `suppressions:write` (owner and admin); every role reads them with `org:read`.
 * (Keys carry the scopes of their role when issued, so a new scope would lock out every key
 * already issued.)
 */
export async function keywordRoutes (app: App): Promise<void> {
  app.post('/v1/org/keywords', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'createOrgKeyword',
      summary: 'Add a reply keyword',
      description: 'Used for the next reply at once in this process (in every process within 30 s). A word the built-in rules read as an opt-out (STOP, cancel, BAJA…) can only be added as `opt_out` (422). The same word twice, compared as replies are, is 409.',
      body: CreateOrgKeywordBody,
      response: responses({ 201: Envelope(OrgKeyword) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const orgId = callerOrgId(request)
    const keyword = await addOrgKeyword(app.db, orgId, request.body)
    app.orgKeywords.forget(orgId)
    return await reply.code(201).send({ success: true, data: keyword })
  })

  app.get('/v1/org/keywords', {
    config: { scope: 'org:read' },
    schema: {
      tags,
      operationId: 'listOrgKeywords',
      summary: "List the organization's reply keywords",
      description: 'Oldest first; all of them in one page.',
      response: responses({ 200: ListEnvelope(OrgKeyword) }, [])
    }
  }, async (request) => {
    return { success: true as const, ...await listOrgKeywords(app.db, callerOrgId(request)) }
  })

  app.delete('/v1/org/keywords/:id', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'deleteOrgKeyword',
      summary: 'Remove a reply keyword',
      description: 'Replies stop matching it at once in this process (in every process within 30 s). Suppressions it caused stay. Another organization\'s id is 404.',
      params: OrgKeywordIdParams,
      response: responses({ 200: Envelope(OrgKeyword) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const orgId = callerOrgId(request)
    const keyword = await removeOrgKeyword(app.db, orgId, request.params.id)
    app.orgKeywords.forget(orgId)
    return { success: true as const, data: keyword }
  })
}
