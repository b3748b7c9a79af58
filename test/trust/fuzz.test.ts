import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { fuzzRuns } from '../../src/config.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases, unknownKey } from '../helper.js'
import { basic } from '../mailgun/fixtures.js'
import { addDomain, addNumber } from '../suppressions/fixtures.js'

/**
 * Property: whatever request is built from the OpenAPI document — valid, or mutated in
 * its path, query, body or headers — the service answers below 500, in the documented
 * shape of the route's API with a request id, within 5 s, and stays up. Fixed seed;
 * OMBUDS_FUZZ_RUNS raises the count (default 10,000 per store).
 */

type Schema = Record<string, unknown>
interface Operation {
  method: string
  path: string
  parameters: Array<{ name: string, in: string, schema?: Schema }>
  body: Schema | null
  bodyType: string | null
  responses: string[]
}

const SEED = 20261201
const NASTY_STRINGS = ['', ' ', '\u0000', 'a\u0000b', 'x'.repeat(10_000), '😀𝒜\u202e', '%', '%zz', '../../etc/passwd', '<script>', "' OR 1=1 --", 'null', 'NaN', 'Infinity',
  '-1', '1e400', '9'.repeat(40), 'eyJjcmVhdGVkX2F0IjoieCIsImlkIjoieSJ9', '2026-13-45T99:99:99Z', '0000-00-00', '__proto__', 'constructor']
const NASTY_VALUES: unknown[] = [null, true, -1, 0, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { a: { b: { c: [] } } }, ...NASTY_STRINGS]

function resolve (document: { components?: { schemas?: Record<string, Schema> } }, schema: Schema | undefined): Schema {
  let current = schema ?? {}
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
    current = document.components?.schemas?.[(current.$ref).split('/').pop() as string] ?? {}
  }
  return current
}

/** Values that satisfy a JSON schema (roughly: enough to get past validation often). */
function valid (document: Parameters<typeof resolve>[0], input: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, input)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  if ('const' in schema) return fc.constant(schema.const)
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (variants !== undefined) return fc.oneof(...variants.map((variant) => valid(document, variant, depth + 1)))
  const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string | undefined]
  const type = types.find((t) => t !== 'null') ?? types[0]
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid({ version: 7 })
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
      if (schema.format === 'email') return fc.emailAddress()
      const max = Math.min(Number(schema.maxLength ?? 40), 60)
      return fc.oneof(fc.string({ minLength: Number(schema.minLength ?? 0), maxLength: Math.max(max, Number(schema.minLength ?? 0)) }),
        fc.constantFrom('+14155550123', 'alice@example.com', 'STOP', 'mg.example.com', '2026-01-01'))
    }
    case 'integer': return fc.integer({ min: Number(schema.minimum ?? -10), max: Number(schema.maximum ?? 10_000) })
    case 'number': return fc.double({ min: Number(schema.minimum ?? -10), max: Number(schema.maximum ?? 10_000), noNaN: true })
    case 'boolean': return fc.boolean()
    case 'array': return depth > 4 ? fc.constant([]) : fc.array(valid(document, schema.items as Schema, depth + 1), { minLength: Number(schema.minItems ?? 0), maxLength: Math.min(Number(schema.maxItems ?? 3), 3) })
    case 'object': {
      if (depth > 4) return fc.constant({})
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const required = new Set((schema.required ?? []) as string[])
      const record: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [name, property] of Object.entries(properties)) record[name] = valid(document, property, depth + 1)
      return fc.record(record, { requiredKeys: [...required].filter((name) => name in properties) })
    }
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

/** A valid value with one part swapped for something hostile. */
function mutated (base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const nasty = fc.oneof(fc.constantFrom(...NASTY_VALUES), fc.string({ unit: 'binary', maxLength: 50 }), fc.jsonValue({ maxDepth: 3 }))
  return fc.tuple(base, nasty, fc.nat()).map(([value, replacement, pick]) => {
    if (value === null || typeof value !== 'object') return replacement
    const copy = structuredClone(value) as Record<string, unknown>
    const keys = Object.keys(copy)
    if (keys.length === 0) return replacement
    copy[keys[pick % keys.length] as string] = replacement
    return copy
  })
}

/** Raw bodies no object can express: deep nesting, prototype keys, bad JSON. */
const RAW_BODIES = fc.constantFrom(
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
  '{"__proto__":{"admin":true},"name":"x"}',
  '{"constructor":{"prototype":{"admin":true}},"name":"x"}',
  '{"name":"x","name":"y"}',
  '{"limit":1e400}',
  '{"name":"\\u0000"}',
  '{bad json',
  '',
  'null'
)

