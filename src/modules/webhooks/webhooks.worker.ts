import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Database } from '../../db/database.js'
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema.js'
import type { SecretBox } from '../../lib/secrets.js'
import { newId } from '../../lib/ids.js'
import { type AttemptOutcome, claimDueDeliveries, deferEndpointQueue, findEndpointsOf, parkEndpointQueue, pruneAttempts, recordFailure, recordSuccesses } from './webhooks.repository.js'
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
/** How long attempts stay listed: longer than the 24 h retry window, so a delivery's whole history is there while it is retried. */
const ATTEMPT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000
/** How often a process deletes attempts past the retention, and at most how many per statement. */
const PRUNE_EVERY_MS = 10 * 60 * 1000
const PRUNE_BATCH = 5000

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
  private prunedAt = 0

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

  /**
   * One round: claim, send all at once, record. Successes (the usual outcome) are recorded
   * together in one statement; each failure in its own transaction with its endpoint's
   * failure count. Returns how many were claimed.
   */
  private async tick (): Promise<number> {
    const now = new Date()
    if (now.getTime() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now.getTime()
      await this.prune(new Date(now.getTime() - ATTEMPT_RETENTION_MS))
    }
    const token = randomUUID()
    const leaseEnd = new Date(now.getTime() + 3 * this.options.timeoutMs)
    const claimed = await claimDueDeliveries(this.db, now, leaseEnd, token, BATCH)
    if (claimed.length === 0) return 0
    const endpoints = new Map((await findEndpointsOf(this.db, claimed)).map((row) => [row.id, row]))
    const successes: AttemptOutcome[] = []
    const recovered = new Map<string, WebhookEndpointRow>()
    await Promise.all(claimed.map(async (delivery) => {
      // A deleted endpoint took its deliveries with it.
      const endpoint = endpoints.get(delivery.endpoint_id)
      if (endpoint === undefined) return
      try {
        const { attemptedAt, result } = await this.attempt(delivery, endpoint)
        const outcome = { orgId: delivery.org_id, id: delivery.id, attemptId: newId(), attemptedAt, ...result }
        if (result.error === null) {
          successes.push(outcome)
          if (endpoint.failing_since !== null) recovered.set(endpoint.id, endpoint)
        } else await this.recordFailure(delivery, endpoint, token, outcome)
      } catch (error) {
        this.log.warn({ err: error, delivery_id: delivery.id }, 'could not send or record a webhook delivery')
      }
    }))
    await recordSuccesses(this.db, token, successes)
    for (const endpoint of recovered.values()) await endpointSucceeded(this.db, endpoint)
    return claimed.length
  }

  /** Attempts past the retention go in batches of a few thousand rows, so no statement holds many locks or runs long. */
  private async prune (before: Date): Promise<void> {
    let deleted = PRUNE_BATCH
    while (!this.stopped && deleted === PRUNE_BATCH) deleted = await pruneAttempts(this.db, before, PRUNE_BATCH)
  }

  private async attempt (delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow): Promise<{ attemptedAt: Date, result: AttemptResult }> {
    if (this.box === null) throw new Error('OMBUDS_SECRETS_KEY is not set: webhook secrets cannot be opened')
    const attemptedAt = new Date()
    const body = eventBody(delivery)
    const headers = signedHeaders(delivery.event_id, Math.floor(attemptedAt.getTime() / 1000), body, signingSecrets(this.box, endpoint, attemptedAt))
    return { attemptedAt, result: await send(endpoint.url, body, headers, this.options) }
  }

  /** A failed attempt: retried after the next step of the schedule, or given up once the window after its event has passed. */
  private async recordFailure (delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, token: string, outcome: AttemptOutcome): Promise<void> {
    const now = new Date()
    const giveUpAt = delivery.created_at.getTime() + this.options.retryWindowMs
    const retryAt = Math.min(now.getTime() + retryDelayMs(delivery.attempts, this.options.retryBaseMs, this.options.retryWindowMs), giveUpAt)
    await this.db.transaction().execute(async (trx) => {
      // The endpoint's row first: failures of one endpoint recorded at once take their turns instead of deadlocking over each other's queues.
      const disabled = await endpointFailed(trx, endpoint, now, this.options.retryWindowMs)
      const retry = retryAt > now.getTime()
      const recorded = await recordFailure(trx, token, outcome, retry ? new Date(retryAt) : null)
      if (disabled) await parkEndpointQueue(trx, endpoint)
      else if (recorded && retry) await deferEndpointQueue(trx, endpoint, now, new Date(retryAt))
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
