import { type Insertable, type QueryCreator, sql } from 'kysely'
import type { Database } from '../../db/database.js'
import { rowColumns, rowValues } from '../../db/raw-rows.js'
import type { CarrierReportsTable, DB, FeedbackReportsTable, InboundMessagesTable } from '../../db/schema.js'
import { type ComplaintFiling, complaintFilingStatement } from '../complaints/complaints.repository.js'
import {
  deleteSuppressionReturningRow, eventsFrom, insertEventsFrom, type NewSuppression, type SuppressionChange, upsertSuppressionReturningRow
} from '../suppressions/suppressions.repository.js'

/**
 * What intake received and answered. Every item has a platform-wide identity (unique
 * index); inserting an item that is already there inserts nothing, so the caller knows it
 * lost a race and answers with the winner's row.
 */

/**
 * The hot path's one read: the answer already given to this message id (if any), the
 * registration of the number replied to (if any) and, when `fromNumber` is given, when
 * that sender's sms suppression for that number was created (null when there is none),
 * in a single round trip.
 */
export async function findInboundAnswerAndNumber (db: Database, provider: string, id: string, toNumber: string, fromNumber: string | null): Promise<{
  answer: unknown
  phone: { org_id: string, id: string } | undefined
  suppressedSince: Date | null
}> {
  const row = await db.selectNoFrom((eb) => [
    eb.selectFrom('inbound_messages').select('answer').where('provider', '=', provider).where('id', '=', id).as('answer'),
    eb.selectFrom('phone_numbers').select('org_id').where('number', '=', toNumber).as('org_id'),
    eb.selectFrom('phone_numbers').select('id').where('number', '=', toNumber).as('phone_number_id'),
    fromNumber === null
      ? sql<Date | null>`NULL::timestamptz`.as('suppressed_since')
      : eb.selectFrom('suppressions')
        .innerJoin('phone_numbers', (join) => join.onRef('phone_numbers.org_id', '=', 'suppressions.org_id').onRef('phone_numbers.id', '=', 'suppressions.scope_id'))
        .select('suppressions.created_at').where('phone_numbers.number', '=', toNumber)
        .where('suppressions.channel', '=', 'sms').where('suppressions.address', '=', fromNumber).as('suppressed_since')
  ]).executeTakeFirstOrThrow()
  const answer: unknown = row.answer ?? undefined
  return {
    answer,
    phone: row.org_id != null && row.phone_number_id != null ? { org_id: row.org_id, id: row.phone_number_id } : undefined,
    suppressedSince: row.suppressed_since == null ? null : new Date(row.suppressed_since)
  }
}

export async function findInboundAnswer (db: Database, provider: string, id: string): Promise<unknown> {
  const row = await db.selectFrom('inbound_messages').select('answer').where('provider', '=', provider).where('id', '=', id).executeTakeFirst()
  return row?.answer
}

/**
 * What a reply statement was written under, checked by the statement itself: the number's
 * registration read from the process's cache (`phone_number_id`, `org_id` of the message
 * row; a registration that is gone fails the foreign keys) and, with `noHistory`, that the
 * sender had no suppression for the number when the statement began (the text was read as
 * from a sender never opted out). When either does not hold the statement writes nothing
 * and `{ recorded: 'stale' }` says so: the caller reads the number and the history and
 * writes again.
 */
export interface ReplyAssumptions {
  /** the registration came from the cache, not from a read in this request */
  cachedNumber: boolean
  /** the sender's address (E.164) whose suppression must not exist, or null for no check */
  noHistoryOf: string | null
}

export type ReplyWrite = { recorded: false } | { recorded: 'stale' } | { recorded: true, suppressionId: string | null }

const NO_ASSUMPTIONS: ReplyAssumptions = { cachedNumber: false, noHistoryOf: null }

/** The message row of a reply, with what both write paths need of it. */
type ReplyMessage = Insertable<InboundMessagesTable> & { answer: string, org_id: string, phone_number_id: string }

/**
 * A reply that files nothing: the message row alone, or, for an opt-in, the lift of the
 * sender's opt-out suppression for the number with its `removed` event and the message row
 * with its answer (whose `suppression_id` is the lifted row's, or null), in ONE statement,
 * atomic by itself: no transaction, one round trip. A message id already recorded (a
 * concurrent copy won) fails the whole statement on the unique index, so nothing is
 * written, the lift included: `{ recorded: false }`.
 */
export async function insertInboundMessage (
  db: Database,
  lift: { scopeId: string, address: string, change: SuppressionChange } | null,
  message: ReplyMessage,
  assumptions: ReplyAssumptions = NO_ASSUMPTIONS
): Promise<ReplyWrite> {
  const guarded = { ...message, phone_number_id: guardedNumber(message.org_id, message.phone_number_id, assumptions) }
  try {
    if (lift === null) {
      await db.insertInto('inbound_messages').values(guarded).execute()
      return { recorded: true, suppressionId: null }
    }
    const row = await db
      .with('lifted', (qc) => deleteSuppressionReturningRow(qc, message.org_id, {
        channel: 'sms', address: lift.address, scopeId: lift.scopeId, reason: 'opt_out'
      }))
      .with('lift_recorded', (qc) => insertEventsFrom(qc as unknown as QueryCreator<DB>, 'lifted', 'removed', lift.change))
      .insertInto('inbound_messages').values({
        ...guarded,
        suppression_id: (eb) => eb.selectFrom('lifted').select('id'),
        // to_jsonb(NULL) is NULL and jsonb_set of NULL is NULL: nothing lifted is a JSON null.
        answer: sql<string>`jsonb_set(${message.answer}::jsonb, '{suppression_id}', coalesce(to_jsonb((SELECT id FROM lifted)), 'null'::jsonb))`
      }).returning('suppression_id').executeTakeFirstOrThrow()
    return { recorded: true, suppressionId: row.suppression_id }
  } catch (error) {
    return failedWrite(error, assumptions)
  }
}

