import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import type { App } from './types.js'

/**
 * The Redis connection that makes one key's rate limit global across processes. Short
 * timeouts and one retry: a request never waits on Redis for long, and while Redis is
 * unreachable the limit is skipped (logged) rather than failing every request.
 */
export function sharedRateLimitStore (app: App, url: string): Redis {
  const redis = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: true })
  let reported = false
  redis.on('error', (error: Error) => {
    if (!reported) app.log.warn({ err: error }, 'Redis is unreachable: the rate limit is skipped until it is back')
    reported = true
  })
  redis.on('ready', () => { reported = false })
  app.addHook('onClose', async () => { redis.disconnect() })
  return redis
}

/** What the rate limit counts requests under for one Authorization header. */
export function credentialDigest (authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64url')
}
