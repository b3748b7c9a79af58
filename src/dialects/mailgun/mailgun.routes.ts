import { unmatchedRoute } from '../../http/allowed-methods.js'
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import multipart from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { DomainRow } from '../../db/schema.js'
import { AppError, ERRORS } from '../../errors.js'
import { authenticateKey, basicCredentials, requireScope } from '../../http/auth.js'
import { httpStatusOf, logIfUnexpected, toAppError } from '../../http/errors.js'
import { publicBaseUrl } from '../../http/public-url.js'
import type { App } from '../../http/types.js'
import { type SpooledFile, spoolToFile } from '../../lib/spool.js'
import { actorOf, type Principal } from '../../modules/api-keys/api-keys.service.js'
import type { Actor } from '../../domain.js'
import {
  addDomainComplaints, clearDomainComplaints, type ComplaintRecord, findOrgDomain, getDomainComplaint, importDomainComplaints,
  listDomainComplaints, removeDomainComplaint
} from '../../modules/suppressions/domain-complaints.service.js'
import { formatMailgunDate, MAX_IMPORT_BYTES, pagingQuery, parseMailgunDate, readComplaintCsv } from './mailgun.format.js'

/**
 * The Mailgun dialect: `/v3/{domain}/complaints`, the six operations of Mailgun's
 * complaints API over the same suppressions as `/v1/suppressions` (channel email, scope
 * the domain, reason complaint or import), with Mailgun's Basic auth, messages, dates,
 * paging links and error bodies, so that Mailgun's official clients work unchanged.
 * Registered with the prefix `/v3`.
 */

const MESSAGES = {
  domainNotFound: 'Domain not found',
  notListed: 'No spam complaints found for this address',
  added: 'Address has been added to the complaints table',
  addedMany: (count: number) => `${count} complaint addresses have been added to the complaints table`,
  // The seed's sample answer to removing one address is the same sentence as clearing the domain.
  removed: 'Complaint addresses for this domain have been removed',
  cleared: 'Complaint addresses for this domain have been removed',
  uploaded: 'file uploaded successfully'
}

const MAX_BATCH = 1000
const TOO_LARGE = 'The CSV file must be 25MB or under'
/** Room for multipart boundaries and part headers around a file of the maximum size. */
const MULTIPART_OVERHEAD = 64 * 1024
const DEFAULT_LIMIT = 100

const Message = Type.Object({ message: Type.String() }, { title: 'MailgunMessage', description: 'Mailgun message' })
const errorBody = (description: string) => ({ ...Message, description })
const Complaint = Type.Object({
  address: Type.String({ example: 'alice@example.com' }),
  created_at: Type.String({ description: "Mailgun's date format (RFC 1123, UTC)", example: 'Sun, 26 Jan 2025 07:29:06 UTC' })
}, { title: 'MailgunComplaint' })
const PagingUrl = Type.String({ description: 'Absolute URL of that page', example: 'https://ombuds.example/v3/mg.example.com/complaints?page=next&address=alice%40example.com&limit=100&term=' })
const ComplaintList = Type.Object({
  items: Type.Array(Complaint, { description: 'Alphabetical by address (byte order); empty past either end' }),
  paging: Type.Object({ first: PagingUrl, last: PagingUrl, next: PagingUrl, previous: PagingUrl })
}, { title: 'MailgunComplaintList' })
const DomainParams = Type.Object({ domain: Type.String({ description: "One of the organization's sending domains, by name or by id", example: 'mg.example.com' }) })
const AddressParams = Type.Object({
  domain: DomainParams.properties.domain,
  address: Type.String({ description: 'The email address, percent-encoded or raw; a raw `/` in it works too (`{address:.+}`)', example: 'alice%40example.com' })
})
/** `{address:.+}`: an address holding a raw `/` spans path segments, so it is also routed as the path's rest. */
const AddressRestParams = Type.Object({ domain: DomainParams.properties.domain, '*': Type.String() })
const QueryParam = (description: string, example: string) => Type.Unsafe<unknown>({ description, example })

