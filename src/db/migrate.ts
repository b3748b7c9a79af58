import { readdir } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import type { Database } from './database.js'

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Reads every migration in `migrations/`, whether running from TypeScript sources
 * (tests, tsx) or from the compiled `dist/` (npm start). Each module adds its own file.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations (): Promise<Record<string, Migration>> {
    const files = (await readdir(migrationsFolder))
      .filter((file) => ['.ts', '.js'].includes(extname(file)) && !file.endsWith('.d.ts'))
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      migrations[file.slice(0, -extname(file).length)] = await import(pathToFileURL(join(migrationsFolder, file)).href) as Migration
    }
    return migrations
  }
}

/** Applies every pending migration; throws the first failure. Returns the names applied. */
export async function migrateToLatest (db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}
