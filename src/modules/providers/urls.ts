import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { publicBaseUrl } from '../../http/public-url.js'

/**
 * The origin providers reach this server at, as the request's Host says (behind a reverse
 * proxy, with TRUST_PROXY set, X-Forwarded-Proto and X-Forwarded-Host). Twilio signs the
 * URL it called, which is this one, so the Host header is a right source for checking
 * it; the `webhook_url` the admin routes give out comes from `publicBaseUrl` instead.
 */
function publicOrigin (request: FastifyRequest): string {
  const defaultPort = request.protocol === 'https' ? ':443' : ':80'
  const host = request.host.endsWith(defaultPort) ? request.host.slice(0, -defaultPort.length) : request.host
  return `${request.protocol}://${host}`
}

/**
 * The URLs a caller may have meant by this request: the one the service gave out (its
 * public base URL), as received and, as Twilio's own validator allows, with the scheme's
 * default port added or removed (providers are not consistent about it).
 */
export function requestUrls (request: FastifyRequest, config: Config): string[] {
  const givenOut = `${publicBaseUrl(request, config)}${request.url}`
  const asReceived = `${publicOrigin(request)}${request.url}`
  const url = new URL(asReceived)
  const defaultPort = url.protocol === 'https:' ? '443' : '80'
  const withPort = `${url.protocol}//${url.hostname}:${url.port === '' ? defaultPort : url.port}${request.url}`
  const withoutPort = url.port === '' || url.port === defaultPort ? `${url.protocol}//${url.hostname}${request.url}` : asReceived
  return [...new Set([givenOut, asReceived, withPort, withoutPort])]
}
