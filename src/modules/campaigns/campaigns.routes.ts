import { callerOrgId } from '../../http/auth.js'
import { IdempotencyHeaders, replyIdempotently } from '../../http/idempotent-reply.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { Campaign, CampaignIdParams, CreateCampaignBody, ListCampaignsQuery, UpdateCampaignBody } from './campaigns.schemas.js'
import { changeCampaign, createCampaign, getCampaign, listCampaigns } from './campaigns.service.js'

const tags = ['Campaigns']

export async function campaignRoutes (app: App): Promise<void> {
  app.post('/v1/campaigns', {
    config: { scope: 'lists:write' },
    schema: {
      tags,
      operationId: 'createCampaign',
      summary: 'Create a campaign',
      description: 'A send to a list (optional) from a number (sms) or a domain (email). Complaints that name the campaign inherit its list. ' +
        '`external_id` is unique per organization (409 otherwise). Accepts `Idempotency-Key`.',
      headers: IdempotencyHeaders,
      body: CreateCampaignBody,
      response: responses({ 201: Envelope(Campaign) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const orgId = callerOrgId(request)
    return await replyIdempotently(app.db, request, reply, 201, async (trx) => await createCampaign(trx, orgId, request.body))
  })

  app.patch('/v1/campaigns/:id', {
    config: { scope: 'lists:write' },
    schema: {
      tags,
      operationId: 'updateCampaign',
      summary: 'Change a campaign',
      description: 'Any of name, list_id, phone_number_id, domain_id, external_id (null clears) and sent_count. Complaints filed earlier keep the list they inherited.',
      params: CampaignIdParams,
      body: UpdateCampaignBody,
      response: responses({ 200: Envelope(Campaign) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    return { success: true as const, data: await changeCampaign(app.db, callerOrgId(request), request.params.id, request.body) }
  })

  app.get('/v1/campaigns', {
    config: { scope: 'lists:read' },
    schema: { tags, operationId: 'listCampaigns', summary: 'List campaigns', description: 'Newest first; filters `channel`, `list_id`.', querystring: ListCampaignsQuery, response: responses({ 200: ListEnvelope(Campaign) }, ['INVALID_INPUT', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, ...await listCampaigns(app.db, callerOrgId(request), request.query) }
  })

  app.get('/v1/campaigns/:id', {
    config: { scope: 'lists:read' },
    schema: { tags, operationId: 'getCampaign', summary: 'Read a campaign', params: CampaignIdParams, response: responses({ 200: Envelope(Campaign) }, ['NOT_FOUND', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, data: await getCampaign(app.db, callerOrgId(request), request.params.id) }
  })
}
