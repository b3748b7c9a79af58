import { createOmbudsClient, OmbudsError, type paths, type Schemas, toOmbudsError } from '@ombuds/client'

export { OmbudsError, toOmbudsError }

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never
type Success<Operation> = Operation extends { responses: { 200: infer R } } ? Json<R> : never
/** The `data` of an operation's success envelope. */
export type DataOf<P extends keyof paths, M extends keyof paths[P]> = Success<paths[P][M]> extends { data: infer D } ? D : never
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

export type Complaint = Schemas['Complaint']
export type ComplaintStatus = Complaint['status']
export type ComplaintEvent = Schemas['ComplaintEvent']
export type ComplaintFilters = Omit<QueryOf<'/v1/complaints', 'get'>, 'cursor' | 'limit'>
export type Suppression = Schemas['Suppression']
export type SuppressionFilters = Omit<QueryOf<'/v1/suppressions', 'get'>, 'cursor' | 'limit'>
export type RateRow = Schemas['ComplaintRate']
export type Organization = Schemas['CallerOrganization']

const KEY_STORAGE = 'ombuds.apiKey'

/** The API key lives in sessionStorage only: it is gone when the tab closes. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  signIn: (key: string): void => { sessionStorage.setItem(KEY_STORAGE, key) },
  signOut: (): void => { sessionStorage.removeItem(KEY_STORAGE) }
}

/**
 * The typed client of the public API (the package generated from openapi.json); every
 * error answer is thrown as an OmbudsError. The key is read per request, since signing
 * in and out changes it without reloading the page.
 */
export const api = createOmbudsClient({
  baseUrl: window.location.origin,
  // A person is waiting: a short retry of 429/503, not the client's default minute.
  retries: 2,
  maxRetryDelayMs: 5000,
  fetch: async (request) => {
    const key = session.key()
    if (key !== null) request.headers.set('Authorization', `Bearer ${key}`)
    return await globalThis.fetch(request)
  }
})