const commonErrors = {
  401: Type.String({ description: 'Forbidden (text/plain): missing, malformed, unknown or revoked key, or a user name other than `api`' }),
  403: errorBody('The key lacks the scope (suppressions:read to read, suppressions:write to write)'),
  404: errorBody('`Domain not found`: the domain is not one of the key\'s organization'),
  429: errorBody('Too many requests, with Retry-After'),
  500: errorBody('Internal error'),
  503: errorBody('The store is unreachable, with Retry-After')
}

const domains = new WeakMap<FastifyRequest, DomainRow>()

export async function mailgunDialect (app: App): Promise<void> {
  // Mailgun's single-record form (`address`, `created_at`), parsed here rather than by a plugin.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  await app.register(multipart, {
    limits: { fileSize: MAX_IMPORT_BYTES, files: 4, fields: 20, parts: 30, fieldSize: 64 * 1024 }
  })

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error)
    logIfUnexpected(request, error, appError)
    return await sendError(reply, appError)
  })
  app.setNotFoundHandler(async (request, reply) => {
    const error = unmatchedRoute(app, request, reply)
    return error.code === 'NOT_FOUND' ? await reply.code(404).send({ message: 'Not Found' }) : await sendError(reply, error)
  })

  /**
   * HTTP Basic with user `api` and a customer key: 401 `Forbidden` (plain text) otherwise,
   * then the route's scope (403), then `{domain}` must be the key's organization's (404).
   * Runs before the body is read, so an unauthorized upload is never parsed.
   */
  app.addHook('onRequest', async (request) => {
    const principal = await basicPrincipal(app, request)
    if (principal === null) throw new AppError('UNAUTHORIZED')
    request.principal = principal
    if (request.is404) return
    requireScope(request, principal)
    const name = (request.params as { domain?: string }).domain
    const domain = name === undefined || principal.orgId === null ? undefined : await findOrgDomain(app.db, principal.orgId, name)
    if (domain === undefined) throw new AppError('NOT_FOUND', MESSAGES.domainNotFound)
    domains.set(request, domain)
  })

  const tags = ['Mailgun']
  const security = [{ basicAuth: [] }]
  const read = { scope: 'suppressions:read' as const }
  const write = { scope: 'suppressions:write' as const }

  app.get('/:domain/complaints', {
    config: read,
    schema: {
      tags,
      security,
      operationId: 'listMailgunComplaints',
      summary: 'List complaints (Mailgun)',
      description: 'Alphabetical by address. `page` = first (or empty) / next / previous / last, relative to `address`; `term` keeps addresses starting with it. ' +
        '`paging` holds four absolute URLs built from OMBUDS_PUBLIC_URL (else X-Forwarded-Proto/Host when TRUST_PROXY is set, else the address the client connected to; never the Host header). A repeated `limit` is tolerated (the last one counts).',
      params: DomainParams,
      querystring: Type.Object({
        limit: Type.Optional(QueryParam('1..1000, default 100', '100')),
        page: Type.Optional(QueryParam('first (or empty), next, previous or last', 'next')),
        address: Type.Optional(QueryParam('The divider between pages', 'alice@example.com')),
        term: Type.Optional(QueryParam('Address prefix', 'ali'))
      }),
      response: { 200: ComplaintList, 400: errorBody('Invalid `limit` or `page`'), ...commonErrors }
    }
  }, async (request) => {
    const { orgId, domain } = context(request)
    const query = request.query as Record<string, string | string[] | undefined>
    const limitText = last(query.limit) ?? String(DEFAULT_LIMIT)
    const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN
    if (!(limit >= 1 && limit <= MAX_BATCH)) throw new AppError('INVALID_INPUT', `limit must be an integer from 1 to ${MAX_BATCH}`)
    const pageText = (last(query.page) ?? '').toLowerCase()
    const direction = ({ '': 'first', first: 'first', next: 'next', previous: 'previous', prev: 'previous', last: 'last' } as const)[pageText]
    if (direction === undefined) throw new AppError('INVALID_INPUT', 'page must be one of first, next, previous, last')
    const pivot = last(query.address) ?? ''
    const term = last(query.term) ?? ''

    const rows = await listDomainComplaints(app.db, orgId, domain.id, { direction, pivot, term, limit })
    const base = `${publicBaseUrl(request, app.config)}/v3/${domain.name}/complaints?`
    const n = String(limit)
    return {
      items: rows.map((row) => ({ address: row.address, created_at: formatMailgunDate(row.created_at) })),
      paging: {
        first: base + pagingQuery([['limit', n], ['term', term]]),
        last: base + pagingQuery([['page', 'last'], ['limit', n], ['term', term]]),
        next: base + pagingQuery([['page', 'next'], ['address', rows.at(-1)?.address ?? pivot], ['limit', n], ['term', term]]),
        previous: base + pagingQuery([['page', 'previous'], ['address', rows[0]?.address ?? pivot], ['limit', n], ['term', term]])
      }
    }
  })

  const getOne = async (request: FastifyRequest, address: string) => {
    const { orgId, domain } = context(request)
    const row = await getDomainComplaint(app.db, orgId, domain.id, address)
    if (row === undefined) throw new AppError('NOT_FOUND', MESSAGES.notListed)
    return { address: row.address, created_at: formatMailgunDate(row.created_at) }
  }
  const getOneSchema = {
    tags,
    security,
    summary: 'Get one complaint (Mailgun)',
    response: { 200: Complaint, ...commonErrors, 404: errorBody('`No spam complaints found for this address`, or `Domain not found`') }
  }
  app.get('/:domain/complaints/:address', { config: read, schema: { ...getOneSchema, operationId: 'getMailgunComplaint', params: AddressParams } }, async (request) => await getOne(request, request.params.address))
  app.get('/:domain/complaints/*', { config: read, schema: { ...getOneSchema, params: AddressRestParams, hide: true } }, async (request) => await getOne(request, request.params['*']))

  app.post('/:domain/complaints', {
    config: write,
    schema: {
      tags,
      security,
      operationId: 'addMailgunComplaints',
      summary: 'Add complaints (Mailgun)',
      description: 'Either a JSON array of 1..1000 `{address, created_at?}` (RFC 2822 dates; omitted, `{}` or the seed sample\'s `"createdat": {}` mean now) → ' +
        '"N complaint addresses have been added to the complaints table", N counting the addresses actually added (not those already listed), ' +
        'or one `address` (and `created_at`) as `application/x-www-form-urlencoded` or `multipart/form-data` → "Address has been added to the complaints table". ' +
        'All or nothing: an invalid address or date, or more than 1000 records, is 400 naming it. An address already suppressed for the domain keeps its first record.',
      consumes: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
      params: DomainParams,
      response: {
        200: Type.Object({ address: Type.Optional(Type.String({ description: 'Single (form) create only' })), message: Type.String() }),
        400: errorBody('Invalid address or date, empty or more than 1000 records'),
        413: errorBody('Body too large'),
        ...commonErrors
      }
    }
  }, async (request) => {
    const { orgId, domain, actor } = context(request)
    let body: unknown = request.body
    if (request.isMultipart()) body = await multipartFields(request)
    if (Array.isArray(body)) {
      if (body.length === 0) throw new AppError('INVALID_INPUT', 'no complaints given: send a JSON array of 1 to 1000 records')
      if (body.length > MAX_BATCH) throw new AppError('INVALID_INPUT', `too many complaints: at most ${MAX_BATCH} records per request, got ${body.length}`)
      const count = await addDomainComplaints(app.db, orgId, domain.id, body.map((item, index) => toRecord(item, `item ${index}`)), actor)
      return { message: MESSAGES.addedMany(count) }
    }
    if (body === null || typeof body !== 'object') {
      throw new AppError('INVALID_INPUT', 'send a JSON array of {address, created_at} records, or a form with address')
    }
    const record = toRecord(body, 'form')
    await addDomainComplaints(app.db, orgId, domain.id, [record], actor)
    return { address: record.address.trim().toLowerCase(), message: MESSAGES.added }
  })

  app.post('/:domain/complaints/import', {
    config: write,
    // A 25 MB upload over a slow link takes longer than an ordinary request.
    handlerTimeout: app.config.importTimeoutMs,
    schema: {
      tags,
      security,
      operationId: 'importMailgunComplaints',
      summary: 'Import complaints from CSV (Mailgun)',
      description: '`multipart/form-data` with a CSV file part (any part name, any part content type), header `address,created_at`, at most 25 MB (413 above); ' +
        'and/or the seed\'s form fields `address` (required without a file) and `created_at` (RFC 2822, optional, default now), which add that one address. ' +
        'The file is received completely (spooled to a temporary file) before anything is written, then written in multi-row statements in one transaction: all rows or none. A bad row is 400 naming its line. ' +
        'Answers 202 once the rows are stored (so the import is complete when the answer arrives).',
      consumes: ['multipart/form-data'],
      params: DomainParams,
      response: {
        202: Message,
        400: errorBody('Neither a file part nor an `address` field, not multipart, a bad `address`/`created_at`, or a bad row (the message names its line)'),
        413: errorBody('The file is over 25 MB'),
        ...commonErrors
      }
    }
  }, async (request, reply) => {
    const { orgId, domain, actor } = context(request)
    if (!request.isMultipart()) throw new AppError('INVALID_INPUT', 'Content-Type must be multipart/form-data with a CSV file part or an address field')
    // A declared length far over the limit is refused before anything is parsed (the
    // upload is read and dropped, so the client gets the answer rather than a reset).
    if (Number(request.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES + MULTIPART_OVERHEAD) {
      await drain(request.raw)
      throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE)
    }
    // The file is spooled to disk first: no transaction is open while the client is still sending.
    let spooled: SpooledFile | null = null
    try {
      const fields: Record<string, string> = {}
      for await (const part of request.parts()) {
        if (part.type !== 'file') {
          fields[part.fieldname] = String(part.value)
          continue
        }
        // Clients name the file part as they like (`file`, `csv`, `complaints`…): the first one is the CSV.
        if (spooled !== null) {
          await drain(part.file)
          continue
        }
        spooled = await spoolToFile(part.file, request.raw)
        // busboy ends a truncated file normally: refuse it before anything is written.
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE)
      }
      if (spooled !== null) {
        const path = spooled.path
        await importDomainComplaints(app.db, orgId, domain.id, () => readComplaintCsv(createReadStream(path)), actor)
      }
      if (fields.address !== undefined) {
        const record = toRecord(fields, 'form')
        await importDomainComplaints(app.db, orgId, domain.id, () => [{ ...record, line: 1 }], actor)
      } else if (spooled === null) {
        throw new AppError('INVALID_INPUT', 'send the CSV file as a multipart file part, or the form field address (and created_at)')
      }
    } finally {
      await spooled?.dispose()
    }
    return await reply.code(202).send({ message: MESSAGES.uploaded })
  })

  const removeOne = async (request: FastifyRequest, address: string) => {
    const { orgId, domain, actor } = context(request)
    const row = await removeDomainComplaint(app.db, orgId, domain.id, address, actor)
    if (row === undefined) throw new AppError('NOT_FOUND', MESSAGES.notListed)
    return { address: row.address, message: MESSAGES.removed }
  }
  const removeOneSchema = {
    tags,
    security,
    summary: 'Remove one complaint (Mailgun)',
    description: 'Delivery to the address from this domain is allowed again at once (unless another suppression applies). Writes an audit event. ' +
      'Answers the seed\'s sample exactly: `{"address": …, "message": "Complaint addresses for this domain have been removed"}`.',
    response: {
      200: Type.Object({ address: Type.String(), message: Type.String() }),
      ...commonErrors,
      404: errorBody('`No spam complaints found for this address`, or `Domain not found`')
    }
  }
  app.delete('/:domain/complaints/:address', { config: write, schema: { ...removeOneSchema, operationId: 'deleteMailgunComplaint', params: AddressParams } }, async (request) => await removeOne(request, request.params.address))
  app.delete('/:domain/complaints/*', { config: write, schema: { ...removeOneSchema, params: AddressRestParams, hide: true } }, async (request) => await removeOne(request, request.params['*']))

  app.delete('/:domain/complaints', {
    config: write,
    schema: {
      tags,
      security,
      operationId: 'clearMailgunComplaints',
      summary: 'Remove every complaint of the domain (Mailgun)',
      description: 'One statement, one audit event with the number removed.',
      params: DomainParams,
      response: { 200: Message, ...commonErrors }
    }
  }, async (request) => {
    const { orgId, domain, actor } = context(request)
    await clearDomainComplaints(app.db, orgId, domain.id, actor)
    return { message: MESSAGES.cleared }
  })
}

