import { randomInt, randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import type { TestContext, TestOrg } from '../helper.js'

/** A random, well-formed US number (E.164); numbers are unique across organizations. */
export function randomNumber (): string {
  return `+1415${String(randomInt(2_000_000, 9_999_999))}`
}

export async function registerNumber (ctx: TestContext, org: TestOrg, number = randomNumber()): Promise<{ id: string, number: string }> {
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/phone-numbers`, payload: { number } })
  if (response.statusCode !== 201) throw new Error(`could not register number: ${response.body}`)
  return response.json().data as { id: string, number: string }
}

export async function registerDomain (ctx: TestContext, org: TestOrg, name: string): Promise<{ id: string, name: string }> {
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/domains`, payload: { name } })
  if (response.statusCode !== 201) throw new Error(`could not register domain ${name}: ${response.body}`)
  return response.json().data as { id: string, name: string }
}

export const newMessageId = (): string => randomUUID()

export async function postInbound (ctx: TestContext, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/intake/inbound-messages', payload })
}

export async function postCarrierReport (ctx: TestContext, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/intake/carrier-reports', payload })
}

export async function postFeedbackReport (ctx: TestContext, raw: Buffer | string, contentType = 'message/rfc822'): Promise<LightMyRequestResponse> {
  return await ctx.request(ctx.platformKey, {
    method: 'POST', url: '/v1/intake/feedback-reports', payload: raw, headers: { 'content-type': contentType }
  })
}

/** A complaint as the organization's owner sees it through the API. */
export async function getComplaint (ctx: TestContext, org: TestOrg, id: string): Promise<Record<string, unknown>> {
  const response = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${id}` })
  if (response.statusCode !== 200) throw new Error(`could not read complaint ${id}: ${response.body}`)
  return response.json().data as Record<string, unknown>
}

/** How many rows the organization has in each table intake writes (to prove a replay wrote nothing). */
export interface RowCounts {
  complaints: number
  complaint_events: number
  suppressions: number
  inbound_messages: number
  carrier_reports: number
  feedback_reports: number
}

export async function rowCounts (ctx: TestContext, orgId: string): Promise<RowCounts> {
  const db = ctx.store.db
  const count = async (table: 'complaints' | 'complaint_events' | 'suppressions' | 'inbound_messages' | 'carrier_reports' | 'feedback_reports') => {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return {
    complaints: await count('complaints'),
    complaint_events: await count('complaint_events'),
    suppressions: await count('suppressions'),
    inbound_messages: await count('inbound_messages'),
    carrier_reports: await count('carrier_reports'),
    feedback_reports: await count('feedback_reports')
  }
}

export async function suppressionsOf (ctx: TestContext, orgId: string) {
  return await ctx.store.db.selectFrom('suppressions').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute()
}

export async function createList (ctx: TestContext, org: TestOrg, fields: Record<string, unknown> = {}): Promise<{ id: string, external_id: string | null }> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/lists', payload: { name: 'Newsletter', ...fields } })
  if (response.statusCode !== 201) throw new Error(`could not create list: ${response.body}`)
  return response.json().data as { id: string, external_id: string | null }
}

export async function createCampaign (
  ctx: TestContext, org: TestOrg, fields: Record<string, unknown> = {}
): Promise<{ id: string, list_id: string | null, external_id: string | null }> {
  const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/campaigns', payload: { name: 'Spring sale', channel: 'sms', ...fields } })
  if (response.statusCode !== 201) throw new Error(`could not create campaign: ${response.body}`)
  return response.json().data as { id: string, list_id: string | null, external_id: string | null }
}
