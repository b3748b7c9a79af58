import { Type } from 'typebox'
import { Nullable, PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

/** Every kind of entry of the feed. */
export const AUDIT_EVENT_TYPES = [
  'complaint.created', 'complaint.status_changed', 'complaint.note_changed',
  'suppression.created', 'suppression.deleted', 'suppression.cleared',
  'api_key.issued', 'api_key.revoked',
  'phone_number.registered', 'phone_number.deleted', 'domain.registered', 'domain.deleted',
  'webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.secret_rotated', 'webhook.disabled',
  'provider_connection.created', 'provider_connection.credentials_rotated', 'provider_connection.deleted'
] as const
export type AuditEventType = typeof AUDIT_EVENT_TYPES[number]

export const CHANGE_VIAS = ['api', 'mailgun', 'import', 'intake', 'staff', 'system', 'unsubscribe'] as const

export const AuditEvent = Type.Object({
  id: Uuid,
  type: StringEnum(AUDIT_EVENT_TYPES),
  created_at: Timestamp,
  subject: Type.Object({
    type: StringEnum(['complaint', 'suppression', 'domain', 'phone_number', 'api_key', 'webhook_endpoint', 'provider_connection'] as const),
    id: Uuid
  }),
  actor: Type.Object({
    kind: StringEnum(['customer', 'platform', 'system'] as const),
    label: Type.String({ description: 'The key\'s label, "platform staff", or the system part that acted (intake, ombuds)' }),
    key_prefix: Nullable(Type.String({ description: 'The acting key\'s prefix (recorded since webhooks and the feed exist)', example: 'am_live_oc01' })),
    role: Nullable(Type.String({ description: 'The acting customer key\'s role' }))
  }),
  via: StringEnum(CHANGE_VIAS, {
    description: 'How the change came: the native API, the Mailgun dialect, a file import, intake (replies and reports), platform staff, Ombuds itself, or a recipient\'s one-click unsubscribe link'
  }),
  before: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The state the change replaced, where it applies' })),
  after: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The state after the change, where it applies' }))
}, { title: 'AuditEvent' })

export const ListAuditEventsQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(StringEnum(AUDIT_EVENT_TYPES)),
  subject_id: Type.Optional(Uuid),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time' }))
}, { additionalProperties: false })
