import { type Insertable, sql, type Updateable } from 'kysely'
import type { Database, Transaction } from '../../db/database.js'
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow, WebhookEndpointsTable } from '../../db/schema.js'
import type { Cursor } from '../../lib/cursor.js'

/** Webhook endpoints and their outbox (the rows themselves are written by triggers, see 2026_12_07_20). */

export async function insertEndpoint (db: Database, row: Insertable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return await db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function findEndpoint (db: Database, orgId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
}

/**
 * The endpoint, locked until the caller's transaction ends. NO KEY UPDATE: the outbox rows
 * that triggers insert meanwhile (their foreign key takes KEY SHARE) are not held up.
 */
export async function lockEndpoint (db: Transaction, orgId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).forNoKeyUpdate().executeTakeFirst()
}

export async function countEndpoints (db: Database, orgId: string): Promise<number> {
  const row = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Locks the organization's endpoints (so two creations cannot both pass the limit) and counts them. */
export async function lockAndCountEndpoints (db: Transaction, orgId: string): Promise<number> {
  await db.selectFrom('organizations').select('id').where('id', '=', orgId).forNoKeyUpdate().execute()
  return await countEndpoints(db, orgId)
}

export async function selectEndpointPage (db: Database, orgId: string, after: Cursor | null, limit: number): Promise<WebhookEndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId)
  if (after !== null) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

