import { Type } from 'typebox'
import { Nullable, PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { CUSTOMER_SCOPES, PLATFORM_SCOPES, ROLES } from '../api-keys/scopes.js'

export const Organization = Type.Object({
  id: Uuid,
  name: Type.String(),
  realm_id: Type.Integer({ description: 'Numeric id of the organization (WhatCounts realm id)' }),
  created_at: Timestamp
}, { title: 'Organization' })

export const CreateOrganizationBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, example: 'Acme Messaging' })
}, { title: 'NewOrganization', additionalProperties: false })

export const OrgIdParams = Type.Object({ org_id: Uuid })
export const IdParams = Type.Object({ id: Uuid })

const AnyScope = StringEnum([...CUSTOMER_SCOPES, ...PLATFORM_SCOPES])

export const ApiKey = Type.Object({
  id: Uuid,
  org_id: Nullable(Uuid),
  label: Nullable(Type.String()),
  prefix: Type.String({ example: 'am_live_oc01' }),
  role: Nullable(StringEnum(ROLES)),
  scopes: Type.Array(AnyScope),
  created_at: Timestamp,
  last_used_at: Nullable(Timestamp),
  revoked_at: Nullable(Timestamp)
}, { title: 'ApiKey' })

export const IssuedApiKey = Type.Object({
  id: Uuid,
  org_id: Nullable(Uuid),
  label: Nullable(Type.String()),
  prefix: Type.String(),
  role: Nullable(StringEnum(ROLES)),
  scopes: Type.Array(AnyScope),
  created_at: Timestamp,
  plaintext: Type.String({ description: 'The key itself: shown only in this response', example: 'am_live_oc01abcdefghijklmnopqrstuvwxyz0123' })
}, { title: 'IssuedApiKey' })

export const CreateApiKeyBody = Type.Object({
  role: StringEnum(ROLES),
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 }))
}, { title: 'NewApiKey', additionalProperties: false })

export const PhoneNumber = Type.Object({ id: Uuid, org_id: Uuid, number: Type.String({ example: '+14155550123' }), created_at: Timestamp }, { title: 'PhoneNumber' })
export const CreatePhoneNumberBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 40, description: 'E.164', example: '+14155550123' })
}, { additionalProperties: false })

export const Domain = Type.Object({ id: Uuid, org_id: Uuid, name: Type.String({ example: 'mail.acme.example' }), created_at: Timestamp }, { title: 'Domain' })
export const CreateDomainBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 253, example: 'mail.acme.example' })
}, { additionalProperties: false })

export const ListOrganizationsQuery = Type.Object({
  ...PageQuery,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Organizations whose name starts with this (any case)' }))
}, { additionalProperties: false })

export const OrganizationDetails = Type.Object({
  ...Organization.properties,
  phone_numbers: Type.Array(PhoneNumber),
  domains: Type.Array(Domain)
}, { title: 'OrganizationDetails' })

export const CallerOrganization = Type.Object({
  ...OrganizationDetails.properties,
  key: Type.Object({
    prefix: Type.String({ example: 'am_live_oc01' }),
    role: Nullable(StringEnum(ROLES)),
    scopes: Type.Array(AnyScope)
  }, { description: 'The key this request was made with' })
}, { title: 'CallerOrganization' })

export const OrgPhoneNumberParams = Type.Object({ org_id: Uuid, id: Uuid })
export const OrgDomainParams = Type.Object({ org_id: Uuid, id: Uuid })
