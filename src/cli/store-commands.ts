import type { Command } from 'commander'
import { type Config, type ConfigOverrides, loadConfig } from '../config.js'
import { describeStartError } from '../start-errors.js'
import { CliFailure } from './exit.js'

// The service and the store are imported when a command needs them: the API commands
// start in a fraction of the time without Fastify, Kysely and the migrations loaded.

/** The options that choose the store, shared by every command that opens it. */
interface StoreFlags { data?: string, databaseUrl?: string }

/** `ombuds serve` and `ombuds migrate`: the commands that run against the store itself. */
export function addStoreCommands (program: Command): void {
  withStoreOptions(program.command('serve')
    .description('Start the service (migrates the store first). Stops cleanly on SIGTERM/SIGINT.')
    .option('--port <n>', 'port to listen on (PORT, default 8080; 0 picks a free one)')
    .option('--host <address>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--demo', 'create the "Demo" organization on an empty store (default on the embedded store)')
    .option('--no-demo', 'never create demo data (OMBUDS_NO_DEMO)')
    .option('--workers <n>', 'processes serving HTTP (OMBUDS_WORKERS, default 1; 0: one per core)'))
    .action(async (flags: StoreFlags & { port?: string, host?: string, demo?: boolean, workers?: string }) => {
      await withStartErrors(flags, {
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.host !== undefined ? { host: flags.host } : {}),
        ...(flags.demo !== undefined ? { demo: flags.demo } : {}),
        ...(flags.workers !== undefined ? { workers: flags.workers } : {})
      }, async (config) => { await (await import('../workers.js')).serveProcesses(config) })
    })

  withStoreOptions(program.command('migrate')
    .description('Apply pending migrations to the store and exit.'))
    .action(async (flags: StoreFlags) => {
      await withStartErrors(flags, {}, async (config) => {
        const [{ storeOptions }, { createStore }, { migrateToLatest }] = await Promise.all([
          import('../app.js'), import('../db/store.js'), import('../db/migrate.js')
        ])
        const store = await createStore(storeOptions(config))
        try {
          const applied = await migrateToLatest(store.db)
          process.stdout.write(applied.length === 0 ? 'Already up to date.\n' : `Applied: ${applied.join(', ')}\n`)
        } finally {
          await store.close()
        }
      })
    })
}

/**
 * Issues a platform key straight into the store, for the operator who lost every key
 * (`ombuds keys create --platform`). An embedded store must not be open in a running server.
 */
export async function createPlatformKey (flags: StoreFlags & { label?: string }): Promise<void> {
  await withStartErrors(flags, {}, async (config) => {
    const [{ openStore }, { issueApiKey }] = await Promise.all([import('../app.js'), import('../modules/api-keys/api-keys.service.js')])
    const store = await openStore(config)
    try {
      const key = await issueApiKey(store.db, null, { role: null, label: flags.label ?? 'created by ombuds keys create --platform' })
      process.stderr.write(`Created platform key ${key.prefix}… (id ${key.id}); it is shown once:\n`)
      process.stdout.write(`${key.plaintext}\n`)
    } finally {
      await store.close()
    }
  })
}

export function withStoreOptions (command: Command): Command {
  return command
    .option('--data <dir>', 'embedded store folder (OMBUDS_DATA_DIR, default ./.ombuds/data)')
    .option('--database-url <url>', 'PostgreSQL instead of the embedded store (DATABASE_URL)')
}

/** Loads the configuration and runs `work`; any failure becomes the one-line start error naming what to fix. */
async function withStartErrors (flags: StoreFlags, overrides: ConfigOverrides, work: (config: Config) => Promise<void>): Promise<void> {
  let config: Config | null = null
  try {
    config = loadConfig({
      ...overrides,
      ...(flags.data !== undefined ? { dataDir: flags.data } : {}),
      ...(flags.databaseUrl !== undefined ? { databaseUrl: flags.databaseUrl } : {})
    })
    await work(config)
  } catch (error) {
    throw new CliFailure(describeStartError(error, config ?? {}), { cause: error })
  }
}
