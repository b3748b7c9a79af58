import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { InjectOptions } from 'fastify'
import { issueApiKey } from '../src/modules/api-keys/api-keys.service.js'
import { PLATFORM_SCOPES, ROLE_SCOPES, type Scope } from '../src/modules/api-keys/scopes.js'
import { type TestContext, type TestOrg, unknownKey } from './helper.js'

export interface RouteUnderTest {
  method: NonNullable<InjectOptions['method']>
  /** The route pattern, for test names. */
  route: string
  scope: Scope
  /** Creates what the route needs in `org` and returns the request (without auth). */
  prepare: (ctx: TestContext, org: TestOrg) => Promise<Omit<InjectOptions, 'method'>>
  /** The status of the authorized request. */
  success: number
  /** The request names a resource of `org`: another organization's key must get 404. */
  ownsResource?: boolean
}

const isPlatformScope = (scope: Scope): boolean => (PLATFORM_SCOPES as readonly string[]).includes(scope)

/**
 * The shared security matrix, run for every route: no key, malformed key, unknown key,
 * revoked key → 401; a key without the scope → 403; another organization's key on this
 * organization's resource → 404 (never 403); the right key → the success status.
 */
export function runAuthMatrix (getContext: () => TestContext, routes: RouteUnderTest[]): void {
  for (const route of routes) {
    const name = `${route.method} ${route.route}`
    test(`${name}: auth matrix`, async () => {
      const ctx = getContext()
      const org = await ctx.createOrg()
      const rightKey = isPlatformScope(route.scope) ? ctx.platformKey : org.ownerKey
      const wrongKey = isPlatformScope(route.scope)
        ? org.ownerKey
        : ROLE_SCOPES.member.includes(route.scope as never) ? ctx.platformKey : org.memberKey
      const send = async (authorization: string | null) => {
        const request = await route.prepare(ctx, org)
        return await ctx.app.inject({
          ...request,
          method: route.method,
          headers: { ...request.headers, ...(authorization !== null ? { authorization } : {}) }
        })
      }

      const expectError = (response: Awaited<ReturnType<typeof send>>, status: number, code: string, why: string) => {
        assert.equal(response.statusCode, status, `${why}: ${response.body}`)
        const body = response.json()
        assert.equal(body.success, false, why)
        assert.equal(body.error.code, code, why)
        assert.equal(body.error.request_id, response.headers['x-request-id'], why)
      }

      expectError(await send(null), 401, 'UNAUTHORIZED', 'no key')
      expectError(await send('Bearer not-a-key'), 401, 'UNAUTHORIZED', 'malformed key')
      expectError(await send(`Basic ${Buffer.from(`api:${rightKey}`).toString('base64')}`), 401, 'UNAUTHORIZED', 'wrong scheme')
      expectError(await send(`Bearer ${unknownKey()}`), 401, 'UNAUTHORIZED', 'unknown key')

      const revocable = await issueKeyLike(ctx, org, route.scope)
      const revoked = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${revocable.id}` })
      assert.equal(revoked.statusCode, 200, revoked.body)
      expectError(await send(`Bearer ${revocable.plaintext}`), 401, 'UNAUTHORIZED', 'revoked key')

      expectError(await send(`Bearer ${wrongKey}`), 403, 'FORBIDDEN', 'missing scope')

      if (route.ownsResource === true) {
        const other = await ctx.createOrg()
        expectError(await send(`Bearer ${other.ownerKey}`), 404, 'NOT_FOUND', "another organization's resource")
      }

      const ok = await send(`Bearer ${rightKey}`)
      assert.equal(ok.statusCode, route.success, `right key: ${ok.body}`)
    })
  }
}

async function issueKeyLike (ctx: TestContext, org: TestOrg, scope: Scope): Promise<{ id: string, plaintext: string }> {
  if (isPlatformScope(scope)) {
    return await issueApiKey(ctx.store.db, null, { role: null, label: 'to revoke' })
  }
  const response = await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'owner', label: 'to revoke' } })
  return response.json().data as { id: string, plaintext: string }
}
