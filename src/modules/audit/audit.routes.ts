import { callerOrgId } from '../../http/auth.js'
import { ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { AuditEvent, ListAuditEventsQuery } from './audit.schemas.js'
import { listAuditEvents } from './audit.service.js'

export async function auditRoutes (app: App): Promise<void> {
  app.get('/v1/audit-events', {
    config: { scope: 'audit:read' },
    schema: {
      tags: ['Audit'],
      operationId: 'listAuditEvents',
      summary: 'The audit trail',
      description: 'Every change in the organization, newest first by (created_at, id): complaints filed, moved and annotated; suppressions added and lifted ' +
        '(one entry per address, also for a Mailgun delete-all), with how (`via`); keys issued and revoked; numbers and domains registered and deleted; ' +
        'webhook endpoints changed. Each entry names its actor and subject and, where it applies, the state before and after. ' +
        'Filters: `type`, `subject_id`, `since` (inclusive), `until` (exclusive).',
      querystring: ListAuditEventsQuery,
      response: responses({ 200: ListEnvelope(AuditEvent) }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, ...await listAuditEvents(app.db, callerOrgId(request), request.query) }
  })
}
