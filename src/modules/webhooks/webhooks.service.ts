import { createHmac, randomBytes } from 'node:crypto'
import type { Database, Transaction } from '../../db/database.js'
import type { ComplaintRow, SuppressionRow, WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema.js'
import { type Actor, SYSTEM_ACTOR, type WebhookEventType } from '../../domain.js'
import { AppError, notFound, validationFailed } from '../../errors.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { newId } from '../../lib/ids.js'
import type { SecretBox } from '../../lib/secrets.js'
import { recordChange } from '../audit/audit.service.js'
import { toComplaint } from '../complaints/complaints.service.js'
import { toSuppression } from '../suppressions/suppressions.service.js'
import {
  countAttempts, countEndpoints, deleteEndpoint, findDelivery, findEndpoint, insertEndpoint, lockAndCountEndpoints, lockEndpoint, parkEndpointQueue,
  requeueDelivery, resumeEndpointQueue, selectAttemptPage, selectEndpointPage, updateEndpoint
} from './webhooks.repository.js'
import { type TargetPolicy, targetProblem } from './webhooks.targets.js'

/** At most this many endpoints per organization. */
export const MAX_ENDPOINTS = 20

/** How long the previous secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** `whsec_` and the base64 of 24 random bytes: the Standard Webhooks secret format. */
function newSecret (): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

/** The box secrets are sealed in; without one (PostgreSQL and no OMBUDS_SECRETS_KEY) no endpoint can be made. */
function requireBox (box: SecretBox | null): SecretBox {
  if (box === null) throw new AppError('CONFLICT', 'webhook secrets cannot be stored: set OMBUDS_SECRETS_KEY (32 bytes, base64) on this server')
  return box
}

function checkUrl (url: string, policy: TargetPolicy): string {
  const problem = targetProblem(url.trim(), policy)
  if (problem !== null) throw validationFailed({ url: problem })
  return url.trim()
}

/** What the audit trail keeps of an endpoint: never its secret. */
const audited = (row: WebhookEndpointRow) => ({
  url: row.url, description: row.description, events: row.events, enabled: row.enabled, disabled_reason: row.disabled_reason
})

export interface NewEndpoint {
  url: string
  events: WebhookEventType[]
  description?: string
}

export async function createEndpoint (db: Database, box: SecretBox | null, policy: TargetPolicy, orgId: string, input: NewEndpoint, actor: Actor) {
  const url = checkUrl(input.url, policy)
  const sealer = requireBox(box)
  const id = newId()
  const secret = newSecret()
  const now = new Date()
  const row = await db.transaction().execute(async (trx) => {
    if (await lockAndCountEndpoints(trx, orgId) >= MAX_ENDPOINTS) {
      throw new AppError('CONFLICT', `an organization has at most ${MAX_ENDPOINTS} webhook endpoints`)
    }
    const created = await insertEndpoint(trx, {
      org_id: orgId,
      id,
      url,
      description: input.description ?? null,
      events: [...new Set(input.events)],
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      failing_since: null,
      secret: sealer.seal(secret, id),
      previous_secret: null,
      previous_secret_expires_at: null,
      created_at: now,
      updated_at: now
    })
    await recordChange(trx, { orgId, type: 'webhook.created', subjectType: 'webhook_endpoint', subjectId: id, after: audited(created) }, actor)
    return created
  })
  return { ...toEndpoint(row), secret }
}

export async function listEndpoints (db: Database, orgId: string, query: { cursor?: string, limit: number }) {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const [rows, total] = await Promise.all([selectEndpointPage(db, orgId, after, query.limit + 1), countEndpoints(db, orgId)])
  const { page, nextCursor } = paginate(rows, query.limit)
  return { data: page.map(toEndpoint), meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null } }
}

export async function getEndpoint (db: Database, orgId: string, id: string) {
  return toEndpoint(found(await findEndpoint(db, orgId, id)))
}

export interface EndpointChange {
  url?: string
  events?: WebhookEventType[]
  description?: string | null
  enabled?: boolean
}

