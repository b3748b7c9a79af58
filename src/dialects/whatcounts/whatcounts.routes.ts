import { unmatchedRoute } from '../../http/allowed-methods.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../errors.js'
import { authenticateKey, basicCredentials, callerOrgId, requireScope } from '../../http/auth.js'
import { httpStatusOf, logIfUnexpected, toAppError } from '../../http/errors.js'
import { publicBaseUrl } from '../../http/public-url.js'
import type { App } from '../../http/types.js'
import { sendWrittenJson } from '../../http/written-json.js'
import { listComplaintReport, parseDay } from '../../modules/reports/reports.service.js'
import {
  isXmlType, negotiateWhatCountsType, PLAIN_JSON, parseSkip, toWhatCountsXml, whatCountsError, type WhatCountsType, writeWhatCountsReport
} from './whatcounts.format.js'

/**
 * The WhatCounts dialect: `GET /rest/lists/{listId}/complaints` ("Report List
 * Complaints"), with WhatCounts' Basic auth, `Accept` convention, paging by `skip` and
 * error shape. It parses WhatCounts' inputs, calls the reports service and renders the
 * answer; the report itself is the service's.
 */

const ErrorBody = Type.Object({
  error: Type.String({ example: 'Unauthorized' }),
  status: Type.String({ example: 'Unauthorized' }),
  statusCode: Type.Integer({ example: 401 })
}, { title: 'WhatCountsError', description: 'WhatCounts error' })

const Subscriber = Type.Object({
  date: Type.String({ description: 'When the complaint was received (UTC)', example: 'Feb 21, 2016 4:53:40 PM' }),
  subscriberId: Type.Integer({ description: "The contact's subscriber_id; 0 when the reporter is not a contact of the list (never null: a field's type never changes)", example: 7160984 }),
  realmId: Type.Integer({ description: "The organization's realm_id", example: 1561 }),
  email: Type.String({ description: "The contact's email, else the reporter's; empty when unknown" }),
  firstName: Type.String(),
  lastName: Type.String(),
  company: Type.String(),
  address1: Type.String(),
  address2: Type.String(),
  city: Type.String(),
  state: Type.String(),
  zip: Type.String(),
  country: Type.String(),
  phone: Type.String({ description: "The contact's phone as the customer gave it, else the reporter's (E.164); empty when unknown", example: '(206) 555 1212' }),
  fax: Type.String(),
  createdDate: Type.String({ description: 'When the contact was created (UTC); empty when the reporter is not a contact of the list', example: 'May 21, 2012 9:14:16 AM' }),
  updatedDate: Type.String({ description: 'When the contact was last updated (UTC); empty when the reporter is not a contact of the list', example: 'Nov 2, 2015 10:31:27 AM' }),
  md5Encryption: Type.String({ description: 'Upper-case hex MD5 of the lower-cased email; empty without one', example: 'C8ADED17D5F088E8262BF31ED933B7D4' }),
  sha1Encryption: Type.String({ description: 'Upper-case hex SHA-1 of the lower-cased email; empty without one', example: '356B1860247728C81486A35062688F302D96C2D1' }),
  skip: Type.Integer({ description: "The page's skip (repeated on each record, where WhatCounts clients read it)" }),
  max: Type.Integer({ description: 'The page size, 500' })
}, { title: 'WhatCountsComplaint' })

/** The JSON report (exported for the tests that hold the written bytes to it). */
export const WhatCountsReport = Type.Object({
  complaintTotal: Type.Integer({ description: 'All complaints of the list in the window, not just this page' }),
  skip: Type.Integer({ description: 'Rows skipped before this page' }),
  max: Type.Integer({ description: 'Page size: 500' }),
  subscribers: Type.Array(Subscriber, { description: 'One per complaint on this page, newest first' })
}, { title: 'WhatCountsComplaintReport' })

const errorResponse = (description: string) => ({ ...ErrorBody, description })

const QueryParam = (description: string, example: string) => Type.Unsafe<unknown>({ description, example })

/** An answer in the negotiated type: JSON as it is, XML as a document rooted at `root` with the same fields in the same order. */
async function sendAs (reply: FastifyReply, type: WhatCountsType, root: string, body: object, items: Record<string, string> = {}): Promise<FastifyReply> {
  if (isXmlType(type)) return await reply.type(`${type}; charset=utf-8`).send(toWhatCountsXml(root, body, items))
  return await reply.type(type).send(body)
}

