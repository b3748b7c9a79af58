import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Config } from '../../src/config.js'

export interface ReceivedRequest {
  headers: IncomingHttpHeaders
  body: string
  at: number
}

/**
 * A real HTTP receiver on 127.0.0.1: records every request and answers with the status
 * `answer` gives for the n-th request (1-based); 204 by default.
 */
export class Receiver {
  readonly received: ReceivedRequest[] = []
  private server: Server | null = null
  private waiters: Array<() => void> = []
  answer: (n: number, request: ReceivedRequest) => number | 'hang' | { status: number, afterMs: number } = () => 204

  async start (port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const entry = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }
        this.received.push(entry)
        for (const wake of this.waiters.splice(0)) wake()
        const status = this.answer(this.received.length, entry)
        if (typeof status === 'number') response.writeHead(status).end()
        else if (status !== 'hang') setTimeout(() => { response.writeHead(status.status).end() }, status.afterMs)
      })
    })
    await new Promise<void>((resolve) => { this.server?.listen(port, '127.0.0.1', resolve) })
    return this.url
  }

  get url (): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hook`
  }

  /** Resolves once `count` requests matching `filter` have arrived; rejects after `ms`. */
  async waitFor (count: number, ms = 10_000, filter: (entry: ReceivedRequest) => boolean = () => true): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + ms
    for (;;) {
      const matching = this.received.filter(filter)
      if (matching.length >= count) return matching
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`received ${matching.length} of ${count} requests within ${ms} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }

  async stop (): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => { this.server?.close(() => { resolve() }) })
  }
}

/** Webhook settings for tests: local http receivers allowed, quick polling and a schedule in milliseconds. */
export const webhookTestConfig = (): Partial<Config> => ({
  webhooksAllowHttp: true,
  webhooksAllowPrivate: true,
  webhooksPollMs: 50,
  webhooksRetryBaseMs: 20,
  webhooksTimeoutMs: 2000,
  secretsKey: randomBytes(32)
})
