import type { Insertable } from 'kysely'
import type { Database } from '../../db/database.js'
import type { CarrierReportsTable, FeedbackReportsTable, InboundMessagesTable } from '../../db/schema.js'

/**
 * What intake received and answered. Every item has a platform-wide identity (unique
 * index); inserting an item that is already there inserts nothing, so the caller knows it
 * lost a race and answers with the winner's row.
 */

/**
 * The hot path's one read: the answer already given to this message id (if any) and the
 * registration of the number replied to (if any), in a single round trip.
 */
export async function findInboundAnswerAndNumber (db: Database, id: string, toNumber: string): Promise<{
  answer: unknown
  phone: { org_id: string, id: string } | undefined
}> {
  const row = await db.selectNoFrom((eb) => [
    eb.selectFrom('inbound_messages').select('answer').where('id', '=', id).as('answer'),
    eb.selectFrom('phone_numbers').select('org_id').where('number', '=', toNumber).as('org_id'),
    eb.selectFrom('phone_numbers').select('id').where('number', '=', toNumber).as('phone_number_id')
  ]).executeTakeFirstOrThrow()
  const answer: unknown = row.answer ?? undefined
  return {
    answer,
    phone: row.org_id != null && row.phone_number_id != null ? { org_id: row.org_id, id: row.phone_number_id } : undefined
  }
}

export async function findInboundAnswer (db: Database, id: string): Promise<unknown> {
  const row = await db.selectFrom('inbound_messages').select('answer').where('id', '=', id).executeTakeFirst()
  return row?.answer
}

/** false when the message id is already recorded (a concurrent copy won). */
export async function insertInboundMessage (db: Database, row: Insertable<InboundMessagesTable>): Promise<boolean> {
  const inserted = await db.insertInto('inbound_messages').values(row)
    .onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst()
  return inserted !== undefined
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
