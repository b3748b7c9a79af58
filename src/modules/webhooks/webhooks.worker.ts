import { randomUUID } from 'node:crypto'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Database } from '../../db/database.js'
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema.js'
import { newId } from '../../lib/ids.js'
import type { SecretBox } from '../../lib/secrets.js'
import {
  type AttemptOutcome, claimDueDeliveries, deferEndpointQueue, findEndpointsOf, parkEndpointQueue, pruneAttempts, recordFailure, recordSuccesses
} from './webhooks.repository.js'
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

/** How many deliveries one claim takes at most. */
const BATCH = 100
/**
 * The most sends one process has in flight. The next claim is made while sends of the
 * previous ones run, as soon as this leaves room for a quarter of a batch.
 */
const MAX_IN_FLIGHT = 200
const MIN_CLAIM = BATCH / 4
/** Connections kept open to one receiver origin; more sends to it wait for one of them. */
const SOCKETS_PER_ORIGIN = 16
/** An idle kept-alive connection is closed after this long (receivers usually close theirs after 5 s). */
const IDLE_SOCKET_MS = 4000
/** An origin nothing was sent to for this long loses its agent (and its connections). */
const IDLE_AGENT_MS = 60_000
/** Successes are recorded together: at most this long after the first of them ends. */
const RECORD_EVERY_MS = 20
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

interface Success extends AttemptOutcome {
  endpoint: WebhookEndpointRow
}

/**
 * Keep-alive agents, one per receiver origin, each with a bounded number of sockets: a
 * delivery reuses an open connection instead of paying a TCP (and TLS) handshake, and one
 * busy receiver cannot take more than its share of connections.
 */
class Agents {
  private readonly byOrigin = new Map<string, { agent: HttpAgent, usedAt: number }>()

  for (url: URL, now: number): HttpAgent {
    let entry = this.byOrigin.get(url.origin)
    if (entry === undefined) {
      const options = { keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN, maxFreeSockets: SOCKETS_PER_ORIGIN, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const }
      entry = { agent: url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options), usedAt: now }
      this.byOrigin.set(url.origin, entry)
    }
    entry.usedAt = now
    return entry.agent
  }

  /** Closes the agents of origins not sent to lately (a request still running on one keeps its socket until it ends). */
  sweep (now: number): void {
    for (const [origin, entry] of this.byOrigin) {
      if (now - entry.usedAt > IDLE_AGENT_MS) {
        entry.agent.destroy()
        this.byOrigin.delete(origin)
      }
    }
  }

  destroy (): void {
    for (const entry of this.byOrigin.values()) entry.agent.destroy()
    this.byOrigin.clear()
  }
}

/**
 * The delivery worker of one API process: claims due deliveries (several processes share
 * the work, see `claimDueDeliveries`), sends each signed, records the outcome, schedules
 * retries and disables endpoints that fail for the whole window.
 *
 * A pipeline: a claim takes up to `BATCH` due deliveries and starts sending them at once;
 * the next claim is made while they run, as long as fewer than `MAX_IN_FLIGHT` sends are
 * in flight. Successes (the usual outcome) are gathered and recorded together, one
 * statement for all that ended within `RECORD_EVERY_MS`; each failure in its own
 * transaction with its endpoint's failure bookkeeping. `stop` stops claiming and waits
 * for the sends in flight and their records.
 */
export class DeliveryWorker {
  private loop: Promise<void> | null = null
  private stopped = false
  private inFlight = 0
  private readonly sends = new Set<Promise<void>>()
  private wake: (() => void) | null = null
  private wakeOnSend = false
  private successes: Success[] = []
  private recordTimer: NodeJS.Timeout | null = null
  private recording: Promise<void> | null = null
  private readonly agents = new Agents()
  private prunedAt = 0
  private sweptAt = Date.now()

  constructor (
    private readonly db: Database,
    private readonly box: SecretBox | null,
    private readonly options: WorkerOptions,
    private readonly log: Logger
  ) {}

  start (): void {
    this.loop = this.run()
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.loop
    while (this.sends.size > 0) await Promise.all(this.sends)
    await this.flush()
    this.agents.destroy()
  }

