import { Type } from 'typebox'
import { Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

export const RATE_GROUPINGS = ['campaign', 'list', 'phone_number', 'domain'] as const

export const ComplaintRatesQuery = Type.Object({
  group_by: StringEnum(RATE_GROUPINGS, { description: 'What a row is: a campaign, a list, a sending phone number or a sending domain' }),
  since: Type.Optional(Type.String({ description: 'The window starts at: yyyy-mm-dd (midnight UTC) or an RFC 3339 timestamp', example: '2026-11-01' })),
  until: Type.Optional(Type.String({ description: 'The window ends before (exclusive)', example: '2026-12-01' }))
}, { additionalProperties: false })

/**
 * One group's rate and what it is made of. Counts are flat columns, so another count over the
 * same campaigns (for instance unsubscribes) is one more column of the same kind.
 */
export const ComplaintRateRow = Type.Object({
  key: Uuid,
  name: Nullable(Type.String({ description: "The campaign's or list's name, the number (E.164) or the domain" })),
  complaints: Type.Integer({ description: 'Numerator: complaints naming one of the `campaigns` (whenever received)' }),
  sent: Type.Integer({ description: 'Denominator: sum of sent_count of the `campaigns`' }),
  rate: Nullable(Type.Number({ description: 'complaints / sent as a fraction (0.001 = 0.1 %); null when sent is 0' })),
  level: StringEnum(['ok', 'warning', 'critical', 'unknown'], { description: 'warning from 0.1 %, critical from 0.3 %; unknown when sent is 0 (no denominator)' }),
  campaigns: Type.Integer({ description: "The group's campaigns created in the window: whose sends and complaints the rate compares" }),
  denominator: Type.String({ description: 'What `sent` is, in words', example: 'sent_count of the 2 campaigns created in the window' }),
  numerator: Type.String({ description: 'Which complaints `complaints` counts, in words', example: 'complaints naming those campaigns, whenever received' }),
  complaints_without_campaign: Type.Integer({ description: 'Complaints created in the window attributed to the group by their own list, number or domain that name no campaign: no denominator, so outside the rate (always 0 by campaign)' }),
  unsubscribes: Type.Integer({ description: 'One-click unsubscribes, counted like complaints: through links naming one of the `campaigns` (whenever made), plus through links naming no campaign made in the window, by the link\'s list or domain. Not complaints: outside the rate' })
}, { title: 'ComplaintRate' })

export const ComplaintRatesResponse = Type.Object({
  success: Type.Literal(true),
  data: Type.Array(ComplaintRateRow),
  meta: Type.Object({
    total: Type.Integer({ description: 'Number of rows' }),
    group_by: StringEnum(RATE_GROUPINGS),
    since: Nullable(Timestamp),
    until: Nullable(Timestamp),
    complaints_without_campaign: Type.Integer({ description: "All the organization's complaints created in the window that name no campaign (whether or not a row shows them)" }),
    warning_rate: Type.Number({ example: 0.001 }),
    critical_rate: Type.Number({ example: 0.003 })
  })
})
