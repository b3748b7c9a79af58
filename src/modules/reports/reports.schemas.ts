import { Type } from 'typebox'
import { Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

export const RATE_GROUPINGS = ['campaign', 'list', 'phone_number', 'domain'] as const

export const ComplaintRatesQuery = Type.Object({
  group_by: StringEnum(RATE_GROUPINGS, { description: 'What a row is: a campaign, a list, a sending phone number or a sending domain' }),
  since: Type.Optional(Type.String({ description: 'Complaints created at or after: yyyy-mm-dd (midnight UTC) or an RFC 3339 timestamp', example: '2026-11-01' })),
  until: Type.Optional(Type.String({ description: 'Complaints created before (exclusive); campaigns created before it count their sends', example: '2026-12-01' }))
}, { additionalProperties: false })

export const ComplaintRateRow = Type.Object({
  key: Uuid,
  name: Nullable(Type.String({ description: "The campaign's or list's name, the number (E.164) or the domain" })),
  complaints: Type.Integer({ description: 'Complaints created in the window attributed to the group' }),
  sent: Type.Integer({ description: "Sum of sent_count of the group's campaigns created before `until`" }),
  rate: Nullable(Type.Number({ description: 'complaints / sent as a fraction (0.001 = 0.1 %); null when sent is 0' })),
  level: StringEnum(['ok', 'warning', 'critical'], { description: 'warning from 0.1 %, critical from 0.3 %; ok when sent is 0' })
}, { title: 'ComplaintRate' })

export const ComplaintRatesResponse = Type.Object({
  success: Type.Literal(true),
  data: Type.Array(ComplaintRateRow),
  meta: Type.Object({
    total: Type.Integer({ description: 'Number of rows' }),
    group_by: StringEnum(RATE_GROUPINGS),
    since: Nullable(Timestamp),
    until: Nullable(Timestamp),
    warning_rate: Type.Number({ example: 0.001 }),
    critical_rate: Type.Number({ example: 0.003 })
  })
})
