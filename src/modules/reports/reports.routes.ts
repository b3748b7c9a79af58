import { callerOrgId } from '../../http/auth.js'
import { responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { ComplaintRatesQuery, ComplaintRatesResponse } from './reports.schemas.js'
import { complaintRates } from './reports.service.js'

const tags = ['Reports']

export async function reportRoutes (app: App): Promise<void> {
  app.get('/v1/reports/complaint-rates', {
    config: { scope: 'reports:read' },
    schema: {
      tags,
      operationId: 'getComplaintRates',
      summary: 'Complaint rates per campaign, list, number or domain',
      description: 'One row per group with complaints in the window or campaigns: `rate = complaints / sent` (null when sent is 0), ' +
        '`level` warning from 0.1 %, critical from 0.3 %. `complaints` counts complaints created in [since, until) attributed to the group ' +
        '(campaign_id; list_id; phone_number_id or else the campaign\'s; domain_id or else the campaign\'s); `sent` sums `sent_count` of the ' +
        'group\'s campaigns created before `until`. Highest rate first.',
      querystring: ComplaintRatesQuery,
      response: responses({ 200: ComplaintRatesResponse }, [400, 422])
    }
  }, async (request) => {
    return { success: true as const, ...await complaintRates(app.db, callerOrgId(request), request.query) }
  })
}
