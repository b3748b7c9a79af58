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

/** The first NUL-bearing string or non-finite number in a parsed value (keys included). */
function findProblems (value: unknown, root: string): Problem | null {
  const stack: Array<{ value: unknown, field: string, depth: number }> = [{ value, field: '', depth: 0 }]
  while (stack.length > 0) {
    const { value: current, field, depth } = stack.pop() as { value: unknown, field: string, depth: number }
    const name = field === '' ? root : field
    if (typeof current === 'string') {
      if (current.includes('\0')) return { field: name, reason: 'must not contain NUL characters' }
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { field: name, reason: 'must be a finite number' }
    } else if (current !== null && typeof current === 'object' && depth < MAX_DEPTH && !Buffer.isBuffer(current)) {
      if (Array.isArray(current)) {
        current.forEach((item, index) => { stack.push({ value: item, field: `${field}[${index}]`, depth: depth + 1 }) })
      } else {
        for (const [key, item] of Object.entries(current)) {
          if (key.includes('\0')) return { field: name, reason: 'must not have a key containing NUL characters' }
          stack.push({ value: item, field: field === '' ? key : `${field}.${key}`, depth: depth + 1 })
        }
      }
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
