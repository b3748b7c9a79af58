import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { newMessageId, postInbound, randomNumber, registerNumber } from '../intake/intake-helpers.js'

let counter = 0
const uniqueWord = (): string => `ACME-BYE-${process.pid}-${++counter}`

for (const database of testDatabases()) {
  describe(`organization reply keywords (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const addKeyword = async (org: TestOrg, keyword: string, kind: string, key = org.ownerKey) =>
      await ctx.request(key, { method: 'POST', url: '/v1/org/keywords', payload: { keyword, kind } })

    runAuthMatrix(() => ctx, [
      {
        method: 'POST',
        route: '/v1/org/keywords',
        scope: 'suppressions:write',
        success: 201,
        prepare: async () => ({ url: '/v1/org/keywords', payload: { keyword: uniqueWord(), kind: 'opt_out' } })
      },
      { method: 'GET', route: '/v1/org/keywords', scope: 'org:read', success: 200, prepare: async () => ({ url: '/v1/org/keywords' }) },
      {
        method: 'DELETE',
        route: '/v1/org/keywords/{id}',
        scope: 'suppressions:write',
        success: 200,
        ownsResource: true,
        prepare: async (_c, org) => ({ url: `/v1/org/keywords/${(await addKeyword(org, uniqueWord(), 'help')).json().data.id as string}` })
      }
    ])

    test('an added opt-out word is used at once by intake, with the reason recorded; removed, it stops at once', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      const reply = async (body: string) => {
        const response = await postInbound(ctx, { id: newMessageId(), from: randomNumber(), to: phone.number, body })
        assert.equal(response.statusCode, 200, response.body)
        return response.json().data
      }
      assert.equal((await reply('acme bye please')).classification.kind, 'none', 'not a keyword yet')

      const created = await addKeyword(org, 'ACME-BYE', 'opt_out', org.adminKey)
      assert.equal(created.statusCode, 201, created.body)
      const keyword = created.json().data
      assert.equal(keyword.keyword, 'ACME-BYE')
      assert.equal(keyword.kind, 'opt_out')

      const answer = await reply('acme bye please')
      assert.deepEqual(answer.classification, { kind: 'opt_out', keyword: 'ACME-BYE', category: 'unwanted_contact', reason: 'organization keyword ACME-BYE; category unwanted_contact', language: 'en' })
      assert.ok(answer.suppression_id)

      const other = await ctx.createOrg()
      const otherPhone = await registerNumber(ctx, other)
      const elsewhere = await postInbound(ctx, { id: newMessageId(), from: randomNumber(), to: otherPhone.number, body: 'ACME-BYE' })
      assert.equal(elsewhere.json().data.classification.kind, 'none', "another organization's replies do not see the word")

      const listed = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/org/keywords' })
      assert.equal(listed.statusCode, 200, listed.body)
      assert.deepEqual(listed.json().data, [keyword])
      assert.equal(listed.json().meta.total, 1)

      const removed = await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/org/keywords/${keyword.id as string}` })
      assert.equal(removed.statusCode, 200, removed.body)
      assert.deepEqual(removed.json().data, keyword)
      assert.equal((await reply('acme bye please')).classification.kind, 'none', 'removed: not a keyword any more')
      assert.equal((await ctx.request(org.ownerKey, { method: 'DELETE', url: `/v1/org/keywords/${keyword.id as string}` })).statusCode, 404)
    })

    test('help and opt-in words answer as the whole reply', async () => {
      const org = await ctx.createOrg()
      const phone = await registerNumber(ctx, org)
      assert.equal((await addKeyword(org, 'ACMEINFO', 'help')).statusCode, 201)
      assert.equal((await addKeyword(org, 'ACME ON', 'opt_in')).statusCode, 201)
      const from = randomNumber()
      const classify = async (body: string) => (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })).json().data.classification
      assert.equal((await classify('acmeinfo?')).kind, 'help')
      assert.equal((await classify('STOP')).kind, 'opt_out')
      const optIn = await classify('Acme-On')
      assert.equal(optIn.kind, 'opt_in')
      assert.equal(optIn.reason, 'organization keyword ACME ON')
    })

    test('a duplicate is 409; an opt-out word cannot become help or opt-in; a word needs a letter or digit', async () => {
      const org = await ctx.createOrg()
      assert.equal((await addKeyword(org, 'Acme Stop-Now', 'opt_out')).statusCode, 201)
      const duplicate = await addKeyword(org, 'ACME STOP NOW', 'opt_out')
      assert.equal(duplicate.statusCode, 409, duplicate.body)
      assert.equal(duplicate.json().error.code, 'CONFLICT')
      for (const [keyword, kind] of [['STOP', 'opt_in'], ['cancel', 'help'], ['BAJA', 'opt_in']]) {
        const refused = await addKeyword(org, keyword ?? '', kind ?? '')
        assert.equal(refused.statusCode, 422, refused.body)
        assert.match(refused.json().error.details.keyword, /already an opt-out word/)
      }
      assert.equal((await addKeyword(org, 'STOP', 'opt_out')).statusCode, 201, 'restating a built-in opt-out word is harmless')
      const empty = await addKeyword(org, '!!!', 'opt_out')
      assert.equal(empty.statusCode, 422, empty.body)
      assert.equal((await addKeyword(org, 'x', 'fun')).statusCode, 422)
      assert.equal((await addKeyword(org, 'x'.repeat(65), 'help')).statusCode, 422)
    })
  })
}
