import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { inheritedEnvironment } from '../../src/config.js'
import { freePort } from './server-process.js'

const run = promisify(execFile)

/** Where initdb and pg_ctl are: PATH, else the Debian/Ubuntu server package's folder. */
function binary (name: string): string | null {
  for (const folder of [...(inheritedEnvironment().PATH ?? '').split(':'), '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/14/bin']) {
    if (folder !== '' && existsSync(join(folder, name))) return join(folder, name)
  }
  return null
}

/** Why the fault tests cannot run here, or null when they can. */
export function clusterUnavailable (databaseUrl: string | null): string | null {
  if (databaseUrl === null) return 'DATABASE_URL is not set'
  if (binary('initdb') === null || binary('pg_ctl') === null) return 'initdb/pg_ctl not found (install postgresql)'
  if (process.getuid?.() !== 0) return 'needs root to run initdb as the postgres user'
  return null
}

export interface Cluster {
  url: string
  start (): Promise<void>
  /** `immediate` is a crash (no checkpoint, connections cut); `fast` a clean stop. */
  stop (mode?: 'fast' | 'immediate'): Promise<void>
  destroy (): Promise<void>
}

/**
 * A private PostgreSQL cluster under a temporary folder on a free port, run as the
 * postgres user, so a test can stop and restart it without touching the machine's server.
 */
export async function startCluster (): Promise<Cluster> {
  const initdb = binary('initdb') as string
  const pgCtl = binary('pg_ctl') as string
  const folder = mkdtempSync(join(tmpdir(), 'ombuds-pg-'))
  chownSync(folder, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout))
  const data = join(folder, 'data')
  const port = await freePort()
  const asPostgres = async (command: string, args: string[]) => await run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 120_000 })
  await asPostgres(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  // fsync off is safe here: the tests crash PostgreSQL, never the machine. synchronous_commit stays on: a
  // crash must not lose a commit the client was told about.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start () {
      await asPostgres(pgCtl, ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '60', 'start'])
    },
    async stop (mode = 'fast') {
      await asPostgres(pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'])
    },
    async destroy () {
      await cluster.stop('immediate').catch(() => {})
      rmSync(folder, { recursive: true, force: true })
    }
  }
  await cluster.start()
  return cluster
}
