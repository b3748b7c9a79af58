/**
 * The intake runner: the one entry point per flow that the routes call. It owns the
 * transactions and the race recovery, so the flows (inbound-messages, carrier-reports,
 * feedback-reports services) only say what an item means and write it:
 * - with an Idempotency-Key, a flow runs inside the transaction that also stores the answer;
 * - without one, carrier and feedback reports run in a transaction of their own, while an SMS
 *   reply runs with none: every one of its paths (complaint, opt-out, opt-in, nothing) writes
 *   ONE statement, atomic by itself, so no flow opens a transaction of its own;
 * - a flow that finds a concurrent copy of its item recorded first throws `LostRace`: its
 *   writes roll back and the runner answers with the winner's stored answer.
 */
import { createHash } from 'node:crypto'
import type { Database } from '../../db/database.js'
import { AppError } from '../../errors.js'
import { runIdempotently } from '../idempotency/idempotency.service.js'
import { type CarrierReportAnswer, type CarrierReportInput, receiveCarrierReport } from './carrier-reports.service.js'
import { type FeedbackReportAnswer, readFeedbackReport, recordFeedbackReport } from './feedback-reports.service.js'
import {
  type InboundMessageAnswer, type InboundMessageInput, type OrgKeywordSource, receiveInboundMessage
} from './inbound-messages.service.js'
import { type IntakeOutcome, LostRace } from './intake-item.js'

/** Who hands an item over and how: the caller's key, the route, the Idempotency-Key header. */
export interface IntakeCall {
  principalId: string
  /** The route's identity for the Idempotency-Key, e.g. `POST /v1/intake/carrier-reports`. */
  route: string
  idempotencyKey: string | undefined
}

export async function takeInboundMessage (
  db: Database, call: IntakeCall, input: InboundMessageInput, keywords: OrgKeywordSource
): Promise<IntakeOutcome<InboundMessageAnswer>> {
  return await runIntake(db, call, input, async (trx) => await receiveInboundMessage(trx, input, { keywords }), { oneStatement: true })
}

export async function takeCarrierReport (db: Database, call: IntakeCall, input: CarrierReportInput): Promise<IntakeOutcome<CarrierReportAnswer>> {
  return await runIntake(db, call, input, async (trx) => await receiveCarrierReport(trx, input))
}

/** `raw` is the body as received: one raw email (a Buffer), else 415. */
export async function takeFeedbackReport (db: Database, call: IntakeCall, raw: unknown): Promise<IntakeOutcome<FeedbackReportAnswer>> {
  if (!Buffer.isBuffer(raw)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the body must be one raw email, Content-Type: message/rfc822')
  // Parsing is CPU work: done before the transaction opens.
  const report = await readFeedbackReport(raw)
  // With an Idempotency-Key, "the same request" means the same bytes.
  const digest = call.idempotencyKey === undefined ? null : createHash('sha256').update(raw).digest('hex')
  return await runIntake(db, call, digest, async (trx) => await recordFeedbackReport(trx, report))
}

/**
 * Runs an intake step in one transaction (honouring an Idempotency-Key if sent), or, for
 * a step that writes one statement (`oneStatement`) and no key, with none. When a concurrent copy of the
 * same item recorded it first, this copy's writes roll back and it answers with the
 * winner's answer.
 */
async function runIntake<T> (
  db: Database, call: IntakeCall, payload: unknown, work: (trx: Database) => Promise<IntakeOutcome<T>>,
  options: { oneStatement?: boolean } = {}
): Promise<IntakeOutcome<T>> {
  let replayed = false
  try {
    if (call.idempotencyKey === undefined && options.oneStatement === true) return await work(db)
    const result = await runIdempotently(db, { principalId: call.principalId, route: call.route, key: call.idempotencyKey, payload }, async (trx) => {
      const outcome = await work(trx)
      replayed = outcome.replayed
      return { statusCode: 200, body: outcome.answer }
    })
    return { answer: result.body, replayed: replayed || result.replayed }
  } catch (error) {
    if (!(error instanceof LostRace)) throw error
    const winner = await error.lookup(db)
    if (winner === undefined) throw new AppError('CONFLICT', 'a copy of this item is being recorded; retry')
    return { answer: winner as T, replayed: true }
  }
}
