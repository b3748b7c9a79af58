import { Type } from 'typebox'
import { Nullable, PageQuery, Timestamp, Uuid } from '../../http/schemas.js'
import { Channel } from '../complaints/complaints.schemas.js'

const ExternalId = Type.String({ minLength: 1, maxLength: 100, description: "The campaign's id in the sending system; unique per organization", example: 'spring-sale-2026' })
const SentCount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Messages sent (delivered) so far: the denominator of complaint rates', example: 120000 })
const Name = Type.String({ minLength: 1, maxLength: 200, example: 'Spring sale' })

export const Campaign = Type.Object({
  id: Uuid,
  org_id: Uuid,
  name: Type.String(),
  channel: Channel,
  list_id: Nullable(Uuid),
  phone_number_id: Nullable(Uuid),
  domain_id: Nullable(Uuid),
  external_id: Nullable(ExternalId),
  sent_count: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp
}, { title: 'Campaign' })

export const CreateCampaignBody = Type.Object({
  name: Name,
  channel: Channel,
  list_id: Type.Optional(Uuid),
  phone_number_id: Type.Optional(Type.Unsafe<string>({ ...Uuid, description: 'The sending number (sms campaigns)' })),
  domain_id: Type.Optional(Type.Unsafe<string>({ ...Uuid, description: 'The sending domain (email campaigns)' })),
  external_id: Type.Optional(ExternalId),
  sent_count: Type.Optional(SentCount)
}, { title: 'NewCampaign', additionalProperties: false })

export const UpdateCampaignBody = Type.Object({
  name: Type.Optional(Name),
  list_id: Type.Optional(Nullable(Uuid)),
  phone_number_id: Type.Optional(Nullable(Uuid)),
  domain_id: Type.Optional(Nullable(Uuid)),
  external_id: Type.Optional(Nullable(ExternalId)),
  sent_count: Type.Optional(SentCount)
}, { title: 'CampaignUpdate', additionalProperties: false, minProperties: 1 })

export const CampaignIdParams = Type.Object({ id: Uuid })

export const ListCampaignsQuery = Type.Object({
  ...PageQuery,
  channel: Type.Optional(Channel),
  list_id: Type.Optional(Uuid)
}, { additionalProperties: false })
