import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import pg from 'pg'
import { testDatabaseUrl } from '../src/config.js'
import { ensurePgliteTemplate } from './template.js'

/**
 * `npm test`: prepares the migrated PGlite template once, checks PostgreSQL when
 * DATABASE_URL is set, then runs every test file with node's test runner (each file runs
 * its suites on PGlite and, with DATABASE_URL, on PostgreSQL too).
 * Extra arguments narrow the run: `npm test -- test/complaints`.
 */
const started = Date.now()
const template = await ensurePgliteTemplate()
const databaseUrl = testDatabaseUrl()
if (databaseUrl !== null) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect().catch((error: unknown) => {
    process.stderr.write(`DATABASE_URL is set but PostgreSQL is unreachable: ${String(error)}\n`)
    process.exit(1)
  })
  await client.end()
}
process.stdout.write(`# template ready in ${Date.now() - started} ms; databases: pglite${databaseUrl !== null ? ', postgres' : ''}\n`)

const testRoot = join(import.meta.dirname, '.')
const selected = process.argv.slice(2)
const files = listTestFiles(testRoot).filter((file) => selected.length === 0 || selected.some((prefix) => relative(process.cwd(), file).startsWith(prefix.replace(/^\.\//, ''))))

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, OMBUDS_TEST_TEMPLATE: template }
})
child.on('exit', (code, signal) => { process.exit(code ?? (signal !== null ? 1 : 0)) })

function listTestFiles (folder: string): string[] {
  return readdirSync(folder).sort().flatMap((entry) => {
    const path = join(folder, entry)
    if (statSync(path).isDirectory()) return entry === 'fixtures' ? [] : listTestFiles(path)
    return entry.endsWith('.test.ts') ? [path] : []
  })
}
