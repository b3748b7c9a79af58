import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { validationFailed } from '../errors.js'
import type { App } from './types.js'

/**
 * Input every route refuses, whatever its schema says: a NUL character in any string
 * (PostgreSQL text cannot hold one: it was a 500, and "STOP\u0000" lost an opt-out) and
 * a number that is not finite (`1e400` parses to Infinity; Ajv calls Infinity an integer).
 *
 * Why hooks over the parsed input rather than an Ajv keyword on string schemas: the
 * dialects read fields no schema describes (Mailgun's JSON array, its form and query
 * parameters) and `onRequest` hooks (authentication, Mailgun's domain lookup) use path
 * parameters before any validation runs. So: path and query at `onRequest`, the parsed
 * body at `preValidation`, numbers once more at `preHandler` (after Ajv coerced query
 * strings such as `limit=Infinity`). Registered at the root, these run first for every
 * route of every API. The answer is 422 naming the field (the dialects render it their way).
 */
export const inputGuard = fp(async function inputGuard (app: App): Promise<void> {
  app.addHook('onRequest', async (request) => {
    refuse(findProblems({ ...request.params as object }, 'path'))
    refuse(findProblems(request.query, 'query'))
  })
  app.addHook('preValidation', async (request) => {
    refuse(findProblems(request.body, 'body'))
  })
  app.addHook('preHandler', async (request) => {
    refuse(findNonFinite(request))
  })
})

const MAX_DEPTH = 64

interface Problem { field: string, reason: string }

function refuse (problem: Problem | null): void {
  if (problem !== null) throw validationFailed({ [problem.field]: problem.reason })
}

/**
 * The first NUL-bearing string or non-finite number in a parsed value (keys included).
 * The field's name is written only for the value refused: the check passes over every
 * string of the body, twice a request (a thousand recipients in a suppression check), so
 * it allocates nothing for the values that pass.
 */
function findProblems (value: unknown, root: string): Problem | null {
  const found = problemIn(value, 0)
  if (found === null) return null
  let field = ''
  for (let index = found.path.length - 1; index >= 0; index--) {
    const segment = found.path[index] as string | number
    field = typeof segment === 'number' ? `${field}[${segment}]` : field === '' ? segment : `${field}.${segment}`
  }
  return { field: field === '' ? root : field, reason: found.reason }
}

/** A refused value's reason, and its path from the innermost segment out. */
interface Found { path: Array<string | number>, reason: string }

function problemIn (value: unknown, depth: number): Found | null {
  if (typeof value === 'string') return value.includes('\0') ? { path: [], reason: 'must not contain NUL characters' } : null
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path: [], reason: 'must be a finite number' }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH || Buffer.isBuffer(value)) return null
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = problemIn(value[index], depth + 1)
      if (found !== null) {
        found.path.push(index)
        return found
      }
    }
    return null
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0')) return { path: [], reason: 'must not have a key containing NUL characters' }
    const found = problemIn(item, depth + 1)
    if (found !== null) {
      found.path.push(key)
      return found
    }
  }
  return null
}

function findNonFinite (request: FastifyRequest): Problem | null {
  for (const [root, value] of [['path', request.params], ['query', request.query], ['body', request.body]] as const) {
    const problem = findProblems(value, root)
    if (problem !== null) return problem
  }
  return null
}
