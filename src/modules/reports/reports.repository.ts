import { sql } from 'kysely'
import type { Database } from '../../db/database.js'

export type RateGrouping = 'campaign' | 'list' | 'phone_number' | 'domain'

export interface RateCount {
  key: string
  name: string | null
  /** The group's campaigns created in the window: whose sends are the denominator. */
  campaigns: number
  sent: number
  /** Complaints naming one of those campaigns, whenever they arrived: the numerator. */
  complaints: number
  /** Complaints created in the window attributed to the group by their own column, naming no campaign. */
  complaintsWithoutCampaign: number
  /** One-click unsubscribes through links of those campaigns, and through links naming no campaign made in the window. */
  unsubscribes: number
}

/**
 * How each grouping attributes a campaign (its column) and a complaint that names no
 * campaign (the complaint's own column), and where the group's display name lives.
 * Identifiers only, from this fixed table: nothing from the request reaches the SQL text.
 */
const GROUPINGS: Record<RateGrouping, { complaintKey: string, campaignKey: string, unsubscribeKey: string, nameTable: string, nameColumn: string }> = {
  campaign: { complaintKey: 'c.campaign_id', campaignKey: 'k.id', unsubscribeKey: 'u.campaign_id', nameTable: 'campaigns', nameColumn: 'name' },
  list: { complaintKey: 'c.list_id', campaignKey: 'k.list_id', unsubscribeKey: 'u.list_id', nameTable: 'lists', nameColumn: 'name' },
  // Unsubscribe links are email only: without a campaign they have no number.
  phone_number: { complaintKey: 'c.phone_number_id', campaignKey: 'k.phone_number_id', unsubscribeKey: 'NULL::uuid', nameTable: 'phone_numbers', nameColumn: 'number' },
  domain: { complaintKey: 'c.domain_id', campaignKey: 'k.domain_id', unsubscribeKey: 'u.domain_id', nameTable: 'domains', nameColumn: 'name' }
}

/**
 * Per group: the campaigns created in [since, until) and their summed `sent_count`, the
 * complaints naming those campaigns (a campaign's complaints belong to its window, so each
 * one is counted once, with the sends it is about), and apart from the rate the complaints
 * created in the window that name no campaign, and the one-click unsubscribes counted the
 * same way. One row for every group that has any of them.
 */
export async function selectComplaintRateCounts (
  db: Database, orgId: string, groupBy: RateGrouping, since: Date | null, until: Date | null
): Promise<RateCount[]> {
  const g = GROUPINGS[groupBy]
  const complaintKey = sql.raw(g.complaintKey)
  const campaignKey = sql.raw(g.campaignKey)
  const window = (column: string) => sql`${since === null ? sql`` : sql`AND ${sql.raw(column)} >= ${since}`} ${until === null ? sql`` : sql`AND ${sql.raw(column)} < ${until}`}`
  const unsubscribeKey = sql.raw(g.unsubscribeKey)
  const result = await sql<{ key: string, name: string | null, campaigns: number | string, sent: number | string, complaints: number | string, loose: number | string, unsubscribes: number | string }>`
    WITH campaign AS (
      SELECT k.id, ${campaignKey} AS key, k.sent_count
      FROM campaigns k
      WHERE k.org_id = ${orgId} AND ${campaignKey} IS NOT NULL ${window('k.created_at')}
    ), sent AS (
      SELECT key, count(*) AS campaigns, sum(sent_count) AS sent FROM campaign GROUP BY key
    ), tied AS (
      SELECT campaign.key, count(*) AS complaints
      FROM campaign JOIN complaints c ON c.org_id = ${orgId} AND c.campaign_id = campaign.id
      GROUP BY campaign.key
    ), loose AS (
      SELECT ${complaintKey} AS key, count(*) AS complaints
      FROM complaints c
      WHERE c.org_id = ${orgId} AND c.campaign_id IS NULL AND ${complaintKey} IS NOT NULL ${window('c.created_at')}
      GROUP BY 1
    ), unsubscribed AS (
      -- Like complaints: through links of the group's campaigns whenever made, plus through
      -- links naming no campaign made in the window, by the link's own list or domain.
      SELECT key, sum(n) AS unsubscribes FROM (
        SELECT campaign.key, count(*) AS n
        FROM campaign JOIN unsubscribes u ON u.org_id = ${orgId} AND u.campaign_id = campaign.id
        GROUP BY campaign.key
        UNION ALL
        SELECT ${unsubscribeKey} AS key, count(*) AS n
        FROM unsubscribes u
        WHERE u.org_id = ${orgId} AND u.campaign_id IS NULL AND ${unsubscribeKey} IS NOT NULL ${window('u.created_at')}
        GROUP BY 1
      ) AS counted GROUP BY key
    )
    SELECT coalesce(sent.key, loose.key, unsubscribed.key) AS key, n.${sql.raw(g.nameColumn)} AS name,
      coalesce(sent.campaigns, 0) AS campaigns, coalesce(sent.sent, 0) AS sent,
      coalesce(tied.complaints, 0) AS complaints, coalesce(loose.complaints, 0) AS loose,
      coalesce(unsubscribed.unsubscribes, 0) AS unsubscribes
    FROM sent
    LEFT JOIN tied ON tied.key = sent.key
    FULL JOIN loose ON loose.key = sent.key
    FULL JOIN unsubscribed ON unsubscribed.key = coalesce(sent.key, loose.key)
    LEFT JOIN ${sql.raw(g.nameTable)} n ON n.org_id = ${orgId} AND n.id = coalesce(sent.key, loose.key, unsubscribed.key)
  `.execute(db)
  return result.rows.map((row) => ({
    key: row.key,
    name: row.name,
    campaigns: Number(row.campaigns),
    sent: Number(row.sent),
    complaints: Number(row.complaints),
    complaintsWithoutCampaign: Number(row.loose),
    unsubscribes: Number(row.unsubscribes)
  }))
}

