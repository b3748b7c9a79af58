import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')

/**
 * The `ombuds` command exactly as users run it: bin/ombuds.js, which runs the compiled
 * dist/. `npm test` compiles src/ first when dist/ is older than any source file
 * (`compileIfStale`), so the suites that spawn real processes test today's code, and each
 * process starts without transpiling the sources again (about a second of CPU each).
 */
export const OMBUDS_BIN = join(ROOT, 'bin', 'ombuds.js')

/** True when dist/ is missing or older than some file under src/. */
export function distIsStale (): boolean {
  const built = join(ROOT, 'dist', 'cli.js')
  if (!existsSync(built)) return true
  return newestMtime(join(ROOT, 'src')) > statSync(built).mtimeMs
}

function newestMtime (folder: string): number {
  return readdirSync(folder, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(folder, entry.name)
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }, 0)
}
