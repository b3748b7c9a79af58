import { type ChildProcess, spawn } from 'node:child_process'
import { inheritedEnvironment } from '../../src/config.js'
import { OMBUDS_BIN } from '../built-cli.js'

export interface Run { code: number | null, stdout: string, stderr: string }

/** Spawns the CLI with only PATH (and `env`) in its environment, so the machine's OMBUDS_* and DATABASE_URL do not leak in. */
export function spawnCli (args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
  return spawn(process.execPath, [OMBUDS_BIN, ...args], { env: { PATH: inheritedEnvironment().PATH ?? '', ...env } })
}

export async function runCli (args: readonly string[], env: Readonly<Record<string, string>> = {}, stdin?: string): Promise<Run> {
  return await new Promise((resolve, reject) => {
    const child = spawnCli(args, env)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => { resolve({ code, stdout, stderr }) })
    child.stdin?.end(stdin)
  })
}

/** JSON lines printed by a command. */
export function jsonLines<T> (text: string): T[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as T)
}