/** The organization's complaints created in [since, until) that name no campaign. */
export async function countComplaintsWithoutCampaign (db: Database, orgId: string, since: Date | null, until: Date | null): Promise<number> {
  let query = db.selectFrom('complaints').select((eb) => eb.fn.countAll<number | string>().as('total'))
    .where('org_id', '=', orgId).where('campaign_id', 'is', null)
  if (since !== null) query = query.where('created_at', '>=', since)
  if (until !== null) query = query.where('created_at', '<', until)
  return Number((await query.executeTakeFirstOrThrow()).total)
}

/**
 * One complaint of a list report, written by PostgreSQL as a WhatCounts subscriber record:
 * `head` is the JSON text of the record's fields from `date` to `md5Encryption`, in
 * WhatCounts' order, without its closing brace (the SHA-1 and the page's fields are added by
 * the caller: PostgreSQL has no SHA-1 without an extension); `email` is the address hashed.
 */
export interface WrittenListComplaint {
  head: string
  email: string
}

export interface ListComplaintPage {
  /** false when the organization has no list by that reference (nothing else is read then) */
  listFound: boolean
  total: number
  records: WrittenListComplaint[]
}

/** A window of whole UTC days, yyyy-mm-dd: from the start of `startDay`, before the start of `endDay`. */
export interface DayWindow {
  startDay: string | null
  endDay: string | null
}

/**
 * One page of a list's complaints, newest first by (created_at, id), each with the
 * complainer's contact on that list (found by reporter email, else by phone, preferring the
 * contact keyed by that phone, the one without an email, since many contacts may share a
 * phone; none when the reporter is not on the list), and the total over the window, in one
 * statement.
 *
 * The total is a sum over the list's day counts. The offset lands on its day through the
 * same counts ("newer" = complaints on later days of the window), so the index
 * (org_id, list_id, created_at DESC, id DESC) is entered at that day's end and walked at
 * most one day's complaints plus the page, however deep the page is. Only the page's
 * rows are then fetched and joined.
 */
