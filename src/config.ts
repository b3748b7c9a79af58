import { isAbsolute, resolve } from 'node:path'

/**
 * Configuration, read once from the environment (this is the only module that reads
 * `process.env`) and from CLI flags, validated, and frozen. Anything wrong stops the
 * process at start with one line naming the variable.
 */
export interface Config {
  readonly port: number
  readonly host: string
  /** A postgres:// URL selects PostgreSQL; null selects embedded PGlite. */
  readonly databaseUrl: string | null
  readonly databasePoolMax: number
  /** Embedded store folder, or `memory://`. Ignored when databaseUrl is set. */
  readonly dataDir: string
  readonly bootstrapPlatformKey: string | null
  readonly logLevel: LogLevel
  /** Create the "Demo" organization on an empty store. */
  readonly demo: boolean
  /** Requests per minute per API key (0 disables the limit). */
  readonly rateLimitPerMinute: number
  /** Redis (REDIS_URL) that holds the rate limit's counters so that every process shares them; null: each process counts in memory. */
  readonly redisUrl: string | null
  /** Trust X-Forwarded-* headers (set when behind a reverse proxy). */
  readonly trustProxy: boolean
  /** The service's public base URL (no trailing slash) for absolute links; null: the address the client connected to. */
  readonly publicUrl: string | null
  /** Origins allowed by CORS; empty: CORS off. */
  readonly corsOrigins: readonly string[]
  /** Bearer token /metrics requires; null: /metrics is not served. */
  readonly metricsToken: string | null
  /** Failed authentications per minute per client address before 429 (0 disables). */
  readonly authFailuresPerMinute: number
  /** Time a request may take end to end (routing, body, handler); past it, 503. Uploads get `importTimeoutMs`. */
  readonly requestTimeoutMs: number
  /** Time the whole request (headers and body) may take to arrive; past it the connection is closed. */
  readonly bodyTimeoutMs: number
  /** End-to-end limit for the CSV import route (a 25 MB upload over a slow link). */
  readonly importTimeoutMs: number
  /** PostgreSQL statement_timeout for the service's connections. */
  readonly statementTimeoutMs: number
  /** PostgreSQL idle_in_transaction_session_timeout for the service's connections. */
  readonly idleTransactionTimeoutMs: number
  /** How long a request waits for a free pool connection before it is answered 503. */
  readonly poolWaitMs: number
  /** How long SIGTERM waits for in-flight requests before the process exits anyway. */
  readonly shutdownGraceMs: number
  /** Unsubscribe link keys, signing key first; empty: see `loadUnsubscribeKeys`. */
  readonly unsubscribeKeys: readonly UnsubscribeKeyConfig[]
  /** The mailbox for `mailto:` unsubscribe requests; null: links carry only the https URL. */
  readonly unsubscribeMailto: string | null
  /**
   * The 32-byte AES-256-GCM key that encrypts provider credentials at rest. null: the
   * embedded store generates one into its data folder (see src/lib/secrets.ts).
   */
  readonly secretsKey: Buffer | null
  /**
   * Which origins (scheme://host[:port]) Amazon SNS signing certificates and subscription
   * URLs may come from. Default: https://sns.<region>.amazonaws.com(.cn).
   */
  readonly snsUrlPattern: string
  /** Processes serving HTTP (OMBUDS_WORKERS); 0: one per core. */
  readonly workers: number
  /** Webhook endpoints may be http:// URLs (default: https:// only). */
  readonly webhooksAllowHttp: boolean
  /** Webhook endpoints may be private, loopback or link-local addresses (default: refused, also at send time). */
  readonly webhooksAllowPrivate: boolean
  /** The first retry's delay; each next one is 4 times longer (jittered, capped at a quarter of the window). */
  readonly webhooksRetryBaseMs: number
  /** How long a delivery is retried, and how long an endpoint may fail before it is disabled. */
  readonly webhooksRetryWindowMs: number
  /** How long one delivery attempt may take; the claim's lease is three times this. */
  readonly webhooksTimeoutMs: number
  /** How often the delivery worker looks for due deliveries. */
  readonly webhooksPollMs: number
}

