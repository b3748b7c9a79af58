import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import FormData from 'form-data'
import Mailgun from 'mailgun.js'
import { startTestApp, type TestContext, testDatabases, unknownKey } from '../helper.js'
import { addDomain } from '../suppressions/fixtures.js'
import { alphabetical } from './fixtures.js'

/**
 * The official mailgun.js client, unchanged, pointed at a listening Ombuds with
 * `url: 'http://host:port'`: every complaints operation and every page direction.
 */
for (const database of testDatabases()) {
  describe(`mailgun.js client against Ombuds (${database})`, () => {
    let ctx: TestContext
    let url: string
    before(async () => {
      ctx = await startTestApp(database)
      await ctx.app.listen({ port: 0, host: '127.0.0.1' })
      url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
    })
    after(async () => { await ctx.close() })

    const clientFor = (key: string) => new Mailgun(FormData).client({ username: 'api', key, url })

    test('list (first, next, previous, last), get, create, destroy, destroyAll and upload', async () => {
      const org = await ctx.createOrg()
      const domain = (await addDomain(ctx, org)).name
      const mg = clientFor(org.ownerKey)

      const single = await mg.suppressions.create(domain, 'complaints', { address: 'Single+Tag@Example.com' })
      assert.equal(single.message, '1 complaint addresses have been added to the complaints table')
      assert.equal(single.status, 200)
      const addresses = Array.from({ length: 249 }, (_, i) => `person${String(i).padStart(3, '0')}.${(i * 7919) % 1000}@example.com`)
      const many = await mg.suppressions.create(domain, 'complaints', addresses.map((address, i) => ({ address, created_at: i === 0 ? 'Thu, 13 Oct 2011 18:02:00 GMT' : undefined })) as never)
      assert.equal(many.message, '249 complaint addresses have been added to the complaints table')
      const expected = alphabetical([...addresses, 'single+tag@example.com'])

      // Forward from the first page, following `next` with the client's own page tokens (limit repeated).
      const forward: string[] = []
      let page = await mg.suppressions.list(domain, 'complaints', { limit: 40 })
      assert.equal(page.status, 200)
      const firstItem = page.items[0] as { created_at: Date } | undefined
      assert.ok(firstItem?.created_at instanceof Date && !Number.isNaN(firstItem.created_at.getTime()))
      for (const id of ['first', 'last', 'next', 'previous'] as const) {
        assert.ok(page.pages[id]?.url.startsWith(`${url}/v3/${domain}/complaints?`), id)
      }
      while (page.items.length > 0) {
        forward.push(...page.items.map((item) => (item as { address: string }).address))
        page = await mg.suppressions.list(domain, 'complaints', { page: page.pages.next?.page, limit: 40 })
      }
      assert.deepEqual(forward, expected)

      // Backward from the last page, following `previous`.
      const backward: string[] = []
      page = await mg.suppressions.list(domain, 'complaints', { page: '?page=last&limit=40', limit: 40 } as never)
      const lastPage = page.items.map((item) => (item as { address: string }).address)
      assert.deepEqual(lastPage, expected.slice(-40))
      while (page.items.length > 0) {
        backward.unshift(...page.items.map((item) => (item as { address: string }).address))
        page = await mg.suppressions.list(domain, 'complaints', { page: page.pages.previous?.page, limit: 40 })
      }
      assert.deepEqual(backward, expected)

      // `last` and `first` tokens from a middle page.
      const middle = await mg.suppressions.list(domain, 'complaints', { page: `?page=next&address=${encodeURIComponent(expected[100] as string)}&limit=10&term=` } as never)
      assert.deepEqual(middle.items.map((item) => (item as { address: string }).address), expected.slice(101, 111))
      assert.equal(middle.pages.next?.iteratorPosition, expected[110])
      assert.equal(middle.pages.previous?.iteratorPosition, expected[101])
      const viaLast = await mg.suppressions.list(domain, 'complaints', { page: middle.pages.last?.page })
      assert.deepEqual(viaLast.items.map((item) => (item as { address: string }).address), expected.slice(-10))
      const viaFirst = await mg.suppressions.list(domain, 'complaints', { page: middle.pages.first?.page })
      assert.deepEqual(viaFirst.items.map((item) => (item as { address: string }).address), expected.slice(0, 10))

      const one = await mg.suppressions.get(domain, 'complaints', 'single+tag@example.com') as { address: string, created_at: Date }
      assert.equal(one.address, 'single+tag@example.com')
      const dated = await mg.suppressions.get(domain, 'complaints', addresses[0] as string) as { created_at: Date }
      assert.equal(dated.created_at.toISOString(), '2011-10-13T18:02:00.000Z')

      const destroyed = await mg.suppressions.destroy(domain, 'complaints', 'single+tag@example.com')
      assert.deepEqual(destroyed, { message: 'Complaint addresses for this domain have been removed', value: '', address: 'single+tag@example.com', status: 200 })
      await assert.rejects(mg.suppressions.get(domain, 'complaints', 'single+tag@example.com'), (error: { status: number, details: string }) => {
        assert.equal(error.status, 404)
        assert.equal(error.details, 'No spam complaints found for this address')
        return true
      })

      const uploaded = await mg.suppressions.upload(domain, 'complaints', 'address, created_at\nuploaded@example.com,"Tue, 20 Jan 2026 14:00:00 +0000"\nalso@example.com,\n')
      assert.deepEqual(uploaded, { message: 'file uploaded successfully' })
      const imported = await mg.suppressions.get(domain, 'complaints', 'uploaded@example.com') as { created_at: Date }
      assert.equal(imported.created_at.toISOString(), '2026-01-20T14:00:00.000Z')
      const uploadedFile = await mg.suppressions.upload(domain, 'complaints', { data: Buffer.from('address\nfile@example.com\n'), filename: 'complaints.csv' })
      assert.deepEqual(uploadedFile, { message: 'file uploaded successfully' })

      const cleared = await mg.suppressions.destroyAll(domain, 'complaints')
      assert.deepEqual(cleared, { message: 'Complaint addresses for this domain have been removed', status: 200 })
      const empty = await mg.suppressions.list(domain, 'complaints')
      assert.deepEqual(empty.items, [])

      await assert.rejects(clientFor(unknownKey()).suppressions.list(domain, 'complaints'), (error: { status: number, details: string }) => {
        assert.equal(error.status, 401)
        assert.equal(error.details, 'Forbidden')
        return true
      })
      await assert.rejects(mg.suppressions.list('not-ours.example', 'complaints'), (error: { status: number, details: string }) => {
        assert.equal(error.status, 404)
        assert.equal(error.details, 'Domain not found')
        return true
      })
    })
  })
}
