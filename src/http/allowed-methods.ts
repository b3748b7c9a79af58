import FindMyWay from 'find-my-way'
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { AppError } from '../errors.js'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/**
 * Which methods a path answers. Fastify's not-found handler only learns that no route
 * matched this method and path; to answer 405 with `Allow` instead of 404 it needs the
 * routes of the other methods, so every route is also recorded in a router of our own
 * with the same matching rules (find-my-way, Fastify's router, with its options).
 */
export class AllowedMethods {
  private readonly router = FindMyWay({ maxParamLength: 1024 })

  add (method: HTTPMethods | HTTPMethods[], url: string): void {
    for (const one of Array.isArray(method) ? method : [method]) {
      const upper = one.toUpperCase()
      if (!(METHODS as readonly string[]).includes(upper)) continue
      const knownMethod = upper as typeof METHODS[number]
      if (this.router.hasRoute(knownMethod, url)) continue
      this.router.on(knownMethod, url, () => {})
    }
  }

  /** The methods `url` (path and query) answers to, empty when the path is unknown. */
  for (url: string): string[] {
    const path = url.split('?', 1)[0] ?? url
    return METHODS.filter((method) => this.router.find(method, path) !== null)
  }
}

/**
 * What a not-found handler answers: 405 with `Allow` when the path exists under other
 * methods, 404 otherwise. Each API renders the error in its own shape.
 */
export function unmatchedRoute (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): AppError {
  const allowed = app.allowedMethods.for(request.url)
  if (allowed.length === 0) return new AppError('NOT_FOUND', 'no such route')
  reply.header('Allow', allowed.join(', '))
  return new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`)
}