/** Mailgun's error bodies: 401 plain-text `Forbidden`, everything else `{"message": …}` (validation problems are 400). */
async function sendError (reply: FastifyReply, error: AppError): Promise<FastifyReply> {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds))
  if (error.code === 'UNAUTHORIZED') {
    return await reply.code(401).header('WWW-Authenticate', 'Basic realm="MG API"').type('text/plain; charset=utf-8').send('Forbidden')
  }
  const status = error.code === 'VALIDATION_FAILED' || error.code === 'UNSUPPORTED_MEDIA_TYPE' ? 400 : httpStatusOf(error)
  const generic = error.message === ERRORS[error.code].message && error.details !== undefined
  const message = generic ? Object.entries(error.details ?? {}).map(([field, reason]) => `${field}: ${reason}`).join('; ') : error.message
  return await reply.code(status).send({ message })
}

async function basicPrincipal (app: App, request: FastifyRequest): Promise<Principal | null> {
  const credentials = basicCredentials(request.headers.authorization)
  if (credentials === null || credentials.user !== 'api') return null
  const principal = await authenticateKey(app, request, credentials.password)
  return principal?.kind === 'customer' && principal.orgId !== null ? principal : null
}

function context (request: FastifyRequest): { orgId: string, domain: DomainRow, actor: Actor } {
  const domain = domains.get(request)
  const principal = request.principal
  if (domain === undefined || principal?.orgId == null) throw new AppError('NOT_FOUND', MESSAGES.domainNotFound)
  return { orgId: principal.orgId, domain, actor: actorOf(principal) }
}

