import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { ERROR_CODES, ERRORS, type ErrorCode } from '../../src/errors.js'
import { renderOpenapiDocument } from '../../src/http/openapi.js'
import { startTestApp, type TestContext } from '../helper.js'

const COMMITTED = join(import.meta.dirname, '..', '..', 'openapi.json')

interface Operation {
  operationId?: string
  tags?: string[]
  summary?: string
  security?: unknown[]
  parameters?: Array<{ in: string, name: string, required?: boolean, schema?: { default?: unknown } }>
  responses?: Record<string, { description?: string }>
}

/** The error responses of an operation in the native error envelope: status → the code its description names. */
function documentedCodes (operation: Operation): Map<number, string> {
  const codes = new Map<number, string>()
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (Number(status) >= 400 && JSON.stringify(response).includes('#/components/schemas/Error')) {
      codes.set(Number(status), response.description?.split(':')[0] ?? '')
    }
  }
  return codes
}

// The document depends on the route schemas only, not on the store: one store is enough.
describe('the OpenAPI document', () => {
  let ctx: TestContext
  let rendered: string
  let document: {
    paths: Record<string, Record<string, Operation>>
    components: { schemas: Record<string, unknown>, securitySchemes: Record<string, { description?: string }> }
    servers?: Array<{ url: string }>
  }
  before(async () => {
    ctx = await startTestApp('pglite')
    rendered = renderOpenapiDocument(ctx.app)
    document = JSON.parse(rendered)
  })
  after(async () => { await ctx.close() })

  const operations = (): Array<[string, string, Operation]> =>
    Object.entries(document.paths)
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]): [string, string, Operation] => [method, path, operation]))

  test('openapi.json at the repository root is up to date (run `npm run openapi` after changing a route)', () => {
    assert.equal(readFileSync(COMMITTED, 'utf8'), rendered, 'openapi.json is stale: run `npm run openapi` and commit it')
  })

  test('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(document)
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000))
  })

  test("has no error under Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] })
    const problems = await lintFromString({ source: rendered, absoluteRef: COMMITTED, config })
    const errors = problems.filter((problem) => problem.severity === 'error')
    assert.deepEqual(errors.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? '?'}`), [])
  })

  test('every operation has a unique camelCase operationId, a tag and a summary', () => {
    const seen = new Set<string>()
    for (const [method, path, operation] of operations()) {
      const id = operation.operationId
      assert.match(id ?? '', /^[a-z]+[A-Z][A-Za-z]*$/, `${method} ${path} has a verbNoun operationId`)
      assert.ok(!seen.has(id as string), `${id} is used once`)
      seen.add(id as string)
      assert.ok((operation.tags?.length ?? 0) > 0 && operation.summary, `${method} ${path} has a tag and a summary`)
    }
    assert.equal(document.paths['/v1/complaints']?.get?.operationId, 'listComplaints')
    assert.equal(document.paths['/v1/complaints/{id}']?.patch?.operationId, 'updateComplaint')
  })

  test('resources are named component schemas referenced by $ref, never repeated inline', () => {
    for (const name of ['Complaint', 'ComplaintEvent', 'Suppression', 'Organization', 'ApiKey', 'ListMeta', 'Error']) {
      assert.ok(document.components.schemas[name], `components.schemas.${name}`)
    }
    const paths = JSON.stringify(document.paths)
    assert.ok(paths.includes('"$ref":"#/components/schemas/Complaint"'))
    // A title left in a path is a named schema whose uses differ in shape (see src/http/openapi.ts).
    assert.doesNotMatch(paths, /"title":/)
  })

  test('query parameters with a default are optional; servers and both security schemes are described', () => {
    for (const [method, path, operation] of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) assert.equal(parameter.required, false, `${method} ${path} ${parameter.name}`)
      }
    }
    const limit = document.paths['/v1/complaints']?.get?.parameters?.find((parameter) => parameter.name === 'limit')
    assert.equal(limit?.required, false)
    assert.ok((document.servers?.length ?? 0) > 0)
    for (const scheme of ['bearerAuth', 'basicAuth']) assert.ok(document.components.securitySchemes[scheme]?.description, scheme)
    assert.deepEqual(document.paths['/healthz']?.get?.security, [], 'health checks need no key')
  })

  test('every error code a route documents stands at its status, and every code is documented', () => {
    const seen = new Set<string>()
    for (const [method, path, operation] of operations()) {
      for (const [status, code] of documentedCodes(operation)) {
        assert.ok((ERROR_CODES as readonly string[]).includes(code), `${method} ${path} ${status} names an error code (${code})`)
        assert.equal(ERRORS[code as ErrorCode].status, status, `${method} ${path}: ${code} is answered with ${ERRORS[code as ErrorCode].status}`)
        seen.add(code)
      }
    }
    // A method a path does not have is answered before any route is chosen: no route documents it.
    const answeredByNoRoute = ['METHOD_NOT_ALLOWED']
    assert.deepEqual([...seen].sort(), ERROR_CODES.filter((code) => !answeredByNoRoute.includes(code)).sort(), 'every error code is documented on some route')
    const error = document.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }
    assert.deepEqual(error.properties.error.properties.code.enum, [...ERROR_CODES])
  })

  test('what a route answers is documented: every route behind a key answers an anonymous caller UNAUTHORIZED, at 401', async () => {
    let walked = 0
    for (const [method, path, operation] of operations()) {
      if (operation.security !== undefined) continue // the document's default: a bearer key
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000')
      const response = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url })
      const code = (response.json() as { error?: { code?: string } }).error?.code
      assert.equal(code, 'UNAUTHORIZED', `${method} ${path}`)
      assert.equal(documentedCodes(operation).get(response.statusCode), code, `${method} ${path} documents UNAUTHORIZED at ${response.statusCode}`)
      walked++
    }
    assert.ok(walked > 40, `walked ${walked} routes`)
  })
})