export async function updateEndpoint (db: Database, orgId: string, id: string, changes: Updateable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
  return await db.updateTable('webhook_endpoints').set(changes).where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function deleteEndpoint (db: Database, orgId: string, id: string): Promise<WebhookEndpointRow | undefined> {
  return await db.deleteFrom('webhook_endpoints').where('org_id', '=', orgId).where('id', '=', id).returningAll().executeTakeFirst()
}

/** An endpoint's attempts, newest first. */
export async function selectAttemptPage (db: Database, orgId: string, endpointId: string, after: Cursor | null, limit: number): Promise<WebhookAttemptRow[]> {
  let query = db.selectFrom('webhook_attempts').selectAll().where('org_id', '=', orgId).where('endpoint_id', '=', endpointId)
  if (after !== null) query = query.where((eb) => eb(eb.refTuple('attempted_at', 'id'), '<', eb.tuple(after.createdAt, after.id)))
  return await query.orderBy('attempted_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

export async function countAttempts (db: Database, orgId: string, endpointId: string): Promise<number> {
  const row = await db.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('endpoint_id', '=', endpointId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Deletes up to `limit` attempts made before `before` (oldest first); returns how many went. */
export async function pruneAttempts (db: Database, before: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM webhook_attempts WHERE (org_id, id) IN (
      SELECT org_id, id FROM webhook_attempts WHERE attempted_at < ${before} ORDER BY attempted_at LIMIT ${limit}
    )`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export async function findDelivery (db: Database, orgId: string, endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  return await db.selectFrom('webhook_deliveries').selectAll()
    .where('org_id', '=', orgId).where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst()
}

/** Makes a delivery due now, unless an attempt of it is running (then undefined). */
export async function requeueDelivery (db: Database, orgId: string, endpointId: string, id: string, now: Date): Promise<WebhookDeliveryRow | undefined> {
  return await db.updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: now })
    .where('org_id', '=', orgId).where('endpoint_id', '=', endpointId).where('id', '=', id)
    .where((eb) => eb.or([eb('lease_token', 'is', null), eb('next_attempt_at', '<=', now)]))
    .returningAll().executeTakeFirst()
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints: `FOR UPDATE SKIP LOCKED`, so
 * several processes claiming at once take different rows, and each claimed row's
 * `next_attempt_at` moves to the end of its lease, so nobody else takes it while it is
 * sent, and it comes due again if the claimer dies.
 */
export async function claimDueDeliveries (db: Database, now: Date, leaseEnd: Date, token: string, limit: number): Promise<WebhookDeliveryRow[]> {
  const result = await sql<WebhookDeliveryRow>`
    UPDATE webhook_deliveries d SET next_attempt_at = ${leaseEnd}, lease_token = ${token}::uuid, attempts = d.attempts + 1
    FROM (
      SELECT w.org_id, w.id FROM webhook_deliveries w
      WHERE w.state = 'pending' AND w.next_attempt_at <= ${now}
        AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.org_id = w.org_id AND e.id = w.endpoint_id AND e.enabled)
      ORDER BY w.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF w SKIP LOCKED
    ) due
    WHERE d.org_id = due.org_id AND d.id = due.id
    RETURNING d.*`.execute(db)
  return result.rows
}

/** The endpoints of these deliveries, in one statement. */
export async function findEndpointsOf (db: Database, deliveries: Array<Pick<WebhookDeliveryRow, 'org_id' | 'endpoint_id'>>): Promise<WebhookEndpointRow[]> {
  if (deliveries.length === 0) return []
  const result = await sql<WebhookEndpointRow>`
    SELECT * FROM webhook_endpoints
    WHERE (org_id, id) IN (SELECT * FROM unnest(${deliveries.map((row) => row.org_id)}::uuid[], ${deliveries.map((row) => row.endpoint_id)}::uuid[]))`.execute(db)
  return result.rows
}

/** One attempt's outcome, as the worker records it (the delivery row and an attempts row). */
export interface AttemptOutcome {
  orgId: string
  /** The delivery's id */
  id: string
  /** The claim it was sent under: recorded only while the delivery is still that claim's */
  token: string
  /** The attempts row's id */
  attemptId: string
  attemptedAt: Date
  statusCode: number | null
  durationMs: number
  error: string | null
}

/**
 * Records successful attempts in one statement: the deliveries (those still held by the
 * claim each was sent under) become `succeeded` and each gets its attempts row.
 */
export async function recordSuccesses (db: Database, successes: AttemptOutcome[]): Promise<void> {
  if (successes.length === 0) return
  await sql`
    WITH t AS (
      SELECT * FROM unnest(${successes.map((row) => row.orgId)}::uuid[], ${successes.map((row) => row.id)}::uuid[],
        ${successes.map((row) => row.token)}::uuid[], ${successes.map((row) => row.attemptId)}::uuid[],
        ${successes.map((row) => row.attemptedAt.toISOString())}::timestamptz[], ${successes.map((row) => row.statusCode)}::integer[],
        ${successes.map((row) => row.durationMs)}::integer[])
        AS t (org_id, id, token, attempt_id, attempted_at, status_code, duration_ms)
    ), done AS (
      UPDATE webhook_deliveries d SET state = 'succeeded', lease_token = NULL, last_attempt_at = t.attempted_at,
        last_status_code = t.status_code, last_duration_ms = t.duration_ms, last_error = NULL
      FROM t
      WHERE d.org_id = t.org_id AND d.id = t.id AND d.lease_token = t.token
      RETURNING d.org_id, d.id, d.endpoint_id, d.event_id, d.event_type, d.attempts, t.attempt_id, t.attempted_at, t.status_code, t.duration_ms
    )
    INSERT INTO webhook_attempts (org_id, id, endpoint_id, delivery_id, event_id, event_type, attempt, attempted_at, status_code, duration_ms, error, next_retry_at)
    SELECT org_id, attempt_id, endpoint_id, id, event_id, event_type, attempts, attempted_at, status_code, duration_ms, NULL, NULL FROM done`.execute(db)
}

/**
 * After a failed attempt, the endpoint's other queued deliveries wait until `until` too: a
 * failing endpoint is probed by its next due delivery instead of taking every attempt of
 * its backlog (a 150,000-row import's) and the worker's time with it. Deliveries in flight
 * elsewhere (an unexpired lease) are left alone. Only those due before halfway to `until`
 * move: the many failures of one endpoint's sends in flight, each with its own jittered
 * retry time, rewrite its queue once rather than once each.
 */
export async function deferEndpointQueue (db: Database, endpoint: Pick<WebhookEndpointRow, 'org_id' | 'id'>, now: Date, until: Date): Promise<void> {
  const halfway = new Date(now.getTime() + (until.getTime() - now.getTime()) / 2)
  await db.updateTable('webhook_deliveries').set({ next_attempt_at: until })
    .where('org_id', '=', endpoint.org_id).where('endpoint_id', '=', endpoint.id).where('state', '=', 'pending')
    .where('next_attempt_at', '<', halfway)
    .where((eb) => eb.or([eb('lease_token', 'is', null), eb('next_attempt_at', '<', now)]))
    .execute()
}

/** When a disabled endpoint's pending deliveries are due: never, until it is enabled again. */
const PARKED = new Date('9999-12-31T00:00:00.000Z')

/**
 * A disabled endpoint's pending deliveries leave the due range, so the claim does not walk
 * past them (a large backlog) on every poll; `resumeEndpointQueue` brings them back.
 */
export async function parkEndpointQueue (db: Database, endpoint: Pick<WebhookEndpointRow, 'org_id' | 'id'>): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ next_attempt_at: PARKED })
    .where('org_id', '=', endpoint.org_id).where('endpoint_id', '=', endpoint.id).where('state', '=', 'pending').where('lease_token', 'is', null)
    .execute()
}

/** An enabled endpoint's parked deliveries are due now. */
export async function resumeEndpointQueue (db: Database, endpoint: Pick<WebhookEndpointRow, 'org_id' | 'id'>, now: Date): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ next_attempt_at: now })
    .where('org_id', '=', endpoint.org_id).where('endpoint_id', '=', endpoint.id).where('state', '=', 'pending')
    .where('next_attempt_at', '=', PARKED)
    .execute()
}

/**
 * A failed attempt, in the caller's transaction: the delivery is due again at `nextRetryAt`
 * (pending) or, when null, given up (failed); its attempts row is written in the same
 * statement. Applied only while the delivery is still held by the claim it was sent under; returns whether it was.
 */
export async function recordFailure (trx: Transaction, outcome: AttemptOutcome, nextRetryAt: Date | null): Promise<boolean> {
  const result = await sql<{ id: string }>`
    WITH done AS (
      UPDATE webhook_deliveries SET lease_token = NULL, state = ${nextRetryAt === null ? 'failed' : 'pending'},
        next_attempt_at = coalesce(${nextRetryAt}::timestamptz, next_attempt_at), last_attempt_at = ${outcome.attemptedAt},
        last_status_code = ${outcome.statusCode}::integer, last_duration_ms = ${outcome.durationMs}::integer, last_error = ${outcome.error}
      WHERE org_id = ${outcome.orgId}::uuid AND id = ${outcome.id}::uuid AND lease_token = ${outcome.token}::uuid
      RETURNING org_id, id, endpoint_id, event_id, event_type, attempts
    )
    INSERT INTO webhook_attempts (org_id, id, endpoint_id, delivery_id, event_id, event_type, attempt, attempted_at, status_code, duration_ms, error, next_retry_at)
    SELECT org_id, ${outcome.attemptId}::uuid, endpoint_id, id, event_id, event_type, attempts, ${outcome.attemptedAt}::timestamptz,
      ${outcome.statusCode}::integer, ${outcome.durationMs}::integer, ${outcome.error}, ${nextRetryAt}::timestamptz
    FROM done
    RETURNING delivery_id AS id`.execute(trx)
  return result.rows.length > 0
}
