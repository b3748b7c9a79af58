import { Type } from 'typebox'
import { WebhookEventType } from '../../domain.js'
import { Nullable, PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

const Events = Type.Array(WebhookEventType, { minItems: 1, maxItems: 4, uniqueItems: true, description: 'The event types sent to this endpoint' })
const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'https:// (http:// only where the server allows it); private, loopback and link-local targets are refused',
  example: 'https://crm.example.com/ombuds-events'
})

export const WebhookEndpoint = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(WebhookEventType),
  enabled: Type.Boolean({ description: 'false: nothing is sent; pending deliveries wait until it is enabled again' }),
  disabled_reason: Nullable(StringEnum(['failing', 'manual'] as const, { description: 'failing: every delivery failed for 24 h, so Ombuds disabled it; manual: a PATCH did' })),
  disabled_at: Nullable(Timestamp),
  failing_since: Nullable(Timestamp),
  previous_secret_expires_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp
}, { title: 'WebhookEndpoint' })

export const WebhookEndpointWithSecret = Type.Object({
  ...WebhookEndpoint.properties,
  secret: Type.String({ description: 'The signing secret (`whsec_` + base64), shown only in this answer', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
}, { title: 'WebhookEndpointWithSecret' })

export const CreateWebhookBody = Type.Object({
  url: Url,
  events: Events,
  description: Type.Optional(Type.String({ maxLength: 500 }))
}, { title: 'NewWebhookEndpoint', additionalProperties: false })

export const UpdateWebhookBody = Type.Object({
  url: Type.Optional(Url),
  events: Type.Optional(Events),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  enabled: Type.Optional(Type.Boolean({ description: 'true enables an endpoint again, also one Ombuds disabled' }))
}, { title: 'WebhookEndpointUpdate', additionalProperties: false, minProperties: 1 })

export const WebhookIdParams = Type.Object({ id: Uuid })
export const DeliveryParams = Type.Object({ id: Uuid, deliveryId: Uuid })

export const WebhookListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

const DeliveryState = StringEnum(['pending', 'succeeded', 'failed'] as const)

export const AttemptListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const WebhookDelivery = Type.Object({
  id: Uuid,
  event_id: Type.String({ format: 'uuid', description: 'The event (its `id` and the `webhook-id` header)' }),
  event_type: WebhookEventType,
  state: DeliveryState,
  attempts: Type.Integer({ description: 'Attempts made so far' }),
  last_attempt_at: Nullable(Timestamp),
  last_status_code: Nullable(Type.Integer({ description: "The endpoint's HTTP status; null when no answer came" })),
  last_duration_ms: Nullable(Type.Integer()),
  last_error: Nullable(Type.String({ description: 'Why the last attempt failed' })),
  next_attempt_at: Nullable(Timestamp),
  created_at: Timestamp
}, { title: 'WebhookDelivery' })

export const WebhookAttempt = Type.Object({
  id: Uuid,
  delivery_id: Type.String({ format: 'uuid', description: 'The delivery (one event to this endpoint) this attempt sent: `POST …/deliveries/{delivery_id}/retry` sends it again' }),
  event_id: Type.String({ format: 'uuid', description: 'The event (its `id` and the `webhook-id` header)' }),
  event_type: WebhookEventType,
  attempt: Type.Integer({ minimum: 1, description: "1 for the delivery's first attempt, 2 for its first retry…" }),
  attempted_at: Timestamp,
  succeeded: Type.Boolean({ description: 'true: the endpoint answered 2xx within the timeout' }),
  status_code: Nullable(Type.Integer({ description: "The endpoint's HTTP status; null when no answer came" })),
  duration_ms: Type.Integer({ description: 'From sending the request to the end of the answer (or the failure)' }),
  error: Nullable(Type.String({ description: 'Why the attempt failed; null on success' })),
  next_retry_at: Nullable(Type.String({
    format: 'date-time',
    description: 'After a failure, when the delivery was scheduled to be tried again (as planned at this attempt: a manual retry, ' +
      "a failing endpoint's backoff or disabling it move it); null after a success and after the last attempt of the 24 h window"
  }))
}, { title: 'WebhookAttempt' })
