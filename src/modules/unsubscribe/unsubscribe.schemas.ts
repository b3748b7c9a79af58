import { Type } from 'typebox'
import { StringEnum, Uuid } from '../../http/schemas.js'

const Recipient = Type.String({ minLength: 1, maxLength: 320, description: 'The email address the message is sent to', example: 'alice@example.com' })

const linkFields = {
  channel: StringEnum(['email'], { description: 'Only email has List-Unsubscribe' }),
  from_domain: Type.String({ minLength: 1, maxLength: 253, description: "The message's sending domain: one of the organization's domains", example: 'mail.example.com' }),
  list_id: Type.Optional(Uuid),
  campaign_id: Type.Optional(Uuid),
  scope: Type.Optional(StringEnum(['domain', 'organization'], {
    default: 'domain',
    description: 'What the recipient leaves: mail from this domain (default) or every email of the organization'
  }))
}

export const CreateUnsubscribeLinkBody = Type.Object({ ...linkFields, recipient: Recipient }, { additionalProperties: false })

export const CreateUnsubscribeLinksBody = Type.Object({
  ...linkFields,
  recipients: Type.Array(Recipient, { minItems: 1, maxItems: 1000, description: 'Up to 1000 recipients; one link each, in this order' })
}, { additionalProperties: false })

export const UnsubscribeLink = Type.Object({
  recipient: Type.String({ description: 'The recipient as given in the request' }),
  url: Type.String({ description: 'The one-click URL (POST) and the confirmation page (GET)', example: 'https://ombuds.example.com/u/AQVsb2NhbAmL3…' }),
  headers: Type.Object({
    'List-Unsubscribe': Type.String({ description: 'The header value: the URL, and a mailto when one is configured', example: '<https://ombuds.example.com/u/AQVsb2NhbAmL3…>' }),
    'List-Unsubscribe-Post': Type.Literal('List-Unsubscribe=One-Click')
  }, { description: 'The two headers to put on the message, as they are (RFC 8058)' })
}, { title: 'UnsubscribeLink' })

export const TokenParams = Type.Object({
  token: Type.String({ description: 'The token of a link built by POST /v1/unsubscribe-links' })
})

export const HtmlPage = Type.String({ description: 'A self-contained HTML page (text/html)' })
