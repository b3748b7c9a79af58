import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import type { KeyResolver, Principal } from '../modules/api-keys/api-keys.service.js'
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
 * The one authentication hook of the native API: `Authorization: Bearer am_live_…` →
 * principal, then the route's declared scope. Runs before body parsing and validation,
 * so an anonymous caller learns nothing about the route's input rules.
 */
export function bearerAuthentication (resolver: KeyResolver) {
  return async function authenticate (request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
    const principal = match?.[1] === undefined ? null : await resolver.resolve(match[1])
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
