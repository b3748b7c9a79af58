import { Envelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { revokeKey } from '../api-keys/api-keys.service.js'
import { notFound } from '../../errors.js'
import {
  ApiKey, CreateApiKeyBody, CreateDomainBody, CreateOrganizationBody, CreatePhoneNumberBody, Domain, IdParams,
  IssuedApiKey, Organization, OrgIdParams, PhoneNumber
} from './organizations.schemas.js'
import { createOrganization, createOrgApiKey, registerDomain, registerPhoneNumber } from './organizations.service.js'

const tags = ['Platform administration']
const config = { scope: 'platform:admin' as const }

/** Platform staff set up organizations, their keys, numbers and domains. */
export async function organizationRoutes (app: App): Promise<void> {
  app.post('/v1/admin/orgs', {
    config,
    schema: { tags, operationId: 'createOrganization', summary: 'Create an organization', body: CreateOrganizationBody, response: responses({ 201: Envelope(Organization) }, [422], { body: true }) }
  }, async (request, reply) => {
    return await reply.code(201).send({ success: true, data: await createOrganization(app.db, request.body.name) })
  })

  app.post('/v1/admin/orgs/:org_id/api-keys', {
    config,
    schema: {
      tags,
      operationId: 'createApiKey',
      summary: 'Issue a customer API key',
      description: 'The plaintext key is returned once, in this response; only its hash is stored.',
      params: OrgIdParams,
      body: CreateApiKeyBody,
      response: responses({ 201: Envelope(IssuedApiKey) }, [404, 422], { body: true })
    }
  }, async (request, reply) => {
    const key = await createOrgApiKey(app.db, request.params.org_id, request.body.role, request.body.label ?? null)
    return await reply.code(201).send({ success: true, data: key })
  })

  app.delete('/v1/admin/api-keys/:id', {
    config,
    schema: { tags, operationId: 'revokeApiKey', summary: 'Revoke an API key', description: 'The key stops working at once. Revoking twice is harmless.', params: IdParams, response: responses({ 200: Envelope(ApiKey) }, [404, 422]) }
  }, async (request) => {
    const key = await revokeKey(app.db, request.params.id)
    if (key === undefined) throw notFound()
    app.keys.forget(key.id)
    return { success: true as const, data: key }
  })

  app.post('/v1/admin/orgs/:org_id/phone-numbers', {
    config,
    schema: {
      tags,
      operationId: 'registerPhoneNumber',
      summary: 'Register a phone number',
      description: 'A number belongs to at most one organization (409 otherwise).',
      params: OrgIdParams,
      body: CreatePhoneNumberBody,
      response: responses({ 201: Envelope(PhoneNumber) }, [404, 409, 422], { body: true })
    }
  }, async (request, reply) => {
    return await reply.code(201).send({ success: true, data: await registerPhoneNumber(app.db, request.params.org_id, request.body.number) })
  })

  app.post('/v1/admin/orgs/:org_id/domains', {
    config,
    schema: {
      tags,
      operationId: 'registerDomain',
      summary: 'Register a sending domain',
      description: 'A domain belongs to at most one organization (409 otherwise).',
      params: OrgIdParams,
      body: CreateDomainBody,
      response: responses({ 201: Envelope(Domain) }, [404, 409, 422], { body: true })
    }
  }, async (request, reply) => {
    return await reply.code(201).send({ success: true, data: await registerDomain(app.db, request.params.org_id, request.body.name) })
  })
}