/** Changes an endpoint; enabling it again clears what disabled it, and its pending deliveries resume. */
export async function changeEndpoint (db: Database, policy: TargetPolicy, orgId: string, id: string, change: EndpointChange, actor: Actor) {
  const url = change.url === undefined ? undefined : checkUrl(change.url, policy)
  return await db.transaction().execute(async (trx) => {
    const current = found(await lockEndpoint(trx, orgId, id))
    const enabled = change.enabled ?? current.enabled
    const now = new Date()
    const updated = await updateEndpoint(trx, orgId, id, {
      ...(url !== undefined ? { url } : {}),
      ...(change.events !== undefined ? { events: [...new Set(change.events)] } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(enabled !== current.enabled
        ? enabled
          ? { enabled, disabled_reason: null, disabled_at: null, failing_since: null }
          : { enabled, disabled_reason: 'manual' as const, disabled_at: now }
        : {}),
      updated_at: now
    })
    if (enabled !== current.enabled) await (enabled ? resumeEndpointQueue(trx, updated, now) : parkEndpointQueue(trx, updated))
    await recordChange(trx, {
      orgId, type: 'webhook.updated', subjectType: 'webhook_endpoint', subjectId: id, before: audited(current), after: audited(updated)
    }, actor)
    return toEndpoint(updated)
  })
}

export async function removeEndpoint (db: Database, orgId: string, id: string, actor: Actor) {
  return await db.transaction().execute(async (trx) => {
    const row = found(await deleteEndpoint(trx, orgId, id))
    await recordChange(trx, { orgId, type: 'webhook.deleted', subjectType: 'webhook_endpoint', subjectId: id, before: audited(row) }, actor)
    return toEndpoint(row)
  })
}

/** A new secret signs from now on; the previous one keeps signing alongside it for 24 h (both signatures are sent). */
export async function rotateSecret (db: Database, box: SecretBox | null, orgId: string, id: string, actor: Actor) {
  const sealer = requireBox(box)
  const secret = newSecret()
  return await db.transaction().execute(async (trx) => {
    const current = found(await lockEndpoint(trx, orgId, id))
    const now = new Date()
    const updated = await updateEndpoint(trx, orgId, id, {
      secret: sealer.seal(secret, id),
      previous_secret: current.secret,
      previous_secret_expires_at: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      updated_at: now
    })
    await recordChange(trx, {
      orgId,
      type: 'webhook.secret_rotated',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      after: { previous_secret_expires_at: updated.previous_secret_expires_at?.toISOString() ?? null }
    }, actor)
    return { ...toEndpoint(updated), secret }
  })
}

/** An endpoint's delivery attempts, newest first (cursor paging). */
export async function listAttempts (db: Database, orgId: string, endpointId: string, query: { cursor?: string, limit: number }) {
  found(await findEndpoint(db, orgId, endpointId))
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const [rows, total] = await Promise.all([
    selectAttemptPage(db, orgId, endpointId, after, query.limit + 1),
    countAttempts(db, orgId, endpointId)
  ])
  const { page, nextCursor } = paginate(rows.map((row) => ({ ...row, created_at: row.attempted_at })), query.limit)
  return {
    data: page.map(toAttempt),
    meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null }
  }
}

/** Sends a delivery again as soon as the worker gets to it (a failed one included); 409 while an attempt of it runs. */
export async function retryDelivery (db: Database, orgId: string, endpointId: string, id: string) {
  const endpoint = found(await findEndpoint(db, orgId, endpointId))
  found(await findDelivery(db, orgId, endpointId, id))
  const row = await requeueDelivery(db, orgId, endpointId, id, new Date())
  if (row === undefined) throw new AppError('CONFLICT', 'an attempt of this delivery is running')
  return toDelivery(row, endpoint.enabled)
}

function found<T> (row: T | undefined): T {
  if (row === undefined) throw notFound()
  return row
}

function toEndpoint (row: WebhookEndpointRow) {
  const rotating = row.previous_secret_expires_at !== null && row.previous_secret_expires_at.getTime() > Date.now()
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    failing_since: row.failing_since?.toISOString() ?? null,
    previous_secret_expires_at: rotating ? row.previous_secret_expires_at?.toISOString() ?? null : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
}

function toAttempt (row: WebhookAttemptRow) {
  return {
    id: row.id,
    delivery_id: row.delivery_id,
    event_id: row.event_id,
    event_type: row.event_type,
    attempt: row.attempt,
    attempted_at: row.attempted_at.toISOString(),
    succeeded: row.error === null,
    status_code: row.status_code,
    duration_ms: row.duration_ms,
    error: row.error,
    next_retry_at: row.next_retry_at?.toISOString() ?? null
  }
}