export interface UnsubscribeKeyConfig {
  /** 1 to 8 letters or digits, written into every link */
  readonly id: string
  readonly secret: string
}

const DEFAULT_SNS_URL_PATTERN = '^https://sns\\.[a-z0-9-]{3,}\\.amazonaws\\.com(\\.cn)?$'

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export const API_KEY_PATTERN = /^am_live_[0-9A-Za-z]{32}$/
export const UNSUBSCRIBE_KEY_ID_PATTERN = /^[A-Za-z0-9]{1,8}$/

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Values given on the command line; they win over the environment. */
export interface ConfigOverrides {
  port?: string
  host?: string
  databaseUrl?: string
  dataDir?: string
  demo?: boolean
  workers?: string
}

type Environment = Readonly<Record<string, string | undefined>>

export function loadConfig (overrides: ConfigOverrides = {}, env: Environment = process.env): Config {
  const databaseUrl = nonEmpty(overrides.databaseUrl ?? env.DATABASE_URL)
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL')
  }
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info'
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  }
  const bootstrapPlatformKey = nonEmpty(env.OMBUDS_BOOTSTRAP_PLATFORM_KEY)
  if (bootstrapPlatformKey !== null && !API_KEY_PATTERN.test(bootstrapPlatformKey)) {
    throw new ConfigError('OMBUDS_BOOTSTRAP_PLATFORM_KEY must be am_live_ followed by 32 letters or digits')
  }
  const dataDir = nonEmpty(overrides.dataDir ?? env.OMBUDS_DATA_DIR) ?? './.ombuds/data'
  const publicUrl = nonEmpty(env.OMBUDS_PUBLIC_URL)
  if (publicUrl !== null && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) {
    throw new ConfigError('OMBUDS_PUBLIC_URL must be an http:// or https:// URL without query or fragment, e.g. https://ombuds.example.com')
  }
  const corsOrigins = (nonEmpty(env.OMBUDS_CORS_ORIGINS) ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/?#\s]+$/.test(origin)) throw new ConfigError(`OMBUDS_CORS_ORIGINS must list origins like https://app.example.com, got "${origin}"`)
  }
  const metricsToken = nonEmpty(env.OMBUDS_METRICS_TOKEN)
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('OMBUDS_METRICS_TOKEN must be at least 16 characters')
  const unsubscribeMailto = nonEmpty(env.OMBUDS_UNSUBSCRIBE_MAILTO)
  if (unsubscribeMailto !== null && !/^[^\s@<>?&]+@[^\s@<>?&]+\.[^\s@<>?&]+$/.test(unsubscribeMailto)) {
    throw new ConfigError('OMBUDS_UNSUBSCRIBE_MAILTO must be an email address, e.g. unsubscribe@example.com')
  }
  const redisUrl = nonEmpty(env.REDIS_URL)
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
  const snsUrlPattern = nonEmpty(env.OMBUDS_SNS_URL_PATTERN) ?? DEFAULT_SNS_URL_PATTERN
  try {
    RegExp(snsUrlPattern) // compiling it is the check
  } catch {
    throw new ConfigError('OMBUDS_SNS_URL_PATTERN must be a regular expression')
  }
  return Object.freeze({
    port: integer(overrides.port ?? env.PORT, 'PORT', 8080, 0, 65535),
    host: nonEmpty(overrides.host ?? env.HOST) ?? '127.0.0.1',
    databaseUrl,
    databasePoolMax: integer(env.DATABASE_POOL_MAX, 'DATABASE_POOL_MAX', 10, 1, 1000),
    dataDir: dataDir === 'memory://' || isAbsolute(dataDir) ? dataDir : resolve(dataDir),
    bootstrapPlatformKey,
    logLevel: logLevel as LogLevel,
    // Demo data (and its all-powerful printed platform key) only on the embedded store unless asked for.
    demo: overrides.demo ?? (databaseUrl === null && !isTrue(env.OMBUDS_NO_DEMO)),
    rateLimitPerMinute: integer(env.RATE_LIMIT_PER_MINUTE, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 10_000_000),
    redisUrl,
    trustProxy: isTrue(env.TRUST_PROXY),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    corsOrigins: Object.freeze(corsOrigins),
    metricsToken,
    authFailuresPerMinute: integer(env.OMBUDS_AUTH_FAILURES_PER_MINUTE, 'OMBUDS_AUTH_FAILURES_PER_MINUTE', 60, 0, 1_000_000),
    requestTimeoutMs: integer(env.OMBUDS_REQUEST_TIMEOUT_MS, 'OMBUDS_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    bodyTimeoutMs: integer(env.OMBUDS_BODY_TIMEOUT_MS, 'OMBUDS_BODY_TIMEOUT_MS', 120_000, 1000, 3_600_000),
    importTimeoutMs: integer(env.OMBUDS_IMPORT_TIMEOUT_MS, 'OMBUDS_IMPORT_TIMEOUT_MS', 600_000, 1000, 3_600_000),
    statementTimeoutMs: integer(env.OMBUDS_STATEMENT_TIMEOUT_MS, 'OMBUDS_STATEMENT_TIMEOUT_MS', 60_000, 100, 3_600_000),
    idleTransactionTimeoutMs: integer(env.OMBUDS_IDLE_TRANSACTION_TIMEOUT_MS, 'OMBUDS_IDLE_TRANSACTION_TIMEOUT_MS', 30_000, 100, 3_600_000),
    poolWaitMs: integer(env.OMBUDS_POOL_WAIT_MS, 'OMBUDS_POOL_WAIT_MS', 5000, 100, 600_000),
    shutdownGraceMs: integer(env.OMBUDS_SHUTDOWN_GRACE_MS, 'OMBUDS_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    unsubscribeKeys: parseUnsubscribeKeys(nonEmpty(env.OMBUDS_UNSUBSCRIBE_KEYS), 'OMBUDS_UNSUBSCRIBE_KEYS'),
    unsubscribeMailto,
    secretsKey: secretsKey(env.OMBUDS_SECRETS_KEY),
    snsUrlPattern,
    webhooksAllowHttp: isTrue(env.OMBUDS_WEBHOOKS_ALLOW_HTTP),
    webhooksAllowPrivate: isTrue(env.OMBUDS_WEBHOOKS_ALLOW_PRIVATE),
    webhooksRetryBaseMs: integer(env.OMBUDS_WEBHOOKS_RETRY_BASE_MS, 'OMBUDS_WEBHOOKS_RETRY_BASE_MS', 5000, 1, 3_600_000),
    webhooksRetryWindowMs: integer(env.OMBUDS_WEBHOOKS_RETRY_WINDOW_MS, 'OMBUDS_WEBHOOKS_RETRY_WINDOW_MS', 24 * 60 * 60 * 1000, 100, 30 * 24 * 60 * 60 * 1000),
    webhooksTimeoutMs: integer(env.OMBUDS_WEBHOOKS_TIMEOUT_MS, 'OMBUDS_WEBHOOKS_TIMEOUT_MS', 10_000, 100, 60_000),
    webhooksPollMs: integer(env.OMBUDS_WEBHOOKS_POLL_MS, 'OMBUDS_WEBHOOKS_POLL_MS', 1000, 10, 60_000),
    workers: integer(overrides.workers ?? env.OMBUDS_WORKERS, 'OMBUDS_WORKERS', 1, 0, 1024)
  })
}

/** Where the CLI's API commands send requests, and as whom. */
export interface ClientConfig {
  /** The service's base URL, without a trailing slash. */
  readonly url: string
  readonly key: string | null
}

/** `--url` / `OMBUDS_URL` (default http://127.0.0.1:8080) and `--key` / `OMBUDS_KEY`; flags win. */
export function loadClientConfig (overrides: { url?: string, key?: string } = {}, env: Environment = process.env): ClientConfig {
  const url = nonEmpty(overrides.url ?? env.OMBUDS_URL) ?? 'http://127.0.0.1:8080'
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(url)) throw new ConfigError(`OMBUDS_URL (--url) must be an http:// or https:// URL, got "${url}"`)
  const key = nonEmpty(overrides.key ?? env.OMBUDS_KEY)
  if (key !== null && !API_KEY_PATTERN.test(key)) throw new ConfigError('OMBUDS_KEY (--key) must be am_live_ followed by 32 letters or digits')
  return Object.freeze({ url: url.replace(/\/+$/, ''), key })
}

