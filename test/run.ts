import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir, totalmem } from 'node:os'
import { dirname, join, relative } from 'node:path'
import pg from 'pg'
import { inheritedEnvironment, testDatabaseUrl } from '../src/config.js'
import { distIsStale } from './built-cli.js'
import { ensurePgliteTemplate } from './template.js'

/**
 * `npm test`: prepares the migrated PGlite template once, checks PostgreSQL when
 * DATABASE_URL is set, then runs every test file with node's test runner (each file runs
 * its suites on PGlite and, with DATABASE_URL, on PostgreSQL too), as many files at a time
 * as the machine has cores and memory for.
 * Extra arguments narrow the run: `npm test -- test/complaints`.
 * `npm run test:unit` (`--unit`) runs only the pure suites: no database, no child process, no
 * browser, so no template either; they take seconds.
 * Files start slowest first (by the durations of earlier runs, kept in .ombuds/test-timings.json),
 * so the long ones do not end up running alone at the end; at the end the slowest files are listed.
 */
const started = Date.now()
const unitOnly = process.argv.includes('--unit')
const selected = process.argv.slice(2).filter((argument) => argument !== '--unit')
const testRoot = join(import.meta.dirname, '.')
const TIMINGS = join(testRoot, '..', '.ombuds', 'test-timings.json')
const earlierTimings = readTimings(TIMINGS)
const files = listTestFiles(testRoot)
  .filter((file) => selected.length === 0 || selected.some((prefix) => relative(process.cwd(), file).startsWith(prefix.replace(/^\.\//, ''))))
  .filter((file) => !unitOnly || isUnitSuite(file))
  // A file never timed yet goes first: it may be a slow one.
  .sort((a, b) => (earlierTimings[relative(testRoot, b)] ?? Infinity) - (earlierTimings[relative(testRoot, a)] ?? Infinity))

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
  // The suites that spawn `ombuds` run the built bin (test/built-cli.ts): build it when src/ is newer.
  if (distIsStale()) {
    const compiling = Date.now()
    const tsc = spawnSync(process.execPath, [join(testRoot, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: join(testRoot, '..') })
    if (tsc.status !== 0) process.exit(1)
    process.stdout.write(`# compiled src/ to dist/ in ${Date.now() - compiling} ms\n`)
  }
}

// One file per core, but never more files at once than there are GiB of memory: every
// file holds its own in-memory PGlite databases (a few hundred MB at peak).
const GIB = 1024 ** 3
const concurrency = Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / GIB)))

const scratch = mkdtempSync(join(tmpdir(), 'ombuds-test-run-'))
const timingsOfThisRun = join(scratch, 'timings.json')
const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout',
  `--test-reporter=${join(testRoot, 'timings-reporter.mjs')}`, `--test-reporter-destination=${timingsOfThisRun}`,
  ...files
], {
  stdio: 'inherit',
  env: inheritedEnvironment(env)
})
child.on('exit', (code, signal) => {
  reportTimings(readTimings(timingsOfThisRun))
  rmSync(scratch, { recursive: true, force: true })
  process.exit(code ?? (signal !== null ? 1 : 0))
})

/** Durations per file (ms), keyed by the path under test/; {} when there are none yet. */
function readTimings (path: string): Record<string, number> {
  if (!existsSync(path)) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>
  } catch {
    return {}
  }
}

/** Prints the slowest files of this run and remembers every file's duration for the next run's order. */
function reportTimings (absolute: Record<string, number>): void {
  const timings = Object.fromEntries(Object.entries(absolute).map(([file, ms]) => [relative(testRoot, file), ms]))
  const slowest = Object.entries(timings).sort(([, a], [, b]) => b - a).slice(0, 10)
  process.stdout.write(`# ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s, ${concurrency} at a time; slowest (their tests' durations):\n`)
  for (const [file, ms] of slowest) process.stdout.write(`#   ${(ms / 1000).toFixed(1).padStart(6)} s  test/${file}\n`)
  mkdirSync(dirname(TIMINGS), { recursive: true })
  writeFileSync(TIMINGS, JSON.stringify({ ...readTimings(TIMINGS), ...timings }, null, 2) + '\n')
}

/**
 * A pure suite imports neither the database helper nor anything that starts processes or a
 * browser, itself or through the test folder's own helpers (`test/trust/server-process.ts`
 * starts servers, so the suites using it are not pure).
 */
function isUnitSuite (file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return true
  seen.add(file)
  const source = readFileSync(file, 'utf8')
  if (/from '(\.\.\/)+helper\.js'|from 'node:child_process'|from '(\.\.\/)+browser\.js'/.test(source)) return false
  const testHelpers = [...source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)]
    .map((match) => join(dirname(file), `${match[1] as string}.ts`))
    .filter((helper) => !relative(testRoot, helper).startsWith('..') && existsSync(helper))
  return testHelpers.every((helper) => isUnitSuite(helper, seen))
}

function listTestFiles (folder: string): string[] {
  return readdirSync(folder).sort().flatMap((entry) => {
    const path = join(folder, entry)
    if (statSync(path).isDirectory()) return entry === 'fixtures' ? [] : listTestFiles(path)
    return entry.endsWith('.test.ts') ? [path] : []
  })
}
