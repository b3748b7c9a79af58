import { type Insertable, type QueryCreator, sql } from 'kysely'
import type { Database } from '../../db/database.js'
import type { CarrierReportsTable, DB, FeedbackReportsTable, InboundMessagesTable } from '../../db/schema.js'
import { type ComplaintFiling, complaintFilingStatement } from '../complaints/complaints.repository.js'
import {
  insertEventsFrom, type NewSuppression, type SuppressionChange, upsertSuppressionReturningRow
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

/** false when the message id is already recorded (a concurrent copy won). */
export async function insertInboundMessage (db: Database, row: Insertable<InboundMessagesTable>): Promise<boolean> {
  const inserted = await db.insertInto('inbound_messages').values(row)
    .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
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
  message: Insertable<InboundMessagesTable> & { answer: string }
): Promise<{ recorded: false } | { recorded: true, suppressionId: string | null }> {
  const filed = complaintFilingStatement(db, complaint)
  try {
    if (suppression === null) {
      await filed.insertInto('inbound_messages').values(message).execute()
      return { recorded: true, suppressionId: null }
    }
    const row = await filed
      // (The upsert names only DB's tables; the earlier CTEs' names do not change its type.)
      .with('suppressed', (qc) => upsertSuppressionReturningRow(qc as unknown as QueryCreator<DB>, message.org_id, suppression.row))
      .with('suppression_added', (qc) => insertEventsFrom(qc as unknown as QueryCreator<DB>, 'suppressed', 'added', suppression.change, true))
      .insertInto('inbound_messages').values({
        ...message,
        suppression_id: (eb) => eb.selectFrom('suppressed').select('id'),
        answer: sql<string>`jsonb_set(${message.answer}::jsonb, '{suppression_id}', to_jsonb((SELECT id FROM suppressed)))`
      }).returning('suppression_id').executeTakeFirstOrThrow()
    return { recorded: true, suppressionId: row.suppression_id }
  } catch (error) {
    if (isRecordedMessage(error)) return { recorded: false }
    throw error
  }
}

/** A unique violation on inbound_messages: the (provider, message id) is already recorded. */
function isRecordedMessage (error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown, constraint?: unknown }
  return code === '23505' && (typeof constraint !== 'string' || constraint.startsWith('inbound_messages'))
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
