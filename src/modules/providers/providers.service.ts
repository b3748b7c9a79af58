import type { Database } from '../../db/database.js'
import type { ProviderConnectionRow, ProviderName } from '../../db/schema.js'
import { AppError, notFound, Problems } from '../../errors.js'
import { decodeCursor, paginate } from '../../lib/cursor.js'
import { isUuid, newId } from '../../lib/ids.js'
import type { SecretBox } from '../../lib/secrets.js'
import { recordChange } from '../audit/audit.service.js'
import type { Actor } from '../../domain.js'
import { findOrganization } from '../organizations/organizations.repository.js'
import { sendGridPublicKey } from './adapters/sendgrid.js'
import { TOPIC_ARN_PATTERN } from './adapters/ses.js'
import { telnyxPublicKey } from './adapters/telnyx.js'
import {
  countProviderConnections, deleteProviderConnection, findProviderConnection, findProviderConnectionById, insertProviderConnection,
  selectProviderConnectionPage, updateProviderCredentials
} from './providers.repository.js'

export const PROVIDERS = ['twilio', 'telnyx', 'ses', 'sendgrid', 'postmark', 'mailgun'] as const satisfies readonly ProviderName[]

export type Credentials = Record<string, string>

/** Each provider's verification secret, named as its console names it, and what makes it valid. */
const CREDENTIAL_FIELDS: Record<ProviderName, Record<string, (value: string) => string | null>> = {
  twilio: { auth_token: () => null },
  telnyx: { public_key: (value) => keyProblem(() => telnyxPublicKey(value)) },
  sendgrid: { public_key: (value) => keyProblem(() => sendGridPublicKey(value)) },
  mailgun: { signing_key: () => null },
  postmark: { username: (value) => value.includes(':') ? 'must not contain ":"' : null, password: () => null },
  ses: { topic_arn: (value) => TOPIC_ARN_PATTERN.test(value) ? null : 'must be an SNS topic ARN (arn:aws:sns:region:account:name)' }
}

function keyProblem (parse: () => unknown): string | null {
  try {
    parse()
    return null
  } catch (error) {
    return error instanceof Error && error.message.startsWith('must') ? error.message : 'is not a public key in the form the provider shows it'
  }
}

/** The credentials exactly as the provider needs them: every field it names, no other. */
function checkCredentials (provider: ProviderName, credentials: Credentials): Credentials {
  const fields = CREDENTIAL_FIELDS[provider]
  const problems = new Problems()
  for (const name of Object.keys(credentials)) {
    if (!Object.hasOwn(fields, name)) problems.add(`credentials.${name}`, `is not a ${provider} credential (${Object.keys(fields).join(', ')})`)
  }
  const checked: Credentials = {}
  for (const [name, problemOf] of Object.entries(fields)) {
    const value = credentials[name]?.trim()
    const problem = value === undefined || value === '' ? 'is required' : problemOf(value)
    if (problem !== null) problems.add(`credentials.${name}`, problem)
    else checked[name] = value as string
  }
  problems.throwIfAny()
  return checked
}

/** The box credentials are sealed in; without one (PostgreSQL and no OMBUDS_SECRETS_KEY) none can be stored. */
function requireBox (box: SecretBox | null): SecretBox {
  if (box === null) throw new AppError('CONFLICT', 'provider credentials cannot be stored: set OMBUDS_SECRETS_KEY (32 bytes, base64) on this server')
  return box
}

export interface NewConnection {
  provider: ProviderName
  label: string
  credentials: Credentials
}

/** What the audit trail keeps of a connection: never its credentials. */
const audited = (row: ProviderConnectionRow) => ({ id: row.id, provider: row.provider, label: row.label, created_at: row.created_at.toISOString() })

