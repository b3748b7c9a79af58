import { randomBytes, randomInt } from 'node:crypto'
import type { TestContext, TestOrg } from '../helper.js'

/** A random, well-formed US number (E.164); registered numbers are unique across organizations. */
export const randomNumber = (): string => `+1${randomInt(2, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`

export const randomDomain = (): string => `${randomBytes(5).toString('hex')}.example`

export async function addNumber (ctx: TestContext, org: TestOrg, number = randomNumber()): Promise<{ id: string, number: string }> {
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/phone-numbers`, payload: { number } })
  if (response.statusCode !== 201) throw new Error(`could not register number: ${response.body}`)
  return response.json().data as { id: string, number: string }
}

export async function addDomain (ctx: TestContext, org: TestOrg, name = randomDomain()): Promise<{ id: string, name: string }> {
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/domains`, payload: { name } })
  if (response.statusCode !== 201) throw new Error(`could not register domain ${name}: ${response.body}`)
  return response.json().data as { id: string, name: string }
}

export interface SuppressionJson {
  id: string
  org_id: string
  channel: 'sms' | 'email'
  address: string
  scope: 'org' | 'phone_number' | 'domain'
  phone_number_id: string | null
  domain_id: string | null
  reason: string
  complaint_id: string | null
  created_at: string
}

/** Adds suppressions through the API (as the owner); throws unless 201. */
export async function addSuppressions (ctx: TestContext, org: TestOrg, suppressions: Array<Record<string, unknown>>): Promise<SuppressionJson[]> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/suppressions', payload: { suppressions } })
  if (response.statusCode !== 201) throw new Error(`could not add suppressions: ${response.statusCode} ${response.body}`)
  return response.json().data as SuppressionJson[]
}

/** How many suppression rows the organization really has (to check totals and all-or-nothing writes). */
export async function countRows (ctx: TestContext, orgId: string, where: { domainId?: string } = {}): Promise<number> {
  let query = ctx.store.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId)
  if (where.domainId !== undefined) query = query.where('domain_id', '=', where.domainId)
  return Number((await query.executeTakeFirstOrThrow()).n)
}
