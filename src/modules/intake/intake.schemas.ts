import { Type } from 'typebox'
import { ComplaintCategory, RECIPIENT_STATUSES } from '../../domain.js'
import { Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { ReplyClassification } from '../complaints/complaints.schemas.js'

const PhoneNumber = (description: string) => Type.String({ minLength: 1, maxLength: 40, description: `${description} (E.164)`, example: '+14155550123' })

/** A provider's own id of an intake item: opaque, 1..255 bytes (the service counts the bytes). */
const IntakeId = (description: string, example: string) => Type.String({ minLength: 1, maxLength: 255, description: `${description}; any string of 1 to 255 bytes`, example })

const PROVIDER_PATTERN = '^[a-z0-9][a-z0-9_.-]{0,39}$'

export const InboundMessageBody = Type.Object({
  id: IntakeId("The provider's id of the inbound message (a Twilio sid, a UUID…); a replay of the same (provider, id) returns the first answer and writes nothing", 'SM0123456789abcdef0123456789abcdef'),
  provider: Type.Optional(Type.String({ pattern: PROVIDER_PATTERN, description: 'Who assigned `id` (lower case); ids are unique per provider. Default `platform`', example: 'twilio' })),
  from: PhoneNumber('The recipient who replied'),
  to: PhoneNumber('The registered number the reply was sent to; it names the organization'),
  body: Type.String({ maxLength: 5000, description: 'The text of the reply' }),
  received_at: Type.Optional(Timestamp),
  outbound_message_id: Type.Optional(Uuid),
  campaign_id: Type.Optional(Uuid)
}, { title: 'InboundMessage', additionalProperties: false })

const Classification = ReplyClassification

export const InboundMessageAnswer = Type.Object({
  inbound_message_id: Type.String({ description: 'The id of the message, as sent' }),
  classification: Classification,
  complaint_id: Nullable(Uuid),
  suppression_id: Nullable(Type.String({ format: 'uuid', description: 'The opt-out suppression written (or already there), or for an opt-in the suppression lifted' }))
}, { title: 'InboundMessageResult' })

export const CarrierReportBody = Type.Object({
  report_id: IntakeId("The carrier's id of the report; (carrier, report_id) is the report's identity", 'TMO-7726-000123'),
  carrier: Type.String({ minLength: 1, maxLength: 100, description: 'Case-insensitive', example: 'T-Mobile' }),
  reported_at: Timestamp,
  sender_number: PhoneNumber('The registered number that sent the reported message'),
  reporter_number: PhoneNumber('The subscriber who forwarded it to 7726'),
  excerpt: Type.Optional(Type.String({ maxLength: 5000, description: 'The reported text; stored cut to 500 characters' })),
  outbound_message_id: Type.Optional(Uuid),
  campaign_id: Type.Optional(Uuid)
}, { title: 'CarrierReport', additionalProperties: false })

export const CarrierReportAnswer = Type.Object({
  report_id: Type.String(),
  carrier: Type.String({ description: 'Lower-cased' }),
  category: ComplaintCategory,
  complaint_id: Uuid,
  suppression_id: Uuid
}, { title: 'CarrierReportResult' })

export const FeedbackReportAnswer = Type.Object({
  report_id: Type.String({ description: "The report's identity: its Message-ID, or a hash of the report when it has none" }),
  format: Type.String({ description: 'What the parser recognized (ARF or the legacy Microsoft JMRP format)' }),
  feedback_type: Type.String({ example: 'abuse' }),
  domain_id: Uuid,
  recipient_status: StringEnum(RECIPIENT_STATUSES, { description: 'Only a known recipient is suppressed' }),
  complaint_id: Nullable(Type.Unsafe<string>({ ...Uuid, description: "The first recipient's complaint" })),
  suppression_id: Nullable(Type.Unsafe<string>({ ...Uuid, description: "The first recipient's suppression" })),
  complaint_ids: Type.Array(Uuid, { description: 'One complaint per recipient the report names (several in Return Path and abusix reports); one when the recipient is unknown; none when ignored' }),
  suppression_ids: Type.Array(Uuid, { description: 'One domain complaint suppression per known recipient' }),
  ignored: Nullable(Type.Object({ reason: Type.String() }, { description: 'Set when the report files nothing (not-spam, auth-failure)' }))
}, { title: 'FeedbackReportResult' })

export const RawEmail = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'One raw email (RFC 5322 bytes) as the feedback provider sent it, at most 10 MiB' })

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'Accepted like on every POST route; intake is idempotent on the item itself anyway' }))
})
