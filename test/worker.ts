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
  try {
    await import(pathToFileURL(file).href)
  } catch (error) {
    // A file that does not load has no tests to report it: say so to the parent.
    process.send?.({ type: 'load-failed', file, output: inspect(error) })
  }
  // Not awaited: the reporter, not this loop, learns when it has run.
  test(`${FILE_DONE}${file}`, () => {}).catch(() => {})
}
process.disconnect()
