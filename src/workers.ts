import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'
import { openStore } from './app.js'
import { type Config, ConfigError } from './config.js'
import { seedDemoIfEmpty } from './demo/demo-data.js'
import { serve } from './server.js'

/** How many processes serve HTTP: the configured number, 0 meaning one per core. */
function workerCount (configured: number): number {
  return configured === 0 ? availableParallelism() : configured
}

/**
 * `ombuds serve --workers N`: N processes (node:cluster) accept connections on one port
 * and share everything else through PostgreSQL (and the rate limit through Redis when
 * REDIS_URL is set). The primary migrates (and seeds the demo) once, then forks; a worker
 * that dies is replaced, one that exits by itself before it ever listened stops the whole
 * service (a start failure would otherwise loop). SIGTERM/SIGINT reach every worker, each drains
 * its requests (see `serve`), and the primary exits when they have.
 */
export async function serveProcesses (config: Config): Promise<void> {
  if (cluster.isWorker) {
    await serve({ ...config, demo: false }, { announce: false })
    return
  }
  const workers = workerCount(config.workers)
  if (workers === 1) {
    await serve(config)
    return
  }
  if (config.databaseUrl === null) {
    throw new ConfigError(`--workers ${workers} needs PostgreSQL (DATABASE_URL): the embedded store can only be opened by one process`)
  }
  // Migrations and the demo once, before any worker opens the store.
  const store = await openStore(config)
  let demo: Awaited<ReturnType<typeof seedDemoIfEmpty>> = null
  try {
    if (config.demo) demo = await seedDemoIfEmpty(store.db)
  } finally {
    await store.close()
  }

  let stopping = false
  let announced = false
  const listened = new WeakSet<Worker>()
  const fork = (): void => {
    const worker = cluster.fork()
    worker.on('listening', (address) => {
      listened.add(worker)
      if (announced) return
      announced = true
      const url = `http://${address.address?.includes(':') === true ? `[${address.address}]` : address.address ?? config.host}:${address.port}`
      const lines = ['', `Ombuds is running at ${url} in ${workers} processes (console: ${url}/console)`]
      if (demo !== null) {
        lines.push('Created the "Demo" organization. These keys are shown once:', `  owner key:    ${demo.ownerKey}`, `  platform key: ${demo.platformKey}`)
      }
      process.stdout.write(lines.join('\n') + '\n\n')
    })
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0)
      return
    }
    // Exiting on its own before listening is a start failure (bad configuration, unreachable
    // database) that would recur in a loop; a signal (an operator's kill, the OOM killer) is not.
    if (!listened.has(worker) && signal === null) {
      process.stderr.write(`ombuds: a worker process could not start (exit ${code ?? signal}); stopping\n`)
      stop(1)
      return
    }
    process.stderr.write(`ombuds: worker process ${worker.process.pid ?? '?'} ended (${signal ?? `exit ${code}`}); starting another\n`)
    fork()
  })
  const stop = (exitCode: number): void => {
    if (stopping) return
    stopping = true
    if (exitCode !== 0) process.exitCode = exitCode
    const running = Object.values(cluster.workers ?? {})
    if (running.length === 0) process.exit(exitCode)
    for (const worker of running) worker?.process.kill('SIGTERM')
    // The workers apply the grace period themselves; this only guards against one that hangs in start-up.
    setTimeout(() => { process.exit(1) }, config.shutdownGraceMs + 5000).unref()
  }
  process.once('SIGTERM', () => { stop(0) })
  process.once('SIGINT', () => { stop(0) })
  for (let i = 0; i < workers; i++) fork()
}
