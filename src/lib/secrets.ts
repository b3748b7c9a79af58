import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.js'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

/** The file the embedded store keeps its generated key in, inside its data folder. */
export const SECRETS_KEY_FILE = 'ombuds-secrets.key'

export class SecretsKeyMismatch extends Error {
  override readonly name = 'SecretsKeyMismatch'
  constructor () {
    super('a stored secret does not open with the configured OMBUDS_SECRETS_KEY (was the key changed?)')
  }
}

/**
 * AES-256-GCM for secrets at rest (provider credentials). A sealed value is
 * version (1 byte) | IV (12) | tag (16) | ciphertext; `context` (the owning row's id) is
 * authenticated with it, so a sealed value copied onto another row does not open.
 */
export class SecretBox {
  constructor (private readonly key: Buffer) {}

  seal (plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(context))
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext])
  }

  open (sealed: Buffer, context: string): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SecretsKeyMismatch()
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 1 + IV_BYTES))
    decipher.setAAD(Buffer.from(context))
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES))
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new SecretsKeyMismatch()
    }
  }
}

/**
 * The key secrets are sealed with: OMBUDS_SECRETS_KEY when set; for the embedded store,
 * the key generated into its data folder on first start (a fresh one per process for an
 * in-memory store); null for PostgreSQL without OMBUDS_SECRETS_KEY (secrets cannot be stored).
 * Call after the store has opened its folder.
 */
export function resolveSecretsKey (config: Config): Buffer | null {
  if (config.secretsKey !== null) return config.secretsKey
  if (config.databaseUrl !== null) return null
  if (config.dataDir === 'memory://') return randomBytes(32)
  const path = join(config.dataDir, SECRETS_KEY_FILE)
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`)
  return key
}
