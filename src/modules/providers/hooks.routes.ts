import { Counter } from 'prom-client'
import { Type } from 'typebox'
import { requestUrls } from './urls.js'
import { responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { SnsCertificates } from './adapters/ses.js'
import { receiveHook } from './hooks.service.js'
import { HookAnswer, HookParams, RawHookBody } from './providers.schemas.js'

/** Twilio expects TwiML back: an empty Response sends no reply to the texter. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

/**
 * `POST /hooks/{provider}/{connectionId}`: where each delivery provider's webhook points.
 * No API key: the provider's own signature, checked against the connection's secret, is
 * the authentication. Bodies are read as raw bytes (what every signature covers), whatever
 * their content type (Twilio posts forms, SNS text/plain, the others JSON).
 */
export async function providerHookRoutes (app: App): Promise<void> {
  const events = new Counter({
    name: 'ombuds_provider_events_total',
    help: 'Provider webhook events by provider, event type and outcome (recorded, duplicate, ignored, refused, confirmed)',
    labelNames: ['provider', 'type', 'outcome'],
    registers: [app.metrics]
  })
  const services = {
    db: app.db,
    box: app.secrets,
    certificates: new SnsCertificates(new RegExp(app.config.snsUrlPattern)),
    keywords: app.orgKeywords,
    count: (provider: string, type: string, outcome: string) => { events.inc({ provider, type, outcome }) }
  }

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => { done(null, body) })

  app.post('/hooks/:provider/:connection_id', {
    // The body is the provider's raw bytes (its adapter verifies and reads it); the params
    // are any strings (an unknown provider or connection is 404, never 422).
    validatorCompiler: () => () => true,
    schema: {
      tags: ['Provider webhooks'],
      operationId: 'receiveProviderWebhook',
      summary: "Receive a delivery provider's webhook",
      description: 'Point the provider\'s webhook here (the connection\'s `webhook_url`). Twilio (inbound messages) and Telnyx (`message.received`) replies go through the reply classifier; SES, SendGrid, Postmark and Mailgun complaints file complaints and suppress the recipient; unsubscribes add opt-out suppressions. A bad signature is 401 and writes nothing; an unknown connection 404; event types not acted on are answered 200 and counted. Twilio gets empty TwiML (`text/xml`).',
      security: [],
      params: HookParams,
      consumes: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'],
      body: RawHookBody,
      response: {
        200: {
          description: 'Received (Twilio: an empty TwiML `<Response/>` as text/xml)',
          content: {
            'application/json': { schema: HookAnswer },
            'text/xml': { schema: Type.String() }
          }
        },
        ...responses({}, ['INVALID_INPUT', 'UNAUTHORIZED', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE'], { authenticated: false })
      }
    }
  }, async (request, reply) => {
    const { provider, connection_id: connectionId } = request.params
    const answer = await receiveHook(services, provider, connectionId, {
      urls: requestUrls(request, app.config),
      headers: request.headers,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      now: new Date()
    })
    if (provider === 'twilio') return await reply.code(200).type('text/xml').send(EMPTY_TWIML)
    return await reply.code(200).type('application/json').send({ success: true as const, data: answer })
  })
}
