import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Config, parseUnsubscribeKeys } from '../../config.js'
import type { Database } from '../../db/database.js'
import type { UnsubscribeMethod } from '../../db/schema.js'
import { AppError, Problems } from '../../errors.js'
import { notOwned } from '../organizations/ownership.js'
import { normalizeDomain, normalizeEmail } from '../../lib/addresses.js'
import { newId } from '../../lib/ids.js'
import type { Actor } from '../../domain.js'
import { suppress } from '../suppressions/suppressions.service.js'
import { insertUnsubscribe, selectLinkTargets, selectTokenOwner } from './unsubscribe.repository.js'
import { decodeToken, encodeToken, signingKey, TokenKeys, type VerifiedToken } from './unsubscribe.token.js'

export const KEY_FILE = 'unsubscribe-keys'

/**
 * The link keys: OMBUDS_UNSUBSCRIBE_KEYS when set. Otherwise, on the embedded store, a
 * key generated once into `<data folder>/unsubscribe-keys` (same syntax, mode 0600), so
 * links survive restarts; with an in-memory store, a key for this process only. A
 * PostgreSQL store may be shared by processes on several hosts that must all accept the
 * same links, so there the keys must be configured: null, and links cannot be built.
 */
export function loadUnsubscribeKeys (config: Config): TokenKeys | null {
  if (config.unsubscribeKeys.length > 0) return new TokenKeys(config.unsubscribeKeys.map((key) => signingKey(key.id, key.secret)))
  if (config.databaseUrl !== null) return null
  if (config.dataDir === 'memory://') return new TokenKeys([signingKey('memory', randomBytes(32).toString('base64url'))])
  const path = join(config.dataDir, KEY_FILE)
  mkdirSync(config.dataDir, { recursive: true })
  try {
    writeFileSync(path, `local:${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const keys = parseUnsubscribeKeys(readFileSync(path, 'utf8').trim(), path)
  return new TokenKeys(keys.map((key) => signingKey(key.id, key.secret)))
}

const ONE_CLICK = 'List-Unsubscribe=One-Click'

export interface LinkRequest {
  channel: 'email'
  from_domain: string
  list_id?: string
  campaign_id?: string
  scope?: 'domain' | 'organization'
}

/** Where links point: the service's public base URL, and the unsubscribe mailbox if any. */
export interface LinkBase {
  baseUrl: string
  mailto: string | null
}

export interface UnsubscribeLink {
  recipient: string
  url: string
  headers: { 'List-Unsubscribe': string, 'List-Unsubscribe-Post': string }
}

/**
 * One unsubscribe link per recipient, in request order, for mail sent from one of the
 * organization's domains. One read checks the domain, list and campaign; nothing is
 * written. The list is left out of the token when it is the campaign's own (the campaign
 * names it), which keeps links short. `field` names a recipient in a 422.
 */
export async function createUnsubscribeLinks (
  db: Database, keys: TokenKeys | null, orgId: string, request: LinkRequest, recipients: string[], base: LinkBase, field: (index: number) => string
): Promise<UnsubscribeLink[]> {
  if (keys === null) throw new AppError('SERVICE_UNAVAILABLE', 'unsubscribe links need OMBUDS_UNSUBSCRIBE_KEYS when the store is PostgreSQL')
  const problems = new Problems()
  const normalized: string[] = new Array(recipients.length)
  for (let index = 0; index < recipients.length; index++) {
    const address = normalizeEmail(recipients[index] as string)
    if (address === null) problems.add(field(index), 'must be an email address')
    else normalized[index] = address
  }
  const domainName = normalizeDomain(request.from_domain)
  const targets = domainName === null ? undefined : await selectLinkTargets(db, orgId, domainName, request.list_id ?? null, request.campaign_id ?? null)
  if (targets?.domainId == null) problems.add('from_domain', "must be one of the organization's domains")
  if (request.list_id !== undefined && targets?.listId == null) problems.add('list_id', notOwned('list'))
  if (request.campaign_id !== undefined && targets?.campaignId == null) problems.add('campaign_id', notOwned('campaign'))
  problems.throwIfAny()
  if (targets === undefined) throw new Error('no link targets passed the check') // from_domain is a problem then

  const listId = targets.listId !== null && targets.listId !== targets.campaignListId ? targets.listId : null
  const issuedAt = new Date()
  const key = keys.signing
  const prefix = `${base.baseUrl}/u/`
  const links: UnsubscribeLink[] = new Array(recipients.length)
  for (let index = 0; index < normalized.length; index++) {
    const token = encodeToken(key, {
      scope: request.scope ?? 'domain',
      realmId: targets.realmId,
      issuedAt,
      domainId: targets.domainId as string,
      listId,
      campaignId: targets.campaignId,
      recipient: normalized[index] as string
    })
    const url = prefix + token
    links[index] = {
      recipient: recipients[index] as string,
      url,
      headers: {
        'List-Unsubscribe': base.mailto === null ? `<${url}>` : `<${url}>, <mailto:${base.mailto}?subject=unsubscribe%20${token}>`,
        'List-Unsubscribe-Post': ONE_CLICK
      }
    }
  }
  return links
}

// The recipient acts, through their mailbox provider or the page: recorded in the audit feed as such.
const ONE_CLICK_ACTOR: Actor = { kind: 'system', label: 'recipient (one-click unsubscribe)' }
const PAGE_ACTOR: Actor = { kind: 'system', label: 'recipient (unsubscribe page)' }

/** What the unsubscribe page shows. */
export interface UnsubscribeView {
  organization: string
  domain: string
  recipient: string
  scope: 'domain' | 'organization'
}

// One message for every refusal: a caller must not learn whether the token was cut,
// altered, signed with a retired key, or names an organization or domain that is gone.
const invalidLink = (): AppError => new AppError('INVALID_INPUT', 'this unsubscribe link is not valid')

async function verify (db: Database, keys: TokenKeys | null, token: string): Promise<{ payload: VerifiedToken, view: UnsubscribeView, orgId: string }> {
  const payload = keys === null ? null : decodeToken(keys, token)
  if (payload === null) throw invalidLink()
  const owner = await selectTokenOwner(db, payload.realmId, payload.domainId)
  if (owner === undefined) throw invalidLink()
  return {
    payload,
    orgId: owner.orgId,
    view: { organization: owner.orgName, domain: owner.domainName, recipient: payload.recipient, scope: payload.scope }
  }
}

/** The page's content for a valid token; reads only (mail scanners fetch links). */
export async function previewUnsubscribe (db: Database, keys: TokenKeys | null, token: string): Promise<UnsubscribeView> {
  return (await verify(db, keys, token)).view
}

/**
 * Unsubscribes the token's recipient: an `unsubscribe` suppression for the link's domain
 * (or the whole organization), through the suppressions service like every other
 * suppression, and a record of where it came from. Idempotent: a replay finds the
 * suppression and its record and changes nothing.
 */
export async function unsubscribe (db: Database, keys: TokenKeys | null, token: string, method: UnsubscribeMethod): Promise<UnsubscribeView> {
  const { payload, view, orgId } = await verify(db, keys, token)
  await db.transaction().execute(async (trx) => {
    const createdAt = new Date()
    const [suppression] = await suppress(trx, orgId, [{
      channel: 'email',
      address: payload.recipient,
      domainId: payload.scope === 'domain' ? payload.domainId : null
    }], { reason: 'unsubscribe', createdAt }, method === 'page' ? PAGE_ACTOR : ONE_CLICK_ACTOR, 'unsubscribe')
    if (suppression === undefined) throw new AppError('INTERNAL')
    await insertUnsubscribe(trx, {
      org_id: orgId,
      id: newId(),
      suppression_id: suppression.id,
      channel: 'email',
      address: payload.recipient,
      domain_id: payload.domainId,
      list_id: payload.listId,
      campaign_id: payload.campaignId,
      method,
      key_id: payload.keyId,
      issued_at: payload.issuedAt,
      created_at: createdAt
    })
  })
  return view
}
