import { Type } from 'typebox'
import { StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

const ORG_KEYWORD_KINDS = ['opt_out', 'opt_in', 'help'] as const

export const OrgKeyword = Type.Object({
  id: Uuid,
  keyword: Type.String({ description: 'As written when it was added', example: 'UNSUB-ACME' }),
  kind: StringEnum(ORG_KEYWORD_KINDS),
  created_at: Timestamp
}, { title: 'OrgKeyword' })

export const CreateOrgKeywordBody = Type.Object({
  keyword: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Matched like the built-in keywords: any case, accents, punctuation and spacing ("UNSUB-ACME" also matches "unsub acme"). An opt-out word counts anywhere in a reply, help and opt-in words only as the whole reply.',
    example: 'UNSUB-ACME'
  }),
  kind: StringEnum(ORG_KEYWORD_KINDS, { description: 'What a reply with the word means' })
}, { title: 'NewOrgKeyword', additionalProperties: false })

export const OrgKeywordIdParams = Type.Object({ id: Uuid })
