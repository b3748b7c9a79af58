import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type {
  ActorKind, Channel, ComplaintCategory, ComplaintSource, ComplaintStatus, RecipientStatus, ReplyKind, SuppressionReason, SuppressionScope, WebhookEventType
} from '../domain.js'

// The vocabularies are defined once, in src/domain.ts; the table types use them.
export type {
  ActorKind, Channel, ComplaintCategory, ComplaintSource, ComplaintStatus, RecipientStatus, SuppressionReason, SuppressionScope
}

/**
 * The Kysely view of the schema. Every tenant table leads its primary key and its
 * indexes with `org_id`, so the schema can later be distributed by organization.
 * Timestamps are `timestamptz(3)`: the store keeps exactly millisecond precision.
 */
export interface DB {
  organizations: OrganizationsTable
  api_keys: ApiKeysTable
  phone_numbers: PhoneNumbersTable
  domains: DomainsTable
  complaints: ComplaintsTable
  complaint_events: ComplaintEventsTable
  complaint_tallies: ComplaintTalliesTable
  idempotency_keys: IdempotencyKeysTable
  suppressions: SuppressionsTable
  suppression_tallies: SuppressionTalliesTable
  suppression_events: SuppressionEventsTable
  lists: ListsTable
  contacts: ContactsTable
  list_members: ListMembersTable
  campaigns: CampaignsTable
  list_complaint_days: ListComplaintDaysTable
  inbound_messages: InboundMessagesTable
  carrier_reports: CarrierReportsTable
  feedback_reports: FeedbackReportsTable
  unsubscribes: UnsubscribesTable
  provider_connections: ProviderConnectionsTable
  provider_events: ProviderEventsTable
  audit_events: AuditEventsTable
  org_keywords: OrgKeywordsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
}

type Timestamp = ColumnType<Date, Date, Date>

interface OrganizationsTable {
  id: string
  name: string
  realm_id: Generated<number>
  created_at: Timestamp
}

