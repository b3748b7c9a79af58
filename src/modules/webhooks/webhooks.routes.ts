import { callerOrgId, callerPrincipal } from '../../http/auth.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { actorOf } from '../api-keys/api-keys.service.js'
import {
  AttemptListQuery, CreateWebhookBody, DeliveryParams, UpdateWebhookBody, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret,
  WebhookIdParams, WebhookListQuery
} from './webhooks.schemas.js'
import {
  changeEndpoint, createEndpoint, getEndpoint, listAttempts, listEndpoints, MAX_ENDPOINTS, removeEndpoint, retryDelivery, rotateSecret
} from './webhooks.service.js'

const tags = ['Webhooks']
const read = { scope: 'webhooks:read' as const }
const write = { scope: 'webhooks:write' as const }

/** Signed webhooks out: an organization's endpoints, their secrets and their deliveries (see docs/webhooks.md). */
export async function webhookRoutes (app: App): Promise<void> {
  const policy = { allowHttp: app.config.webhooksAllowHttp, allowPrivate: app.config.webhooksAllowPrivate }

  app.post('/v1/webhooks', {
    config: write,
    schema: {
      tags,
      operationId: 'createWebhook',
      summary: 'Add a webhook endpoint',
      description: `Events: complaint.created, complaint.updated, suppression.created, suppression.deleted, signed with the Standard Webhooks scheme. The answer carries the signing secret, shown only here. At most ${MAX_ENDPOINTS} endpoints per organization (409).`,
      body: CreateWebhookBody,
      response: responses({ 201: Envelope(WebhookEndpointWithSecret) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const endpoint = await createEndpoint(app.db, app.secrets, policy, callerOrgId(request), request.body, actorOf(callerPrincipal(request)))
    return await reply.code(201).send({ success: true, data: endpoint })
  })

  app.get('/v1/webhooks', {
    config: read,
    schema: { tags, operationId: 'listWebhooks', summary: 'List webhook endpoints', description: 'Newest first.', querystring: WebhookListQuery, response: responses({ 200: ListEnvelope(WebhookEndpoint) }, ['VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, ...await listEndpoints(app.db, callerOrgId(request), request.query) }
  })

  app.get('/v1/webhooks/:id', {
    config: read,
    schema: {
      tags,
      operationId: 'getWebhook',
      summary: 'Read a webhook endpoint',
      description: 'An endpoint whose deliveries all failed for 24 h is disabled: `enabled` false, `disabled_reason` "failing".',
      params: WebhookIdParams,
      response: responses({ 200: Envelope(WebhookEndpoint) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await getEndpoint(app.db, callerOrgId(request), request.params.id) }
  })

  app.patch('/v1/webhooks/:id', {
    config: write,
    schema: {
      tags,
      operationId: 'updateWebhook',
      summary: 'Change a webhook endpoint',
      description: '`enabled: true` enables it again (also after Ombuds disabled it); its pending deliveries resume.',
      params: WebhookIdParams,
      body: UpdateWebhookBody,
      response: responses({ 200: Envelope(WebhookEndpoint) }, ['NOT_FOUND', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    const endpoint = await changeEndpoint(app.db, policy, callerOrgId(request), request.params.id, request.body, actorOf(callerPrincipal(request)))
    return { success: true as const, data: endpoint }
  })

  app.delete('/v1/webhooks/:id', {
    config: write,
    schema: {
      tags,
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook endpoint',
      description: 'Its pending deliveries are dropped.',
      params: WebhookIdParams,
      response: responses({ 200: Envelope(WebhookEndpoint) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await removeEndpoint(app.db, callerOrgId(request), request.params.id, actorOf(callerPrincipal(request))) }
  })

  app.post('/v1/webhooks/:id/rotate-secret', {
    config: write,
    schema: {
      tags,
      operationId: 'rotateWebhookSecret',
      summary: "Rotate an endpoint's signing secret",
      description: 'Answers the new secret (shown only here). For 24 h the previous secret keeps signing too: `webhook-signature` carries both signatures.',
      params: WebhookIdParams,
      response: responses({ 200: Envelope(WebhookEndpointWithSecret) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await rotateSecret(app.db, app.secrets, callerOrgId(request), request.params.id, actorOf(callerPrincipal(request))) }
  })

  app.get('/v1/webhooks/:id/deliveries', {
    config: read,
    schema: {
      tags,
      operationId: 'listWebhookDeliveries',
      summary: "An endpoint's delivery attempts",
      description: 'Newest first (cursor paging): every attempt to send an event to the endpoint — the event, the status code, the duration, ' +
        'the error and, after a failure, when the delivery is tried again. Attempts are kept 30 days. `delivery_id` is what `…/retry` takes.',
      params: WebhookIdParams,
      querystring: AttemptListQuery,
      response: responses({ 200: ListEnvelope(WebhookAttempt) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listAttempts(app.db, callerOrgId(request), request.params.id, request.query) }
  })

  app.post('/v1/webhooks/:id/deliveries/:deliveryId/retry', {
    config: write,
    schema: {
      tags,
      operationId: 'retryWebhookDelivery',
      summary: 'Send a delivery again',
      description: 'The delivery becomes due now (a failed one too); 409 while an attempt of it is running.',
      params: DeliveryParams,
      response: responses({ 202: Envelope(WebhookDelivery) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'])
    }
  }, async (request, reply) => {
    return await reply.code(202).send({ success: true, data: await retryDelivery(app.db, callerOrgId(request), request.params.id, request.params.deliveryId) })
  })
}
