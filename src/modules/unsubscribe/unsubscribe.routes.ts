import multipart from '@fastify/multipart'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { callerOrgId } from '../../http/auth.js'
import { httpStatusOf, logIfUnexpected, toAppError } from '../../http/errors.js'
import { publicBaseUrl } from '../../http/public-url.js'
import { Envelope, responses, StringEnum } from '../../http/schemas.js'
import type { App } from '../../http/types.js'
import { donePage, confirmPage, errorPage, PAGE_CSP } from './unsubscribe.page.js'
import { CreateUnsubscribeLinkBody, CreateUnsubscribeLinksBody, HtmlPage, TokenParams, UnsubscribeLink } from './unsubscribe.schemas.js'
import { createUnsubscribeLinks, type LinkBase, previewUnsubscribe, unsubscribe } from './unsubscribe.service.js'
import type { TokenKeys } from './unsubscribe.token.js'

const tags = ['Unsubscribe']

export interface UnsubscribeRouteOptions {
  /** null when no key is configured (see `loadUnsubscribeKeys`) */
  keys: TokenKeys | null
}

function linkBase (app: App, request: FastifyRequest): LinkBase {
  return { baseUrl: publicBaseUrl(request, app.config), mailto: app.config.unsubscribeMailto }
}

const LINK_DESCRIPTION = 'Nothing is stored: the token in the URL is self-contained (encrypted and authenticated, naming the organization, ' +
  'domain, recipient, scope, list or campaign and the time), so links cost no write. `from_domain` must be one of the organization\'s domains; ' +
  '`list_id` and `campaign_id` its own (422 otherwise). The recipient who follows the link is suppressed with reason `unsubscribe` for that ' +
  'domain, or organization-wide with `scope: "organization"`, and counted in the complaint-rate report under the campaign and list.'

/** `POST /v1/unsubscribe-links` and its batch form, inside the bearer-authenticated API. */
export async function unsubscribeLinkRoutes (app: App, options: UnsubscribeRouteOptions): Promise<void> {
  app.post('/v1/unsubscribe-links', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'createUnsubscribeLink',
      summary: 'Build the List-Unsubscribe headers for one message',
      description: `The two header values to put on the message (RFC 8058 one-click). ${LINK_DESCRIPTION}`,
      body: CreateUnsubscribeLinkBody,
      response: responses({ 200: Envelope(UnsubscribeLink) }, ['VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    const { recipient, ...link } = request.body
    const [data] = await createUnsubscribeLinks(app.db, options.keys, callerOrgId(request), link, [recipient], linkBase(app, request), () => 'recipient')
    return { success: true as const, data: data as NonNullable<typeof data> }
  })

  app.post('/v1/unsubscribe-links/batch', {
    config: { scope: 'suppressions:write' },
    schema: {
      tags,
      operationId: 'createUnsubscribeLinks',
      summary: 'Build the List-Unsubscribe headers for up to 1000 messages',
      description: `One link per recipient, in request order; a bad recipient fails the call naming it (\`recipients[3]\`). ${LINK_DESCRIPTION}`,
      body: CreateUnsubscribeLinksBody,
      response: responses({ 200: Envelope(Type.Array(UnsubscribeLink)) }, ['VALIDATION_FAILED'], { body: true })
    }
  }, async (request) => {
    const { recipients, ...link } = request.body
    const data = await createUnsubscribeLinks(app.db, options.keys, callerOrgId(request), link, recipients, linkBase(app, request), (index) => `recipients[${index}]`)
    return { success: true as const, data }
  })
}

const html = (description: string) => ({ description, content: { 'text/html': { schema: HtmlPage } } })

/** Headers of every /u page: its own strict CSP, never cached or indexed, never leaking the URL. */
function sendPage (reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_CSP,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-robots-tag': 'noindex, nofollow'
  }).send(body)
}

/**
 * `/u/{token}`: the link itself, outside the bearer-authenticated API (the token is the
 * only credential). POST is RFC 8058's one-click request (form-encoded or multipart, no
 * cookies, no redirects): 200 and the recipient is unsubscribed. GET is the page for a
 * person, and changes nothing. Every answer, errors included, is a small HTML page; any
 * refusal is the same 400 whatever its cause.
 */
export async function unsubscribePageRoutes (app: App, options: UnsubscribeRouteOptions): Promise<void> {
  // Forms only, as RFC 8058 says: a JSON body is 415.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fields: 8, fieldSize: 1024, files: 0, parts: 8 } })

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error)
    logIfUnexpected(request, error, appError)
    // Validation of the token or the body is a refusal like any other: 400, no reason given.
    const status = appError.code === 'VALIDATION_FAILED' ? 400 : httpStatusOf(appError)
    if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(appError.retryAfterSeconds))
    return sendPage(reply, status, errorPage(status))
  })

  const errors = {
    400: html('The link cannot be used (malformed, altered, revoked, or the body is not `List-Unsubscribe=One-Click`); the cause is not told'),
    429: html('Too many requests from this address; retry after `Retry-After` seconds'),
    500: html('Unexpected error'),
    503: html('The store is unreachable; retry after `Retry-After` seconds')
  }

  app.get('/u/:token', {
    schema: {
      tags,
      operationId: 'showUnsubscribePage',
      summary: 'The unsubscribe page (for a person)',
      description: 'An HTML page in the organization\'s name with one "Unsubscribe" button that POSTs the one-click form to the same URL. ' +
        'Changes nothing, so mail scanners that fetch links unsubscribe no one. No authentication.',
      security: [],
      params: TokenParams,
      response: { 200: html('The page with the Unsubscribe button'), ...errors }
    }
  }, async (request, reply) => {
    return sendPage(reply, 200, confirmPage(await previewUnsubscribe(app.db, options.keys, request.params.token)))
  })

  app.post('/u/:token', {
    schema: {
      tags,
      operationId: 'unsubscribeOneClick',
      summary: 'One-click unsubscribe (RFC 8058)',
      description: 'What a mailbox provider sends for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: body `List-Unsubscribe=One-Click`, ' +
        '`application/x-www-form-urlencoded` or `multipart/form-data`, no cookies, no authentication. Suppresses the link\'s recipient ' +
        '(reason `unsubscribe`) and answers 200 with a confirmation page, never a redirect. Idempotent: a repeat changes nothing.',
      security: [],
      consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
      params: TokenParams,
      body: Type.Object({
        'List-Unsubscribe': Type.Literal('One-Click'),
        via: Type.Optional(StringEnum(['page'], { description: 'Sent by the page\'s button; recorded as how the recipient unsubscribed' }))
      }),
      response: { 200: html('Unsubscribed (also when the recipient already was)'), ...errors, 415: html('Not a form body') }
    }
  }, async (request, reply) => {
    const view = await unsubscribe(app.db, options.keys, request.params.token, request.body.via === 'page' ? 'page' : 'one_click')
    return sendPage(reply, 200, donePage(view))
  })
}
