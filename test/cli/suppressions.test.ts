import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { addDomain, addNumber, type SuppressionJson } from '../suppressions/fixtures.js'
import { jsonLines, runCli } from './run-cli.js'

const email = (i: number): string => `person${i}@import.example`

for (const database of testDatabases()) {
  describe(`ombuds suppressions and mailgun import against a running server (${database})`, () => {
    let ctx: TestContext
    let url: string
    const folder = mkdtempSync(join(tmpdir(), 'ombuds-cli-suppressions-'))
    before(async () => {
      ctx = await startTestApp(database)
      url = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    })
    after(async () => {
      await ctx.close()
      rmSync(folder, { recursive: true, force: true })
    })
    const as = (org: TestOrg): Record<string, string> => ({ OMBUDS_URL: url, OMBUDS_KEY: org.ownerKey })
    const total = async (org: TestOrg, query = ''): Promise<number> =>
      ((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/suppressions?limit=1${query}` })).json().meta as { total: number }).total

    test('suppressions import: CSV in batches of 1,000; a re-run after a failure adds nothing twice', async () => {
      const org = await ctx.createOrg()
      const domain = await addDomain(ctx, org)
      const rows = Array.from({ length: 2500 }, (_, i) => `email,${email(i)},${i % 2 === 0 ? domain.id : ''}`)
      rows[2200] = 'email,not an address,'
      const file = join(folder, 'suppressions.csv')
      writeFileSync(file, `channel,address,domain_id\n${rows.join('\n')}\n`)

      const failed = await runCli(['suppressions', 'import', file], as(org))
      assert.equal(failed.code, 1)
      // The last line (plain progress lines may come before it on a slow machine).
      assert.match(failed.stderr, new RegExp(`(^|\\n)ombuds: ${file}: line 2202: address .+ \\[VALIDATION_FAILED, HTTP 422, request [\\w-]+\\]; ` +
        'the 2,000 rows before this batch are stored: fix the file and run the same command again \\(batches already sent are not sent twice\\)\\n$'))
      assert.equal(await total(org), 2000, 'the first two batches are stored, the third is not')

      rows[2200] = `email,${email(2200)},${domain.id}`
      writeFileSync(file, `channel,address,domain_id\n${rows.join('\n')}\n`)
      const rerun = await runCli(['suppressions', 'import', file], as(org))
      assert.equal(rerun.code, 0, rerun.stderr)
      assert.equal(rerun.stdout, 'Imported 2,500 rows in 3 batches (2 already sent by an earlier run, not sent twice)\n')
      assert.match(rerun.stderr, /^ombuds: importing suppressions: 2,500 rows in [\d.]+ s/m)
      assert.equal(await total(org), 2500)
      assert.equal(await total(org, `&domain_id=${domain.id}`), 1250, 'domain_id scopes a row to the domain')
    })

    test('suppressions import: JSON lines, phone-number scope; bad files fail naming the line', async () => {
      const org = await ctx.createOrg()
      const number = await addNumber(ctx, org)
      const file = join(folder, 'suppressions.jsonl')
      writeFileSync(file, [
        JSON.stringify({ channel: 'sms', address: '(415) 555-0101' }),
        '',
        JSON.stringify({ channel: 'sms', address: '+14155550102', phone_number_id: number.id })
      ].join('\n'))
      const imported = await runCli(['suppressions', 'import', file], as(org))
      assert.equal(imported.code, 0, imported.stderr)
      assert.equal(imported.stdout, 'Imported 2 rows in 1 batches\n')
      const exported = await runCli(['suppressions', 'export', '--format', 'jsonl', '--channel', 'sms'], as(org))
      const rows = jsonLines<SuppressionJson>(exported.stdout)
      assert.deepEqual(rows.map((row) => [row.address, row.scope]).sort(), [['+14155550101', 'org'], ['+14155550102', 'phone_number']])

      const unknownField = join(folder, 'unknown.csv')
      writeFileSync(unknownField, 'channel,address,reason\nemail,a@b.example,manual\n')
      const unknown = await runCli(['suppressions', 'import', unknownField], as(org))
      assert.equal(unknown.code, 1)
      assert.equal(unknown.stderr, `ombuds: ${unknownField}, line 2: unknown field "reason" (the fields are channel, address, phone_number_id, domain_id)\n`)
      const notJson = join(folder, 'broken.jsonl')
      writeFileSync(notJson, '{"channel":"sms","address":"+14155550103"}\n{oops\n')
      const broken = await runCli(['suppressions', 'import', notJson], as(org))
      assert.equal(broken.code, 1)
      assert.equal(broken.stderr, `ombuds: ${notJson}, line 2: not a JSON object\n`)
      const missing = await runCli(['suppressions', 'import', join(folder, 'absent.csv')], as(org))
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /^ombuds: cannot read .*absent\.csv: ENOENT/)
      assert.equal(await total(org), 2, 'nothing of the failed files was stored')
    })

    test('suppressions export: every suppression as CSV with filters', async () => {
      const org = await ctx.createOrg()
      const file = join(folder, 'many.csv')
      writeFileSync(file, `channel,address\n${Array.from({ length: 230 }, (_, i) => `email,${email(i)}`).join('\n')}\n`)
      assert.equal((await runCli(['suppressions', 'import', file], as(org))).code, 0)
      const out = join(folder, 'export.csv')
      const exported = await runCli(['suppressions', 'export', '--out', out, '--reason', 'manual'], as(org))
      assert.equal(exported.code, 0, exported.stderr)
      const records = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>
      assert.equal(records.length, 230)
      assert.deepEqual(Object.keys(records[0] ?? {}), ['id', 'org_id', 'channel', 'address', 'scope', 'phone_number_id', 'domain_id', 'reason', 'complaint_id', 'created_at'])
      assert.deepEqual(new Set(records.map((record) => record.address)), new Set(Array.from({ length: 230 }, (_, i) => email(i))))
      const none = await runCli(['suppressions', 'export', '--reason', 'opt_out'], as(org))
      assert.equal(none.stdout, 'id,org_id,channel,address,scope,phone_number_id,domain_id,reason,complaint_id,created_at\n')
    })

    test('mailgun import: a Mailgun complaints CSV into a domain; a re-run adds nothing twice', async () => {
      const org = await ctx.createOrg()
      const domain = await addDomain(ctx, org)
      const file = join(folder, 'mailgun.csv')
      const lines = Array.from({ length: 300 }, (_, i) => `${email(i)},"Mon, 07 Dec 2026 10:00:00 UTC"`)
      writeFileSync(file, `address,created_at\n${lines.join('\n')}\n`)
      const imported = await runCli(['mailgun', 'import', file, '--domain', domain.name], as(org))
      assert.equal(imported.code, 0, imported.stderr)
      assert.equal(imported.stdout, `Imported 300 complaints into ${domain.name}\n`)
      const again = await runCli(['mailgun', 'import', file, '--domain', domain.name], as(org))
      assert.equal(again.code, 0, again.stderr)
      assert.equal(await total(org, `&domain_id=${domain.id}`), 300)
      const listed = await ctx.request(null, {
        method: 'GET', url: `/v3/${domain.name}/complaints?limit=1000`, headers: { authorization: `Basic ${Buffer.from(`api:${org.ownerKey}`).toString('base64')}` }
      })
      assert.equal((listed.json() as { items: unknown[] }).items.length, 300)

      writeFileSync(file, `address,created_at\n${email(1)},\nnot-an-address,\n`)
      const bad = await runCli(['mailgun', 'import', file, '--domain', domain.name], as(org))
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /^ombuds: .*line 3.*not a valid email address.*\[.+, HTTP 400/)
      const unknownDomain = await runCli(['mailgun', 'import', file, '--domain', 'nowhere.example'], as(org))
      assert.equal(unknownDomain.code, 1)
      assert.match(unknownDomain.stderr, /Domain not found \[NOT_FOUND, HTTP 404/)
    })
  })
}