export async function whatCountsDialect (app: App): Promise<void> {
  const sendError = async (request: FastifyRequest, reply: FastifyReply, statusCode: number, retryAfter?: number): Promise<FastifyReply> => {
    if (statusCode === 401) reply.header('WWW-Authenticate', 'Basic realm="WhatCounts"')
    if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter))
    return await sendAs(reply.code(statusCode), negotiateWhatCountsType(request.headers.accept) ?? PLAIN_JSON, 'response', whatCountsError(statusCode))
  }

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error)
    logIfUnexpected(request, error, appError)
    return await sendError(request, reply, httpStatusOf(appError), appError.retryAfterSeconds)
  })
  app.setNotFoundHandler(async (request, reply) => await sendError(request, reply, httpStatusOf(unmatchedRoute(app, request, reply))))

  /** HTTP Basic: any user name (WhatCounts' realm name), the password is a customer key; then the route's scope. */
  app.addHook('onRequest', async (request) => {
    const credentials = basicCredentials(request.headers.authorization)
    const principal = credentials === null ? null : await authenticateKey(app, request, credentials.password)
    if (principal === null) throw new AppError('UNAUTHORIZED')
    request.principal = principal
    if (request.is404) return
    requireScope(request, principal)
  })

  app.get('/lists/:listId/complaints', {
    config: { scope: 'reports:read' },
    schema: {
      tags: ['WhatCounts'],
      operationId: 'listWhatCountsComplaints',
      summary: 'Report List Complaints (WhatCounts)',
      description: 'The contact data of everyone who complained about a campaign sent from the list, newest first, 500 per page. ' +
        'HTTP Basic auth: any user name, password = a customer key with reports:read. `Accept` picks the response: ' +
        '`application/vnd.whatcounts-v1+json` or `application/json` (no Accept: JSON) for JSON; `application/vnd.whatcounts-v1+xml`, ' +
        '`application/xml` or `text/xml` for the same report as XML (root `<complaints>`, the same fields in the same order, one ' +
        '`<subscriber>` per row inside `<subscribers>`), with that Content-Type; an Accept naming no JSON or XML type is 406. ' +
        'A reporter who is not a contact of the list has `subscriberId` 0 and empty dates (types never change). ' +
        'A `Link: <…>; rel="next"` header points to the next page.',
      security: [{ basicAuth: [] }],
      params: Type.Object({ listId: Type.String({ description: "The list's external_id (e.g. WhatCounts' list id) or its id" }) }),
      querystring: Type.Object({
        start: Type.Optional(QueryParam('yyyy-mm-dd: complaints from midnight UTC of this day; a malformed or missing value is ignored', '2016-06-01')),
        end: Type.Optional(QueryParam('yyyy-mm-dd: complaints before midnight UTC of this day (exclusive); a malformed or missing value is ignored', '2016-07-01')),
        skip: Type.Optional(QueryParam('Rows to skip (pages of 500: 0, 500, 1000, …); negative or non-numeric is 0', '500'))
      }),
      produces: ['application/vnd.whatcounts-v1+json', 'application/json', 'application/vnd.whatcounts-v1+xml', 'application/xml', 'text/xml'],
      response: {
        200: WhatCountsReport,
        401: errorResponse('Unauthorized: no, malformed, unknown or revoked key'),
        403: errorResponse('Forbidden: the key lacks reports:read'),
        404: errorResponse('Not Found: no such list in the organization'),
        406: errorResponse('Not Acceptable: Accept names no JSON or XML type of this route'),
        429: errorResponse('Too Many Requests, with Retry-After'),
        500: errorResponse('Internal Server Error'),
        503: errorResponse('Service Unavailable: the store is unreachable, with Retry-After')
      }
    }
  }, async (request, reply) => {
    const contentType = negotiateWhatCountsType(request.headers.accept)
    if (contentType === null) return await sendError(request, reply, 406)
    const query = request.query as Record<string, unknown>
    // yyyy-mm-dd, case-sensitive names; anything else is ignored, as WhatCounts documents.
    const day = (value: unknown): string | null => typeof value === 'string' && parseDay(value) !== null ? value : null
    const report = await listComplaintReport(app.db, callerOrgId(request), request.params.listId, {
      startDay: day(query.start), endDay: day(query.end), skip: parseSkip(query.skip)
    })

    const nextSkip = report.skip + report.max
    if (nextSkip < report.total) {
      const next = new URLSearchParams()
      for (const [name, value] of Object.entries(query)) {
        if (name !== 'skip' && typeof value === 'string') next.set(name, value)
      }
      next.set('skip', String(nextSkip))
      const url = `${publicBaseUrl(request, app.config)}/rest/lists/${encodeURIComponent(request.params.listId)}/complaints?${next.toString()}`
      reply.header('Link', `<${url}>; rel="next"`)
    }

    // The JSON is written as text (the route's schema documents it; the tests hold the bytes to it); XML renders the same fields.
    const json = writeWhatCountsReport(report)
    if (isXmlType(contentType)) return await sendAs(reply, contentType, 'complaints', JSON.parse(json) as object, { subscribers: 'subscriber' })
    return await sendWrittenJson(reply, contentType, json)
  })
}
