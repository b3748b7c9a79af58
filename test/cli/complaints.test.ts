import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { parse } from 'csv-parse/sync'
import { startTestApp, type TestContext, type TestOrg, testDatabases, unknownKey } from '../helper.js'
import { jsonLines, runCli, spawnCli } from './run-cli.js'

interface Complaint { id: string, status: string, channel: string, reporter_number: string | null, excerpt: string | null }

const BULK = 100_000

/** `count` SMS complaints for the organization, written in one statement (a tenth of them resolved). */
async function insertComplaints (ctx: TestContext, orgId: string, count: number, excerpt: string): Promise<void> {
  await sql`
    INSERT INTO complaints (org_id, id, status, category, source, channel, reporter_number, excerpt, resolved_at, created_at, updated_at)
    SELECT ${orgId}::uuid, gen_random_uuid(), CASE WHEN i % 10 = 0 THEN 'resolved' ELSE 'new' END, 'other', 'recipient', 'sms',
      '+1415' || lpad(i::text, 7, '0'), ${excerpt} || ' #' || i, CASE WHEN i % 10 = 0 THEN now() END,
      now() - i * interval '1 second', now() - i * interval '1 second'
    FROM generate_series(1, ${count}) AS i`.execute(ctx.store.db)
}

/** Reads a process's resident memory in MB (Linux). */
function rssMb (pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match === null ? 0 : Number(match[1]) / 1024
}

