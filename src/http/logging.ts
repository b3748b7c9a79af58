import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import pino from 'pino'

/**
 * What the service logs about a request, without personal data or secrets: addresses
 * and numbers appear in paths (`/v3/{domain}/complaints/{address}`) and in query
 * strings (`?address=…`), keys in headers. Request bodies are never logged. `debug` logs
 * the same redacted lines (plus Fastify's own lifecycle messages).
 */

const REDACTED = '[redacted]'

/**
 * A path segment is kept only when it cannot be an address or a number: UUIDs, route
 * words, domain names (`mg.example.com`), short ids. Anything with `@`, `%`, `+`, or a
 * run of 6 or more digits is replaced; every query value is replaced (names are kept).
 */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]*$/
const LONG_DIGITS = /\d{6,}/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function redactUrl (url: string): string {
  const queryAt = url.indexOf('?')
  const path = queryAt < 0 ? url : url.slice(0, queryAt)
  const safePath = path.split('/').map((segment) => {
    if (UUID.test(segment)) return segment
    return SAFE_SEGMENT.test(segment) && !LONG_DIGITS.test(segment) ? segment : REDACTED
  }).join('/')
  if (queryAt < 0) return safePath
  const query = url.slice(queryAt + 1).split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=')
    const name = equals < 0 ? pair : pair.slice(0, equals)
    return `${SAFE_SEGMENT.test(name) ? name : REDACTED}=${REDACTED}`
  })
  return `${safePath}?${query.join('&')}`
}

const EMAIL_LIKE = /[^\s@"'<>()[\]{},;:]+@[^\s@"'<>()[\]{},;:]+/g
const NUMBER_LIKE = /\+?\d[\d ().-]{5,}\d/g

/** Error texts can quote input (a driver echoing a value): addresses and numbers are masked. */
function redactText (text: string): string {
  return text.replace(EMAIL_LIKE, REDACTED).replace(NUMBER_LIKE, REDACTED)
}

/**
 * Pino options for Fastify's logger: redacted request lines, masked errors, secret headers
 * removed. Lines go to stdout asynchronously: a line written while the previous write is in
 * flight joins the next write instead of costing a write call of its own (pino flushes
 * what is pending when the process exits; a SIGKILL can lose the lines of the last write).
 */
export function loggerOptions (level: string) {
  return {
    level,
    stream: pino.destination({ dest: 1, sync: false }),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'err.detail', 'err.where', 'err.parameters', 'err.hint'],
      censor: REDACTED
    },
    serializers: {
      req (request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip }
      },
      err (error: Error) {
        const serialized = pino.stdSerializers.err(error)
        serialized.message = redactText(serialized.message)
        serialized.stack = redactText(serialized.stack)
        return serialized
      }
    }
  }
}

/**
 * One line per request, written when it is answered: method, redacted URL, client address,
 * status and time, with the request id. Fastify's default is two lines (one on arrival
 * without the outcome, one on completion without the URL), which was the largest share of
 * a small request's logging cost. The line is written when the answer has been sent (or
 * has failed), as Fastify's completion line was.
 */
export class RequestLog extends LogController {
  override incomingRequest (): void {}

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    if (error != null) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}
