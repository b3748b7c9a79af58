import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { testConfig } from '../src/config.js'
import { renderOpenapiDocument } from '../src/http/openapi.js'

/**
 * `npm run openapi`: writes openapi.json at the repository root from the app's route
 * schemas (built, not listening; an in-memory store). The file is committed: the client
 * package generates its types from it, and a test fails when it is stale.
 */
const app = await buildApp(testConfig())
try {
  await app.ready()
  const target = join(import.meta.dirname, '..', 'openapi.json')
  writeFileSync(target, renderOpenapiDocument(app))
  process.stdout.write(`wrote ${target}\n`)
} finally {
  await app.close()
}
