import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import { FILE_DONE } from './file-reporter.js'

/**
 * One test worker of `npm test` (test/run.ts): a process that runs test file after test file,
 * as the parent hands them out over the IPC channel. Loading the app and its dependencies
 * through the TypeScript loader costs a few seconds of CPU; a process per file paid that
 * for every file, a worker pays it once. Each file's suites run exactly as under
 * `node --test`: node's runner runs the top-level tests one after the other, the
 * file's, then a marker test that tells the reporter (test/file-reporter.ts) the file is
 * over. The reporter's message to the parent is what asks for the next file, so the channel
 * stays open until the last file has been reported.
 */
interface Assignment { file: string | null }

// Node's runner gives an uncaught error to the test running at the time; one that comes after
// the file's tests have ended would only show in the worker's last words, mixed with other files'.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => { process.send?.({ type: 'stray', output: `# ${event}: ${inspect(error).replace(/\n/g, '\n# ')}\n` }) })
}

const assignments: Array<(assignment: Assignment) => void> = []
process.on('message', (message: Assignment) => { assignments.shift()?.(message) })

async function nextFile (): Promise<string | null> {
  return (await new Promise<Assignment>((resolve) => { assignments.push(resolve) })).file
}

process.send?.({ type: 'ready' })
for (let file = await nextFile(); file !== null; file = await nextFile()) {
  const cpuAtStart = cpuMsSoFar()
  try {
    await import(pathToFileURL(file).href)
  } catch (error) {
    // A file that does not load has no tests to report it: say so to the parent.
    process.send?.({ type: 'load-failed', file, output: inspect(error) })
  }
  // Not awaited: the reporter, not this loop, learns when it has run. It runs after every test
  // of the file, so its body reads the CPU time the file took.
  test(`${FILE_DONE}${file}`, () => {
    const now = cpuMsSoFar()
    if (cpuAtStart !== null && now !== null) process.send?.({ type: 'cpu', file, cpuMs: now - cpuAtStart })
  }).catch(() => {})
}
process.disconnect()

/**
 * CPU time of this worker and of the processes it started and waited for (servers, the CLI,
 * the browser), in ms: /proc/self/stat's utime, stime, cutime and cstime, in clock ticks of
 * 10 ms (Linux's USER_HZ). null where there is no /proc. A database server's own CPU is not
 * in it (PostgreSQL is not our child); PGlite's is (it runs in the worker).
 */
function cpuMsSoFar (): number | null {
  let stat: string
  try {
    stat = readFileSync('/proc/self/stat', 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Field n of the line is at n - 3 here (the state, field 3, comes first): utime (14) to cstime (17).
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10
}
