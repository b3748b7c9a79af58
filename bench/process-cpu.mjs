// CPU time of a process on this machine, read from /proc. Plain JavaScript because the load
// generator (load.mjs) runs without the TypeScript loader, so that its own CPU stays small;
// the TypeScript side of the harness imports it too (types in process-cpu.d.mts).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's CPU fields (USER_HZ), asked once. */
let ticksPerSecond

/**
 * utime + stime of a process so far, in ms (fields 14 and 15 of /proc/<pid>/stat, counted after
 * the command's closing parenthesis: the command itself may hold spaces and parentheses); null
 * where there is no such process here (not Linux, or a PostgreSQL on another machine).
 */
export function cpuMs (pid) {
  let stat
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond
}