/** A configuration for tests and tools: in-memory store, quiet logs, no demo data. */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ dataDir: 'memory://', demo: false }, {}), logLevel: 'silent' as const, ...overrides })
}

/** The PostgreSQL URL the test suite should also run against, if any. */
export function testDatabaseUrl (env: Environment = process.env): string | null {
  return loadConfig({}, { DATABASE_URL: env.DATABASE_URL }).databaseUrl
}

/**
 * `kid:secret,kid:secret…`: key ids of 1 to 8 letters or digits, secrets of at least 32
 * characters (e.g. `openssl rand -base64 32`). The first key signs new links; all verify.
 */
export function parseUnsubscribeKeys (text: string | null, name: string): readonly UnsubscribeKeyConfig[] {
  if (text === null) return Object.freeze([])
  const keys = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    const colon = entry.indexOf(':')
    const id = entry.slice(0, Math.max(colon, 0))
    const secret = entry.slice(colon + 1)
    if (colon < 0 || !UNSUBSCRIBE_KEY_ID_PATTERN.test(id)) throw new ConfigError(`${name} must list kid:secret entries with a key id of 1 to 8 letters or digits`)
    if (secret.length < 32) throw new ConfigError(`${name}: the secret of key "${id}" must be at least 32 characters`)
    return Object.freeze({ id, secret })
  })
  if (new Set(keys.map((key) => key.id)).size !== keys.length) throw new ConfigError(`${name} names a key id twice`)
  return Object.freeze(keys)
}

