import { timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import { sql } from 'kysely'
import { AppError } from '../errors.js'
import { responses } from './schemas.js'
import type { App } from './types.js'

/**
 * /healthz, /readyz and /metrics, plus the request counters behind /metrics. Not
 * encapsulated (fastify-plugin), so its onResponse hook sees every route of the app.
 */
export const observability = fp(async function observability (app: App): Promise<void> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  app.decorate('metrics', registry)
  const requests = new Counter({
    name: 'ombuds_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry]
  })
  const duration = new Histogram({
    name: 'ombuds_http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry]
  })

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids must not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched'
    requests.inc({ method: request.method, route, status: reply.statusCode })
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
  })

  const tags = ['Operations']
  app.get('/healthz', {
    schema: { tags, operationId: 'checkHealth', summary: 'The process is up', security: [], response: responses({ 200: Type.Object({ status: Type.Literal('ok') }) }, [], { authenticated: false }) }
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    schema: { tags, operationId: 'checkReadiness', summary: 'The store is reachable', security: [], response: responses({ 200: Type.Object({ status: Type.Literal('ready') }) }, [], { authenticated: false }) }
  }, async () => {
    try {
      await sql`SELECT 1`.execute(app.db)
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', 'the store is unreachable', undefined, 5)
    }
    return { status: 'ready' as const }
  })

  // The metrics name every route and the exact runtime: only for the scraper's token.
  const token = app.config.metricsToken === null ? null : Buffer.from(`Bearer ${app.config.metricsToken}`)
  app.get('/metrics', {
    schema: {
      tags,
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description: 'Requires `Authorization: Bearer <OMBUDS_METRICS_TOKEN>`; without that variable the route is not served (404).',
      security: [{ bearerAuth: [] }],
      produces: ['text/plain'],
      response: { 200: Type.String({ description: 'Prometheus text exposition format' }), ...responses({}, ['UNAUTHORIZED', 'NOT_FOUND'], { authenticated: false }) }
    }
  }, async (request, reply) => {
    if (token === null) throw new AppError('NOT_FOUND', 'metrics are served only when OMBUDS_METRICS_TOKEN is set')
    const presented = Buffer.from(request.headers.authorization ?? '')
    if (presented.length !== token.length || !timingSafeEqual(presented, token)) throw new AppError('UNAUTHORIZED')
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
})
