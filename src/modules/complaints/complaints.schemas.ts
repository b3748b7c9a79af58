import { Type } from 'typebox'
import { Channel, COMPLAINT_STATUSES, ComplaintCategory, ComplaintSource, ComplaintStatus, ReplyKind } from '../../domain.js'
import { Nullable, PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

export const Complaint = Type.Object({
  id: Uuid,
  org_id: Uuid,
  status: ComplaintStatus,
  category: ComplaintCategory,
  source: ComplaintSource,
  channel: Channel,
  reporter_number: Nullable(Type.String({ description: 'E.164', example: '+14155550123' })),
  reporter_email: Nullable(Type.String({ example: 'jane@example.net' })),
  phone_number_id: Nullable(Uuid),
  domain_id: Nullable(Uuid),
  campaign_id: Nullable(Uuid),
  list_id: Nullable(Uuid),
  outbound_message_id: Nullable(Uuid),
  inbound_message_id: Nullable(Type.String({ description: "The provider's id of the reply that filed it" })),
  excerpt: Nullable(Type.String({ description: 'What the reporter said or was sent, cut to 500 characters' })),
  feedback_type: Nullable(Type.String({ description: 'ARF Feedback-Type of email reports' })),
  resolution_note: Nullable(Type.String()),
  resolved_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp
}, { title: 'Complaint' })

/** Filters the inbox searches by: who complained and when (the console's search and date range). */
const SearchFilters = {
  reporter: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 254,
    description: 'The reporter, exactly: an email address or a phone number in any typed form (normalized before matching)',
    example: '(415) 555-0123'
  })),
  created_after: Type.Optional(Type.String({ format: 'date-time', description: 'Complaints received at or after this time' })),
  created_before: Type.Optional(Type.String({ format: 'date-time', description: 'Complaints received before this time' }))
}

export const ListComplaintsQuery = Type.Object({
  ...PageQuery,
  ...SearchFilters,
  status: Type.Optional(ComplaintStatus),
  category: Type.Optional(ComplaintCategory),
  source: Type.Optional(ComplaintSource),
  channel: Type.Optional(Channel),
  campaign_id: Type.Optional(Uuid),
  phone_number_id: Type.Optional(Uuid),
  domain_id: Type.Optional(Uuid)
}, { additionalProperties: false })

export const ComplaintCountsQuery = Type.Object(SearchFilters, { additionalProperties: false })

export const ComplaintCounts = Type.Object({
  new: Type.Integer(),
  in_triage: Type.Integer(),
  resolved_recent: Type.Integer({ description: 'Resolved within the last `resolved_window_days`' }),
  resolved_window_days: Type.Integer({ example: 30 })
}, { title: 'ComplaintCounts' })

export const ComplaintIdParams = Type.Object({ id: Uuid })

export const UpdateComplaintBody = Type.Object({
  status: Type.Optional(StringEnum(COMPLAINT_STATUSES, { description: 'Omitted: unchanged (the PATCH only updates the note); status or resolution_note is required' })),
  resolution_note: Type.Optional(Type.String({ maxLength: 2000, description: 'Omitted: unchanged. "": cleared. Otherwise stored (1..2000 characters).' }))
}, { title: 'ComplaintUpdate', additionalProperties: false })

/** What the reply classifier decided about an SMS reply, and why. */
export const ReplyClassification = Type.Object({
  kind: ReplyKind,
  keyword: Nullable(Type.String({ description: 'The keyword that decided the kind, upper case; null for a decision in other words', example: 'STOP' })),
  category: Nullable(ComplaintCategory),
  reason: Type.String({ description: 'The rule or phrase that fired, then what set the category', example: 'phrase "nao quero mais" (pt); category unwanted_contact' }),
  language: Nullable(Type.String({ description: 'The language detected (ISO 639-1), null when nothing tells', example: 'pt' }))
}, { title: 'Classification', description: 'What the reply classifier decided about an SMS reply, and why' })

export const ComplaintEvent = Type.Object({
  id: Uuid,
  complaint_id: Uuid,
  type: StringEnum(['created', 'status_changed', 'note_changed']),
  from_status: Nullable(ComplaintStatus),
  to_status: Nullable(ComplaintStatus),
  resolution_note: Nullable(Type.String()),
  actor: Type.Object({ kind: StringEnum(['customer', 'platform', 'system']), label: Type.String() }),
  // On the `created` event of a complaint filed from an SMS reply; null otherwise.
  classification: Type.Union([ReplyClassification, Type.Null()]),
  created_at: Timestamp
}, { title: 'ComplaintEvent' })

export const BulkUpdateComplaintsBody = Type.Object({
  ids: Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'The complaints to change, at most 100' }),
  status: ComplaintStatus,
  resolution_note: UpdateComplaintBody.properties.resolution_note
}, { additionalProperties: false })

export const FileComplaintBody = Type.Object({
  org_id: Uuid,
  category: ComplaintCategory,
  channel: Channel,
  reporter_number: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Required for sms' })),
  reporter_email: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'Required for email' })),
  phone_number_id: Type.Optional(Uuid),
  domain_id: Type.Optional(Uuid),
  campaign_id: Type.Optional(Uuid),
  outbound_message_id: Type.Optional(Uuid),
  excerpt: Type.Optional(Type.String({ maxLength: 2000 }))
}, { title: 'NewComplaint', additionalProperties: false })
