import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { dirname, join, relative } from 'node:path'
import pg from 'pg'
import { inheritedEnvironment, testDatabaseUrl } from '../src/config.js'
import { distIsStale } from './built-cli.js'
import type { FileCounts, WorkerMessage } from './file-reporter.js'
import { ensurePgliteTemplate } from './template.js'

/**
 * `npm test`: prepares the migrated PGlite template once, checks PostgreSQL when
 * DATABASE_URL is set, then runs every test file with node's test runner (each file runs
 * its suites on PGlite and, with DATABASE_URL, on PostgreSQL too) in worker processes
 * (test/worker.ts), one per core unless `--workers N`, each running file after file.
 * Extra arguments narrow the run: `npm test -- test/complaints`.
 * `npm run test:unit` (`--unit`) runs only the pure suites: no database, no child process, no
 * browser, so no template either; they take seconds.
 * Files start slowest first (by the durations of earlier runs, kept in .ombuds/test-timings.json),
 * so the long ones do not end up running alone at the end; at the end the slowest files are listed.
 */
const started = Date.now()
const unitOnly = process.argv.includes('--unit')
const selected = process.argv.slice(2).filter((argument, index, all) => argument !== '--unit' && argument !== '--workers' && all[index - 1] !== '--workers')
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

const GIB = 1024 ** 3
const LINGER_MS = 30_000
const workerCount = workersWanted()
const format = process.stdout.isTTY ? 'spec' : 'tap'
const totals: Omit<FileCounts, 'failed'> = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0, durationMs: 0 }
const timings: Record<string, number> = {}
/** CPU time per file (ms): the worker's and its child processes' (test/worker.ts). */
const cpuTimes: Record<string, number> = {}
/** What failed, one line each, repeated at the end of the output. */
const problems: string[] = []
// Files that time CPU work (they say `test-run: alone` in a comment) run after the others, with
// no file beside them: a database suite on the other core (a hyperthread sibling here) slows
// every measured call for as long as it runs (seen: the classifier's p99 54 µs beside one, 35 µs alone).
const alone = files.filter(runsAlone)
const queue = files.filter((file) => !alone.includes(file))
process.stdout.write(format === 'tap' ? 'TAP version 13\n' : '')
await Promise.all(Array.from({ length: Math.min(workerCount, queue.length) }, async () => { await runWorker() }))
if (alone.length > 0) {
  queue.push(...alone)
  await runWorker()
}
reportTimings()
printSummary()
process.exit(problems.length > 0 || totals.fail + totals.cancelled > 0 ? 1 : 0)

/**
 * One worker process (test/worker.ts) running files from the queue until it is empty. A worker
 * that dies takes the files it was given with it (each is reported as failed) and another one
 * takes over the rest of the queue.
 */