  private async run (): Promise<void> {
    while (!this.stopped) {
      let claimed = 0
      let limit = 0
      try {
        await this.housekeeping()
        limit = Math.min(BATCH, MAX_IN_FLIGHT - this.inFlight)
        if (limit >= MIN_CLAIM) claimed = await this.claimAndSend(limit)
      } catch (error) {
        this.log.warn({ err: error }, 'webhook delivery claim failed')
      }
      if (this.stopped) break
      // A full claim: more may be due; claim again as soon as sends leave room. Otherwise poll.
      const more = limit < MIN_CLAIM || (claimed === limit && claimed > 0)
      if (more && MAX_IN_FLIGHT - this.inFlight >= MIN_CLAIM) continue
      await this.pause(more ? null : this.options.pollMs)
    }
  }

  /** Waits `ms` (null: until a send ends and frees room) or until `stop`; the timer alone does not keep the process alive. */
  private async pause (ms: number | null): Promise<void> {
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null
      const done = (): void => {
        if (timer !== null) clearTimeout(timer)
        this.wake = null
        resolve()
      }
      if (ms !== null) {
        timer = setTimeout(done, ms)
        timer.unref()
      }
      this.wake = done
      // Polling, a send that ends is no reason to claim again; waiting for room, it is.
      this.wakeOnSend = ms === null
    })
  }

  private async housekeeping (): Promise<void> {
    const now = Date.now()
    if (now - this.sweptAt >= IDLE_AGENT_MS) {
      this.sweptAt = now
      this.agents.sweep(now)
    }
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now
      // Attempts past the retention go a few thousand rows per statement, so none holds many locks or runs long.
      const before = new Date(now - ATTEMPT_RETENTION_MS)
      let deleted = PRUNE_BATCH
      while (!this.stopped && deleted === PRUNE_BATCH) deleted = await pruneAttempts(this.db, before, PRUNE_BATCH)
    }
  }

  /** Claims up to `limit` due deliveries and starts sending them; returns how many were claimed. */
  private async claimAndSend (limit: number): Promise<number> {
    const now = new Date()
    const token = randomUUID()
    // Every send of the claim ends within the timeout of starting (queueing for a socket included), well within the lease.
    const leaseEnd = new Date(now.getTime() + 3 * this.options.timeoutMs)
    const claimed = await claimDueDeliveries(this.db, now, leaseEnd, token, limit)
    if (claimed.length === 0) return 0
    this.inFlight += claimed.length
    let endpoints: Map<string, WebhookEndpointRow>
    try {
      endpoints = new Map((await findEndpointsOf(this.db, claimed)).map((row) => [row.id, row]))
    } catch (error) {
      // Not sent: the claims' leases run out and the deliveries come due again.
      this.inFlight -= claimed.length
      throw error
    }
    for (const delivery of claimed) {
      const send = this.deliver(delivery, endpoints.get(delivery.endpoint_id), token).finally(() => {
        this.inFlight--
        this.sends.delete(send)
        if (this.wakeOnSend) this.wake?.()
      })
      this.sends.add(send)
    }
    return claimed.length
  }

  private async deliver (delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow | undefined, token: string): Promise<void> {
    // A deleted endpoint took its deliveries with it.
    if (endpoint === undefined) return
    try {
      if (this.box === null) throw new Error('OMBUDS_SECRETS_KEY is not set: webhook secrets cannot be opened')
      const attemptedAt = new Date()
      const body = eventBody(delivery)
      const headers = signedHeaders(delivery.event_id, Math.floor(attemptedAt.getTime() / 1000), body, signingSecrets(this.box, endpoint, attemptedAt))
      const url = new URL(endpoint.url)
      const result = await send(url, this.agents.for(url, attemptedAt.getTime()), body, headers, this.options)
      const outcome = { orgId: delivery.org_id, id: delivery.id, token, attemptId: newId(), attemptedAt, ...result }
      if (result.error === null) this.succeeded({ ...outcome, endpoint })
      else await this.recordFailure(delivery, endpoint, outcome)
    } catch (error) {
      this.log.warn({ err: error, delivery_id: delivery.id }, 'could not send or record a webhook delivery')
    }
  }

  /** Gathers a success; they are recorded together shortly (see `flush`). */
  private succeeded (success: Success): void {
    this.successes.push(success)
    if (this.recordTimer === null && this.recording === null) this.scheduleFlush(this.successes.length >= BATCH ? 0 : RECORD_EVERY_MS)
  }

  private scheduleFlush (ms: number): void {
    this.recordTimer = setTimeout(() => {
      this.flush().catch((error: unknown) => { this.log.warn({ err: error }, 'could not record webhook deliveries') })
    }, ms)
  }

  /** Records the gathered successes in one statement (one at a time; what ends meanwhile goes in the next). */
  private async flush (): Promise<void> {
    if (this.recordTimer !== null) clearTimeout(this.recordTimer)
    this.recordTimer = null
    while (this.recording !== null) await this.recording
    const batch = this.successes
    if (batch.length === 0) return
    this.successes = []
    this.recording = (async () => {
      try {
        await recordSuccesses(this.db, batch)
        const recovered = new Map(batch.filter((row) => row.endpoint.failing_since !== null).map((row) => [row.endpoint.id, row.endpoint]))
        for (const endpoint of recovered.values()) await endpointSucceeded(this.db, endpoint)
      } catch (error) {
        // Not recorded: the leases run out and the deliveries are sent again (a receiver deduping on webhook-id sees them once).
        this.log.warn({ err: error, deliveries: batch.length }, 'could not record webhook deliveries')
      } finally {
        this.recording = null
      }
    })()
    await this.recording
    if (this.successes.length > 0 && this.recordTimer === null) this.scheduleFlush(0)
  }

  /** A failed attempt: retried after the next step of the schedule, or given up once the window after its event has passed. */
  private async recordFailure (delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, outcome: AttemptOutcome): Promise<void> {
    const now = new Date()
    const giveUpAt = delivery.created_at.getTime() + this.options.retryWindowMs
    const retryAt = Math.min(now.getTime() + retryDelayMs(delivery.attempts, this.options.retryBaseMs, this.options.retryWindowMs), giveUpAt)
    await this.db.transaction().execute(async (trx) => {
      // The endpoint's row first: failures of one endpoint recorded at once take their turns instead of deadlocking over each other's queues.
      const disabled = await endpointFailed(trx, endpoint, now, this.options.retryWindowMs)
      const retry = retryAt > now.getTime()
      const recorded = await recordFailure(trx, outcome, retry ? new Date(retryAt) : null)
      if (disabled) await parkEndpointQueue(trx, endpoint)
      else if (recorded && retry) await deferEndpointQueue(trx, endpoint, now, new Date(retryAt))
    })
  }
}

