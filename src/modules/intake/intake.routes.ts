import type { FastifyReply, FastifyRequest } from 'fastify'
import { callerPrincipal } from '../../http/auth.js'
import { Envelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { MAX_FEEDBACK_REPORT_BYTES } from './feedback-report/feedback-report.parser.js'
import type { IntakeOutcome } from './intake-item.js'
import {
  CarrierReportAnswer, CarrierReportBody, FeedbackReportAnswer, RawEmail, IdempotencyHeaders, InboundMessageAnswer, InboundMessageBody
} from './intake.schemas.js'
import { type IntakeCall, takeCarrierReport, takeFeedbackReport, takeInboundMessage } from './intake.service.js'

const tags = ['Intake']
const config = { scope: 'intake:write' as const }

/**
 * Where complaints come from: SMS replies, carrier 7726 reports and email feedback
 * loops, handed over by the platform (platform key with `intake:write`). Each finds the
 * organization from the item itself (the number replied to, the sending number, the
 * sending domain) and is idempotent on the item's own identity.
 */
export async function intakeRoutes (app: App): Promise<void> {
  app.post('/v1/intake/inbound-messages', {
    config,
    schema: {
      tags,
      operationId: 'receiveInboundMessage',
      summary: "Take in a recipient's SMS reply",
      description: 'Classifies the text (opt-out / help / opt-in / complaint / nothing) and records what it means: an opt-out files a complaint and suppresses `from` for the number `to`; help and complaint texts file a complaint; an opt-in lifts the opt-out suppression. `to` must be a registered number. Idempotent on `id`: a replay returns the first answer (`Idempotent-Replayed: true`) and writes nothing.',
      headers: IdempotencyHeaders,
      body: InboundMessageBody,
      response: responses({ 200: Envelope(InboundMessageAnswer) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    return await answer(reply, await takeInboundMessage(app.db, intakeCall(request, '/v1/intake/inbound-messages'), request.body, app.orgKeywords))
  })

  app.post('/v1/intake/carrier-reports', {
    config,
    schema: {
      tags,
      operationId: 'receiveCarrierReport',
      summary: 'Take in a carrier 7726 spam report',
      description: 'Files a `carrier` complaint (category from the excerpt, else unsolicited_marketing) and suppresses the reporter for the sending number (reason complaint). `sender_number` must be a registered number. Idempotent on (carrier, report_id), carrier compared case-insensitively.',
      headers: IdempotencyHeaders,
      body: CarrierReportBody,
      response: responses({ 200: Envelope(CarrierReportAnswer) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    return await answer(reply, await takeCarrierReport(app.db, intakeCall(request, '/v1/intake/carrier-reports'), request.body))
  })

  // The raw-email route reads only message/rfc822 (anything else is 415), up to 10 MiB.
  await app.register(async function feedbackReports (scope: App) {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: MAX_FEEDBACK_REPORT_BYTES }, (_request, body, done) => {
      done(null, body)
    })
    scope.post('/v1/intake/feedback-reports', {
      config,
      bodyLimit: MAX_FEEDBACK_REPORT_BYTES,
      // The body is raw bytes: its schema documents the route; the parser is its validator.
      validatorCompiler: () => () => true,
      schema: {
        tags,
        operationId: 'receiveFeedbackReport',
        summary: 'Take in an email feedback-loop report',
        description: 'Body: one raw email, `Content-Type: message/rfc822`, at most 10 MiB. ARF (RFC 5965, including the legacy Version 0.1 fields) from Yahoo, AOL, Comcast, Return Path-hosted feeds and Microsoft, and Microsoft\'s legacy non-ARF JMRP format. abuse/fraud/virus/other file a `feedback_loop` email complaint and, when the recipient is known, a domain complaint suppression (one of each per recipient when the report names several: `complaint_ids`, `suppression_ids`); not-spam and auth-failure reports file nothing (`ignored` says why). The first registered domain among Reported-Domain, the original From and its DKIM d= names the organization. Idempotent on the report\'s Message-ID.',
        headers: IdempotencyHeaders,
        consumes: ['message/rfc822'],
        body: RawEmail,
        response: responses({ 200: Envelope(FeedbackReportAnswer) }, ['CONFLICT', 'VALIDATION_FAILED'], { body: true })
      }
    }, async (request, reply) => {
      return await answer(reply, await takeFeedbackReport(app.db, intakeCall(request, '/v1/intake/feedback-reports'), request.body))
    })
  })
}

function intakeCall (request: FastifyRequest, path: string): IntakeCall {
  const header = request.headers['idempotency-key']
  return { principalId: callerPrincipal(request).keyId, route: `POST ${path}`, idempotencyKey: typeof header === 'string' ? header : undefined }
}

async function answer<T> (reply: FastifyReply, outcome: IntakeOutcome<T>): Promise<FastifyReply> {
  if (outcome.replayed) reply.header('Idempotent-Replayed', 'true')
  return await reply.code(200).send({ success: true as const, data: outcome.answer })
}
