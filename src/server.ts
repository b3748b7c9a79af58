import { buildApp, openStore } from './app.js'
import type { Config } from './config.js'
import { seedDemoIfEmpty } from './demo/demo-data.js'

/**
 * Starts the service and keeps it up until SIGTERM/SIGINT, then stops taking
 * connections, lets in-flight requests finish and closes the store — for at most the
 * grace period (OMBUDS_SHUTDOWN_GRACE_MS): a stalled upload or a hung store must not
 * keep the process alive, so past it the process exits with code 1.
 */
export async function serve (config: Config, options: { announce?: boolean } = {}): Promise<void> {
  const store = await openStore(config)
  const demo = config.demo ? await seedDemoIfEmpty(store.db) : null
  const app = await buildApp(config, { store })
  app.addHook('onClose', async () => { await store.close() })

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    app.log.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down')
    setTimeout(() => {
      process.stderr.write(`ombuds: requests still running after the ${config.shutdownGraceMs} ms grace period; exiting anyway\n`)
      process.exit(1)
    }, config.shutdownGraceMs).unref()
    app.close().then(() => process.exit(0), (error: unknown) => {
      app.log.error({ err: error }, 'unclean shutdown')
      process.exit(1)
    })
  }
  process.once('SIGTERM', () => { shutdown('SIGTERM') })
  process.once('SIGINT', () => { shutdown('SIGINT') })

  const address = await app.listen({ port: config.port, host: config.host })
  // A worker process (see workers.ts) leaves the announcement to the primary.
  if (options.announce === false) return
  // Every start says where it listens (logs may be silenced or JSON); the demo's keys only on the first.
  const lines = ['', `Ombuds is running at ${address} (console: ${address}/console)`]
  if (demo !== null) {
    lines.push(
      'Created the "Demo" organization. These keys are shown once:',
      `  owner key:    ${demo.ownerKey}`,
      `  platform key: ${demo.platformKey}`,
      `Try: npx ombuds complaints list --url ${address} --key ${demo.ownerKey}`,
      `  or: curl -H "Authorization: Bearer ${demo.ownerKey}" ${address}/v1/complaints`
    )
  }
  process.stdout.write(lines.join('\n') + '\n\n')
}
