/**
 * A node:test reporter that writes, as one JSON object, how long each test file's top-level
 * tests took (milliseconds, summed per file). `test/run.ts` runs it beside the usual output,
 * prints the slowest files and remembers the figures to start the slowest files first next time.
 * Plain JavaScript: node loads reporters without the TypeScript loader the tests run under.
 */
export default async function * fileTimings (source) {
  const perFile = {}
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    const { nesting, file, details } = event.data
    if (nesting !== 0 || file === undefined) continue
    perFile[file] = (perFile[file] ?? 0) + (details?.duration_ms ?? 0)
  }
  yield JSON.stringify(perFile)
}
