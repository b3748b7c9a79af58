import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

/**
 * The base of absolute links the service writes (Mailgun's paging URLs, WhatCounts'
 * `Link` header, provider webhook URLs, unsubscribe links): `OMBUDS_PUBLIC_URL` when set;
 * behind a trusted proxy, its X-Forwarded-Proto/Host; otherwise the address the client
 * actually connected to. Never the client's own `Host` header, which anyone can forge to
 * plant links.
 */
export function publicBaseUrl (request: FastifyRequest, config: Config): string {
  if (config.publicUrl !== null) return config.publicUrl
  if (config.trustProxy) return `${request.protocol}://${request.host}`
  const socket = request.raw.socket as { localAddress?: string, localPort?: number } | undefined
  const address = (socket?.localAddress ?? config.host).replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  const host = address.includes(':') ? `[${address}]` : address
  return `${request.protocol}://${host}:${socket?.localPort ?? config.port}`
}
