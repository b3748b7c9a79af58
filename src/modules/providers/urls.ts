import type { FastifyRequest } from 'fastify'

/**
 * The origin providers reach this server at, as the request's Host says (behind a reverse
 * proxy, with TRUST_PROXY set, X-Forwarded-Proto and X-Forwarded-Host). Twilio signs the
 * URL it called, which is this one, so the Host header is the right source for it; the
 * admin routes build `webhook_url` the same way.
 */
export function publicOrigin (request: FastifyRequest): string {
  const defaultPort = request.protocol === 'https' ? ':443' : ':80'
  const host = request.host.endsWith(defaultPort) ? request.host.slice(0, -defaultPort.length) : request.host
  return `${request.protocol}://${host}`
}

/**
 * The URLs a caller may have meant by this request: as received and, as Twilio's own
 * validator allows, with the scheme's default port added or removed (providers are not
 * consistent about it).
 */
export function requestUrls (request: FastifyRequest): string[] {
  const asReceived = `${publicOrigin(request)}${request.url}`
  const url = new URL(asReceived)
  const defaultPort = url.protocol === 'https:' ? '443' : '80'
  const withPort = `${url.protocol}//${url.hostname}:${url.port === '' ? defaultPort : url.port}${request.url}`
  const withoutPort = url.port === '' || url.port === defaultPort ? `${url.protocol}//${url.hostname}${request.url}` : asReceived
  return [...new Set([asReceived, withPort, withoutPort])]
}