function nonEmpty (value: string | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? null : trimmed
}

/** 32 bytes, written as 64 hex digits or in base64 (`openssl rand -base64 32`). */
function secretsKey (value: string | undefined): Buffer | null {
  const text = nonEmpty(value)
  if (text === null) return null
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : null
  if (key?.length !== 32) throw new ConfigError('OMBUDS_SECRETS_KEY must be 32 bytes, as 64 hex digits or in base64 (openssl rand -base64 32)')
  return key
}

function isTrue (value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase())
}

function integer (value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(value)
  if (text === null) return fallback
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`)
  }
  return Number(text)
}

/**
 * The environment a child process inherits (the test runner, bench tools, CLI tests), with
 * `extra` on top: tools outside src/ read the environment only through here.
 */
export function inheritedEnvironment (extra: Readonly<Record<string, string>> = {}, env: Environment = process.env): Record<string, string | undefined> {
  return { ...env, ...extra }
}

/** Whether start failures should also print their stack (LOG_LEVEL debug or trace); never throws. */
export function debugEnabled (env: Environment = process.env): boolean {
  return ['debug', 'trace'].includes(nonEmpty(env.LOG_LEVEL) ?? '')
}

/** How many requests the fuzz test sends (test/fuzz); CI runs the default with a fixed seed. */
export function fuzzRuns (env: Environment = process.env): number {
  return integer(env.OMBUDS_FUZZ_RUNS, 'OMBUDS_FUZZ_RUNS', 10_000, 1, 10_000_000)
}

/** Where the test runner left the migrated PGlite template (see test/run.ts). */
export function testTemplatePath (env: Environment = process.env): string | null {
  return nonEmpty(env.OMBUDS_TEST_TEMPLATE)
}
