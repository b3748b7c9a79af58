/**
 * What the OpenAPI document adds to what @fastify/swagger derives from the route schemas,
 * so that code generators get named types and honest optionality:
 *
 * - A schema with a `title` is a named component: its first occurrence moves to
 *   `components.schemas[title]` and every occurrence becomes a `$ref` to it. Give a
 *   resource schema a title (`Type.Object({...}, { title: 'Webhook' })`) and nothing else.
 *   A use may differ in `description` only; two different shapes with one title stay
 *   inline (the document test names them).
 * - A query or header parameter with a `default` is optional (Ajv fills the default in).
 */

import type { FastifyInstance } from 'fastify'

type Json = Record<string, unknown>
/** Keywords whose value is data, not a schema (an example may well have a `title` field). */
const VALUES = new Set(['example', 'examples', 'default', 'enum', 'const'])
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

export const OPENAPI_SERVERS = [
  { url: 'http://127.0.0.1:8080', description: '`npm start` with the default HOST and PORT' }
]

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The native API (`/v1/...`): `Authorization: Bearer am_live_` + 32 base62 characters. ' +
      'A customer key carries its role\'s scopes within one organization; a platform key carries the platform scopes.'
  },
  basicAuth: {
    type: 'http',
    scheme: 'basic',
    description: 'The Mailgun (`/v3/...`, user `api`) and WhatCounts (`/rest/...`, any user) dialects: the password is a customer key.'
  }
} as const

export function refineOpenapiDocument (document: Json): Json {
  const components = (document.components ??= {}) as Json
  const named = (components.schemas ??= {}) as Record<string, Json>
  /** The shape (all but `description`) of each named schema, to tell a use from a clash. */
  const refs = new Map<string, string>()

  const nameSchemas = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(nameSchemas)
    if (schema === null || typeof schema !== 'object') return schema
    const refined: Json = {}
    for (const [key, value] of Object.entries(schema)) refined[key] = VALUES.has(key) ? value : nameSchemas(value)
    const title = refined.title
    if (typeof title !== 'string') return refined
    const { description, ...shape } = refined
    const text = JSON.stringify(shape)
    const known = refs.get(title)
    if (known === undefined) {
      refs.set(title, text)
      named[title] = refined
    } else if (known !== text) {
      return refined
    }
    // A use may describe itself differently (3.1 allows a description beside a $ref).
    const ref = `#/components/schemas/${title}`
    return description === undefined || description === named[title]?.description ? { $ref: ref } : { $ref: ref, description }
  }

  for (const pathItem of Object.values((document.paths ?? {}) as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(pathItem) as Array<[string, Json]>) {
      if (!HTTP_METHODS.has(method)) continue
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        if (parameter.in !== 'path' && (parameter.schema as Json | undefined)?.default !== undefined) parameter.required = false
      }
      const requestBody = operation.requestBody as Json | undefined
      if (requestBody !== undefined) requestBody.content = nameSchemas(requestBody.content)
      operation.responses = nameSchemas(operation.responses)
    }
  }
  components.schemas = Object.fromEntries(Object.entries(named).sort(([a], [b]) => a.localeCompare(b)))
  return document
}

/** The document as `npm run openapi` commits it (`openapi.json` at the repository root). */
export function renderOpenapiDocument (app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`
}
