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
      description: 'One row per group with campaigns created in the window or complaints without a campaign. A row compares like with like: ' +
        '`sent` (the denominator) sums `sent_count` of the group\'s `campaigns` created in [since, until); `complaints` (the numerator) counts the ' +
        'complaints naming one of those campaigns, whenever received. `rate = complaints / sent`; `level` warning from 0.1 %, critical from 0.3 %, ' +
        '`unknown` (rate null) when nothing was sent. Complaints that name no campaign have no denominator: they are counted apart, in ' +
        '`complaints_without_campaign` (per group by their own list, number or domain, and for the whole organization in `meta`). ' +
        'Each row says its `denominator` and `numerator` in words. `unsubscribes` counts one-click unsubscribes the same way (not complaints, so outside the rate). ' +
        'Highest rate first, unknown last.',
      querystring: ComplaintRatesQuery,
      response: responses({ 200: ComplaintRatesResponse }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await complaintRates(app.db, callerOrgId(request), request.query) }
  })
}