interface ApiKeysTable {
  id: string
  /** null for platform keys */
  org_id: string | null
  kind: 'customer' | 'platform'
  role: 'owner' | 'admin' | 'member' | null
  scopes: string[]
  label: string | null
  prefix: string
  key_hash: Buffer
  created_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

interface PhoneNumbersTable {
  org_id: string
  id: string
  number: string
  created_at: Timestamp
}

interface DomainsTable {
  org_id: string
  id: string
  name: string
  created_at: Timestamp
}

export interface ComplaintsTable {
  org_id: string
  id: string
  status: ComplaintStatus
  category: ComplaintCategory
  source: ComplaintSource
  channel: Channel
  reporter_number: string | null
  reporter_email: string | null
  phone_number_id: string | null
  domain_id: string | null
  campaign_id: string | null
  list_id: string | null
  outbound_message_id: string | null
  inbound_message_id: string | null
  excerpt: string | null
  feedback_type: string | null
  resolution_note: string | null
  resolved_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

type ComplaintEventType = 'created' | 'status_changed' | 'note_changed'

export interface ComplaintEventsTable {
  org_id: string
  id: string
  complaint_id: string
  type: ComplaintEventType
  from_status: ComplaintStatus | null
  to_status: ComplaintStatus | null
  resolution_note: string | null
  actor_kind: ActorKind
  actor_label: string
  /** The calling key's prefix and role, when a customer key acted (2026_12_01_09a) */
  actor_key_prefix: string | null
  actor_role: string | null
  created_at: Timestamp
  /** How an SMS reply was classified, on the `created` event of the complaint it filed (2026_12_01_10); written as JSON text. */
  classification: ColumnType<ReplyClassificationRecord | null, string | null | undefined, never>
}

/** The classifier's decision as stored with a complaint's history. */
export interface ReplyClassificationRecord {
  kind: ReplyKind
  keyword: string | null
  category: ComplaintCategory | null
  reason: string
  language: string | null
}

/** Exact complaint counts per (scope, status, category, source, channel), kept in the writing transaction. */
export interface ComplaintTalliesTable {
  org_id: string
  scope: 'org' | 'campaign' | 'phone_number' | 'domain'
  scope_id: string
  status: ComplaintStatus
  category: ComplaintCategory
  source: ComplaintSource
  channel: Channel
  /** one of 8 rows per key (migration 0006): concurrent filings spread their increments */
  shard: Generated<number>
  total: number
}

interface IdempotencyKeysTable {
  principal_id: string
  route: string
  key: string
  request_hash: string
  status_code: number
  response_body: string
  created_at: Timestamp
}

export interface SuppressionsTable {
  org_id: string
  id: string
  channel: Channel
  /** E.164 for sms, lower-cased for email */
  address: string
  scope: SuppressionScope
  /** org_id for org scope, else phone_number_id or domain_id */
  scope_id: string
  phone_number_id: string | null
  domain_id: string | null
  reason: SuppressionReason
  complaint_id: string | null
  created_at: Timestamp
}

/** Exact suppression counts per (scope, channel, reason), kept by triggers in the writing statement. */
interface SuppressionTalliesTable {
  org_id: string
  scope_id: string
  channel: Channel
  reason: SuppressionReason
  total: number
}

/** How a change came: the native API, the Mailgun dialect, a file import, intake (replies, reports), platform staff, Ombuds itself. */
export type ChangeVia = 'api' | 'mailgun' | 'import' | 'intake' | 'staff' | 'system' | 'unsubscribe'

/** Audit trail of suppressions added and lifted (`added` and `via` since 2026_12_01_09a). */
export interface SuppressionEventsTable {
  org_id: string
  id: string
  type: 'added' | 'removed' | 'cleared'
  suppression_id: string | null
  channel: Channel
  address: string | null
  scope: SuppressionScope
  scope_id: string
  reason: SuppressionReason | null
  removed_count: number
  actor_kind: ActorKind
  actor_label: string
  via: ChangeVia | null
  complaint_id: string | null
  actor_key_prefix: string | null
  actor_role: string | null
  created_at: Timestamp
}

/** What complaint and suppression events do not record: keys, numbers, domains, webhook endpoints (2026_12_01_09a). */
export interface AuditEventsTable {
  org_id: string
  id: string
  type: string
  subject_type: string
  subject_id: string
  actor_kind: ActorKind
  actor_label: string
  actor_key_prefix: string | null
  actor_role: string | null
  before: ColumnType<unknown, string | null, never>
  after: ColumnType<unknown, string | null, never>
  created_at: Timestamp
}

export type Organization = Selectable<OrganizationsTable>
export type ApiKeyRow = Selectable<ApiKeysTable>
export type PhoneNumberRow = Selectable<PhoneNumbersTable>
export type DomainRow = Selectable<DomainsTable>
export type ComplaintRow = Selectable<ComplaintsTable>
export type NewComplaintRow = Insertable<ComplaintsTable>
export type ComplaintEventRow = Selectable<ComplaintEventsTable>
export type SuppressionRow = Selectable<SuppressionsTable>

/** Lists, contacts and campaigns (2026_11_23_0003). */
interface ListsTable {
  org_id: string
  id: string
  name: string
  /** The customer's previous system's id (e.g. WhatCounts' list id); unique per organization */
  external_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

interface ContactsTable {
  org_id: string
  id: string
  /** Stable numeric id (WhatCounts' subscriberId); assigned by the store */
  subscriber_id: ColumnType<number, never, never>
  /** lower-cased; unique per organization: the contact's key */
  email: string | null
  /** E.164, for matching; many contacts may share it, unique only among contacts without an email (2026_12_01_07) */
  phone: string | null
  /** The phone as the customer gave it (e.g. "(206) 555 1212"), for display; null when not kept */
  phone_display: string | null
  first_name: string | null
  last_name: string | null
  company: string | null
  address1: string | null
  address2: string | null
  city: string | null
  state: string | null
  zip: string | null
  country: string | null
  fax: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

interface ListMembersTable {
  org_id: string
  list_id: string
  contact_id: string
  /** When the contact joined the list */
  created_at: Timestamp
}

export interface CampaignsTable {
  org_id: string
  id: string
  name: string
  channel: Channel
  list_id: string | null
  phone_number_id: string | null
  domain_id: string | null
  external_id: string | null
  sent_count: number
  created_at: Timestamp
  updated_at: Timestamp
}

/** Complaints per list per UTC day (yyyy-mm-dd), kept by the complaint filing statement (`complaintFilingStatement`). */
interface ListComplaintDaysTable {
  org_id: string
  list_id: string
  day: ColumnType<string, string, string>
  total: number
}

export type ListRow = Selectable<ListsTable>
export type ContactRow = Selectable<ContactsTable>
export type CampaignRow = Selectable<CampaignsTable>

/** Intake (2026_11_23_0004): what was received and the answer given; `answer` is replayed verbatim. */
type JsonAnswer = ColumnType<unknown, string, never>

export interface InboundMessagesTable {
  org_id: string
  /** Who assigned `id`: `platform` (the JSON intake route's default), `twilio`, `telnyx`… */
  provider: string
  /** The provider's message id, opaque, 1..255 bytes; (provider, id) is unique across organizations */
  id: string
  phone_number_id: string
  from_number: string
  received_at: Timestamp
  kind: ReplyKind
  keyword: string | null
  category: ComplaintCategory | null
  campaign_id: string | null
  outbound_message_id: string | null
  complaint_id: string | null
  suppression_id: string | null
  answer: JsonAnswer
  created_at: Timestamp
}

export interface CarrierReportsTable {
  org_id: string
  id: string
  /** lower-cased; (carrier, report_id) is unique across organizations */
  carrier: string
  report_id: string
  reported_at: Timestamp
  phone_number_id: string
  reporter_number: string
  campaign_id: string | null
  outbound_message_id: string | null
  complaint_id: string
  suppression_id: string | null
  answer: JsonAnswer
  created_at: Timestamp
}

export interface FeedbackReportsTable {
  org_id: string
  id: string
  /** The report's identity (its Message-ID, or a hash of it); unique across organizations */
  report_id: string
  format: string
  feedback_type: string
  user_agent: string | null
  domain_id: string
  /** Only when the mailbox provider disclosed it */
  recipient: string | null
  recipient_status: RecipientStatus
  original_message_id: string | null
  original_subject: string | null
  /** X-Campaign-Id / X-List-Id of the original, as sent (only the organization's own ids reach the complaint) */
  campaign_ref: string | null
  list_ref: string | null
  source_ip: string | null
  arrival_date: Timestamp | null
  complaint_id: string | null
  suppression_id: string | null
  answer: JsonAnswer
  created_at: Timestamp
}

export type UnsubscribeMethod = 'one_click' | 'page'

/** Where each unsubscribe came from (2026_12_01_11): one row per suppression it made or found. */
export interface UnsubscribesTable {
  org_id: string
  id: string
  suppression_id: string
  channel: 'email'
  address: string
  /** The link's sending domain (whatever the suppression's scope) */
  domain_id: string
  list_id: string | null
  campaign_id: string | null
  method: UnsubscribeMethod
  /** The key that signed the link, and when the link was built */
  key_id: string
  issued_at: Timestamp
  created_at: Timestamp
}

/** Provider connections (2026_12_01_08b): a delivery provider's webhook into one organization. */
export type ProviderName = 'twilio' | 'telnyx' | 'ses' | 'sendgrid' | 'postmark' | 'mailgun'

export interface ProviderConnectionsTable {
  org_id: string
  /** Unique across organizations: the webhook URL names only this id */
  id: string
  provider: ProviderName
  label: string
  /** The provider's verification secret as JSON, sealed (src/lib/secrets.ts) */
  credentials: Buffer
  created_at: Timestamp
  updated_at: Timestamp
}

export type ProviderConnectionRow = Selectable<ProviderConnectionsTable>

/** Every email event a connection received; (connection_id, event_id) is its identity. */
export interface ProviderEventsTable {
  org_id: string
  connection_id: string
  event_id: string
  type: string
  outcome: string
  /** Mailgun's signature token: a token seen once is refused after */
  nonce: string | null
  complaint_id: string | null
  suppression_id: string | null
  created_at: Timestamp
}

/** An organization's own reply keywords (2026_12_01_10). */
export interface OrgKeywordsTable {
  org_id: string
  id: string
  /** As the organization wrote it */
  keyword: string
  /** Normalized as replies are matched; unique per organization */
  form: string
  kind: 'opt_out' | 'opt_in' | 'help'
  created_at: Timestamp
}
/** Signed webhooks out (2026_12_07_20). */
export interface WebhookEndpointsTable {
  org_id: string
  id: string
  url: string
  description: string | null
  events: WebhookEventType[]
  enabled: boolean
  disabled_reason: 'failing' | 'manual' | null
  disabled_at: Timestamp | null
  /** The first failure since the last success; null while it succeeds */
  failing_since: Timestamp | null
  /** `whsec_…`, sealed with the row's id as context */
  secret: Buffer
  /** The secret before the last rotation, signing alongside until `previous_secret_expires_at` */
  previous_secret: Buffer | null
  previous_secret_expires_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>

type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed'

/** The outbox: one row per (event, subscribed endpoint), written by triggers in the changing statement. */
interface WebhookDeliveriesTable {
  org_id: string
  id: string
  endpoint_id: string
  event_id: string
  event_type: WebhookEventType
  /** The changed row as stored (to_jsonb), mapped to the API's shape when sent */
  resource: ColumnType<Record<string, unknown>, never, never>
  /** complaint.updated: {status?: {from, to}, resolution_note?: {from, to}} */
  changes: ColumnType<Record<string, { from: unknown, to: unknown }> | null, never, never>
  state: WebhookDeliveryState
  attempts: number
  /** When it is due; while an attempt runs, the end of its lease */
  next_attempt_at: Timestamp
  lease_token: string | null
  last_attempt_at: Timestamp | null
  last_status_code: number | null
  last_duration_ms: number | null
  last_error: string | null
  created_at: Timestamp
}

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>

/** Every attempt to send a delivery (2026_12_07_21), written with its outcome. */
interface WebhookAttemptsTable {
  org_id: string
  id: string
  endpoint_id: string
  delivery_id: string
  event_id: string
  event_type: WebhookEventType
  /** 1 for the delivery's first attempt */
  attempt: number
  attempted_at: Timestamp
  /** null when no answer came */
  status_code: number | null
  duration_ms: number
  /** null: a success */
  error: string | null
  /** After a failure, when the delivery was due again (as scheduled then); null after a success or the last failure */
  next_retry_at: Timestamp | null
}

export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>

export type OrgKeywordRow = Selectable<OrgKeywordsTable>
