import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

/**
 * The base of absolute links the service writes (Mailgun's paging URLs, WhatCounts'
 * `Link` header): `OMBUDS_PUBLIC_URL` when set; behind a trusted proxy, its
 * X-Forwarded-Proto/Host; otherwise the address the client actually connected to.
 * Never the client's own `Host` header, which anyone can forge to plant links.
 */
export function publicBaseUrl (request: FastifyRequest, config: Config): string {
  if (config.publicUrl !== null) return config.publicUrl
  if (config.trustProxy) return `${request.protocol}://${request.host}`
  const socket = request.raw.socket as { localAddress?: string, localPort?: number } | undefined
  const address = (socket?.localAddress ?? config.host).replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  const host = address.includes(':') ? `[${address}]` : address
  return `${request.protocol}://${host}:${socket?.localPort ?? config.port}`
}

/**
 * The origin the request says it was sent to (behind a reverse proxy, with TRUST_PROXY
 * set, X-Forwarded-Proto and X-Forwarded-Host). Only for checking provider signatures,
 * which cover the URL the provider called; links the service writes use `publicBaseUrl`.
 */
export function publicOrigin (request: FastifyRequest): string {
  const defaultPort = request.protocol === 'https' ? ':443' : ':80'
  const host = request.host.endsWith(defaultPort) ? request.host.slice(0, -defaultPort.length) : request.host
  return `${request.protocol}://${host}`
}

/**
 * The URLs a caller may have meant by this request: the one the service gave out (its
 * public base URL, see `publicBaseUrl`), as received and, as Twilio's own validator
 * allows, with the scheme's default port added or removed (providers are not consistent
 * about it).
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
