import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { join, relative } from 'node:path'
import pg from 'pg'
import { inheritedEnvironment, testDatabaseUrl } from '../src/config.js'
import { ensurePgliteTemplate } from './template.js'

/**
 * `npm test`: prepares the migrated PGlite template once, checks PostgreSQL when
 * DATABASE_URL is set, then runs every test file with node's test runner (each file runs
 * its suites on PGlite and, with DATABASE_URL, on PostgreSQL too), as many files at a time
 * as the machine has cores and memory for.
 * Extra arguments narrow the run: `npm test -- test/complaints`.
 * `npm run test:unit` (`--unit`) runs only the pure suites: no database, no child process, no
 * browser, so no template either; they take seconds.
 */
const started = Date.now()
const unitOnly = process.argv.includes('--unit')
const selected = process.argv.slice(2).filter((argument) => argument !== '--unit')
const testRoot = join(import.meta.dirname, '.')
const files = listTestFiles(testRoot)
  .filter((file) => selected.length === 0 || selected.some((prefix) => relative(process.cwd(), file).startsWith(prefix.replace(/^\.\//, ''))))
  .filter((file) => !unitOnly || isUnitSuite(file))

const env: Record<string, string> = {}
if (!unitOnly) {
  env.OMBUDS_TEST_TEMPLATE = await ensurePgliteTemplate()
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
}

// One file per core, but never more files at once than there are GiB of memory: every
// file holds its own in-memory PGlite databases (a few hundred MB at peak).
const GIB = 1024 ** 3
const concurrency = Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / GIB)))

const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  env: inheritedEnvironment(env)
})
child.on('exit', (code, signal) => { process.exit(code ?? (signal !== null ? 1 : 0)) })

/** A pure suite imports neither the database helper nor anything that starts processes or a browser. */
function isUnitSuite (file: string): boolean {
  return !/from '(\.\.\/)+helper\.js'|from 'node:child_process'|from '(\.\.\/)+browser\.js'/.test(readFileSync(file, 'utf8'))
}

function listTestFiles (folder: string): string[] {
  return readdirSync(folder).sort().flatMap((entry) => {
    const path = join(folder, entry)
    if (statSync(path).isDirectory()) return entry === 'fixtures' ? [] : listTestFiles(path)
    return entry.endsWith('.test.ts') ? [path] : []
  })
}