for (const database of testDatabases()) {
  describe(`fuzzing every route from the OpenAPI document (${database})`, () => {
    let ctx: TestContext
    let org: TestOrg
    let domain: string
    let operations: Operation[]
    let document: Parameters<typeof resolve>[0] & { paths: Record<string, Record<string, Record<string, unknown>>> }
    const ids: string[] = []

    before(async () => {
      ctx = await startTestApp(database)
      org = await ctx.createOrg()
      domain = (await addDomain(ctx, org)).name
      const number = await addNumber(ctx, org)
      ids.push(org.id, number.id)
      const list = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/lists', payload: { name: 'Fuzz' } })
      ids.push((list.json().data as { id: string }).id)
      document = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json()
      operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => {
        const content = ((operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content) ?? {}
        const bodyType = Object.keys(content)[0] ?? null
        return {
          method: method.toUpperCase(),
          path,
          parameters: (operation.parameters ?? []) as Operation['parameters'],
          body: bodyType === null ? null : content[bodyType]?.schema ?? {},
          bodyType,
          responses: Object.keys(operation.responses as object)
        }
      }))
    })
    after(async () => { await ctx.close() })

    test(`${fuzzRuns()} generated requests: no 5xx, the route's envelope with a request id, no answer slower than 5 s`, async () => {
      const request = fc.constantFrom(...operations).chain((operation) => {
        const pathValues: Record<string, fc.Arbitrary<string>> = {}
        for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
          pathValues[parameter.name] = fc.oneof(
            parameter.name === 'domain' ? fc.constant(domain) : fc.constantFrom(...ids),
            fc.uuid({ version: 7 }),
            fc.constantFrom('alice%40example.com', '%00', 'a'.repeat(300), '%F0%9F%98%80', 'x@y.z', '%25', '%zz'),
            // Dot segments are left out: clients normalize them away, so the request reaches another path.
            fc.string({ maxLength: 20 }).map(encodeURIComponent).filter((value) => value !== '.' && value !== '..'))
        }
        const queryParameters = operation.parameters.filter((p) => p.in === 'query')
        const query = fc.array(fc.tuple(fc.constantFrom(...(queryParameters.length > 0 ? queryParameters : [{ name: 'x', in: 'query' }])), fc.nat()), { maxLength: 4 })
          .chain((chosen) => fc.tuple(...chosen.map(([parameter]) => fc.oneof(valid(document, parameter.schema).map((value) => typeof value === 'string' ? value : JSON.stringify(value) ?? ''), fc.constantFrom(...NASTY_STRINGS))
            .map((value) => [parameter.name, value] as const))))
        const body = operation.body === null
          ? fc.constant(undefined)
          : operation.bodyType === 'application/json'
            ? fc.oneof(
              { weight: 3, arbitrary: valid(document, operation.body) },
              { weight: 3, arbitrary: mutated(valid(document, operation.body)) },
              { weight: 1, arbitrary: RAW_BODIES }
            )
            : fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('From: a@b.c\r\nTo: d@e.f\r\n\r\nbody', '\u0000\u0001'))
        const dialect = operation.path.startsWith('/v3/') || operation.path.startsWith('/rest/')
        const auth = fc.constantFrom(
          ...(dialect ? [basic(org.ownerKey), basic(org.ownerKey), basic(org.ownerKey, 'realm')] : [`Bearer ${org.ownerKey}`, `Bearer ${ctx.platformKey}`, `Bearer ${org.ownerKey}`]),
          `Bearer ${unknownKey()}`, 'Bearer', `Basic ${'%%%'}`, '', `Bearer ${org.memberKey}\u00ff`
        )
        const contentType = fc.constantFrom(operation.bodyType ?? 'application/json', operation.bodyType ?? 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=latin1')
        return fc.record({
          operation: fc.constant(operation),
          path: fc.record(pathValues),
          query,
          body,
          auth,
          contentType,
          idempotencyKey: fc.option(fc.string({ maxLength: 300 }))
        })
      })

      let sent = 0
      await fc.assert(fc.asyncProperty(request, async (input) => {
        const url = input.operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => input.path[name] ?? 'x') +
          (input.query.length > 0 ? `?${input.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}` : '')
        const headers: Record<string, string> = {}
        if (input.auth !== '') headers.authorization = input.auth
        if (input.idempotencyKey !== null && /^[\x20-\x7e]*$/.test(input.idempotencyKey)) headers['idempotency-key'] = input.idempotencyKey
        const options: InjectOptions = { method: input.operation.method as InjectOptions['method'], url, headers }
        if (input.body !== undefined) {
          headers['content-type'] = input.contentType
          options.payload = typeof input.body === 'string' ? input.body : JSON.stringify(input.body)
        }
        const started = Date.now()
        const response = await ctx.app.inject(options)
        sent++
        const took = Date.now() - started
        const where = `${input.operation.method} ${url.slice(0, 200)} -> ${response.statusCode} ${response.body.slice(0, 300)}`
        assert.ok(response.statusCode < 500, where)
        assert.ok(took < 5000, `${where} took ${took} ms`)
        assert.match(String(response.headers['x-request-id']), /^[0-9A-HJKMNP-TV-Z]{26}$/, where)
        if (response.statusCode < 300) {
          assert.ok(input.operation.responses.includes(String(response.statusCode)), `undocumented success: ${where}`)
          return
        }
        if (input.operation.path.startsWith('/v3/')) {
          if (response.statusCode === 401) assert.equal(response.body, 'Forbidden', where)
          else assert.equal(typeof response.json().message, 'string', where)
        } else if (input.operation.path.startsWith('/rest/')) {
          if (!/xml/.test(String(response.headers['content-type']))) assert.equal(response.json().statusCode, response.statusCode, where)
        } else if (/text\/html/.test(String(response.headers['content-type']))) {
          // Pages for people (the unsubscribe page) answer errors as HTML pages by design.
          assert.ok(input.operation.responses.includes(String(response.statusCode)) || response.statusCode === 404, where)
        } else if (input.operation.method !== 'HEAD') {
          const error = response.json() as { success: boolean, error: { code: string, request_id: string } }
          assert.equal(error.success, false, where)
          assert.equal(typeof error.error.code, 'string', where)
          assert.equal(error.error.request_id, response.headers['x-request-id'], where)
        }
      }), { numRuns: fuzzRuns(), seed: SEED, endOnFailure: true })
      assert.equal(sent, fuzzRuns())
      const alive = await ctx.app.inject({ method: 'GET', url: '/healthz' })
      assert.equal(alive.statusCode, 200, 'the process is alive')
    })
  })
}
