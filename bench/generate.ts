import { hashSecret } from '../src/modules/api-keys/api-keys.service.js'
import { PLATFORM_SCOPES, ROLE_SCOPES } from '../src/modules/api-keys/scopes.js'

/**
 * The benchmark's data, generated in SQL (generate_series + INSERT … SELECT), never row by
 * row: one big organization and 20 small ones, a year of complaints with their events and
 * tallies, suppressions, and — when the lists/campaigns tables exist — a list of contacts
 * whose campaigns carry a tenth of the complaints (the WhatCounts report scenario).
 *
 * The same SQL runs on PostgreSQL and on PGlite. Values are deterministic (hashint4 of the
 * row number), so two runs of the same size hold the same data.
 */

export interface Sql {
  exec (text: string): Promise<void>
  rows<T = Record<string, unknown>> (text: string): Promise<T[]>
}

export interface DataSize {
  complaints: number
  suppressions: number
  contacts: number
  smallOrgs: number
  smallOrgComplaints: number
}

export const FULL_SIZE: DataSize = { complaints: 1_000_000, suppressions: 5_000_000, contacts: 100_000, smallOrgs: 20, smallOrgComplaints: 500 }
export const scaled = (size: DataSize, factor: number): DataSize => ({
  complaints: Math.round(size.complaints * factor),
  suppressions: Math.round(size.suppressions * factor),
  contacts: Math.round(size.contacts * factor),
  smallOrgs: size.smallOrgs,
  smallOrgComplaints: size.smallOrgComplaints
})

/** What the scenarios need to know about the generated data. */
export interface Dataset {
  bigOrgId: string
  ownerKey: string
  platformKey: string
  phoneNumbers: Array<{ id: string, number: string }>
  domains: Array<{ id: string, name: string }>
  /** The Mailgun import's domain (no suppressions before the import). */
  importDomain: { id: string, name: string }
  /** The \copy ceiling's domain (same shape, separate rows). */
  copyDomain: { id: string, name: string }
  list: { id: string, contacts: number, complaints: number } | null
  listSkipReason: string | null
  size: DataSize
  timings: Record<string, number>
}

const PHONE_NUMBERS = 50
const DOMAINS = 20
const CAMPAIGNS_PER_LIST = 10
const BIG_ORG_ID = '01900000-0000-7000-8000-000000000001'
// Fixed, obviously-bench secrets: the database is a scratch one, dropped after the run.
const OWNER_KEY = `am_live_${'BenchOwnerKey'.padEnd(32, '0')}`
const PLATFORM_KEY = `am_live_${'BenchPlatformKey'.padEnd(32, '0')}`

const uuid = (prefix: string, n: number): string => {
  const hex = n.toString(16).padStart(12, '0')
  return `${prefix}-0000-7000-8000-${hex}`
}
const q = (text: string): string => `'${text.replace(/'/g, "''")}'`
const arrayLiteral = (values: string[]): string => `ARRAY[${values.map(q).join(',')}]::uuid[]`

/**
 * A UUIDv7 whose time part is `ts` (a timestamptz expression) and whose random part comes
 * from `seed` (an integer expression): ids sort like the real service's.
 */
const uuid7 = (ts: string, seed: string): string =>
  `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || substr(md5(${seed}::text), 1, 3) || '8' || substr(md5(${seed}::text), 4, 15))::uuid`

/** 0 ≤ h < 2^31, a deterministic hash of the row number with a salt. */
const h = (expr: string, salt: number): string => `(hashint4(${expr} * 31 + ${salt})::bigint & 2147483647)`

async function tableExists (sql: Sql, table: string): Promise<boolean> {
  const rows = await sql.rows<{ present: boolean }>(`SELECT to_regclass('public.${table}') IS NOT NULL AS present`)
  return rows[0]?.present === true
}

