import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import type { Database } from '../../db/database.js'
import type { ApiKeyRow } from '../../db/schema.js'
import type { Actor } from '../complaints/complaints.service.js'
import { newId } from '../../lib/ids.js'
import { API_KEY_PATTERN } from '../../config.js'
import { ensureApiKey, findApiKeyByHash, insertApiKey, revokeApiKey, touchApiKey } from './api-keys.repository.js'
import { PLATFORM_SCOPES, ROLE_SCOPES, type Role, type Scope } from './scopes.js'

/** Who is calling: resolved once per request from the key. */
export interface Principal {
  keyId: string
  kind: 'customer' | 'platform'
  orgId: string | null
  role: Role | null
  scopes: ReadonlySet<Scope>
  /** The key's first characters (`am_live_` + 4), as listed to administrators. */
  prefix: string
  /** How the caller appears in audit events. */
  actorLabel: string
}

/** Who acted, as audit events record it: the key's kind, label, prefix and role. */
export function actorOf (principal: Principal): Actor {
  return { kind: principal.kind, label: principal.actorLabel, keyPrefix: principal.prefix, role: principal.role }
}

export interface IssuedApiKey {
  id: string
  org_id: string | null
  label: string | null
  prefix: string
  role: Role | null
  scopes: Scope[]
  created_at: string
  plaintext: string
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const PREFIX_LENGTH = 'am_live_'.length + 4

export function generateSecret (): string {
  let body = ''
  for (let i = 0; i < 32; i++) body += BASE62[randomInt(62)]
  return `am_live_${body}`
}

/** Keys carry 190 bits of entropy, so one SHA-256 is the right hash: a slow KDF would add nothing but latency. */
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest()

export async function issueApiKey (
  db: Database,
  orgId: string | null,
  options: { role: Role | null, label: string | null, secret?: string }
): Promise<IssuedApiKey> {
  const plaintext = options.secret ?? generateSecret()
  const scopes: Scope[] = options.role === null ? [...PLATFORM_SCOPES] : [...ROLE_SCOPES[options.role]]
  const row = await insertApiKey(db, {
    id: newId(),
    orgId,
    kind: options.role === null ? 'platform' : 'customer',
    role: options.role,
    scopes,
    label: options.label,
    prefix: plaintext.slice(0, PREFIX_LENGTH),
    keyHash: hashSecret(plaintext),
    createdAt: new Date()
  })
  return { ...toApiKey(row), plaintext }
}

/** The bootstrap platform key of the configuration: present, active and with every platform scope after start. */
export async function ensurePlatformKey (db: Database, secret: string): Promise<void> {
  await ensureApiKey(db, {
    id: newId(),
    orgId: null,
    kind: 'platform',
    role: null,
    scopes: PLATFORM_SCOPES,
    label: 'bootstrap platform key',
    prefix: secret.slice(0, PREFIX_LENGTH),
    keyHash: hashSecret(secret),
    createdAt: new Date()
  })
}

/** Revokes a key at `at`; a key revoked before keeps its time (so `revoked_at` says whether this call revoked it). */
export async function revokeKey (db: Database, id: string, at: Date = new Date()): Promise<ReturnType<typeof toApiKey> | undefined> {
  const row = await revokeApiKey(db, id, at)
  return row === undefined ? undefined : toApiKey(row)
}

export function toApiKey (row: ApiKeyRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    label: row.label,
    prefix: row.prefix,
    role: row.role,
    scopes: row.scopes as Scope[],
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null
  }
}

interface CachedPrincipal {
  principal: Principal | null
  expiresAt: number
}

const MAX_CACHED = 10_000
const MAX_UNKNOWN = 100_000

/**
 * Resolves secrets to principals. Lookups are cached for at most one second, so a revoked
 * key stops working within a second in every process (at once in the revoking one), while
 * a hot key costs one hash and one map lookup per request. Secrets no store knows (or
 * revoked ones) are remembered longer (`unknownTtlMs`, in their own bounded map), so a
 * flood of bad keys costs no database round trip once seen and cannot evict good ones.
 * Keys are random: a secret cannot become valid after it was seen unknown.
 */
export class KeyResolver {
  private readonly cache = new Map<string, CachedPrincipal>()
  private readonly unknown = new Map<string, number>()
  private readonly lastTouched = new Map<string, number>()

  constructor (
    private readonly db: Database,
    private readonly ttlMs = 1000,
    private readonly onTouchError: (error: unknown) => void = () => {},
    private readonly unknownTtlMs = 30_000
  ) {}

  async resolve (secret: string): Promise<Principal | null> {
    if (!API_KEY_PATTERN.test(secret)) return null
    const hash = hashSecret(secret)
    const cacheKey = hash.toString('base64')
    const now = Date.now()
    const cached = this.cache.get(cacheKey)
    if (cached !== undefined && cached.expiresAt > now) return cached.principal
    const unknownUntil = this.unknown.get(cacheKey)
    if (unknownUntil !== undefined && unknownUntil > now) return null
    const row = await findApiKeyByHash(this.db, hash)
    const principal = row !== undefined && row.revoked_at === null && timingSafeEqual(row.key_hash, hash) ? toPrincipal(row) : null
    if (principal === null) {
      this.unknown.delete(cacheKey)
      // Oldest first (insertion order): drop one to stay bounded.
      if (this.unknown.size >= MAX_UNKNOWN) this.unknown.delete(this.unknown.keys().next().value as string)
      this.unknown.set(cacheKey, now + this.unknownTtlMs)
      return null
    }
    if (this.cache.size > MAX_CACHED) this.cache.clear()
    this.cache.set(cacheKey, { principal, expiresAt: now + this.ttlMs })
    this.touch(principal.keyId, now)
    return principal
  }

  /** The principal of a secret resolved within the last second, without a lookup (null when none is cached). */
  peek (secret: string): Principal | null {
    if (!API_KEY_PATTERN.test(secret)) return null
    const cached = this.cache.get(hashSecret(secret).toString('base64'))
    return cached !== undefined && cached.expiresAt > Date.now() ? cached.principal : null
  }

  /** Drops every cached lookup of a key (called on revocation in this process). */
  forget (keyId: string): void {
    for (const [cacheKey, entry] of this.cache) {
      if (entry.principal?.keyId === keyId) this.cache.delete(cacheKey)
    }
  }

  /** `last_used_at` is advisory: written at most once a minute per key, off the request path. */
  private touch (keyId: string, now: number): void {
    if ((this.lastTouched.get(keyId) ?? 0) > now - 60_000) return
    this.lastTouched.set(keyId, now)
    touchApiKey(this.db, keyId, new Date(now)).catch(this.onTouchError)
  }
}

function toPrincipal (row: ApiKeyRow): Principal {
  return {
    keyId: row.id,
    kind: row.kind,
    orgId: row.org_id,
    role: row.role,
    scopes: new Set(row.scopes as Scope[]),
    prefix: row.prefix,
    actorLabel: row.kind === 'platform' ? 'platform staff' : (row.label ?? `API key ${row.prefix}…`)
  }
}
