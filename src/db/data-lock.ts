import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import lockfile from 'proper-lockfile'

/** A start failure the CLI prints as one line (the folder and who holds it). */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError'
}

interface Owner { pid: number, host: string, since: string }

/**
 * Locks an embedded data folder for this process: `<folder>.lock` (an atomic mkdir,
 * refreshed every few seconds by proper-lockfile) plus `<folder>.lock-owner` saying which
 * process holds it. PGlite has no lock of its own, and two processes on one folder each
 * see only their own writes — an opt-out answered 201 by the second would be lost.
 *
 * A lock whose owner is a dead process of this host (killed with SIGKILL, power loss) is
 * taken over at once; one of another host, or one nobody refreshed for 30 s, is taken
 * over by proper-lockfile's staleness rule. Returns the release function.
 */
export async function lockDataDir (folder: string, onCompromised: (error: Error) => void = exitOnCompromisedLock): Promise<() => Promise<void>> {
  const ownerPath = `${folder}.lock-owner`
  const options = { stale: 30_000, realpath: false, onCompromised }
  let release: () => Promise<void>
  try {
    release = await lockfile.lock(folder, options)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error
    const owner = readOwner(ownerPath)
    if (owner === null || owner.host !== hostname() || isAlive(owner.pid)) {
      const who = owner === null ? 'another process' : `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''} (since ${owner.since})`
      throw new DataDirLockedError(`the data folder ${folder} is in use by ${who}; stop it first, or use another --data folder`)
    }
    // Left by a process that no longer exists on this host: safe to take over.
    rmSync(`${folder}.lock`, { recursive: true, force: true })
    release = await lockfile.lock(folder, options)
  }
  const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
  writeFileSync(ownerPath, JSON.stringify(owner) + '\n')
  return async () => {
    rmSync(ownerPath, { force: true })
    await release().catch(() => {})
  }
}

function readOwner (path: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host, since: String(owner.since) } : null
  } catch {
    return null
  }
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

/** Someone else took the folder (or the lock folder vanished): stop writing rather than lose data. */
function exitOnCompromisedLock (error: Error): void {
  process.stderr.write(`ombuds: lost the lock on the data folder (${error.message}); stopping so that no write is lost\n`)
  process.exit(1)
}
