import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createStore } from '../src/db/store.js'
import { migrateToLatest } from '../src/db/migrate.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const migrationsFolder = join(root, 'src', 'db', 'migrations')

/**
 * Creating an empty PGlite costs seconds (initdb); loading a dump costs well under one.
 * So the suite migrates one template per migration set and every test file loads a copy.
 */
export async function ensurePgliteTemplate (): Promise<string> {
  const hash = createHash('sha256')
  for (const file of readdirSync(migrationsFolder).sort()) hash.update(file).update(readFileSync(join(migrationsFolder, file)))
  const path = join(root, '.ombuds', 'test-templates', `${hash.digest('hex').slice(0, 16)}.tar.gz`)
  if (existsSync(path)) return path
  mkdirSync(dirname(path), { recursive: true })
  const store = await createStore({ databaseUrl: null, dataDir: 'memory://' })
  try {
    await migrateToLatest(store.db)
    const dump = await store.pglite?.dumpDataDir('gzip')
    if (dump === undefined) throw new Error('PGlite store has no instance to dump')
    writeFileSync(`${path}.tmp`, Buffer.from(await dump.arrayBuffer()))
    renameSync(`${path}.tmp`, path)
  } finally {
    await store.close()
  }
  return path
}
