import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { sql } from 'kysely'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'

for (const database of testDatabases()) {
  describe(`the store (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    // PGlite reads run as EXECUTE of prepared statements with parameters written as SQL
    // literals; whatever a parameter holds must come back exactly, never be read as SQL.
    test('read parameters round-trip exactly, whatever they contain', async () => {
      const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\0'))
      await fc.assert(fc.asyncProperty(text, fc.array(text, { maxLength: 4 }), fc.integer(), async (value, list, number) => {
        const result = await sql<{ value: string, list: string[], number: number }>`
          SELECT ${value}::text AS value, ${list}::text[] AS list, ${number}::int AS number`.execute(ctx.store.db)
        assert.deepEqual(result.rows[0], { value, list, number })
      }), { numRuns: 300 })
      for (const hostile of ["'); DROP TABLE complaints; --", "\\'; SELECT 1; --", '"}{\'', "'''"]) {
        const result = await sql<{ value: string }>`SELECT ${hostile}::text AS value`.execute(ctx.store.db)
        assert.equal(result.rows[0]?.value, hostile)
      }
      const complaints = await sql<{ n: number }>`SELECT count(*)::int AS n FROM complaints`.execute(ctx.store.db)
      assert.equal(typeof complaints.rows[0]?.n, 'number')
    })

    test('timestamps keep exactly millisecond precision', async () => {
      const moment = new Date('2026-04-26T12:00:00.123Z')
      const result = await sql<{ at: Date }>`SELECT ${moment}::timestamptz(3) AS at`.execute(ctx.store.db)
      assert.equal(result.rows[0]?.at.toISOString(), '2026-04-26T12:00:00.123Z')
    })
  })
}