for (const database of testDatabases()) {
  describe(`ombuds complaints against a running server (${database})`, () => {
    let ctx: TestContext
    let org: TestOrg
    let env: Record<string, string>
    const folder = mkdtempSync(join(tmpdir(), 'ombuds-cli-complaints-'))
    before(async () => {
      ctx = await startTestApp(database)
      org = await ctx.createOrg()
      env = { OMBUDS_URL: await ctx.app.listen({ port: 0, host: '127.0.0.1' }), OMBUDS_KEY: org.ownerKey }
      // A quote, a comma and a line break: what CSV must escape.
      await insertComplaints(ctx, org.id, 250, 'Stop, "please"\nnow')
    })
    after(async () => {
      await ctx.close()
      rmSync(folder, { recursive: true, force: true })
    })

    test('complaints list: a table for people, JSON lines for scripts, with filters and --limit', async () => {
      const table = await runCli(['complaints', 'list'], env)
      assert.equal(table.code, 0, table.stderr)
      const [header, ...rows] = table.stdout.trimEnd().split('\n')
      assert.match(header ?? '', /^ID +CREATED_AT +STATUS +CATEGORY +SOURCE +CHANNEL +REPORTER +EXCERPT$/)
      assert.equal(rows.length, 20, '20 by default')
      assert.match(rows[0] ?? '', /^[0-9a-f-]{36} .* new +other +recipient +sms +\+14150000001 +Stop, "please" now #1$/)

      const json = await runCli(['complaints', 'list', '--json', '--status', 'resolved', '--limit', 'all'], env)
      assert.equal(json.code, 0, json.stderr)
      const resolved = jsonLines<Complaint>(json.stdout)
      assert.equal(resolved.length, 25)
      assert.ok(resolved.every((complaint) => complaint.status === 'resolved'))
      const few = jsonLines<Complaint>((await runCli(['complaints', 'list', '--json', '--limit', '130'], env)).stdout)
      assert.equal(few.length, 130, 'a limit over one page walks the pages')
      assert.equal(new Set(few.map((complaint) => complaint.id)).size, 130)

      const bad = await runCli(['complaints', 'list', '--limit', 'lots'], env)
      assert.equal(bad.code, 2)
      assert.match(bad.stderr, /option '--limit <n>' argument 'lots' is invalid/)
    })

    test('complaints export: every page as CSV or JSON lines, to stdout or a file', async () => {
      const jsonl = await runCli(['complaints', 'export', '--format', 'jsonl', '--status', 'new'], env)
      assert.equal(jsonl.code, 0, jsonl.stderr)
      const exported = jsonLines<Complaint & Record<string, unknown>>(jsonl.stdout)
      assert.equal(exported.length, 225)
      assert.match(jsonl.stderr, /(^|\n)ombuds: exporting complaints: 225 rows in [\d.]+ s \([\d,]+ rows\/s\)\n$/, 'not a terminal: a summary line')

      const out = join(folder, 'complaints.csv')
      const csv = await runCli(['complaints', 'export', '--out', out], env)
      assert.equal(csv.code, 0, csv.stderr)
      assert.equal(csv.stdout, '')
      const records = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>
      assert.equal(records.length, 250)
      assert.deepEqual(Object.keys(records[0] ?? {}), Object.keys(exported[0] ?? {}), 'the CSV has every field of the API, in its order')
      const first = exported[0]
      assert.ok(first)
      assert.equal(records.find((record) => record.id === first.id)?.excerpt, first.excerpt, 'quotes, commas and line breaks survive')
      assert.equal(records.filter((record) => record.resolved_at === '').length, 225, 'null is an empty cell')

      const denied = await runCli(['complaints', 'export', '--out', join(folder, 'denied.csv')], { ...env, OMBUDS_KEY: unknownKey() })
      assert.equal(denied.code, 1)
      assert.match(denied.stderr, /^ombuds: .+ \[UNAUTHORIZED, HTTP 401, request [\w-]+\]\n$/)
      assert.throws(() => statSync(join(folder, 'denied.csv.partial')), 'a failed export leaves no partial file')
    })

    test('a reader that stops early ends the export quietly (exit 0, nothing on stderr)', async () => {
      const child = spawnCli(['complaints', 'export', '--format', 'jsonl'], env)
      let stderr = ''
      child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      child.stdout?.once('data', () => { child.stdout?.destroy() }) // like `| head -1`
      const [code] = await once(child, 'close') as [number | null]
      assert.equal(code, 0, stderr)
      assert.equal(stderr, '')
    })

    test(`complaints export of ${BULK.toLocaleString('en')} complaints runs in constant memory`, async (t) => {
      const big = await ctx.createOrg()
      await insertComplaints(ctx, big.id, BULK, 'Bulk')
      const out = join(folder, 'bulk.csv')
      const child = spawnCli(['complaints', 'export', '--format', 'csv', '--out', out], { ...env, OMBUDS_KEY: big.ownerKey })
      let stderr = ''
      child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      // Memory once the export is under way (a tenth of the rows), against its peak after.
      const pid = child.pid ?? 0
      let settled = 0
      let halfway = 0
      let peak = 0
      const sampler = setInterval(() => {
        try {
          const partial = statSync(`${out}.partial`).size
          const rss = rssMb(pid)
          if (settled === 0 && partial > 1_500_000) settled = rss
          if (halfway === 0 && partial > 9_000_000) halfway = peak
          if (settled !== 0) peak = Math.max(peak, rss)
        } catch {} // not started yet, or done
      }, 25)
      const [code] = await once(child, 'close') as [number | null]
      clearInterval(sampler)
      assert.equal(code, 0, stderr)
      const lines = readFileSync(out, 'utf8').split('\n').length - 2
      assert.equal(lines, BULK)
      assert.ok(settled > 0 && peak > 0, 'memory was sampled during the export')
      t.diagnostic(`RSS ${settled.toFixed(1)} MB at 10% of the export, peak ${halfway.toFixed(1)} MB by half way, ${peak.toFixed(1)} MB at the end`)
      // The heap sizes itself in the first half; a CLI that kept its rows (about a kilobyte each
      // as objects) would grow by 50 MB or more again over the second 50,000.
      assert.ok(peak - halfway < 20, `RSS grew by ${(peak - halfway).toFixed(1)} MB over the second half of the export (from ${halfway.toFixed(1)} MB)`)
      assert.ok(peak - settled < 60, `RSS grew by ${(peak - settled).toFixed(1)} MB over the export (from ${settled.toFixed(1)} MB)`)
    })
  })
}
