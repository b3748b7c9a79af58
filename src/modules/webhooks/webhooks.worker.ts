import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Database } from '../../db/database.js'
import type { WebhookDeliveryRow } from '../../db/schema.js'
import type { SecretBox } from '../../lib/secrets.js'
import { claimDueDeliveries, findEndpoint, recordAttempt } from './webhooks.repository.js'
import { endpointFailed, endpointSucceeded, eventBody, retryDelayMs, signedHeaders, signingSecrets } from './webhooks.service.js'
import { guardedLookup, refusedLiteral } from './webhooks.targets.js'

export interface WorkerOptions {
  allowPrivate: boolean
  retryBaseMs: number
  retryWindowMs: number
  timeoutMs: number
  pollMs: number
}

interface Logger {
  warn (details: object, message: string): void
}

/** How many deliveries one claim takes (and sends at once). */
const BATCH = 16
/** The most of a receiver's answer that is read (then the connection is dropped). */
const MAX_ANSWER_BYTES = 64 * 1024
const MAX_ERROR_LENGTH = 500

interface AttemptResult {
  statusCode: number | null
  error: string | null
  durationMs: number
}

/**
 * The delivery worker of one API process: claims due deliveries (several processes share
 * the work, see `claimDueDeliveries`), sends each signed, records the outcome, schedules
 * retries and disables endpoints that fail for the whole window. `stop` waits for the
 * attempts in flight.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = false

  constructor (
    private readonly db: Database,
    private readonly box: SecretBox | null,
    private readonly options: WorkerOptions,
    private readonly log: Logger
  ) {}

  start (): void {
    this.schedule(0)
  }

  async stop (): Promise<void> {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    await this.running
  }

  private schedule (delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => { this.log.warn({ err: error }, 'webhook delivery round failed'); return 0 })
        .then((claimed) => { this.running = null; this.schedule(claimed === BATCH ? 0 : this.options.pollMs) })
    }, delayMs)
    // The worker alone does not keep a process alive (the server, or a test, does).
    this.timer.unref()
  }

  /** One round: claim, send all, record. Returns how many were claimed. */
  private async tick (): Promise<number> {
    const now = new Date()
    const token = randomUUID()
    const leaseEnd = new Date(now.getTime() + 3 * this.options.timeoutMs)
    const claimed = await claimDueDeliveries(this.db, now, leaseEnd, token, BATCH)
    await Promise.all(claimed.map(async (delivery) => {
      await this.deliver(delivery, token).catch((error: unknown) => {
        this.log.warn({ err: error, delivery_id: delivery.id }, 'could not record a webhook delivery')
      })
    }))
    return claimed.length
  }

  private async deliver (delivery: WebhookDeliveryRow, token: string): Promise<void> {
    const endpoint = await findEndpoint(this.db, delivery.org_id, delivery.endpoint_id)
    if (endpoint === undefined) return // deleted meanwhile: its deliveries went with it
    if (this.box === null) throw new Error('OMBUDS_SECRETS_KEY is not set: webhook secrets cannot be opened')
    const sentAt = new Date()
    const body = eventBody(delivery)
    const headers = signedHeaders(delivery.event_id, Math.floor(sentAt.getTime() / 1000), body, signingSecrets(this.box, endpoint, sentAt))
    const result = await send(endpoint.url, body, headers, this.options)
    const now = new Date()
    const outcome = { last_attempt_at: sentAt, last_status_code: result.statusCode, last_duration_ms: result.durationMs, last_error: result.error }
    await this.db.transaction().execute(async (trx) => {
      if (result.error === null) {
        if (await recordAttempt(trx, delivery, token, { ...outcome, state: 'succeeded' })) await endpointSucceeded(trx, endpoint)
        return
      }
      const giveUpAt = delivery.created_at.getTime() + this.options.retryWindowMs
      const retryAt = Math.min(now.getTime() + retryDelayMs(delivery.attempts, this.options.retryBaseMs, this.options.retryWindowMs), giveUpAt)
      const retry = retryAt > now.getTime()
      const recorded = await recordAttempt(trx, delivery, token, retry
        ? { ...outcome, state: 'pending', next_attempt_at: new Date(retryAt) }
        : { ...outcome, state: 'failed' })
      if (recorded) await endpointFailed(trx, endpoint, now, this.options.retryWindowMs)
    })
  }
}

/** One POST: a 2xx answer within the timeout is a success; anything else is the error recorded. */
async function send (target: string, body: string, headers: Record<string, string>, options: WorkerOptions): Promise<AttemptResult> {
  const started = performance.now()
  const finish = (statusCode: number | null, error: string | null): AttemptResult =>
    ({ statusCode, error: error?.slice(0, MAX_ERROR_LENGTH) ?? null, durationMs: Math.round(performance.now() - started) })
  const url = new URL(target)
  if (refusedLiteral(url, options.allowPrivate)) return finish(null, `${url.hostname} is a private, loopback or link-local address`)
  return await new Promise<AttemptResult>((resolve) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Ombuds-Webhooks/1' },
      lookup: guardedLookup(options.allowPrivate)
    }, (response) => {
      let read = 0
      response.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > MAX_ANSWER_BYTES) response.destroy()
      })
      const status = response.statusCode ?? 0
      const done = () => { resolve(finish(status, status >= 200 && status < 300 ? null : `the endpoint answered ${status}`)) }
      response.on('end', done)
      response.on('close', done)
    })
    const timer = setTimeout(() => { request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)) }, options.timeoutMs)
    request.on('error', (error) => { resolve(finish(null, error.message)) })
    request.on('close', () => { clearTimeout(timer) })
    request.end(body)
  })
}
