import Fastify from 'fastify'
import { sql } from 'kysely'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import { createStore, type Store, type StoreOptions } from './db/store.js'
import { migrateToLatest } from './db/migrate.js'
import { MigrationError } from './start-errors.js'
import { bearerAuthentication, FailedAuthLimiter } from './http/auth.js'
import { logIfUnexpected, sendErrorEnvelope, toAppError } from './http/errors.js'
import { bodyTimeout, clientErrorHandler, frameworkErrors } from './http/framework-errors.js'
import { AllowedMethods, unmatchedRoute } from './http/allowed-methods.js'
import { inputGuard } from './http/input-guard.js'
import { loggerOptions, RequestLog } from './http/logging.js'
import { securityHeaders } from './http/security-headers.js'
import { credentialDigest, sharedRateLimitStore } from './http/rate-limit-store.js'
import { observability } from './http/observability.js'
import { OPENAPI_SERVERS, refineOpenapiDocument, SECURITY_SCHEMES } from './http/openapi.js'
import { newRequestId } from './http/request-id.js'
import { ErrorEnvelope } from './http/schemas.js'
import type { App } from './http/types.js'
import { ensurePlatformKey, KeyResolver } from './modules/api-keys/api-keys.service.js'
import { complaintRoutes } from './modules/complaints/complaints.routes.js'
import { intakeRoutes } from './modules/intake/intake.routes.js'
import { keywordRoutes } from './modules/keywords/keywords.routes.js'
import { OrgKeywordCache } from './modules/keywords/keywords.service.js'
import { campaignRoutes } from './modules/campaigns/campaigns.routes.js'
import { listRoutes } from './modules/lists/lists.routes.js'
import { reportRoutes } from './modules/reports/reports.routes.js'
import { whatCountsDialect } from './dialects/whatcounts/whatcounts.routes.js'
import { mailgunDialect } from './dialects/mailgun/mailgun.routes.js'
import { deleteExpiredResponses } from './modules/idempotency/idempotency.repository.js'
import { auditRoutes } from './modules/audit/audit.routes.js'
import { callerOrganizationRoutes, organizationRoutes } from './modules/organizations/organizations.routes.js'
import { suppressionRoutes } from './modules/suppressions/suppressions.routes.js'
import { unsubscribeLinkRoutes, unsubscribePageRoutes } from './modules/unsubscribe/unsubscribe.routes.js'
import { loadUnsubscribeKeys } from './modules/unsubscribe/unsubscribe.service.js'
import { providerConnectionRoutes } from './modules/providers/providers.routes.js'
import { providerHookRoutes } from './modules/providers/hooks.routes.js'
import { resolveSecretsKey, SecretBox } from './lib/secrets.js'
import { consoleRoutes } from './console/console.routes.js'
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js'
import { DeliveryWorker } from './modules/webhooks/webhooks.worker.js'

export interface BuildOptions {
  /** An open, migrated store. Without one, the app opens and migrates the configured store and closes it on close. */
  store?: Store
}

/** The store options of a configuration (its connection limits included). */
export function storeOptions (config: Config): StoreOptions {
  return {
    databaseUrl: config.databaseUrl,
    databasePoolMax: config.databasePoolMax,
    dataDir: config.dataDir,
    statementTimeoutMs: config.statementTimeoutMs,
    idleTransactionTimeoutMs: config.idleTransactionTimeoutMs,
    poolWaitMs: config.poolWaitMs
  }
}

