import { Readable } from 'node:stream'
import { spec as SpecReporter, tap, type TestEvent } from 'node:test/reporters'

/**
 * The reporter of a test worker (test/worker.ts). It keeps a test file's events until the
 * file is over (the worker then runs a top-level test named FILE_DONE + the file's path, which
 * node's runner starts only after everything the file registered), then sends the parent
 * (test/run.ts) over the IPC channel the file's output, rendered by node's own spec or TAP
 * reporter, with its counts and duration; that message is also what asks for the next file.
 * A failure that belongs to no test file (an error after every test had ended) is sent at
 * once. Prints nothing itself.
 */
export const FILE_DONE = 'test file done: '

export interface FileCounts {
  tests: number
  suites: number
  pass: number
  fail: number
  cancelled: number
  skipped: number
  todo: number
  /** The file's top-level tests' durations, summed. */
  durationMs: number
  /** Names of the tests that failed or were cancelled. */
  failed: string[]
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'file', file: string, output: string, counts: FileCounts }
  | { type: 'load-failed', file: string, output: string }
  /** The CPU time a file took: the worker's and that of the processes it started (test/worker.ts). */
  | { type: 'cpu', file: string, cpuMs: number }
  | { type: 'stray', output: string }

const send = (message: WorkerMessage): void => { process.send?.(message) }

export default async function * fileReporter (source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const format = process.argv.includes('--spec') ? 'spec' : 'tap'
  // A worker runs one file at a time, so every event between two markers is the second file's
  // (even those of tests a shared helper such as test/auth-matrix.ts declares for it).
  let events: TestEvent[] = []
  for await (const event of source) {
    const { file, name } = (event.data ?? {}) as { file?: string, name?: string }
    if (name?.startsWith(FILE_DONE) === true) {
      if (event.type !== 'test:pass') continue
      send({ type: 'file', file: name.slice(FILE_DONE.length), output: await render(events, format), counts: count(events) })
      events = []
    } else if (file === undefined) {
      // Root-level: an uncaught error or a rejection that no running test owned.
      if (event.type === 'test:fail') send({ type: 'stray', output: await render([event], format) })
    } else {
      events.push(event)
    }
  }
  // Reporters are async generators of output text; this one's output goes over IPC.
  yield ''
}

/** What node's spec or TAP reporter prints for these events. */
async function render (list: TestEvent[], format: 'spec' | 'tap'): Promise<string> {
  const events = Readable.from(list)
  const output: AsyncIterable<string | Buffer> = format === 'spec'
    ? events.pipe(new SpecReporter())
    : tap(events as unknown as AsyncGenerator<TestEvent, void>)
  let text = ''
  for await (const chunk of output) text += chunk.toString()
  // Each rendering starts a TAP document of its own: the run prints one header.
  return text.replace(/^TAP version 13\n/, '')
}

/** Node's own summary counts, for one file's events. */
function count (list: TestEvent[]): FileCounts {
  const counts: FileCounts = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0, durationMs: 0, failed: [] }
  for (const event of list) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { details, nesting, skip, todo, name } = event.data
    if (nesting === 0) counts.durationMs += details.duration_ms
    if (details.type === 'suite') {
      counts.suites++
      continue
    }
    counts.tests++
    if (skip !== undefined) counts.skipped++
    else if (todo !== undefined) counts.todo++
    else if (event.type === 'test:pass') counts.pass++
    else if ((event.data.details.error as { failureType?: string }).failureType === 'cancelledByParent') {
      counts.cancelled++
      counts.failed.push(name)
    } else {
      counts.fail++
      counts.failed.push(name)
    }
  }
  return counts
}
