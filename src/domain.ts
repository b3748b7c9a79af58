import { StringEnum } from './http/schemas.js'

/**
 * The closed vocabularies of Ombuds, each written once: the values (`as const`), the type
 * the code uses, and the TypeBox schema the API validates and documents with. The
 * database's CHECK constraints (migrations) list the same values; db/schema.ts, the
 * module schemas and the classifier import them from here.
 */

export const CHANNELS = ['sms', 'email'] as const
export type Channel = typeof CHANNELS[number]
export const Channel = StringEnum(CHANNELS)

export const COMPLAINT_STATUSES = ['new', 'triage', 'resolved'] as const
export type ComplaintStatus = typeof COMPLAINT_STATUSES[number]
export const ComplaintStatus = StringEnum(COMPLAINT_STATUSES)

export const COMPLAINT_CATEGORIES = [
  'unwanted_contact', 'phishing_fraud', 'unsolicited_marketing', 'opt_out_not_honored', 'wrong_recipient', 'content_concern', 'other'
] as const
export type ComplaintCategory = typeof COMPLAINT_CATEGORIES[number]
export const ComplaintCategory = StringEnum(COMPLAINT_CATEGORIES)

export const COMPLAINT_SOURCES = ['recipient', 'carrier', 'staff', 'feedback_loop', 'import'] as const
export type ComplaintSource = typeof COMPLAINT_SOURCES[number]
export const ComplaintSource = StringEnum(COMPLAINT_SOURCES)

/** What an SMS reply means (the classifier's verdict). */
const REPLY_KINDS = ['opt_out', 'help', 'opt_in', 'complaint', 'none'] as const
export type ReplyKind = typeof REPLY_KINDS[number]
export const ReplyKind = StringEnum(REPLY_KINDS)

/** What a feedback report says about who complained. */
export const RECIPIENT_STATUSES = ['known', 'redacted', 'hashed', 'undisclosed'] as const
export type RecipientStatus = typeof RECIPIENT_STATUSES[number]
export const RecipientStatus = StringEnum(RECIPIENT_STATUSES)

export const SUPPRESSION_SCOPES = ['org', 'phone_number', 'domain'] as const
export type SuppressionScope = typeof SUPPRESSION_SCOPES[number]
export const SuppressionScope = StringEnum(SUPPRESSION_SCOPES)

export const SUPPRESSION_REASONS = ['opt_out', 'complaint', 'manual', 'import', 'unsubscribe'] as const
export type SuppressionReason = typeof SUPPRESSION_REASONS[number]
export const SuppressionReason = StringEnum(SUPPRESSION_REASONS)

/** What a webhook endpoint can subscribe to. */
const WEBHOOK_EVENT_TYPES = ['complaint.created', 'complaint.updated', 'suppression.created', 'suppression.deleted'] as const
export type WebhookEventType = typeof WEBHOOK_EVENT_TYPES[number]
export const WebhookEventType = StringEnum(WEBHOOK_EVENT_TYPES)

export type ActorKind = 'customer' | 'platform' | 'system'

/** Who made a change, as every event table records it. */
export interface Actor {
  kind: ActorKind
  label: string
  /** The calling key's prefix and role (customer and platform keys). */
  keyPrefix?: string | null
  role?: string | null
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', label: 'ombuds' }

/** The actor as every event table stores it. */
export function actorColumns (actor: Actor) {
  return { actor_kind: actor.kind, actor_label: actor.label, actor_key_prefix: actor.keyPrefix ?? null, actor_role: actor.role ?? null }
}
