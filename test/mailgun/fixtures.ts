import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import FormData from 'form-data'
import type { TestContext } from '../helper.js'

export const basic = (key: string, user = 'api'): string => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`

/** A request to the Mailgun dialect with Basic auth (user `api`). */
export async function mg (ctx: TestContext, key: string | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  return await ctx.app.inject({ ...options, headers: { ...(key !== null ? { authorization: basic(key) } : {}), ...options.headers } })
}

/** A multipart body with one file part, as Mailgun's clients send an import. */
export function csvUpload (
  content: string | Buffer, options: { field?: string, filename?: string, contentType?: string } = {}
): { payload: Buffer, headers: Record<string, string> } {
  const form = new FormData()
  form.append(options.field ?? 'file', typeof content === 'string' ? Buffer.from(content) : content, {
    filename: options.filename ?? 'complaints.csv',
    contentType: options.contentType ?? 'application/octet-stream'
  })
  return { payload: form.getBuffer(), headers: form.getHeaders() as Record<string, string> }
}

/** Adds complaints through Mailgun's bulk JSON create (1000 per request). */
export async function createComplaints (ctx: TestContext, key: string, domain: string, addresses: string[]): Promise<void> {
  for (let start = 0; start < addresses.length; start += 1000) {
    const chunk = addresses.slice(start, start + 1000)
    const response = await mg(ctx, key, { method: 'POST', url: `/v3/${domain}/complaints`, payload: chunk.map((address) => ({ address })) })
    if (response.statusCode !== 200) throw new Error(`create failed: ${response.statusCode} ${response.body}`)
  }
}

/** Byte order, as Mailgun lists addresses (all test addresses are ASCII). */
export const alphabetical = (addresses: string[]): string[] => [...addresses].sort((a, b) => a < b ? -1 : a > b ? 1 : 0)