export async function createProviderConnection (
  db: Database, box: SecretBox | null, orgId: string, input: NewConnection, actor: Actor
): Promise<ProviderConnectionRow> {
  if (await findOrganization(db, orgId) === undefined) throw notFound()
  const credentials = checkCredentials(input.provider, input.credentials)
  const sealer = requireBox(box)
  const id = newId()
  const now = new Date()
  return await db.transaction().execute(async (trx) => {
    const row = await insertProviderConnection(trx, {
      org_id: orgId,
      id,
      provider: input.provider,
      label: input.label.trim(),
      credentials: sealer.seal(JSON.stringify(credentials), id),
      created_at: now,
      updated_at: now
    })
    await recordChange(trx, { orgId, type: 'provider_connection.created', subjectType: 'provider_connection', subjectId: id, after: audited(row) }, actor)
    return row
  })
}

export async function listProviderConnections (db: Database, orgId: string, query: { cursor?: string, limit: number }) {
  if (await findOrganization(db, orgId) === undefined) throw notFound()
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor)
  const [rows, total] = await Promise.all([
    selectProviderConnectionPage(db, orgId, after, query.limit),
    countProviderConnections(db, orgId)
  ])
  const { page, nextCursor } = paginate(rows, query.limit)
  return { page, meta: { total, limit: query.limit, offset: 0, next_cursor: nextCursor, last_event_at: null } }
}

export async function getProviderConnection (db: Database, orgId: string, id: string): Promise<ProviderConnectionRow> {
  return found(await findProviderConnection(db, orgId, id))
}

/** New credentials replace the old at once: the provider's next delivery must carry the new secret. */
export async function rotateProviderCredentials (
  db: Database, box: SecretBox | null, orgId: string, id: string, credentials: Credentials, actor: Actor
): Promise<ProviderConnectionRow> {
  const connection = await getProviderConnection(db, orgId, id)
  const checked = checkCredentials(connection.provider, credentials)
  const sealed = requireBox(box).seal(JSON.stringify(checked), id)
  return await db.transaction().execute(async (trx) => {
    const row = found(await updateProviderCredentials(trx, orgId, id, sealed, new Date()))
    await recordChange(trx, { orgId, type: 'provider_connection.credentials_rotated', subjectType: 'provider_connection', subjectId: id, after: audited(row) }, actor)
    return row
  })
}

export async function removeProviderConnection (db: Database, orgId: string, id: string, actor: Actor): Promise<ProviderConnectionRow> {
  return await db.transaction().execute(async (trx) => {
    const row = found(await deleteProviderConnection(trx, orgId, id))
    await recordChange(trx, { orgId, type: 'provider_connection.deleted', subjectType: 'provider_connection', subjectId: id, before: audited(row) }, actor)
    return row
  })
}

/** The connection a webhook names and its credentials in clear; undefined when there is no such connection. */
export async function openProviderConnection (
  db: Database, box: SecretBox | null, provider: string, id: string
): Promise<{ connection: ProviderConnectionRow, credentials: Credentials } | undefined> {
  if (!isUuid(id)) return undefined
  const connection = await findProviderConnectionById(db, id.toLowerCase())
  if (connection === undefined || connection.provider !== provider) return undefined
  // A connection exists only where credentials could be sealed, so a missing box is a misconfiguration (500).
  if (box === null) throw new Error('OMBUDS_SECRETS_KEY is not set: provider credentials cannot be opened')
  return { connection, credentials: JSON.parse(box.open(connection.credentials, connection.id)) as Credentials }
}

function found<T> (row: T | undefined): T {
  if (row === undefined) throw notFound()
  return row
}

function webhookPath (row: Pick<ProviderConnectionRow, 'provider' | 'id'>): string {
  return `/hooks/${row.provider}/${row.id}`
}

export const toProviderConnection = (row: ProviderConnectionRow, origin: string) => ({
  id: row.id,
  provider: row.provider,
  label: row.label,
  webhook_url: `${origin}${webhookPath(row)}`,
  created_at: row.created_at.toISOString()
})
