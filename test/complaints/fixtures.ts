import type { TestContext, TestOrg } from '../helper.js'

export interface FiledComplaint {
  id: string
  status: string
  created_at: string
  [field: string]: unknown
}

/** Files a complaint through the staff route (the only public way to create one by hand). */
export async function fileComplaint (ctx: TestContext, org: TestOrg, fields: Record<string, unknown> = {}): Promise<FiledComplaint> {
  const response = await ctx.request(ctx.platformKey, {
    method: 'POST',
    url: '/v1/complaints',
    payload: { org_id: org.id, category: 'unwanted_contact', channel: 'sms', reporter_number: '+14155550123', ...fields }
  })
  if (response.statusCode !== 201) throw new Error(`filing failed: ${response.statusCode} ${response.body}`)
  return response.json().data as FiledComplaint
}
