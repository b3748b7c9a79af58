import { Type } from 'typebox'
import { callerOrgId, callerPrincipal } from '../../http/auth.js'
import { IdempotencyHeaders, replyIdempotently } from '../../http/idempotent-reply.js'
import { Envelope, ListEnvelope, responses } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { sendWrittenList } from '../../http/written-json.js'
import { actorOf } from '../api-keys/api-keys.service.js'
import {
  BulkUpdateComplaintsBody, Complaint, ComplaintCounts, ComplaintCountsQuery, ComplaintEvent, ComplaintIdParams, FileComplaintBody, ListComplaintsQuery,
  UpdateComplaintBody
} from './complaints.schemas.js'
import {
  changeComplaintStatus, changeComplaintStatuses, complaintCounts, fileStaffComplaint, getComplaint, listComplaintEvents, listComplaints, toComplaint
} from './complaints.service.js'

const tags = ['Complaints']

export async function complaintRoutes (app: App): Promise<void> {
  app.get('/v1/complaints', {
    config: { scope: 'complaints:read' },
    schema: {
      tags,
      operationId: 'listComplaints',
      summary: 'List complaints',
      description: 'Newest first by (created_at, id). `meta.total` is exact for the filters; `meta.last_event_at` is the time of the newest complaint event of the organization.',
      querystring: ListComplaintsQuery,
      response: responses({ 200: ListEnvelope(Complaint) }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request, reply) => await sendWrittenList(reply, await listComplaints(app.db, callerOrgId(request), request.query)))

  app.get('/v1/complaints/counts', {
    config: { scope: 'complaints:read' },
    schema: {
      tags,
      operationId: 'countComplaints',
      summary: 'Count complaints by status',
      description: 'The inbox\'s stat cards. With `reporter` or a date range, counts only the matching complaints.',
      querystring: ComplaintCountsQuery,
      response: responses({ 200: Envelope(ComplaintCounts) }, ['INVALID_INPUT', 'VALIDATION_FAILED'])
    }
  }, async (request) => {
    return { success: true as const, data: await complaintCounts(app.db, callerOrgId(request), request.query) }
  })

  app.post('/v1/complaints/bulk-update', {
    config: { scope: 'complaints:write' },
    schema: {
      tags,
      operationId: 'bulkUpdateComplaints',
      summary: 'Triage several complaints at once',
      description: 'The same status (and note) for up to 100 complaints, all or nothing: an id that is not the organization\'s is 404 naming it in `details` (`ids[3]`), a transition that is not allowed is 409, and then nothing changes. Each complaint that changes gets its own event.',
      body: BulkUpdateComplaintsBody,
      response: responses({ 200: Type.Object({ success: Type.Literal(true), data: Type.Array(Complaint) }) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    return { success: true as const, data: await changeComplaintStatuses(app.db, callerOrgId(request), request.body, actorOf(callerPrincipal(request))) }
  })

  app.get('/v1/complaints/:id', {
    config: { scope: 'complaints:read' },
    schema: { tags, operationId: 'getComplaint', summary: 'Read a complaint', params: ComplaintIdParams, response: responses({ 200: Envelope(Complaint) }, ['NOT_FOUND', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, data: await getComplaint(app.db, callerOrgId(request), request.params.id) }
  })

  app.patch('/v1/complaints/:id', {
    config: { scope: 'complaints:write' },
    schema: {
      tags,
      operationId: 'updateComplaint',
      summary: 'Triage a complaint',
      description: 'Transitions: new→triage, triage→new, triage→resolved, new→resolved, resolved→triage; resolved→new is 409. A PATCH to the current status, or naming only `resolution_note`, only updates the note; a body with neither field is 422.',
      params: ComplaintIdParams,
      body: UpdateComplaintBody,
      response: responses({ 200: Envelope(Complaint) }, ['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    const complaint = await changeComplaintStatus(app.db, callerOrgId(request), request.params.id, request.body, actorOf(callerPrincipal(request)))
    return { success: true as const, data: complaint }
  })

  app.get('/v1/complaints/:id/events', {
    config: { scope: 'complaints:read' },
    schema: { tags, operationId: 'listComplaintEvents', summary: "A complaint's history, oldest first", params: ComplaintIdParams, response: responses({ 200: ListEnvelope(ComplaintEvent) }, ['NOT_FOUND', 'VALIDATION_FAILED']) }
  }, async (request) => {
    return { success: true as const, ...await listComplaintEvents(app.db, callerOrgId(request), request.params.id) }
  })

  app.post('/v1/complaints', {
    config: { scope: 'complaints:file' },
    schema: {
      tags,
      operationId: 'fileComplaint',
      summary: 'File a complaint (platform staff)',
      description: 'For a recipient who contacted support. `source` is `staff`. Accepts `Idempotency-Key`.',
      headers: IdempotencyHeaders,
      body: FileComplaintBody,
      response: responses({ 201: Envelope(Complaint) }, ['VALIDATION_FAILED'], { body: true })
    }
  }, async (request, reply) => {
    const actor = actorOf(callerPrincipal(request))
    return await replyIdempotently(app.db, request, reply, 201, async (trx) => toComplaint(await fileStaffComplaint(trx, request.body, actor)))
  })
}
