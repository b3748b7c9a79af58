/** See process-cpu.mjs. */
export function cpuMs (pid: number): number | null
