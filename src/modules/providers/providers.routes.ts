import { callerPrincipal } from '../../http/auth.js'
import { publicBaseUrl } from '../../http/public-url.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { actorOf } from '../api-keys/api-keys.service.js'
import { OrgIdParams } from '../organizations/organizations.schemas.js'
import {
  CreateProviderConnectionBody, ProviderConnection, ProviderConnectionListQuery, ProviderConnectionParams, RotateProviderCredentialsBody
} from './providers.schemas.js'
import {
  createProviderConnection, getProviderConnection, listProviderConnections, removeProviderConnection, rotateProviderCredentials,
  toProviderConnection
} from './providers.service.js'

const tags = ['Provider connections']
const config = { scope: 'platform:admin' as const }

/**
 * Platform staff connect an organization's delivery providers: each connection holds the
 * provider's verification secret (sealed at rest, never returned) and has the webhook URL
 * to paste into the provider's console.
 */
export async function providerConnectionRoutes (app: App): Promise<void> {
  app.post('/v1/admin/orgs/:org_id/provider-connections', {
    config,
    schema: {
      tags,
      operationId: 'createProviderConnection',
      summary: 'Connect a delivery provider',
      description: 'Registers the provider\'s verification secret for the organization and answers the webhook URL to paste into the provider\'s console. `credentials` by provider: twilio `{auth_token}`, telnyx `{public_key}`, sendgrid `{public_key}`, mailgun `{signing_key}`, postmark `{username, password}`, ses `{topic_arn}`.',
      params: OrgIdParams,
      body: CreateProviderConnectionBody,
      response: responses({ 201: Envelope(ProviderConnection) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const row = await createProviderConnection(app.db, app.secrets, request.params.org_id, request.body, actorOf(callerPrincipal(request)))
    return await reply.code(201).send({ success: true, data: toProviderConnection(row, publicBaseUrl(request, app.config)) })
  })

  app.get('/v1/admin/orgs/:org_id/provider-connections', {
    config,
    schema: {
      tags,
      operationId: 'listProviderConnections',
      summary: "List an organization's provider connections",
      params: OrgIdParams,
      querystring: ProviderConnectionListQuery,
      response: responses({ 200: ListEnvelope(ProviderConnection) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const { page, meta } = await listProviderConnections(app.db, request.params.org_id, request.query)
    const origin = publicBaseUrl(request, app.config)
    return { success: true as const, data: page.map((row) => toProviderConnection(row, origin)), meta }
  })

  app.get('/v1/admin/orgs/:org_id/provider-connections/:id', {
    config,
    schema: {
      tags,
      operationId: 'getProviderConnection',
      summary: 'Read a provider connection',
      description: 'Credentials are never returned.',
      params: ProviderConnectionParams,
      response: responses({ 200: Envelope(ProviderConnection) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const row = await getProviderConnection(app.db, request.params.org_id, request.params.id)
    return { success: true as const, data: toProviderConnection(row, publicBaseUrl(request, app.config)) }
  })

  app.post('/v1/admin/orgs/:org_id/provider-connections/:id/rotate', {
    config,
    schema: {
      tags,
      operationId: 'rotateProviderCredentials',
      summary: "Replace a provider connection's credentials",
      description: 'The new secret applies to the next delivery; the webhook URL does not change.',
      params: ProviderConnectionParams,
      body: RotateProviderCredentialsBody,
      response: responses({ 200: Envelope(ProviderConnection) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    const { org_id: orgId, id } = request.params
    const row = await rotateProviderCredentials(app.db, app.secrets, orgId, id, request.body.credentials, actorOf(callerPrincipal(request)))
    return { success: true as const, data: toProviderConnection(row, publicBaseUrl(request, app.config)) }
  })

  app.delete('/v1/admin/orgs/:org_id/provider-connections/:id', {
    config,
    schema: {
      tags,
      operationId: 'deleteProviderConnection',
      summary: 'Delete a provider connection',
      description: 'Its webhook URL answers 404 from now on.',
      params: ProviderConnectionParams,
      response: responses({ 200: Envelope(ProviderConnection) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const row = await removeProviderConnection(app.db, request.params.org_id, request.params.id, actorOf(callerPrincipal(request)))
    return { success: true as const, data: toProviderConnection(row, publicBaseUrl(request, app.config)) }
  })
}
