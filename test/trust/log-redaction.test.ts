import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { redactUrl } from '../../src/http/logging.js'
import { migratedDataFolder, startServer } from './server-process.js'

const BOOTSTRAP_KEY = 'am_live_LogRedactionTestBootstrapKey00001'.slice(0, 40)

describe('logs (a real server at info)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ombuds-logs-'))
  after(() => { rmSync(folder, { recursive: true, force: true }) })
  test('redactUrl keeps route words, ids and domains, and masks addresses, numbers and every query value', () => {
    assert.equal(redactUrl('/v3/mg.example.com/complaints/alice%40example.com'), '/v3/mg.example.com/complaints/[redacted]')
    assert.equal(redactUrl('/v3/mg.example.com/complaints/alice@example.com?limit=5&address=b%40x.io'), '/v3/mg.example.com/complaints/[redacted]?limit=[redacted]&address=[redacted]')
    assert.equal(redactUrl('/v1/complaints/0190a1b2-3c4d-7e5f-8a9b-012345678901/events'), '/v1/complaints/0190a1b2-3c4d-7e5f-8a9b-012345678901/events')
    assert.equal(redactUrl('/v1/x/+14155550123'), '/v1/x/[redacted]')
    assert.equal(redactUrl('/v1/x/14155550123'), '/v1/x/[redacted]')
  })

  test('after a run of every route, the log holds none of the addresses, numbers, texts or keys used', async () => {
    const server = await startServer(['--data', await migratedDataFolder(join(folder, 'data')), '--no-demo'], { LOG_LEVEL: 'info', OMBUDS_BOOTSTRAP_PLATFORM_KEY: BOOTSTRAP_KEY })
    const secrets: string[] = [BOOTSTRAP_KEY]
    try {
      await server.ready()
      const call = async (key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await fetch(`${server.base}${path}`, {
          method,
          headers: {
            ...(key === null ? {} : { authorization: key.startsWith('Basic ') ? key : `Bearer ${key}` }),
            ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
            ...headers
          },
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {})
        })
        return { status: response.status, body: await response.text() }
      }
      const json = async (key: string | null, method: string, path: string, body?: unknown) => {
        const response = await call(key, method, path, body)
        assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.body}`)
        return JSON.parse(response.body) as { data: Record<string, unknown> }
      }

      const org = (await json(BOOTSTRAP_KEY, 'POST', '/v1/admin/orgs', { name: 'Log test' })).data as { id: string }
      const ownerKey = ((await json(BOOTSTRAP_KEY, 'POST', `/v1/admin/orgs/${org.id}/api-keys`, { role: 'owner', label: 'o' })).data as { plaintext: string }).plaintext
      secrets.push(ownerKey)
      const number = '+14155550177'
      const reporter = '+14155550188'
      const email = 'carol.private@example.org'
      const contactEmail = 'dave.private@example.org'
      const text = 'Zqxj private message text'
      secrets.push(number, reporter.slice(1), '4155550188', email, encodeURIComponent(email), contactEmail, text)
      const phone = (await json(BOOTSTRAP_KEY, 'POST', `/v1/admin/orgs/${org.id}/phone-numbers`, { number })).data as { id: string }
      const domain = (await json(BOOTSTRAP_KEY, 'POST', `/v1/admin/orgs/${org.id}/domains`, { name: 'mail.logtest.example' })).data as { id: string, name: string }

      await json(BOOTSTRAP_KEY, 'POST', '/v1/intake/inbound-messages', { id: randomUUID(), from: reporter, to: number, body: `STOP ${text}` })
      await json(BOOTSTRAP_KEY, 'POST', '/v1/intake/carrier-reports', {
        report_id: 'r-1', carrier: 'T-Mobile', reported_at: new Date().toISOString(), sender_number: number, reporter_number: reporter, excerpt: text
      })
      const complaint = (await json(BOOTSTRAP_KEY, 'POST', '/v1/complaints', { org_id: org.id, category: 'unsolicited_marketing', channel: 'email', reporter_email: email, domain_id: domain.id, excerpt: text })).data as { id: string }
      await json(ownerKey, 'PATCH', `/v1/complaints/${complaint.id}`, { status: 'resolved', resolution_note: text })
      await json(ownerKey, 'POST', '/v1/suppressions', { suppressions: [{ channel: 'email', address: email }, { channel: 'sms', address: reporter, phone_number_id: phone.id }] })
      await json(ownerKey, 'POST', '/v1/suppressions/check', { channel: 'email', from: domain.name, recipients: [email] })
      await json(ownerKey, 'GET', `/v1/suppressions?address=${encodeURIComponent(email)}`)
      await json(ownerKey, 'GET', `/v1/suppressions?address=${encodeURIComponent(reporter)}`)
      const list = (await json(ownerKey, 'POST', '/v1/lists', { name: 'L' })).data as { id: string }
      await json(ownerKey, 'POST', `/v1/lists/${list.id}/contacts`, { contacts: [{ email: contactEmail, first_name: text }] })
      const basic = `Basic ${Buffer.from(`api:${ownerKey}`).toString('base64')}`
      await call(basic, 'POST', `/v3/${domain.name}/complaints`, [{ address: email }])
      await call(basic, 'GET', `/v3/${domain.name}/complaints/${email}`)
      await call(basic, 'GET', `/v3/${domain.name}/complaints?address=${encodeURIComponent(email)}&term=carol`)
      await call(basic, 'DELETE', `/v3/${domain.name}/complaints/${encodeURIComponent(email)}`)
      const form = new FormData()
      form.append('file', new Blob([`address,created_at\n${contactEmail},\n`]), 'c.csv')
      const imported = await fetch(`${server.base}/v3/${domain.name}/complaints/import`, { method: 'POST', headers: { authorization: basic }, body: form })
      assert.equal(imported.status, 202)
      await call(`Basic ${Buffer.from(`realm:${ownerKey}`).toString('base64')}`, 'GET', `/rest/lists/${list.id}/complaints`)

      // Every documented route, with addresses in its path and query and a text in its body.
      const document = JSON.parse((await call(null, 'GET', '/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> }
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const method of Object.keys(operations)) {
          const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(email)) + `?address=${encodeURIComponent(reporter)}&q=${encodeURIComponent(text)}`
          const key = path.startsWith('/v3/') || path.startsWith('/rest/') ? basic : ownerKey
          await call(key, method.toUpperCase(), url, ['get', 'head', 'delete'].includes(method) ? undefined : { note: text, email })
        }
      }
      // A refused key is logged as little as a good one.
      const refusedKey = 'am_live_RefusedKeyThatMustNotBeLogged0001'.slice(0, 40)
      secrets.push(refusedKey)
      await call(refusedKey, 'GET', '/v1/complaints')
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
    const log = server.output.stdout + server.output.stderr
    assert.ok(log.split('\n').filter((line) => line.includes('"request_id"')).length > 50, 'requests were logged at info')
    assert.match(log, /\[redacted\]/)
    for (const secret of secrets) assert.ok(!log.includes(secret), `the log contains ${secret}`)
  })
})
