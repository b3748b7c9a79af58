import { Type } from 'typebox'
import { PageQuery, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { PROVIDERS } from './providers.service.js'

const Secret = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description }))

export const ProviderCredentials = Type.Object({
  auth_token: Secret('twilio: the Auth Token (Console → Account Info); the primary token signs webhooks'),
  public_key: Secret('telnyx: the account public key (Mission Control → Keys & Credentials → Public Key, base64); sendgrid: the Event Webhook verification key (Mail Settings → Event Webhook → Signature Verification, base64)'),
  signing_key: Secret('mailgun: the HTTP webhook signing key (Sending → Webhooks)'),
  username: Secret('postmark: the Basic auth user name put in the webhook URL (no ":")'),
  password: Secret('postmark: the Basic auth password put in the webhook URL'),
  topic_arn: Secret('ses: the ARN of the SNS topic SES publishes complaint notifications to')
}, {
  additionalProperties: false,
  description: 'The provider\'s verification secret, named as its console shows it: twilio {auth_token}; telnyx {public_key}; sendgrid {public_key}; mailgun {signing_key}; postmark {username, password}; ses {topic_arn}. Stored encrypted; never returned.'
})

export const CreateProviderConnectionBody = Type.Object({
  provider: StringEnum(PROVIDERS),
  label: Type.String({ minLength: 1, maxLength: 200, example: 'Twilio production' }),
  credentials: ProviderCredentials
}, { additionalProperties: false, title: 'NewProviderConnection' })

export const RotateProviderCredentialsBody = Type.Object({
  credentials: ProviderCredentials
}, { additionalProperties: false, title: 'ProviderCredentialsRotation' })

export const ProviderConnection = Type.Object({
  id: Uuid,
  provider: StringEnum(PROVIDERS),
  label: Type.String(),
  webhook_url: Type.String({ description: 'Paste this URL into the provider\'s console (for Postmark, with the Basic credentials: https://user:pass@host/…)', example: 'https://ombuds.example.com/hooks/twilio/0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b' }),
  created_at: Timestamp
}, { title: 'ProviderConnection' })

export const ProviderConnectionParams = Type.Object({ org_id: Uuid, id: Uuid })

export const ProviderConnectionListQuery = Type.Object(PageQuery, { additionalProperties: false })

export const HookParams = Type.Object({
  provider: Type.String({ description: 'twilio, telnyx, ses, sendgrid, postmark or mailgun' }),
  connection_id: Type.String({ description: 'The connection\'s id, from its webhook_url' })
})

export const HookAnswer = Type.Object({
  success: Type.Literal(true),
  data: Type.Object({
    events: Type.Integer({ description: 'Events in the delivery' }),
    recorded: Type.Integer({ description: 'Events that wrote something' }),
    duplicates: Type.Integer({ description: 'Events already recorded (a retry): nothing written' }),
    ignored: Type.Integer({ description: 'Event types Ombuds does not act on (counted in ombuds_provider_events_total)' })
  }, { title: 'ProviderWebhookReceipt' })
})

export const RawHookBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The provider\'s own payload (form-encoded for Twilio, JSON for the others), as it signed it' })
