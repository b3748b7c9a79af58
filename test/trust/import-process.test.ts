import assert from 'node:assert/strict'
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { testDatabaseUrl } from '../../src/config.js'
import { migratedDataFolder, type ServerProcess, startServer } from './server-process.js'

const BOOTSTRAP_KEY = 'am_live_ImportProcessTestBootstrapKey0001'.slice(0, 40)
const FILE_BYTES = 25 * 1000 * 1000 - 64 * 1024

/** A CSV just under Mailgun's 25 MB limit (about 480,000 rows). */
function writeCsv (path: string): number {
  const lines = ['address,created_at']
  let bytes = lines[0]!.length + 1
  for (let i = 0; bytes < FILE_BYTES; i++) {
    const line = `recipient.${i}.${(i * 7919) % 100_000}@memory-test.example.com,2025-01-26T07:29:06Z`
    lines.push(line)
    bytes += line.length + 1
  }
  writeFileSync(path, lines.join('\n') + '\n')
  return lines.length - 1
}

function rssBytes (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
}

interface Setup { server: ServerProcess, domain: string, ownerKey: string }

async function setUp (server: ServerProcess, domainName: string): Promise<Setup> {
  await server.ready()
  const post = async (key: string, path: string, body: object) => {
    const response = await fetch(`${server.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    assert.ok(response.status < 300, await response.clone().text())
    return (await response.json() as { data: Record<string, unknown> }).data
  }
  const org = await post(BOOTSTRAP_KEY, '/v1/admin/orgs', { name: 'Import process' }) as { id: string }
  const ownerKey = (await post(BOOTSTRAP_KEY, `/v1/admin/orgs/${org.id}/api-keys`, { role: 'owner', label: 'o' }) as { plaintext: string }).plaintext
  const domain = (await post(BOOTSTRAP_KEY, `/v1/admin/orgs/${org.id}/domains`, { name: domainName }) as { name: string }).name
  return { server, domain, ownerKey }
}

const basic = (key: string) => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`

async function upload (setup: Setup, csv: Buffer): Promise<Response> {
  const form = new FormData()
  form.append('file', new Blob([csv]), 'complaints.csv')
  return await fetch(`${setup.server.base}/v3/${setup.domain}/complaints/import`, { method: 'POST', headers: { authorization: basic(setup.ownerKey) }, body: form })
}

async function complaintCount (setup: Setup): Promise<number> {
  const response = await fetch(`${setup.server.base}/v1/suppressions?limit=1`, { headers: { authorization: `Bearer ${setup.ownerKey}` } })
  return (await response.json() as { meta: { total: number } }).meta.total
}

const stores = [{ name: 'pglite', skip: false as string | false }, { name: 'postgres', skip: testDatabaseUrl() === null ? 'DATABASE_URL is not set' : false as string | false }]

for (const store of stores) {
  describe(`a 25 MB Mailgun import in a real server process (${store.name})`, { skip: store.skip }, () => {
    const folder = mkdtempSync(join(tmpdir(), 'ombuds-import-'))
    const csvPath = join(folder, 'complaints.csv')
    let rows = 0
    let databaseUrl: string | null = null
    before(async () => {
      rows = writeCsv(csvPath)
      if (store.name === 'pglite') await migratedDataFolder(join(folder, 'data'))
      if (store.name === 'postgres') {
        const admin = new pg.Client({ connectionString: testDatabaseUrl() as string })
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS ombuds_import_${process.pid} WITH (FORCE)`)
        await admin.query(`CREATE DATABASE ombuds_import_${process.pid}`)
        await admin.end()
        const url = new URL(testDatabaseUrl() as string)
        url.pathname = `/ombuds_import_${process.pid}`
        databaseUrl = url.toString()
      }
    })
    after(async () => {
      rmSync(folder, { recursive: true, force: true })
      if (databaseUrl !== null) {
        const admin = new pg.Client({ connectionString: testDatabaseUrl() as string })
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS ombuds_import_${process.pid} WITH (FORCE)`)
        await admin.end()
      }
    })
    const storeArgs = () => databaseUrl !== null ? ['--database-url', databaseUrl] : ['--data', join(folder, 'data')]

    test('killed with SIGKILL in the middle of the import: nothing of it is visible after a restart', async () => {
      const server = await startServer([...storeArgs(), '--no-demo'], { OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
      let setup: Setup
      try {
        setup = await setUp(server, 'killed.example.com')
        const answer = upload(setup, readFileSync(csvPath)).catch(() => null)
        if (databaseUrl !== null) {
          // Kill once the import's transaction is writing.
          const watcher = new pg.Client({ connectionString: databaseUrl })
          await watcher.connect()
          try {
            for (let i = 0; i < 600; i++) {
              const active = await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE '%INSERT INTO suppressions%' AND pid <> pg_backend_pid()")
              if (active.rows[0].n > 0) break
              await new Promise((resolve) => setTimeout(resolve, 50))
            }
          } finally {
            await watcher.end()
          }
        } else {
          // PGlite: the upload is spooled first, then written for several seconds.
          await new Promise((resolve) => setTimeout(resolve, 4000))
        }
        server.child.kill('SIGKILL')
        assert.equal(await answer, null, 'the client never got an answer')
      } finally {
        server.child.kill('SIGKILL')
        await server.exited
      }
      const restarted = await startServer([...storeArgs(), '--no-demo'], { OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
      try {
        await restarted.ready()
        assert.equal(await complaintCount({ ...setup, server: restarted }), 0)
      } finally {
        restarted.child.kill('SIGTERM')
        await restarted.exited
      }
    })

    // PostgreSQL: the process's own growth, target 100 MB. PGlite runs the database inside the process: its
    // 128 MB buffer cache (shared_buffers) fills with the new table and index pages and is counted too.
    const limitMb = store.name === 'postgres' ? 100 : 100 + 128
    test(`RSS growth of the server during the import is measured and stays under ${limitMb} MB`, async (t) => {
      const server = await startServer([...storeArgs(), '--no-demo'], { OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
      try {
        const setup = await setUp(server, 'measured.example.com')
        const pid = server.child.pid as number
        await upload(setup, Buffer.from('address,created_at\nwarm-up@memory-test.example.com,\n'))
        const baseline = rssBytes(pid)
        let peak = baseline
        const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(pid)) }, 25)
        const started = Date.now()
        // Stopped however the upload ends: a sampler left running after the server is gone throws every 25 ms.
        const response = await upload(setup, readFileSync(csvPath)).finally(() => { clearInterval(sampler) })
        assert.equal(response.status, 202, await response.text())
        const growth = (peak - baseline) / 1e6
        t.diagnostic(`${store.name}: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s; RSS ${(baseline / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB: +${growth.toFixed(1)} MB`)
        assert.ok(await complaintCount(setup) >= rows)
        assert.ok(growth <= limitMb, `RSS grew by ${growth.toFixed(1)} MB`)
      } finally {
        server.child.kill('SIGTERM')
        await server.exited
      }
    })
  })
}
