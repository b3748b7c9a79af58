import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { type Config, testConfig, testDatabaseUrl, testTemplatePath } from '../src/config.js'
import { createStore, type Store, type StoreKind } from '../src/db/store.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { App } from '../src/http/types.js'
import { issueApiKey } from '../src/modules/api-keys/api-keys.service.js'
import type { Role } from '../src/modules/api-keys/scopes.js'
import { ensurePgliteTemplate } from './template.js'

/** The databases every storage and API suite runs on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function testDatabases (): StoreKind[] {
  return testDatabaseUrl() === null ? ['pglite'] : ['pglite', 'postgres']
}

export interface TestOrg {
  id: string
  name: string
  realmId: number
  ownerKey: string
  adminKey: string
  memberKey: string
}

export interface TestContext {
  app: App
  store: Store
  kind: StoreKind
  platformKey: string
  /** A fresh organization with one key per role (each test makes its own). */
  createOrg (name?: string): Promise<TestOrg>
  /** A request as `key` (a Bearer key), JSON body when `payload` is an object. */
  request (key: string | null, options: InjectOptions): Promise<LightMyRequestResponse>
  close (): Promise<void>
}

/**
 * Builds the real app over a real database of the given kind: a copy of the migrated
 * PGlite template, or a scratch PostgreSQL database dropped at the end.
 */
export async function startTestApp (kind: StoreKind, overrides: Partial<Config> = {}): Promise<TestContext> {
  const { store, dispose } = kind === 'pglite' ? await pgliteStore() : await postgresStore()
  const app = await buildApp(testConfig({ rateLimitPerMinute: 0, authFailuresPerMinute: 0, ...overrides }), { store })
  await app.ready()
  const platformKey = (await issueApiKey(store.db, null, { role: null, label: 'test platform' })).plaintext

  const request = async (key: string | null, options: InjectOptions): Promise<LightMyRequestResponse> => {
    return await app.inject({
      ...options,
      headers: { ...(key !== null ? { authorization: `Bearer ${key}` } : {}), ...options.headers }
    })
  }

  return {
    app,
    store,
    kind,
    platformKey,
    request,
    async createOrg (name = `Org ${randomBytes(3).toString('hex')}`) {
      const created = await request(platformKey, { method: 'POST', url: '/v1/admin/orgs', payload: { name } })
      if (created.statusCode !== 201) throw new Error(`could not create org: ${created.body}`)
      const org = created.json().data as { id: string, name: string, realm_id: number }
      const key = async (role: Role): Promise<string> => {
        const response = await request(platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role, label: `${role} key` } })
        if (response.statusCode !== 201) throw new Error(`could not create key: ${response.body}`)
        return (response.json().data as { plaintext: string }).plaintext
      }
      return { id: org.id, name: org.name, realmId: org.realm_id, ownerKey: await key('owner'), adminKey: await key('admin'), memberKey: await key('member') }
    },
    async close () {
      await app.close()
      await store.close()
      await dispose()
    }
  }
}

async function pgliteStore (): Promise<{ store: Store, dispose: () => Promise<void> }> {
  const path = testTemplatePath() ?? await ensurePgliteTemplate()
  const store = await createStore({ databaseUrl: null, dataDir: 'memory://', loadDataDir: new Blob([readFileSync(path)]) })
  return { store, dispose: async () => {} }
}

async function postgresStore (): Promise<{ store: Store, dispose: () => Promise<void> }> {
  const baseUrl = testDatabaseUrl()
  if (baseUrl === null) throw new Error('DATABASE_URL is not set')
  const name = `ombuds_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const store = await createStore({ databaseUrl: url.toString(), dataDir: 'memory://', databasePoolMax: 5 })
  await migrateToLatest(store.db)
  return {
    store,
    dispose: async () => {
      const client = new pg.Client({ connectionString: baseUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    }
  }
}

/** A well-formed key that no store knows. */
export const unknownKey = (): string => `am_live_${randomBytes(24).toString('base64').replace(/[^0-9A-Za-z]/g, '').padEnd(32, 'x').slice(0, 32)}`