/**
 * One POST: a 2xx answer within the timeout is a success; anything else is the error
 * recorded. The timeout counts from the call, waiting for a free connection included, so
 * every send of a claim ends well within its lease.
 */
async function send (url: URL, agent: HttpAgent, body: string, headers: Record<string, string>, options: WorkerOptions): Promise<AttemptResult> {
  const started = performance.now()
  const finish = (statusCode: number | null, error: string | null): AttemptResult =>
    ({ statusCode, error: error?.slice(0, MAX_ERROR_LENGTH) ?? null, durationMs: Math.round(performance.now() - started) })
  if (refusedLiteral(url, options.allowPrivate)) return finish(null, `${url.hostname} is a private, loopback or link-local address`)
  const deadline = Date.now() + options.timeoutMs
  const once = async (): Promise<AttemptResult & { staleSocket?: boolean }> => await new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent,
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
    const timer = setTimeout(() => { request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)) }, Math.max(0, deadline - Date.now()))
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the receiver closed just as it was reused: most likely nothing reached it, so it is sent again at once.
      resolve({ ...finish(null, error.message), staleSocket: request.reusedSocket && error.code === 'ECONNRESET' })
    })
    request.on('close', () => { clearTimeout(timer) })
    request.end(body)
  })
  const first = await once()
  if (first.staleSocket !== true || Date.now() >= deadline) return finish(first.statusCode, first.error)
  const second = await once()
  return finish(second.statusCode, second.error)
}
