import { Type } from 'typebox'
import { Nullable, PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { Channel } from '../complaints/complaints.schemas.js'

export const SUPPRESSION_SCOPES = ['org', 'phone_number', 'domain'] as const
export const SUPPRESSION_REASONS = ['opt_out', 'complaint', 'manual', 'import', 'unsubscribe'] as const

export const SuppressionScope = StringEnum(SUPPRESSION_SCOPES)
export const SuppressionReason = StringEnum(SUPPRESSION_REASONS)

const Address = Type.String({ minLength: 1, maxLength: 320, description: 'A phone number (sms) or an email address (email)', example: '+14155550123' })

export const Suppression = Type.Object({
  id: Uuid,
  org_id: Uuid,
  channel: Channel,
  address: Type.String({ description: 'E.164 for sms, lower-cased for email', example: '+14155550123' }),
  scope: SuppressionScope,
  phone_number_id: Nullable(Uuid),
  domain_id: Nullable(Uuid),
  reason: SuppressionReason,
  complaint_id: Nullable(Uuid),
  created_at: Timestamp
}, { title: 'Suppression' })

export const ListSuppressionsQuery = Type.Object({
  ...PageQuery,
  channel: Type.Optional(Channel),
  reason: Type.Optional(SuppressionReason),
  phone_number_id: Type.Optional(Uuid),
  domain_id: Type.Optional(Uuid),
  scope: Type.Optional(SuppressionScope),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'One address, normalized like stored ones (channel from `channel`, else email when it has an @)' }))
}, { additionalProperties: false })

export const SuppressionEntry = Type.Object({
  channel: Channel,
  address: Address,
  phone_number_id: Type.Optional(Uuid),
  domain_id: Type.Optional(Uuid)
}, { title: 'NewSuppression', additionalProperties: false })

export const CreateSuppressionsBody = Type.Object({
  suppressions: Type.Array(SuppressionEntry, { minItems: 1, maxItems: 1000 })
}, { additionalProperties: false })

export const SuppressionIdParams = Type.Object({ id: Uuid })

export const CheckSuppressionsBody = Type.Object({
  channel: Channel,
  from: Type.String({ minLength: 1, maxLength: 320, description: "sms: one of the organization's numbers (E.164); email: one of its domains, or an address at one", example: '+14155550100' }),
  recipients: Type.Array(Type.String({ maxLength: 320 }), { maxItems: 1000, description: 'Up to 1000 phone numbers or email addresses' })
}, { title: 'SuppressionCheck', additionalProperties: false })

export const CheckResult = Type.Object({
  checked: Type.Integer({ description: 'How many recipients were checked' }),
  suppressed: Type.Array(Type.Object({
    address: Type.String({ description: 'The recipient as given in the request' }),
    reason: SuppressionReason,
    suppression_id: Uuid,
    created_at: Timestamp
  }), { description: 'The recipients that must not be sent to, in request order' })
}, { title: 'SuppressionCheckResult' })
