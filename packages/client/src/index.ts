import createClient, { type Client, type ClientPathsWithMethod, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch'
import type { components, operations, paths } from './generated/openapi.js'
import { cursorLists } from './generated/operations.js'

export type { components, operations, paths }
/** The named schemas of the API: `Schemas['Complaint']`, `Schemas['Suppression']`, … */
export type Schemas = components['schemas']
export type ErrorCode = Schemas['Error']['error']['code']

export interface OmbudsClientOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string
  /** `am_live_…`: sent as `Authorization: Bearer …`. */
  apiKey?: string
  /** Retries of a request answered 429 or 503 (default 3); 0 turns retries off. */
  retries?: number
  /** Longest wait before a retry, in ms (default 60 000): a longer `Retry-After` is not waited for. */
  maxRetryDelayMs?: number
  /** First backoff without `Retry-After`, in ms, doubled per retry (default 500). */
  retryBaseDelayMs?: number
  /** Another fetch (defaults to the global one). */
  fetch?: (request: Request) => Promise<Response>
  /** Headers sent with every request. */
  headers?: Record<string, string>
}

/** An error answer of the API, whatever its dialect, with the native envelope's fields. */
export class OmbudsError extends Error {
  override readonly name = 'OmbudsError'
  constructor (
    message: string,
    /** The API's error code (`NOT_FOUND`, `VALIDATION_FAILED`, …). */
    readonly code: ErrorCode,
    readonly status: number,
    /** The request's id (`error.request_id`, else the `X-Request-Id` header). */
    readonly requestId: string | null,
    /** Field → reason, on `VALIDATION_FAILED` and `INVALID_INPUT`. */
    readonly details: Record<string, string> | undefined
  ) {
    super(message)
  }
}

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete'
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T]
type InitParam<Init> = RequiredKeys<Init> extends never ? [(Init & Record<string, unknown>)?] : [Init & Record<string, unknown>]
/** A success: openapi-fetch's answer without its error branch (errors are thrown). */
export interface Success<Data> { data: Data, response: Response }
type SuccessOf<R> = R extends { data: infer Data, error?: never } ? Success<Data> : never
type ThrowingMethod<M extends Method> = <Path extends ClientPathsWithMethod<Client<paths>, M>, Init extends MaybeOptionalInit<paths[Path], M>>(
  url: Path, ...init: InitParam<Init>
) => Promise<SuccessOf<FetchResponse<paths[Path][M] & Record<string | number, unknown>, Init, `${string}/${string}`>>>

export type CursorListOperation = keyof typeof cursorLists
type ListParameters<Op extends CursorListOperation> = operations[Op]['parameters']
/** The filters of a cursor list (its query string without `cursor`). */
export type ListQuery<Op extends CursorListOperation> = Omit<NonNullable<ListParameters<Op>['query']>, 'cursor'>
type ListPath<Op extends CursorListOperation> = ListParameters<Op>['path']
/** One row of a cursor list. */
export type ListItem<Op extends CursorListOperation> = operations[Op]['responses'][200]['content']['application/json']['data'][number]
/** One page of a cursor list: its rows and `meta` (`total`, `next_cursor`, …). */
export interface Page<Item> { data: Item[], meta: Schemas['ListMeta'] }

export interface OmbudsClient {
  /** GET a path: resolves with `{ data, response }`, throws `OmbudsError` on an error answer. */
  GET: ThrowingMethod<'get'>
  POST: ThrowingMethod<'post'>
  PUT: ThrowingMethod<'put'>
  PATCH: ThrowingMethod<'patch'>
  DELETE: ThrowingMethod<'delete'>
  /**
   * Every row of a cursor list, page after page (100 rows a request unless `query.limit`
   * says otherwise): `for await (const c of client.paginate('listComplaints', { status: 'new' }))`.
   */
  paginate: <Op extends CursorListOperation>(
    operationId: Op, query?: ListQuery<Op>, ...path: ListPath<Op> extends undefined ? [] : [ListPath<Op>]
  ) => AsyncGenerator<ListItem<Op>, void, undefined>
  /** The same walk a page at a time, with each page's `meta` (e.g. `meta.total` for progress). */
  pages: <Op extends CursorListOperation>(
    operationId: Op, query?: ListQuery<Op>, ...path: ListPath<Op> extends undefined ? [] : [ListPath<Op>]
  ) => AsyncGenerator<Page<ListItem<Op>>, void, undefined>
  /** The openapi-fetch client underneath (answers errors instead of throwing them). */
  raw: Client<paths>
}