/**
 * A reply that files a complaint, recorded in ONE statement, atomic by itself (no
 * transaction, one round trip, one commit): the complaint, its `created` event, its
 * tallies and its list's day count (the same CTEs as every filing), the suppression if any
 * (an existing one is kept with its first reason, and its id is the one stored) with its
 * `added` event when it is new, and the message row with its answer, whose
 * `suppression_id` is the stored suppression's. A message id already
 * recorded (a concurrent copy won) fails the whole statement on the unique index, so
 * nothing at all is written: `{ recorded: false }`.
 */
export async function insertInboundMessageWithComplaint (
  db: Database,
  complaint: ComplaintFiling,
  suppression: { row: NewSuppression, change: SuppressionChange } | null,
  message: ReplyMessage,
  assumptions: ReplyAssumptions = NO_ASSUMPTIONS
): Promise<ReplyWrite> {
  const filing = complaintFilingStatement(complaint)
  const guarded = { ...message, phone_number_id: guardedNumber(message.org_id, message.phone_number_id, assumptions) }
  try {
    if (suppression === null) {
      await sql`WITH ${filing} INSERT INTO inbound_messages (${rowColumns(guarded)}) VALUES ${rowValues(guarded)}`.execute(db)
      return { recorded: true, suppressionId: null }
    }
    const stored = {
      ...guarded,
      suppression_id: sql`(SELECT id FROM suppressed)`,
      answer: sql`jsonb_set(${message.answer}::jsonb, '{suppression_id}', to_jsonb((SELECT id FROM suppressed)))`
    }
    const { rows: [row] } = await sql<{ suppression_id: string | null }>`WITH ${filing},
      suppressed AS (${upsertSuppressionReturningRow(message.org_id, suppression.row)}),
      suppression_added AS (${eventsFrom('suppressed', 'added', suppression.change, true)})
      INSERT INTO inbound_messages (${rowColumns(stored)}) VALUES ${rowValues(stored)} RETURNING suppression_id`.execute(db)
    if (row === undefined) throw new Error('the reply statement returned no message')
    return { recorded: true, suppressionId: row.suppression_id }
  } catch (error) {
    return failedWrite(error, assumptions)
  }
}

/**
 * The message row's `phone_number_id` under the statement's assumptions. With `noHistoryOf`
 * it is NULL (a NOT NULL column: the statement fails and writes nothing) when the sender
 * already has a suppression for the number, read from the statement's snapshot (its own
 * upsert is not visible to it). A cached registration needs no expression: the foreign key
 * (org_id, phone_number_id) fails the statement when the number is no longer the
 * organization's, and a number's registration never changes in place.
 */
function guardedNumber (orgId: string, phoneNumberId: string, assumptions: ReplyAssumptions) {
  if (assumptions.noHistoryOf === null) return phoneNumberId
  return sql<string>`(SELECT ${phoneNumberId}::uuid WHERE NOT EXISTS (
    SELECT 1 FROM suppressions WHERE org_id = ${orgId} AND channel = 'sms'
      AND address = ${assumptions.noHistoryOf} AND scope_id = ${phoneNumberId}::uuid))`
}

function failedWrite (error: unknown, assumptions: ReplyAssumptions): ReplyWrite {
  if (isRecordedMessage(error)) return { recorded: false }
  if (assumptions.noHistoryOf !== null && isHistoryGuard(error)) return { recorded: 'stale' }
  if (assumptions.cachedNumber && isForeignKeyViolation(error)) return { recorded: 'stale' }
  throw error
}

/** A unique violation on inbound_messages: the (provider, message id) is already recorded. */
function isRecordedMessage (error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown, constraint?: unknown }
  return code === '23505' && (typeof constraint !== 'string' || constraint.startsWith('inbound_messages'))
}

/** The NOT NULL violation `guardedNumber` causes: the sender had a suppression for the number. */
function isHistoryGuard (error: unknown): boolean {
  const { code, column } = error as { code?: unknown, column?: unknown }
  return code === '23502' && (typeof column !== 'string' || column === 'phone_number_id')
}

function isForeignKeyViolation (error: unknown): boolean {
  return (error as { code?: unknown }).code === '23503'
}

export async function findCarrierReportAnswer (db: Database, carrier: string, reportId: string): Promise<unknown> {
  const row = await db.selectFrom('carrier_reports').select('answer')
    .where('carrier', '=', carrier).where('report_id', '=', reportId).executeTakeFirst()
  return row?.answer
}

export async function insertCarrierReport (db: Database, row: Insertable<CarrierReportsTable>): Promise<boolean> {
  const inserted = await db.insertInto('carrier_reports').values(row)
    .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
}

export async function findFeedbackReportAnswer (db: Database, reportId: string): Promise<unknown> {
  const row = await db.selectFrom('feedback_reports').select('answer').where('report_id', '=', reportId).executeTakeFirst()
  return row?.answer
}

export async function insertFeedbackReport (db: Database, row: Insertable<FeedbackReportsTable>): Promise<boolean> {
  const inserted = await db.insertInto('feedback_reports').values(row)
    .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
}
