import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { Store } from '../db/store.js'
import type { Registry } from 'prom-client'
import type { SecretBox } from '../lib/secrets.js'
import type { KeyResolver } from '../modules/api-keys/api-keys.service.js'
import type { OrgKeywordCache } from '../modules/keywords/keywords.service.js'
import type { AllowedMethods } from './allowed-methods.js'
import type { FailedAuthLimiter } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    store: Store
    db: Database
    keys: KeyResolver
    orgKeywords: OrgKeywordCache
    authLimiter: FailedAuthLimiter
    /** Seals provider credentials; null when none can be stored (PostgreSQL without OMBUDS_SECRETS_KEY). */
    secrets: SecretBox | null
    /** The registry /metrics exposes. */
    metrics: Registry
    /** Every route's methods, to tell 405 from 404. */
    allowedMethods: AllowedMethods
  }
}

/** The app as route modules see it: Fastify with TypeBox types inferred from each schema. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>
