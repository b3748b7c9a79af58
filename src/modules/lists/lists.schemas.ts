import { Type } from 'typebox'
import { Nullable, PageQuery, Timestamp, Uuid } from '../../http/schemas.js'

const ExternalId = Type.String({ minLength: 1, maxLength: 100, description: "The id the customer's previous system used (e.g. WhatCounts' numeric list id); unique per organization", example: '1561' })

export const List = Type.Object({
  id: Uuid,
  org_id: Uuid,
  name: Type.String(),
  external_id: Nullable(ExternalId),
  created_at: Timestamp,
  updated_at: Timestamp
}, { title: 'List' })

export const CreateListBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, example: 'Newsletter' }),
  external_id: Type.Optional(ExternalId)
}, { title: 'NewList', additionalProperties: false })

export const ListIdParams = Type.Object({ id: Uuid })

export const PageOnlyQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

const ProfileField = (description: string) => Type.Optional(Nullable(Type.String({ maxLength: 255, description: `${description}; null clears it, omitted keeps it` })))

export const ContactInput = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 254, description: "The contact's key (lower-cased); email or phone is required", example: 'jane@example.net' })),
  phone: Type.Optional(Type.String({ maxLength: 40, description: 'A profile field many contacts may share; the key only of a contact without an email. Any common form (US numbers may omit +1): matched as E.164, displayed as given', example: '(206) 555 1212' })),
  first_name: ProfileField('First name'),
  last_name: ProfileField('Last name'),
  company: ProfileField('Company'),
  address1: ProfileField('Address, first line'),
  address2: ProfileField('Address, second line'),
  city: ProfileField('City'),
  state: ProfileField('State or region'),
  zip: ProfileField('Postal code'),
  country: ProfileField('Country'),
  fax: ProfileField('Fax number')
}, { title: 'ContactInput', additionalProperties: false })

export const UpsertContactsBody = Type.Object({
  contacts: Type.Array(ContactInput, { minItems: 1, maxItems: 1000 })
}, { additionalProperties: false })

export const Contact = Type.Object({
  id: Uuid,
  subscriber_id: Type.Integer({ description: "Stable numeric id (WhatCounts' subscriberId)", example: 7160984 }),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: 'E.164 (what complaints are matched on)', example: '+12065551212' })),
  phone_display: Nullable(Type.String({ description: 'The phone as given, for display (E.164 for contacts stored before it was kept)', example: '(206) 555 1212' })),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  company: Nullable(Type.String()),
  address1: Nullable(Type.String()),
  address2: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  zip: Nullable(Type.String()),
  country: Nullable(Type.String()),
  fax: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp
}, { title: 'Contact' })

export const ListContact = Type.Object({
  ...Contact.properties,
  added_at: Type.Unsafe<string>({ ...Timestamp, description: 'When the contact joined this list' })
}, { title: 'ListContact' })

export const UpsertContactsResult = Type.Object({
  created: Type.Integer({ description: 'Contacts created by this call' }),
  updated: Type.Integer({ description: 'Existing contacts updated by this call' }),
  contacts: Type.Array(Contact, { description: 'One per entry, in the order sent (entries naming the same contact repeat it)' })
}, { title: 'ContactUpsertResult' })