async function runWorker (): Promise<void> {
  const child = spawn(process.execPath, [
    '--import', 'tsx', `--test-reporter=${join(testRoot, 'file-reporter.ts')}`, '--test-reporter-destination=stdout',
    join(testRoot, 'worker.ts'), ...(format === 'spec' ? ['--spec'] : [])
  ], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: inheritedEnvironment(env) })
  const running = new Set<string>()
  let reportedFailures = 0
  let lingering: NodeJS.Timeout | undefined
  const assignNext = (): void => {
    const file = queue.shift() ?? null
    if (file !== null) running.add(file)
    child.send({ file })
    // Every file is done: a worker still alive a while later holds a handle some test left open.
    if (file === null) {
      lingering = setTimeout(() => {
        problems.push(`a test worker was still running ${LINGER_MS / 1000} s after its last file: a test left a timer, server or process behind`)
        child.kill('SIGKILL')
      }, LINGER_MS)
    }
  }
  child.on('message', (message: WorkerMessage) => {
    switch (message.type) {
      case 'ready':
        assignNext()
        break
      case 'file': {
        running.delete(message.file)
        process.stdout.write(message.output)
        const { failed, ...counts } = message.counts
        for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += counts[key]
        timings[relative(testRoot, message.file)] = counts.durationMs
        reportedFailures += failed.length
        problems.push(...failed.map((name) => `${relative(process.cwd(), message.file)}: ${name}`))
        assignNext()
        break
      }
      case 'cpu':
        cpuTimes[relative(testRoot, message.file)] = message.cpuMs
        break
      case 'load-failed':
        reportedFailures++
        problems.push(`${relative(process.cwd(), message.file)}: did not load`)
        process.stdout.write(`# ${relative(process.cwd(), message.file)} did not load:\n${message.output.replace(/^/gm, '#   ')}\n`)
        break
      case 'stray':
        reportedFailures++
        problems.push(`an uncaught error while ${[...running].map((file) => relative(process.cwd(), file)).join(', ') || 'no file'} ran (see the output above)`)
        process.stdout.write(message.output)
        break
    }
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('exit', (exitCode, exitSignal) => { resolve([exitCode, exitSignal]) })
  })
  clearTimeout(lingering)
  const how = signal !== null ? `signal ${signal}` : `code ${code}`
  if (running.size > 0) {
    for (const file of running) problems.push(`${relative(process.cwd(), file)}: its worker exited (${how}) before the file was over`)
    if (queue.length > 0) await runWorker()
  } else if (code !== 0 && reportedFailures === 0) {
    problems.push(`a test worker exited with ${how} though its files passed`)
  }
}

/** `--workers N` on the command line, else one per core; never more than the GiB of memory (PGlite is memory-hungry). */
function workersWanted (): number {
  const index = process.argv.indexOf('--workers')
  if (index !== -1) return Math.max(1, Number.parseInt(process.argv[index + 1] ?? '', 10) || 1)
  return Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / GIB)))
}

function printSummary (): void {
  const lines = [
    `tests ${totals.tests}`, `suites ${totals.suites}`, `pass ${totals.pass}`, `fail ${totals.fail}`,
    `cancelled ${totals.cancelled}`, `skipped ${totals.skipped}`, `todo ${totals.todo}`, `duration_ms ${Date.now() - started}`
  ]
  process.stdout.write(lines.map((line) => `# ${line}\n`).join(''))
  if (problems.length > 0) process.stdout.write(`# failed:\n${problems.map((problem) => `#   ${problem}\n`).join('')}`)
}

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
function reportTimings (): void {
  const slowest = Object.entries(timings).sort(([, a], [, b]) => b - a).slice(0, 10)
  process.stdout.write(`# ${files.length} files in ${seconds(Date.now() - started)} s, ${Math.min(workerCount, files.length)} workers; slowest (their tests' durations, and the CPU time they took):\n`)
  for (const [file, ms] of slowest) {
    const cpu = cpuTimes[file] === undefined ? '' : `${seconds(cpuTimes[file]).padStart(6)} s CPU`
    process.stdout.write(`#   ${seconds(ms).padStart(6)} s ${cpu}  test/${file}\n`)
  }
  // The floor under the run's duration: CPU work can be spread over the cores, not below that.
  const cpuTotal = Object.values(cpuTimes).reduce((sum, ms) => sum + ms, 0)
  if (cpuTotal > 0) {
    process.stdout.write(`# CPU time of the files: ${seconds(cpuTotal)} s (the workers and the processes they started; ` +
      `a database server's own is not counted): on ${availableParallelism()} cores no run takes less than ${seconds(cpuTotal / availableParallelism())} s\n`)
  }
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

function seconds (ms: number): string {
  return (ms / 1000).toFixed(1)
}

function runsAlone (file: string): boolean {
  return /test-run: alone/.test(readFileSync(file, 'utf8'))
}

function listTestFiles (folder: string): string[] {
  return readdirSync(folder).sort().flatMap((entry) => {
    const path = join(folder, entry)
    if (statSync(path).isDirectory()) return entry === 'fixtures' ? [] : listTestFiles(path)
    return entry.endsWith('.test.ts') ? [path] : []
  })
}
