import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import type { Principal } from '../modules/api-keys/api-keys.service.js'
import type { Scope } from '../modules/api-keys/scopes.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route requires; every authenticated route declares one. */
    scope?: Scope
  }
  interface FastifyRequest {
    principal: Principal | null
  }
}

/**
 * Failed authentications per client address, in fixed one-minute windows. Past the
 * limit the address gets 429 with Retry-After until its window ends, before any lookup —
 * except for a key this process resolved within the last second, so a client behind the
 * same address with a good key keeps working. In-process: each process counts its own.
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { count: number, endsAt: number }>()

  constructor (private readonly perMinute: number) {}

  /** Seconds until `client` may try again, or null when it is under the limit. */
  blockedFor (client: string, now = Date.now()): number | null {
    if (this.perMinute === 0) return null
    const window = this.windows.get(client)
    if (window === undefined || window.endsAt <= now || window.count < this.perMinute) return null
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000))
  }

  fail (client: string, now = Date.now()): void {
    if (this.perMinute === 0) return
    const window = this.windows.get(client)
    if (window !== undefined && window.endsAt > now) {
      window.count++
      return
    }
    if (this.windows.size >= 100_000) {
      for (const [key, entry] of this.windows) if (entry.endsAt <= now) this.windows.delete(key)
      if (this.windows.size >= 100_000) this.windows.clear()
    }
    this.windows.set(client, { count: 1, endsAt: now + 60_000 })
  }
}

/**
 * Every API's key check (Bearer for /v1, Basic for the dialects): the failed-attempt
 * limit of the client address, then the resolver (cached, unknown keys remembered).
 * A presented key that resolves to nothing counts as a failure.
 */
export async function authenticateKey (app: FastifyInstance, request: FastifyRequest, secret: string): Promise<Principal | null> {
  const retryAfter = app.authLimiter.blockedFor(request.ip)
  if (retryAfter !== null) {
    const known = app.keys.peek(secret)
    if (known !== null) return known
    throw new AppError('RATE_LIMITED', 'too many failed authentications from this address', undefined, retryAfter)
  }
  const principal = await app.keys.resolve(secret)
  if (principal === null) app.authLimiter.fail(request.ip)
  return principal
}

/**
 * The one authentication hook of the native API: `Authorization: Bearer am_live_…` →
 * principal, then the route's declared scope. Runs before body parsing and validation,
 * so an anonymous caller learns nothing about the route's input rules.
 */
export function bearerAuthentication (app: FastifyInstance) {
  return async function authenticate (request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
    const principal = match?.[1] === undefined ? null : await authenticateKey(app, request, match[1])
    if (principal === null) throw new AppError('UNAUTHORIZED')
    request.principal = principal
    requireScope(request, principal)
  }
}

export function requireScope (request: FastifyRequest, principal: Principal): void {
  const scope = request.routeOptions.config.scope
  if (scope === undefined || !principal.scopes.has(scope)) throw new AppError('FORBIDDEN')
}

/** The organization of a customer key (routes that require a customer scope always have one). */
export function callerOrgId (request: FastifyRequest): string {
  const orgId = request.principal?.orgId
  if (orgId == null) throw new AppError('FORBIDDEN')
  return orgId
}

export function callerPrincipal (request: FastifyRequest): Principal {
  if (request.principal === null) throw new AppError('UNAUTHORIZED')
  return request.principal
}

/** The user and password of an `Authorization: Basic …` header (the dialects' scheme), or null. */
export function basicCredentials (header: string | undefined): { user: string, password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (match?.[1] === undefined) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
