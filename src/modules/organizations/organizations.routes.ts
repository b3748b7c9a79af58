import { callerPrincipal } from '../../http/auth.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { actorOf } from '../api-keys/api-keys.service.js'
import {
  ApiKey, CallerOrganization, CreateApiKeyBody, CreateDomainBody, CreateOrganizationBody, CreatePhoneNumberBody, Domain, IdParams,
  IssuedApiKey, ListOrganizationsQuery, Organization, OrganizationDetails, OrgDomainParams, OrgIdParams, OrgPhoneNumberParams, PhoneNumber
} from './organizations.schemas.js'
import {
  createOrganization, createOrgApiKey, deleteSender, getCallerOrganization, getOrganizationDetails, listOrganizations, listOrgApiKeys,
  listOrgDomains, listOrgPhoneNumbers, registerDomain, registerPhoneNumber, revokeApiKey
} from './organizations.service.js'

const tags = ['Platform administration']
const config = { scope: 'platform:admin' as const }

/** Platform staff set up organizations, their keys, numbers and domains. */
export async function organizationRoutes (app: App): Promise<void> {
  app.post('/v1/admin/orgs', {
    config,
    schema: { tags, operationId: 'createOrganization', summary: 'Create an organization', body: CreateOrganizationBody, response: responses({ 201: Envelope(Organization) }, ['VALIDATION_FAILED'], { body: true }) }
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
      response: responses({ 201: Envelope(IssuedApiKey) }, ['NOT_FOUND', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const key = await createOrgApiKey(app.db, request.params.org_id, request.body.role, request.body.label ?? null, actorOf(callerPrincipal(request)))
    return await reply.code(201).send({ success: true, data: key })
  })

  app.delete('/v1/admin/api-keys/:id', {
    config,
    schema: { tags, operationId: 'revokeApiKey', summary: 'Revoke an API key', description: 'The key stops working at once. Revoking twice is harmless.', params: IdParams, response: responses({ 200: Envelope(ApiKey) }, ['NOT_FOUND', 'VALIDATION_FAILED']) }
  }, async (request) => {
    const key = await revokeApiKey(app.db, request.params.id, actorOf(callerPrincipal(request)))
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
      response: responses({ 201: Envelope(PhoneNumber) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const data = await registerPhoneNumber(app.db, request.params.org_id, request.body.number, actorOf(callerPrincipal(request)))
    return await reply.code(201).send({ success: true, data })
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
      response: responses({ 201: Envelope(Domain) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const data = await registerDomain(app.db, request.params.org_id, request.body.name, actorOf(callerPrincipal(request)))
    return await reply.code(201).send({ success: true, data })
  })

  app.get('/v1/admin/orgs', {
    config,
    schema: {
      tags,
      operationId: 'listOrganizations',
      summary: 'List organizations',
      description: 'Newest first by (created_at, id); `name` keeps those whose name starts with it (any case).',
      querystring: ListOrganizationsQuery,
      response: responses({ 200: ListEnvelope(Organization) }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listOrganizations(app.db, request.query) }
  })

  app.get('/v1/admin/orgs/:org_id', {
    config,
    schema: {
      tags,
      operationId: 'getOrganization',
      summary: 'Get an organization',
      description: 'With the phone numbers and domains it sends from.',
      params: OrgIdParams,
      response: responses({ 200: Envelope(OrganizationDetails) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await getOrganizationDetails(app.db, request.params.org_id) }
  })

  app.get('/v1/admin/orgs/:org_id/api-keys', {
    config,
    schema: {
      tags,
      operationId: 'listOrganizationApiKeys',
      summary: "List an organization's API keys",
      description: 'Every key, revoked ones included, newest first: prefix, role, label, scopes, when created, last used (to the minute) and revoked. Never the secret.',
      params: OrgIdParams,
      response: responses({ 200: ListEnvelope(ApiKey) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listOrgApiKeys(app.db, request.params.org_id) }
  })

  app.get('/v1/admin/orgs/:org_id/phone-numbers', {
    config,
    schema: {
      tags,
      operationId: 'listOrganizationPhoneNumbers',
      summary: "List an organization's phone numbers",
      params: OrgIdParams,
      response: responses({ 200: ListEnvelope(PhoneNumber) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listOrgPhoneNumbers(app.db, request.params.org_id) }
  })

  app.get('/v1/admin/orgs/:org_id/domains', {
    config,
    schema: {
      tags,
      operationId: 'listOrganizationDomains',
      summary: "List an organization's domains",
      params: OrgIdParams,
      response: responses({ 200: ListEnvelope(Domain) }, ['NOT_FOUND', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listOrgDomains(app.db, request.params.org_id) }
  })

  const deleteDescription = (what: string) => `Refused with 409 while complaints, suppressions, campaigns or intake records name the ${what}: ` +
    `they are the compliance record, and a cascade would silently lift opt-outs and erase complaint history. Another organization's ${what} is 404.`

  app.delete('/v1/admin/orgs/:org_id/phone-numbers/:id', {
    config,
    schema: {
      tags,
      operationId: 'deleteOrganizationPhoneNumber',
      summary: 'Delete a phone number',
      description: deleteDescription('number'),
      params: OrgPhoneNumberParams,
      response: responses({ 200: Envelope(PhoneNumber) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const { org_id: orgId, id } = request.params
    return { success: true as const, data: await deleteSender(app.db, orgId, { phoneNumberId: id }, actorOf(callerPrincipal(request))) }
  })

  app.delete('/v1/admin/orgs/:org_id/domains/:id', {
    config,
    schema: {
      tags,
      operationId: 'deleteOrganizationDomain',
      summary: 'Delete a domain',
      description: deleteDescription('domain'),
      params: OrgDomainParams,
      response: responses({ 200: Envelope(Domain) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    const { org_id: orgId, id } = request.params
    return { success: true as const, data: await deleteSender(app.db, orgId, { domainId: id }, actorOf(callerPrincipal(request))) }
  })
}

/** The caller's own organization (customer keys). */
export async function callerOrganizationRoutes (app: App): Promise<void> {
  app.get('/v1/org', {
    config: { scope: 'org:read' },
    schema: {
      tags: ['Organization'],
      operationId: 'getCallerOrganization',
      summary: "The caller's organization",
      description: 'The organization of the key, its phone numbers and domains, and the key\'s prefix, role and scopes: what a console shows after sign-in.',
      response: responses({ 200: Envelope(CallerOrganization) })
    }
  }, async (request) => {
    return { success: true as const, data: await getCallerOrganization(app.db, callerPrincipal(request)) }
  })
}
