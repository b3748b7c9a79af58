import type { Insertable } from 'kysely'
import type { Database } from '../../db/database.js'
import type { CarrierReportsTable, FeedbackReportsTable, InboundMessagesTable } from '../../db/schema.js'

/**
 * What intake received and answered. Every item has a platform-wide identity (unique
 * index); inserting an item that is already there inserts nothing, so the caller knows it
 * lost a race and answers with the winner's row.
 */

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