export async function selectListComplaintPage (
  db: Database, orgId: string, list: { id: string | null, externalId: string }, window: DayWindow, offset: number, limit: number
): Promise<ListComplaintPage> {
  const startDay = window.startDay === null ? sql`` : sql`AND day >= ${window.startDay}::date`
  const endDay = window.endDay === null ? sql`` : sql`AND day < ${window.endDay}::date`
  const startTime = window.startDay === null ? sql`` : sql`AND created_at >= (${window.startDay}::date)::timestamp AT TIME ZONE 'UTC'`
  // WhatCounts' dates: "Feb 21, 2016 4:53:40 PM" (PHP 'M j, Y g:i:s A') in UTC; to_char's month names do not follow lc_time.
  // The colons are quoted literals (":"), the same output: pgbench, which runs this statement as
  // the whatcounts-report scenario's database ceiling, would read :MI and :SS as its variables.
  const whatCountsDate = (column: string) => sql`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'Mon FMDD, YYYY FMHH12":"MI":"SS AM')`
  const result = await sql<{ list_found: boolean, total: number | string, head: string | null, email: string | null }>`
    WITH list AS (
      -- The reference is the list's id, else its external_id (an id that is nobody's falls back to the external_id).
      SELECT id FROM (
        SELECT id, 0 AS preference FROM lists WHERE org_id = ${orgId} AND id = ${list.id}::uuid
        UNION ALL
        SELECT id, 1 FROM lists WHERE org_id = ${orgId} AND external_id = ${list.externalId}
      ) AS found ORDER BY preference LIMIT 1
    ), days AS (
      SELECT day, total, sum(total) OVER (ORDER BY day DESC) - total AS newer
      FROM list_complaint_days
      WHERE org_id = ${orgId} AND list_id = (SELECT id FROM list) ${startDay} ${endDay}
    ), landing AS (
      SELECT day, newer FROM days WHERE newer <= ${offset} AND newer + total > ${offset}
    ), page AS (
      SELECT id, created_at FROM complaints
      WHERE org_id = ${orgId} AND list_id = (SELECT id FROM list) ${startTime}
        AND created_at < (SELECT (day + 1)::timestamp AT TIME ZONE 'UTC' FROM landing)
      ORDER BY created_at DESC, id DESC
      OFFSET (SELECT (${offset} - newer)::bigint FROM landing) LIMIT ${limit}
    )
    SELECT EXISTS (SELECT 1 FROM list) AS list_found, (SELECT coalesce(sum(total), 0) FROM days) AS total,
      left(to_json(record)::text, -1) AS head, address.email
    FROM (SELECT 1) AS one
    LEFT JOIN page p ON true
    LEFT JOIN complaints c ON c.org_id = ${orgId} AND c.id = p.id
    LEFT JOIN LATERAL (
      SELECT x.* FROM contacts x
      WHERE x.org_id = ${orgId}
        AND (x.email = c.reporter_email OR x.phone = c.reporter_number)
        AND EXISTS (SELECT 1 FROM list_members m WHERE m.org_id = ${orgId} AND m.list_id = (SELECT id FROM list) AND m.contact_id = x.id)
      ORDER BY (x.email IS NOT DISTINCT FROM c.reporter_email) DESC, (x.email IS NULL) DESC, x.subscriber_id
      LIMIT 1
    ) ct ON true
    LEFT JOIN LATERAL (SELECT coalesce(ct.email, c.reporter_email, '') AS email) AS address ON p.id IS NOT NULL
    -- A field's type never changes: absent contact fields are empty strings, an absent subscriber is 0.
    LEFT JOIN LATERAL (
      SELECT ${whatCountsDate('p.created_at')} AS "date",
        coalesce(ct.subscriber_id, 0) AS "subscriberId",
        (SELECT realm_id FROM organizations WHERE id = ${orgId}) AS "realmId",
        address.email AS "email",
        coalesce(ct.first_name, '') AS "firstName",
        coalesce(ct.last_name, '') AS "lastName",
        coalesce(ct.company, '') AS "company",
        coalesce(ct.address1, '') AS "address1",
        coalesce(ct.address2, '') AS "address2",
        coalesce(ct.city, '') AS "city",
        coalesce(ct.state, '') AS "state",
        coalesce(ct.zip, '') AS "zip",
        coalesce(ct.country, '') AS "country",
        coalesce(ct.phone_display, ct.phone, c.reporter_number, '') AS "phone",
        coalesce(ct.fax, '') AS "fax",
        coalesce(${whatCountsDate('ct.created_at')}, '') AS "createdDate",
        coalesce(${whatCountsDate('ct.updated_at')}, '') AS "updatedDate",
        -- Stored addresses are already lower-cased (normalizeEmail), so lower() changes nothing here.
        CASE WHEN address.email = '' THEN '' ELSE upper(md5(lower(address.email))) END AS "md5Encryption"
    ) AS record ON p.id IS NOT NULL
    ORDER BY p.created_at DESC, p.id DESC
  `.execute(db)
  const first = result.rows[0]
  return {
    listFound: first?.list_found ?? false,
    total: first === undefined ? 0 : Number(first.total),
    records: result.rows.flatMap((row) => row.head === null ? [] : [{ head: row.head, email: row.email ?? '' }])
  }
}
