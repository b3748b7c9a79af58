import { parseArgs } from 'node:util'
import { type Config, type ConfigOverrides, debugEnabled, loadConfig } from './config.js'
import { storeOptions } from './app.js'
import { createStore } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { describeStartError } from './start-errors.js'
import { serveProcesses } from './workers.js'

const USAGE = `Usage:
  ombuds serve [--port N] [--host H] [--data DIR] [--database-url URL] [--demo | --no-demo]
  ombuds migrate [--data DIR] [--database-url URL]`

async function main (argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'database-url': { type: 'string' },
      'no-demo': { type: 'boolean' },
      demo: { type: 'boolean' }
    },
    strict: true
  })
  const overrides: ConfigOverrides = {
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values['database-url'] !== undefined ? { databaseUrl: values['database-url'] } : {}),
    ...(values['no-demo'] === true ? { demo: false } : values.demo === true ? { demo: true } : {})
  }
  const config = loadConfig(overrides)
  started = config
  switch (command) {
    case 'serve':
      await serveProcesses(config)
      return
    case 'migrate': {
      const store = await createStore(storeOptions(config))
      try {
        const applied = await migrateToLatest(store.db)
        process.stdout.write(applied.length === 0 ? 'Already up to date.\n' : `Applied: ${applied.join(', ')}\n`)
      } finally {
        await store.close()
      }
      return
    }
    default:
      throw new UsageError(command === undefined ? 'a command is required' : `unknown command "${command}"`)
  }
}

class UsageError extends Error {}

/** The configuration once loaded, to name the port or database in a start failure. */
let started: Config | null = null

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
    process.stderr.write(`ombuds: ${(error as Error).message}\n${USAGE}\n`)
  } else {
    process.stderr.write(`ombuds: ${describeStartError(error, started ?? {})}\n`)
    if (debugEnabled() && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`)
  }
  process.exit(1)
})