/** Opens the configured store, applies migrations and makes sure the bootstrap platform key exists. */
export async function openStore (config: Config): Promise<Store> {
  const store = await createStore(storeOptions(config))
  try {
    // Reachability first, so that a missing or unreachable database is not reported as a failed migration.
    await sql`SELECT 1`.execute(store.db)
    await migrateToLatest(store.db).catch((error: unknown) => {
      throw new MigrationError(`a migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    })
    if (config.bootstrapPlatformKey !== null) await ensurePlatformKey(store.db, config.bootstrapPlatformKey)
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

/**
 * Builds the whole service: native API, vendor dialects, docs and operations routes.
 * Tests, the CLI and the OpenAPI generator all build this same app.
 */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    genReqId: () => newRequestId(),
    requestIdHeader: false,
    logController: new RequestLog({ requestIdLogLabel: 'request_id' }),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // End to end (routing, body, handler): past it the client gets 503 with Retry-After.
    handlerTimeout: config.requestTimeoutMs,
    // Node closes a connection whose request (headers and body) has not fully arrived by then.
    requestTimeout: config.bodyTimeoutMs,
    // Path parameters up to a percent-encoded 254-character email address (3 × 254) and
    // unsubscribe tokens (about 250 characters); find-my-way's default cap is 100.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors,
    clientErrorHandler,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true, keywords: ['example'] } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  const store = options.store ?? await openStore(config)
  const unsubscribeKeys = loadUnsubscribeKeys(config)
  app.decorate('config', config)
  app.decorate('store', store)
  app.decorate('db', store.db)
  const secretsKey = resolveSecretsKey(config)
  app.decorate('secrets', secretsKey === null ? null : new SecretBox(secretsKey))
  app.decorate('keys', new KeyResolver(store.db, 1000, (error) => app.log.warn({ err: error }, 'could not record key use')))
  app.decorate('orgKeywords', new OrgKeywordCache())
  app.decorate('authLimiter', new FailedAuthLimiter(config.authFailuresPerMinute))
  app.decorate('allowedMethods', new AllowedMethods())
  app.addHook('onRoute', (route) => { app.allowedMethods.add(route.method, route.url) })
  app.decorateRequest('principal', null)
  if (options.store === undefined) app.addHook('onClose', async () => { await store.close() })

  app.addSchema(ErrorEnvelope)
  // JSON only: a text/plain body would otherwise reach validation and read as a 422.
  app.removeContentTypeParser('text/plain')
  app.addHook('onRequest', async (request, reply) => {
    // Answers carry keys, addresses and complaints: no shared cache may keep them.
    reply.header('X-Request-Id', request.id).header('Cache-Control', 'no-store')
  })
  app.addHook('onRequest', bodyTimeout(config.bodyTimeoutMs))
  await app.register(securityHeaders, { config })
  await app.register(inputGuard)
  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error)
    logIfUnexpected(request, error, appError)
    return await sendErrorEnvelope(request, reply, appError)
  })
  app.setNotFoundHandler(async (request, reply) => await sendErrorEnvelope(request, reply, unmatchedRoute(app, request, reply)))

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ombuds',
        version: '0.1.0',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description: 'Complaints and suppressions for messaging platforms. The native API follows AgentMessage\'s conventions; `/v3/{domain}/complaints` speaks Mailgun and `/rest/lists/{listId}/complaints` speaks WhatCounts.'
      },
      servers: OPENAPI_SERVERS,
      components: { securitySchemes: SECURITY_SCHEMES },
      security: [{ bearerAuth: [] }]
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
    transformObject: (document) => 'openapiObject' in document ? refineOpenapiDocument(document.openapiObject as Record<string, unknown>) : document.swaggerObject
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  if (unsubscribeKeys === null) app.log.warn('OMBUDS_UNSUBSCRIBE_KEYS is not set: unsubscribe links cannot be built on a PostgreSQL store')

  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      ...(config.redisUrl !== null ? { redis: sharedRateLimitStore(app, config.redisUrl), skipOnError: true } : {}),
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // Keyed on a digest of the credentials: the store (Redis, when shared) never holds an API key.
      keyGenerator: (request) => request.headers.authorization === undefined ? request.ip : credentialDigest(request.headers.authorization),
      errorResponseBuilder: (_request, context) => ({ statusCode: 429, retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) })
    })
  }

  await app.register(observability)
  await app.register(async function nativeApi (api: App) {
    api.addHook('onRequest', bearerAuthentication(app))
    await api.register(organizationRoutes)
    await api.register(callerOrganizationRoutes)
    await api.register(auditRoutes)
    await api.register(complaintRoutes)
    await api.register(suppressionRoutes)
    await api.register(listRoutes)
    await api.register(campaignRoutes)
    await api.register(reportRoutes)
    await api.register(intakeRoutes)
    await api.register(keywordRoutes)
    await api.register(unsubscribeLinkRoutes, { keys: unsubscribeKeys })
    await api.register(providerConnectionRoutes)
    await api.register(webhookRoutes)
  })
  await app.register(unsubscribePageRoutes, { keys: unsubscribeKeys })
  await app.register(providerHookRoutes)
  await app.register(whatCountsDialect, { prefix: '/rest' })
  await app.register(mailgunDialect, { prefix: '/v3' })
  await app.register(consoleRoutes)

  const sweep = setInterval(() => {
    deleteExpiredResponses(store.db, new Date(Date.now() - 24 * 60 * 60 * 1000))
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not sweep idempotency keys'))
  }, 60 * 60 * 1000)
  sweep.unref()
  app.addHook('onClose', async () => { clearInterval(sweep) })

  // Webhooks out: this process sends its share of due deliveries; closing waits for those in flight.
  const worker = new DeliveryWorker(store.db, app.secrets, {
    allowPrivate: config.webhooksAllowPrivate,
    retryBaseMs: config.webhooksRetryBaseMs,
    retryWindowMs: config.webhooksRetryWindowMs,
    timeoutMs: config.webhooksTimeoutMs,
    pollMs: config.webhooksPollMs
  }, app.log)
  app.addHook('onReady', async () => { worker.start() })
  app.addHook('preClose', async () => { await worker.stop() })

  return app
}