const RETRY_STATUSES = new Set([429, 503])
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE'
}

export function createOmbudsClient (options: OmbudsClientOptions): OmbudsClient {
  const raw = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retrying(options),
    headers: { ...options.headers, ...(options.apiKey !== undefined ? { authorization: `Bearer ${options.apiKey}` } : {}) }
  })

  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE') =>
    async (url: string, init?: Record<string, unknown>): Promise<Success<unknown>> => {
      const answer = await (raw[method] as (url: string, init?: Record<string, unknown>) => Promise<{ data?: unknown, error?: unknown, response: Response }>)(url, init)
      if (!answer.response.ok) throw toOmbudsError(answer.response, answer.error)
      return { data: answer.data, response: answer.response }
    }
  const get = call('GET')

  async function * pages (operationId: CursorListOperation, query: Record<string, unknown> = {}, path?: Record<string, unknown>): AsyncGenerator<Page<unknown>, void, undefined> {
    const url = cursorLists[operationId]
    if (url === undefined) throw new TypeError(`${String(operationId)} is not a cursor list`)
    let cursor: string | null = null
    do {
      const params = { query: { limit: 100, ...query, ...(cursor !== null ? { cursor } : {}) }, ...(path !== undefined ? { path } : {}) }
      const page = (await get(url, { params })).data as Page<unknown>
      yield page
      cursor = page.meta.next_cursor
    } while (cursor !== null)
  }

  async function * paginate (operationId: CursorListOperation, query?: Record<string, unknown>, path?: Record<string, unknown>): AsyncGenerator<unknown, void, undefined> {
    for await (const page of pages(operationId, query, path)) yield * page.data
  }

  return {
    GET: get as ThrowingMethod<'get'>,
    POST: call('POST') as ThrowingMethod<'post'>,
    PUT: call('PUT') as ThrowingMethod<'put'>,
    PATCH: call('PATCH') as ThrowingMethod<'patch'>,
    DELETE: call('DELETE') as ThrowingMethod<'delete'>,
    paginate: paginate as OmbudsClient['paginate'],
    pages: pages as OmbudsClient['pages'],
    raw
  }
}

/** The error of an answer: the native envelope when there is one, else the status alone. */
export function toOmbudsError (response: Response, body: unknown): OmbudsError {
  const headerId = response.headers.get('x-request-id')
  const envelope = (body as { error?: unknown } | null)?.error
  if (envelope !== null && typeof envelope === 'object' && typeof (envelope as { code?: unknown }).code === 'string') {
    const error = envelope as { code: ErrorCode, message?: string, request_id?: string, details?: Record<string, string> }
    return new OmbudsError(error.message ?? error.code, error.code, response.status, error.request_id ?? headerId, error.details)
  }
  // The dialects answer in their vendors' shapes: keep their message.
  const message = typeof body === 'string' && body !== '' ? body : typeof (body as { message?: unknown } | null)?.message === 'string' ? (body as { message: string }).message : response.statusText
  return new OmbudsError(message || `HTTP ${response.status}`, STATUS_CODES[response.status] ?? 'INTERNAL', response.status, headerId, undefined)
}

/**
 * fetch with retries of 429 and 503: after `Retry-After` (seconds or an HTTP date) when
 * the answer has one, else after an exponential backoff with jitter. Each attempt sends a
 * copy of the request, so a body is sent again whole.
 */
function retrying (options: OmbudsClientOptions): (request: Request) => Promise<Response> {
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const retries = options.retries ?? 3
  const maxDelay = options.maxRetryDelayMs ?? 60_000
  const baseDelay = options.retryBaseDelayMs ?? 500
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const response = await send(attempt < retries ? request.clone() : request)
      if (attempt >= retries || !RETRY_STATUSES.has(response.status)) return response
      const delay = retryAfterMs(response.headers.get('retry-after')) ?? baseDelay * 2 ** attempt * (0.5 + Math.random() / 2)
      if (delay > maxDelay) return response
      await response.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

function retryAfterMs (header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
