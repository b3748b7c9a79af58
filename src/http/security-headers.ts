import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
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
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'] } }
  })
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
