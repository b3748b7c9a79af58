import { randomBytes } from 'node:crypto'
import type { TestContext, TestOrg } from '../helper.js'

export interface CreatedList { id: string, name: string, external_id: string | null, created_at: string }
export interface CreatedContact {
  id: string
  subscriber_id: number
  email: string | null
  phone: string | null
  created_at: string
  updated_at: string
  [field: string]: unknown
}
export interface CreatedCampaign { id: string, list_id: string | null, sent_count: number, [field: string]: unknown }

const expectStatus = (response: { statusCode: number, body: string }, status: number, what: string): void => {
  if (response.statusCode !== status) throw new Error(`${what} failed: ${response.statusCode} ${response.body}`)
}

export async function createList (ctx: TestContext, org: TestOrg, fields: Record<string, unknown> = {}): Promise<CreatedList> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/lists', payload: { name: `List ${randomBytes(3).toString('hex')}`, ...fields } })
  expectStatus(response, 201, 'creating a list')
  return response.json().data as CreatedList
}

export async function upsertContacts (
  ctx: TestContext, org: TestOrg, listId: string, contacts: Array<Record<string, unknown>>
): Promise<{ created: number, updated: number, contacts: CreatedContact[] }> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/lists/${listId}/contacts`, payload: { contacts } })
  expectStatus(response, 200, 'upserting contacts')
  return response.json().data
}

export async function createCampaign (ctx: TestContext, org: TestOrg, fields: Record<string, unknown> = {}): Promise<CreatedCampaign> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/campaigns', payload: { name: `Campaign ${randomBytes(3).toString('hex')}`, channel: 'email', ...fields } })
  expectStatus(response, 201, 'creating a campaign')
  return response.json().data as CreatedCampaign
}

export async function registerDomain (ctx: TestContext, org: TestOrg): Promise<{ id: string, name: string }> {
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/domains`, payload: { name: `m${randomBytes(5).toString('hex')}.example` } })
  expectStatus(response, 201, 'registering a domain')
  return response.json().data
}

export async function registerNumber (ctx: TestContext, org: TestOrg): Promise<{ id: string, number: string }> {
  const number = `+1415${String(2_000_000 + Math.floor(Math.random() * 7_999_999))}`
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/phone-numbers`, payload: { number } })
  expectStatus(response, 201, 'registering a number')
  return response.json().data
}

export const MISSING_ID = '01900000-0000-7000-8000-000000000001'
