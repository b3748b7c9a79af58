import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { whatCountsError } from '../dialects/whatcounts/whatcounts.format.js'
import type { ErrorCode } from '../errors.js'
import { newRequestId } from './request-id.js'

/**
 * Errors Fastify or Node's HTTP parser answer before any route runs (a URL that is not
 * valid percent-encoding, a path parameter over the router's limit, headers or URL over
 * Node's 16 KiB, a malformed request line), rendered in the error shape of the API the
 * path belongs to — native envelope, Mailgun's `{message}`, WhatCounts' `{error, status,
 * statusCode}` — and never echoing the input.
 */

type Api = 'native' | 'mailgun' | 'whatcounts'

function apiOf (path: string): Api {
  if (path.startsWith('/v3/')) return 'mailgun'
  if (path.startsWith('/rest/')) return 'whatcounts'
  return 'native'
}

interface Rendered { status: number, contentType: string, body: string, requestId: string }

function renderFrameworkError (path: string, status: number, code: ErrorCode, message: string, requestId: string = newRequestId()): Rendered {
  switch (apiOf(path)) {
    case 'mailgun': return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ message }), requestId }
    case 'whatcounts': return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(whatCountsError(status)), requestId }
    default: return {
      status,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ success: false, error: { code, message, request_id: requestId } }),
      requestId
    }
  }
}

/** Fastify's `frameworkErrors`: bad percent-encoding (400) and a path parameter over `maxParamLength` (414). */
export function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  const rendered = tooLong
    ? renderFrameworkError(request.url, 414, 'INVALID_INPUT', 'a path segment is too long', request.id)
    : renderFrameworkError(request.url, 400, 'INVALID_INPUT', 'the URL is not valid percent-encoding', request.id)
  reply.code(rendered.status).header('X-Request-Id', rendered.requestId).header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store').type(rendered.contentType).send(rendered.body)
}

/**
 * Node's `clientError`: the request could not even be parsed, so there is no Fastify
 * request; the answer is written on the socket, shaped by the path of the request line
 * when it can be read, without a body on HEAD.
 */
export function clientErrorHandler (error: Error & { code?: string, rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.subarray(0, 2048).toString('latin1') : ''
  const [method = '', path = '/'] = (packet.split('\r\n', 1)[0] ?? '').split(' ')
  let rendered: Rendered
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    rendered = renderFrameworkError(path, 408, 'INVALID_INPUT', 'the request did not arrive in time')
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    rendered = renderFrameworkError(path, 431, 'INVALID_INPUT', 'the URL or the headers are too large')
  } else {
    rendered = renderFrameworkError(path, 400, 'INVALID_INPUT', 'the request is not valid HTTP')
  }
  const body = method === 'HEAD' ? '' : rendered.body
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[rendered.status] ?? 'Error'
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${rendered.status} ${reason}\r\nContent-Type: ${rendered.contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${rendered.requestId}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(error)
}

/**
 * The body timeout: a request whose body has not fully arrived `ms` after its headers
 * loses its connection. Node's own `requestTimeout` is checked only every 30 s and did
 * not end requests whose handler was already reading the body (a stalled upload), so
 * the service keeps its own timer per request with a body.
 */
export function bodyTimeout (ms: number) {
  return async function startBodyTimer (request: FastifyRequest): Promise<void> {
    const raw = request.raw
    // No Content-Length and no Transfer-Encoding: the request has no body (RFC 9112 6.3), nothing to time.
    if (raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) return
    // Destroying the request closes its connection (and ends whatever is reading the body).
    const timer = setTimeout(() => { if (!raw.complete) raw.destroy() }, ms)
    timer.unref()
    const stop = (): void => { clearTimeout(timer) }
    raw.once('end', stop)
    raw.once('close', stop)
  }
}
