// Prints the gzipped size of the built JavaScript and CSS, and fails the build past the budget.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 300
const assets = join(import.meta.dirname, '..', 'dist', 'assets')
let js = 0
for (const file of readdirSync(assets)) {
  const gzipped = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length
  if (file.endsWith('.js')) js += gzipped
  process.stdout.write(`console: ${file} ${(gzipped / 1024).toFixed(1)} KB gzipped\n`)
}
process.stdout.write(`console: JavaScript total ${(js / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)\n`)
if (js > BUDGET_KB * 1024) {
  process.stderr.write(`console: the JavaScript bundle is over ${BUDGET_KB} KB gzipped\n`)
  process.exit(1)
}
