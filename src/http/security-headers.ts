import cors from '@fastify/cors'
import fp from 'fastify-plugin'
import helmet from 'helmet'
import type { Config } from '../config.js'
import type { App } from './types.js'

/**
 * Helmet's headers on every answer (`X-Content-Type-Options: nosniff`, a CSP, frame and
 * referrer policies…) and CORS only for the origins `OMBUDS_CORS_ORIGINS` lists. The CSP
 * is helmet's default minus `upgrade-insecure-requests` (the service is often reached
 * over plain http on 127.0.0.1, where upgrading /docs' assets would break it): /docs
 * loads only its own scripts and styles, so `'self'` is enough for it.
 */
export const securityHeaders = fp(async function securityHeaders (app: App, options: { config: Config }): Promise<void> {
  // Built once: @fastify/helmet built helmet's middleware again on every request (parsing the
  // CSP directives each time) in two hooks, about 2 % of the first page's CPU per request.
  const setHeaders = helmet({
    contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'] } }
  })
  // Helmet's middleware only sets headers (since 8.1 it throws instead of passing errors on).
  app.addHook('onRequest', (request, reply, done) => { setHeaders(request.raw, reply.raw, () => { done() }) })
  if (options.config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.config.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600
    })
  }
})