function toDelivery (row: WebhookDeliveryRow, endpointEnabled: boolean) {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    state: row.state,
    attempts: row.attempts,
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    last_status_code: row.last_status_code,
    last_duration_ms: row.last_duration_ms,
    last_error: row.last_error,
    // While an attempt runs, `next_attempt_at` holds its lease: shown as the next retry should it fail.
    // A disabled endpoint's pending deliveries have none until it is enabled.
    next_attempt_at: row.state === 'pending' && endpointEnabled ? row.next_attempt_at.toISOString() : null,
    created_at: row.created_at.toISOString()
  }
}

const dateOf = (value: unknown): Date => new Date(value as string)
const dateOrNull = (value: unknown): Date | null => value == null ? null : dateOf(value)

/** The stored row (as the trigger captured it) in the API's shape: `toComplaint` and `toSuppression`, as the routes answer. */
function resourceOf (type: WebhookEventType, stored: Record<string, unknown>): Record<string, unknown> {
  if (type === 'complaint.created' || type === 'complaint.updated') {
    return toComplaint({
      ...stored, resolved_at: dateOrNull(stored.resolved_at), created_at: dateOf(stored.created_at), updated_at: dateOf(stored.updated_at)
    } as ComplaintRow)
  }
  return toSuppression({ ...stored, created_at: dateOf(stored.created_at) } as SuppressionRow)
}

/** The body every endpoint receives: `{id, type, created_at, org_id, data}`, plus `changes` on complaint.updated. */
export function eventBody (delivery: WebhookDeliveryRow): string {
  return JSON.stringify({
    id: delivery.event_id,
    type: delivery.event_type,
    created_at: delivery.created_at.toISOString(),
    org_id: delivery.org_id,
    data: resourceOf(delivery.event_type, delivery.resource),
    ...(delivery.changes !== null ? { changes: delivery.changes } : {})
  })
}

/**
 * The Standard Webhooks headers: `webhook-signature` is `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` for every secret that signs (the current one and, within 24 h of a
 * rotation, the previous one), space-separated.
 */
export function signedHeaders (id: string, timestampSeconds: number, body: string, secrets: string[]): Record<string, string> {
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
    return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`
  })
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') }
}

/** The secrets that sign a delivery to this endpoint now. */
export function signingSecrets (box: SecretBox, endpoint: WebhookEndpointRow, now: Date): string[] {
  const secrets = [box.open(endpoint.secret, endpoint.id)]
  if (endpoint.previous_secret !== null && endpoint.previous_secret_expires_at !== null && endpoint.previous_secret_expires_at > now) {
    secrets.push(box.open(endpoint.previous_secret, endpoint.id))
  }
  return secrets
}

/**
 * The retry schedule: the n-th retry waits base × 4^(n−1), at most a quarter of the
 * window, ±20 % jitter (defaults: about 5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h,
 * then 6 h). A delivery is retried until the window (24 h) after its event has passed.
 */
export function retryDelayMs (failures: number, baseMs: number, windowMs: number, random: () => number = Math.random): number {
  const planned = Math.min(baseMs * 4 ** Math.max(0, failures - 1), windowMs / 4)
  return Math.max(1, Math.round(planned * (0.8 + 0.4 * random())))
}

/**
 * The endpoint after a failure, in the caller's transaction: failing for the whole window,
 * it is disabled (and the audit trail says so; returns true). The row is read under a lock, so failures
 * recorded at the same time disable it once.
 */
export async function endpointFailed (db: Transaction, endpoint: Pick<WebhookEndpointRow, 'org_id' | 'id'>, now: Date, windowMs: number): Promise<boolean> {
  const current = await lockEndpoint(db, endpoint.org_id, endpoint.id)
  if (current === undefined) return false
  const failingSince = current.failing_since ?? now
  const disable = current.enabled && now.getTime() - failingSince.getTime() >= windowMs
  await updateEndpoint(db, current.org_id, current.id, {
    failing_since: failingSince,
    ...(disable ? { enabled: false, disabled_reason: 'failing' as const, disabled_at: now } : {})
  })
  if (disable) {
    await recordChange(db, {
      orgId: current.org_id,
      type: 'webhook.disabled',
      subjectType: 'webhook_endpoint',
      subjectId: current.id,
      before: audited(current),
      after: { ...audited(current), enabled: false, disabled_reason: 'failing' }
    }, SYSTEM_ACTOR)
  }
  return disable
}

export async function endpointSucceeded (db: Database, endpoint: WebhookEndpointRow): Promise<void> {
  if (endpoint.failing_since !== null) await updateEndpoint(db, endpoint.org_id, endpoint.id, { failing_since: null })
}