async function columnsOf (sql: Sql, table: string): Promise<Set<string>> {
  const rows = await sql.rows<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${q(table)}`)
  return new Set(rows.map((row) => row.column_name))
}

/**
 * Bulk loads are faster into a table without its secondary indexes: drop the ones that
 * do not back a constraint, load, and build them again from their saved definitions.
 */
async function withoutSecondaryIndexes (sql: Sql, tables: string[], load: () => Promise<void>): Promise<void> {
  const list = tables.map(q).join(',')
  const indexes = await sql.rows<{ indexname: string, indexdef: string }>(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN (${list})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)
  for (const index of indexes) await sql.exec(`DROP INDEX ${index.indexname}`)
  try {
    await load()
  } finally {
    for (const index of indexes) await sql.exec(index.indexdef)
  }
}

async function timed (timings: Record<string, number>, name: string, work: () => Promise<void>): Promise<void> {
  const started = performance.now()
  await work()
  timings[name] = Math.round(performance.now() - started)
}

export async function generate (sql: Sql, size: DataSize, options: { postgres: boolean, log: (line: string) => void }): Promise<Dataset> {
  const timings: Record<string, number> = {}
  const log = options.log
  if (options.postgres) {
    // A scratch database: skip FK triggers and WAL waits while loading (superuser only).
    await sql.exec('SET synchronous_commit = off')
    await sql.exec("SET maintenance_work_mem = '256MB'")
    try { await sql.exec('SET session_replication_role = replica') } catch { log('  (not superuser: foreign keys are checked while loading)') }
  }

  const orgIds = [BIG_ORG_ID, ...Array.from({ length: size.smallOrgs }, (_, i) => uuid('01900000', i + 2))]
  const phoneNumbers = Array.from({ length: PHONE_NUMBERS }, (_, i) => ({ id: uuid('01900001', i + 1), number: `+1202555${String(1000 + i).padStart(4, '0')}` }))
  const domains = Array.from({ length: DOMAINS }, (_, i) => ({ id: uuid('01900002', i + 1), name: `d${i + 1}.bench.example` }))
  const importDomain = { id: uuid('01900002', 901), name: 'import.bench.example' }
  const copyDomain = { id: uuid('01900002', 902), name: 'copy.bench.example' }
  const end = "(date_trunc('day', now()) - interval '2 days')"
  const yearMs = 365 * 24 * 3600 * 1000

  await timed(timings, 'organizations, keys, numbers, domains', async () => {
    await sql.exec(`INSERT INTO organizations (id, name, created_at) SELECT id, 'Bench org ' || n, now() - interval '400 days'
      FROM unnest(${arrayLiteral(orgIds)}) WITH ORDINALITY AS o(id, n)`)
    const key = (id: string, orgId: string | null, kind: string, role: string | null, scopes: readonly string[], secret: string): string =>
      `(${q(id)}, ${orgId === null ? 'NULL' : q(orgId)}, ${q(kind)}, ${role === null ? 'NULL' : q(role)}, ARRAY[${scopes.map(q).join(',')}]::text[], 'bench', ${q(secret.slice(0, 12))}, '\\x${hashSecret(secret).toString('hex')}'::bytea, now())`
    await sql.exec(`INSERT INTO api_keys (id, org_id, kind, role, scopes, label, prefix, key_hash, created_at) VALUES
      ${key(uuid('01900003', 1), BIG_ORG_ID, 'customer', 'owner', ROLE_SCOPES.owner, OWNER_KEY)},
      ${key(uuid('01900003', 2), null, 'platform', null, PLATFORM_SCOPES, PLATFORM_KEY)}`)
    await sql.exec(`INSERT INTO phone_numbers (org_id, id, number, created_at) VALUES ${phoneNumbers.map((p) => `(${q(BIG_ORG_ID)}, ${q(p.id)}, ${q(p.number)}, now())`).join(',')}`)
    await sql.exec(`INSERT INTO domains (org_id, id, name, created_at) VALUES ${[...domains, importDomain, copyDomain].map((d) => `(${q(BIG_ORG_ID)}, ${q(d.id)}, ${q(d.name)}, now())`).join(',')}`)
  })

  // Lists and campaigns (another module's tables): only when they exist.
  let list: Dataset['list'] = null
  let listSkipReason: string | null = null
  let campaignIds: string[] = []
  const listId = uuid('01900004', 1)
  const listContacts = Math.min(size.contacts, Math.floor(size.complaints / 10))
  if (await tableExists(sql, 'lists') && await tableExists(sql, 'campaigns') && await tableExists(sql, 'contacts')) {
    await timed(timings, 'list, campaigns, contacts', async () => {
      campaignIds = Array.from({ length: CAMPAIGNS_PER_LIST }, (_, i) => uuid('01900005', i + 1))
      await insertListAndCampaigns(sql, listId, campaignIds, listContacts)
    })
    list = { id: listId, contacts: listContacts, complaints: listContacts }
    log(`  list ${listId}: ${listContacts} contacts, ${CAMPAIGNS_PER_LIST} campaigns`)
  } else {
    listSkipReason = 'the lists/campaigns/contacts tables do not exist yet'
  }

  const n = size.complaints
  // Every 4 consecutive complaints share a created_at; a tenth (i % 10 = 0) are email
  // complaints of the list's contacts on its campaigns.
  const step = `(${yearMs}::double precision / ${Math.ceil(n / 4)})`
  const ts = `(${end} - ((i / 4) * ${step}) * interval '1 millisecond')::timestamptz(3)`
  const status = `(CASE WHEN ${h('i', 1)} % 10 < 4 THEN 'new' WHEN ${h('i', 1)} % 10 < 7 THEN 'triage' ELSE 'resolved' END)`
  const category = `((ARRAY['unwanted_contact','phishing_fraud','unsolicited_marketing','opt_out_not_honored','wrong_recipient','content_concern','other'])[1 + ${h('i', 2)} % 7])`
  const source = `((ARRAY['recipient','carrier','staff','feedback_loop','import'])[1 + ${h('i', 3)} % 5])`
  const numbers = arrayLiteral(phoneNumbers.map((p) => p.id))
  const domainIds = arrayLiteral(domains.map((d) => d.id))
  const campaigns = campaignIds.length > 0 ? arrayLiteral(campaignIds) : 'NULL::uuid[]'

  await timed(timings, `complaints (${n})`, async () => {
    await withoutSecondaryIndexes(sql, ['complaints'], async () => {
      await sql.exec(`
        INSERT INTO complaints (org_id, id, status, category, source, channel, reporter_number, reporter_email,
          phone_number_id, domain_id, campaign_id, list_id, excerpt, feedback_type, resolution_note, resolved_at, created_at, updated_at)
        SELECT ${q(BIG_ORG_ID)}, ${uuid7('ts', 'i')}, status, category, source, channel,
          CASE WHEN channel = 'sms' THEN '+1' || (2015550000 + ${h('i', 4)} % 7000000)::text END,
          CASE WHEN channel = 'email' THEN CASE WHEN on_list THEN 'c' || (i / 10) || '@contacts.example' ELSE 'r' || i || '@recipient.example' END END,
          CASE WHEN channel = 'sms' THEN (${numbers})[1 + ${h('i', 5)} % ${PHONE_NUMBERS}] END,
          CASE WHEN channel = 'email' THEN (${domainIds})[1 + ${h('i', 6)} % ${DOMAINS}] END,
          CASE WHEN on_list THEN (${campaigns})[1 + ${h('i', 7)} % ${CAMPAIGNS_PER_LIST}] END,
          CASE WHEN on_list THEN ${q(listId)}::uuid END,
          CASE channel WHEN 'sms' THEN 'Who is this? Stop texting me, I never signed up #' || i ELSE 'Subject: Your weekly offers #' || i END,
          CASE WHEN source = 'feedback_loop' THEN 'abuse' END,
          CASE WHEN status = 'resolved' THEN 'Removed from all lists; campaign reviewed.' END,
          CASE WHEN status = 'resolved' THEN ts + interval '3 hours' END,
          ts,
          ts + CASE status WHEN 'new' THEN interval '0' WHEN 'triage' THEN interval '1 hour' ELSE interval '3 hours' END
        FROM (
          SELECT i, ts, status, category, source,
            CASE WHEN source IN ('recipient', 'carrier') THEN 'sms' WHEN source = 'feedback_loop' THEN 'email'
              WHEN ${h('i', 8)} % 2 = 0 THEN 'sms' ELSE 'email' END AS channel,
            (i % 10 = 0 AND i / 10 <= ${listContacts} AND ${campaignIds.length > 0}) AS on_list
          FROM (SELECT i, ${ts} AS ts, ${status} AS status, ${category} AS category,
              CASE WHEN i % 10 = 0 AND i / 10 <= ${listContacts} AND ${campaignIds.length > 0} THEN 'feedback_loop' ELSE ${source} END AS source
            FROM generate_series(1, ${n}) AS i) AS base
        ) AS c`)
      // The small organizations: a few hundred complaints each, in the last month.
      await sql.exec(`
        INSERT INTO complaints (org_id, id, status, category, source, channel, reporter_number, created_at, updated_at)
        SELECT o.id, ${uuid7('ts', '(o.n * 100000 + i)')}, 'new', 'other', 'recipient', 'sms', '+12015550000', ts, ts
        FROM unnest(${arrayLiteral(orgIds.slice(1))}) WITH ORDINALITY AS o(id, n),
          LATERAL (SELECT i, (${end} - i * interval '1 minute')::timestamptz(3) AS ts FROM generate_series(1, ${size.smallOrgComplaints}) AS i) AS s`)
    })
  })

  await timed(timings, 'complaint events', async () => {
    await withoutSecondaryIndexes(sql, ['complaint_events'], async () => {
      // created, then new→triage an hour later, then triage→resolved two hours after that.
      await sql.exec(`
        INSERT INTO complaint_events (org_id, id, complaint_id, type, from_status, to_status, resolution_note, actor_kind, actor_label, created_at)
        SELECT c.org_id, ${uuid7('e.at', '(c.id::text || e.k)')}, c.id, e.type, e.from_status, e.to_status, e.note, e.actor_kind, e.actor_label, e.at
        FROM complaints c
        CROSS JOIN LATERAL (VALUES
          (0, 'created', NULL, 'new', NULL, 'system', 'ombuds', c.created_at),
          (1, 'status_changed', 'new', 'triage', NULL, 'customer', 'API key am_live_Benc…', c.created_at + interval '1 hour'),
          (2, 'status_changed', 'triage', 'resolved', c.resolution_note, 'customer', 'API key am_live_Benc…', c.created_at + interval '3 hours')
        ) AS e(k, type, from_status, to_status, note, actor_kind, actor_label, at)
        WHERE e.k = 0 OR (e.k = 1 AND c.status IN ('triage', 'resolved')) OR (e.k = 2 AND c.status = 'resolved')`)
    })
  })

  await timed(timings, 'complaint tallies', async () => {
    // Exactly what the service maintains: one row per (scope, status, category, source, channel).
    await sql.exec(`
      INSERT INTO complaint_tallies (org_id, scope, scope_id, status, category, source, channel, total)
      SELECT org_id, 'org', org_id, status, category, source, channel, count(*) FROM complaints GROUP BY org_id, status, category, source, channel
      UNION ALL
      SELECT org_id, 'campaign', campaign_id, status, category, source, channel, count(*) FROM complaints WHERE campaign_id IS NOT NULL GROUP BY org_id, campaign_id, status, category, source, channel
      UNION ALL
      SELECT org_id, 'phone_number', phone_number_id, status, category, source, channel, count(*) FROM complaints WHERE phone_number_id IS NOT NULL GROUP BY org_id, phone_number_id, status, category, source, channel
      UNION ALL
      SELECT org_id, 'domain', domain_id, status, category, source, channel, count(*) FROM complaints WHERE domain_id IS NOT NULL GROUP BY org_id, domain_id, status, category, source, channel`)
  })

  if (await tableExists(sql, 'list_complaint_days')) {
    await timed(timings, 'list complaint days', async () => {
      // The reports module's per-list, per-UTC-day counts, consistent with the rows.
      await sql.exec(`
        INSERT INTO list_complaint_days (org_id, list_id, day, total)
        SELECT org_id, list_id, (created_at AT TIME ZONE 'UTC')::date, count(*) FROM complaints
        WHERE list_id IS NOT NULL GROUP BY 1, 2, 3`)
    })
  }

  const s = size.suppressions
  await timed(timings, `suppressions (${s})`, async () => {
    await withoutSecondaryIndexes(sql, ['suppressions'], async () => {
      // Even rows: email (org or domain scope); odd rows: sms (org or phone-number scope).
      // Addresses are s<i>@suppressed.example and +1 303 <i>, so the check scenario can hit them.
      await sql.exec(`
        INSERT INTO suppressions (org_id, id, channel, address, scope, scope_id, phone_number_id, domain_id, reason, created_at)
        SELECT ${q(BIG_ORG_ID)}, ${uuid7('ts', '(i + 50000000)')}, channel, address, scope,
          CASE scope WHEN 'org' THEN ${q(BIG_ORG_ID)}::uuid WHEN 'domain' THEN domain_id ELSE phone_number_id END,
          phone_number_id, domain_id, reason, ts
        FROM (
          SELECT i, ts, channel, scope,
            CASE WHEN channel = 'email' THEN 's' || i || '@suppressed.example' ELSE '+1303' || lpad(i::text, 7, '0') END AS address,
            CASE WHEN scope = 'phone_number' THEN (${numbers})[1 + ${h('i', 11)} % ${PHONE_NUMBERS}] END AS phone_number_id,
            CASE WHEN scope = 'domain' THEN (${domainIds})[1 + ${h('i', 12)} % ${DOMAINS}] END AS domain_id,
            (ARRAY['opt_out','complaint','manual','import'])[1 + ${h('i', 13)} % 4] AS reason
          FROM (
            SELECT i, (${end} - (${h('i', 9)} % ${yearMs}) * interval '1 millisecond')::timestamptz(3) AS ts,
              CASE WHEN i % 2 = 0 THEN 'email' ELSE 'sms' END AS channel,
              CASE WHEN ${h('i', 10)} % 3 = 0 THEN 'org' WHEN i % 2 = 0 THEN 'domain' ELSE 'phone_number' END AS scope
            FROM generate_series(1, ${s}) AS i) AS base
        ) AS r`)
    })
  })

  if (await tableExists(sql, 'suppression_tallies')) {
    await timed(timings, 'suppression tallies', async () => {
      // Kept by statement triggers, which do not fire while loading (replica role): recount.
      await sql.exec('DELETE FROM suppression_tallies')
      await sql.exec(`INSERT INTO suppression_tallies (org_id, scope_id, channel, reason, total)
        SELECT org_id, scope_id, channel, reason, count(*) FROM suppressions GROUP BY 1, 2, 3, 4`)
    })
  }

  await timed(timings, 'vacuum analyze', async () => {
    if (options.postgres) await sql.exec('SET session_replication_role = DEFAULT')
    await sql.exec('VACUUM ANALYZE')
  })
  return {
    bigOrgId: BIG_ORG_ID, ownerKey: OWNER_KEY, platformKey: PLATFORM_KEY, phoneNumbers, domains, importDomain, copyDomain, list, listSkipReason, size, timings
  }
}

/** Filled in from the lists migration once it exists (columns read from the catalog). */
async function insertListAndCampaigns (sql: Sql, listId: string, campaignIds: string[], contacts: number): Promise<void> {
  const listColumns = await columnsOf(sql, 'lists')
  const campaignColumns = await columnsOf(sql, 'campaigns')
  const contactColumns = await columnsOf(sql, 'contacts')
  const values = (columns: Set<string>, wanted: Record<string, string>): { names: string, exprs: string } => {
    const entries = Object.entries(wanted).filter(([name]) => columns.has(name))
    return { names: entries.map(([name]) => name).join(', '), exprs: entries.map(([, expr]) => expr).join(', ') }
  }
  const l = values(listColumns, { org_id: q(BIG_ORG_ID), id: q(listId), name: "'Bench newsletter'", external_id: "'bench-list'", created_at: 'now()', updated_at: 'now()' })
  await sql.exec(`INSERT INTO lists (${l.names}) VALUES (${l.exprs})`)
  const c = values(campaignColumns, {
    org_id: q(BIG_ORG_ID),
    id: 'c.id',
    name: "'Bench campaign ' || c.n",
    channel: "'email'",
    list_id: q(listId),
    domain_id: 'NULL',
    phone_number_id: 'NULL',
    external_id: "'bench-campaign-' || c.n",
    sent_count: '1000000',
    created_at: 'now()',
    updated_at: 'now()'
  })
  await sql.exec(`INSERT INTO campaigns (${c.names}) SELECT ${c.exprs} FROM unnest(${arrayLiteral(campaignIds)}) WITH ORDINALITY AS c(id, n)`)
  const k = values(contactColumns, {
    org_id: q(BIG_ORG_ID),
    id: uuid7('now()', '(i + 90000000)'),
    email: "'c' || i || '@contacts.example'",
    phone: 'NULL',
    first_name: "'First' || i",
    last_name: "'Last' || i",
    company: "'Company ' || (i % 1000)",
    address1: "i || ' Main St'",
    address2: "''",
    city: "'Springfield'",
    state: "'IL'",
    zip: "lpad((i % 100000)::text, 5, '0')",
    country: "'US'",
    fax: "''",
    created_at: 'now()',
    updated_at: 'now()'
  })
  await sql.exec(`INSERT INTO contacts (${k.names}) SELECT ${k.exprs} FROM generate_series(1, ${contacts}) AS i`)
  if (await tableExists(sql, 'list_members')) {
    await sql.exec(`INSERT INTO list_members (org_id, list_id, contact_id, created_at)
      SELECT org_id, ${q(listId)}, id, created_at FROM contacts WHERE org_id = ${q(BIG_ORG_ID)}`)
  }
}
