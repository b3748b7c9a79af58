import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { inheritedEnvironment, testTemplatePath } from '../../src/config.js'
import { OMBUDS_BIN } from '../built-cli.js'
import { ensurePgliteTemplate } from '../template.js'

/**
 * Makes `folder` an embedded data folder with every migration applied, as a server leaves it
 * after its first start. A server started on an empty folder (or `memory://`) first creates
 * the database cluster and runs every migration, about 4 s of CPU more per start, which the
 * suites whose subject is something else (locks, shutdown, logs, imports) need not pay; the
 * first start itself is tested in test/cli/cli.test.ts. The folder is the migrated test
 * template (a tarball of PGlite's data folder) unpacked by the system's tar.
 */
export async function migratedDataFolder (folder: string): Promise<string> {
  const template = testTemplatePath() ?? await ensurePgliteTemplate()
  mkdirSync(folder, { recursive: true })
  execFileSync('tar', ['-xzf', template, '-C', folder], { stdio: 'ignore' })
  return folder
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
  })
}

export interface ServerProcess {
  child: ChildProcess
  /** stdout and stderr as they arrive. */
  output: { stdout: string, stderr: string }
  base: string
  /** Resolves once /readyz answers 200; rejects if the process exits first or after `ms`. */
  ready (ms?: number): Promise<void>
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
}

/** `ombuds serve` on a free port of 127.0.0.1, with only the given environment (plus PATH). */
export async function startServer (args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [OMBUDS_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    env: { PATH: inheritedEnvironment().PATH ?? '', LOG_LEVEL: 'warn', ...env }
  })
  const output = { stdout: '', stderr: '' }
  child.stdout?.on('data', (chunk: Buffer) => { output.stdout += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output.stderr += chunk.toString() })
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => { resolve(code) }) })
  const base = `http://127.0.0.1:${port}`
  return {
    child,
    output,
    base,
    exited,
    async ready (ms = 90_000) {
      const deadline = Date.now() + ms
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output.stderr}`)
        const status = await fetch(`${base}/readyz`).then((response) => response.status, () => 0)
        if (status === 200) return
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      throw new Error(`server not ready after ${ms} ms: ${output.stderr}`)
    }
  }
}

/** Runs the CLI to its end (or kills it after `ms`). */
export async function runCli (args: string[], env: Record<string, string> = {}, ms = 90_000): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [OMBUDS_BIN, ...args], { env: { PATH: inheritedEnvironment().PATH ?? '', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, ms)
  const code = await new Promise<number | null>((resolve) => { child.on('exit', (exitCode) => { resolve(exitCode) }) })
  clearTimeout(timer)
  return { code, stdout, stderr }
}