function last (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value
}

/**
 * One `{address, created_at?}` record of a request; anything else is 400 naming it. The seed's
 * own sample writes the date `"createdat": {}`: that spelling is read too, and an empty object
 * (what the seed's schema, `created_at` "object", yields) means now, like an omitted date.
 */
function toRecord (item: unknown, where: string): ComplaintRecord {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new AppError('INVALID_INPUT', `${where}: must be an object with an address`)
  const { address, created_at: createdAtField, createdat } = item as Record<string, unknown>
  if (typeof address !== 'string' || address.trim() === '') throw new AppError('INVALID_INPUT', `${where}: address is required`)
  const createdAtValue = createdAtField ?? createdat
  const emptyObject = typeof createdAtValue === 'object' && createdAtValue !== null && !Array.isArray(createdAtValue) && Object.keys(createdAtValue).length === 0
  let createdAt: Date | null = null
  if (createdAtValue !== undefined && createdAtValue !== null && createdAtValue !== '' && !emptyObject) {
    createdAt = typeof createdAtValue === 'string' ? parseMailgunDate(createdAtValue) : null
    if (createdAt === null) throw new AppError('INVALID_INPUT', `${where}: created_at ${JSON.stringify(createdAtValue)} is not an RFC 2822 date`)
  }
  return { address, createdAt }
}

/** The text fields of a multipart form (files are read and dropped). */
async function multipartFields (request: FastifyRequest): Promise<Record<string, string>> {
  const fields: Record<string, string> = {}
  for await (const part of request.parts()) {
    if (part.type === 'file') await drain(part.file)
    else fields[part.fieldname] = String(part.value)
  }
  return fields
}

/** Reads what is left of a part so the rest of the request can be parsed (or answered cleanly). */
async function drain (stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return
  await new Promise<void>((resolve) => {
    stream.on('end', resolve)
    stream.on('error', () => { resolve() })
    stream.on('close', resolve)
    stream.resume()
  })
}
