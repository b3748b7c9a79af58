import createClient from 'openapi-fetch'
import type { paths } from './schema'

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never
type Success<Operation> = Operation extends { responses: { 200: infer R } } ? Json<R> : Operation extends { responses: { 201: infer R } } ? Json<R> : never
/** The `data` of an operation's success envelope, from the types generated off the OpenAPI document. */
export type DataOf<P extends keyof paths, M extends keyof paths[P]> = Success<paths[P][M]> extends { data: infer D } ? D : never
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

export type Complaint = DataOf<'/v1/complaints/{id}', 'get'>
export type ComplaintStatus = Complaint['status']
export type ComplaintEvent = DataOf<'/v1/complaints/{id}/events', 'get'>[number]
export type ComplaintFilters = Omit<QueryOf<'/v1/complaints', 'get'>, 'cursor' | 'limit'>
export type Suppression = DataOf<'/v1/suppressions', 'get'>[number]
export type SuppressionFilters = Omit<QueryOf<'/v1/suppressions', 'get'>, 'cursor' | 'limit'>
export type RateRow = DataOf<'/v1/reports/complaint-rates', 'get'>[number]

/** An error answer of the API, with what a person needs to report it: message and request id. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor (
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly details: Record<string, string> = {}
  ) {
    super(message)
  }
}

const KEY_STORAGE = 'ombuds.apiKey'

/** The API key lives in sessionStorage only: it is gone when the tab closes. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  signIn: (key: string): void => { sessionStorage.setItem(KEY_STORAGE, key) },
  signOut: (): void => { sessionStorage.removeItem(KEY_STORAGE) }
}

export async function toApiError (response: Response): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id')
  try {
    const body = await response.clone().json() as { error?: { code?: string, message?: string, details?: Record<string, string> } }
    return new ApiError(response.status, body.error?.code ?? 'ERROR', body.error?.message ?? response.statusText, requestId, body.error?.details)
  } catch {
    return new ApiError(response.status, 'ERROR', response.statusText || `HTTP ${response.status}`, requestId)
  }
}

/** Typed requests to the public API; every failure is thrown as an ApiError. */
export const api = createClient<paths>({ baseUrl: window.location.origin })
api.use({
  onRequest ({ request }) {
    const key = session.key()
    if (key !== null) request.headers.set('Authorization', `Bearer ${key}`)
    return request
  },
  async onResponse ({ response }) {
    if (!response.ok) throw await toApiError(response)
    return response
  }
})
export type Organization = DataOf<'/v1/org', 'get'>
