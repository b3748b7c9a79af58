import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { InjectOptions } from 'fastify'
import { XMLParser } from 'fast-xml-parser'
import { Value } from 'typebox/value'
import { emailSha1, negotiateWhatCountsType, parseSkip } from '../../src/dialects/whatcounts/whatcounts.format.js'
import { WhatCountsReport } from '../../src/dialects/whatcounts/whatcounts.routes.js'
import { issueApiKey } from '../../src/modules/api-keys/api-keys.service.js'
import { SYSTEM_ACTOR } from '../../src/domain.js'
import { fileComplaint, type NewComplaint } from '../../src/modules/complaints/complaints.service.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases, unknownKey } from '../helper.js'
import { createCampaign, createList, MISSING_ID, upsertContacts } from '../lists/fixtures.js'

const VND = 'application/vnd.whatcounts-v1+json'
const VND_XML = 'application/vnd.whatcounts-v1+xml'
const basic = (key: string, user = 'myAccount'): string => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`

interface Subscriber { date: string, subscriberId: number, realmId: number, email: string, phone: string, [field: string]: unknown }

/** WhatCounts' date format (PHP 'M j, Y g:i:s A', UTC), the oracle for the dates PostgreSQL writes. */
function whatCountsDate (date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const hours = date.getUTCHours()
  const pad = (value: number): string => String(value).padStart(2, '0')
  return `${months[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()} ` +
    `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
}

describe('WhatCounts presentation rules', () => {
  test('SHA-1 is upper-case hex of the lower-cased email (the MD5 is checked on the report)', () => {
    // Known value (computed with coreutils sha1sum of "jane.doe@example.com").
    assert.equal(emailSha1('Jane.Doe@Example.COM'), 'A3CADDB38202511EAB803116294DC020F7C4F8A2')
    assert.equal(emailSha1(''), '')
  })

  test('Accept: the versioned types, plain JSON or XML, or nothing acceptable', () => {
    assert.equal(negotiateWhatCountsType(VND), VND)
    assert.equal(negotiateWhatCountsType(`${VND}; charset=utf-8`), VND)
    assert.equal(negotiateWhatCountsType('application/json'), 'application/json')
    assert.equal(negotiateWhatCountsType(undefined), 'application/json')
    assert.equal(negotiateWhatCountsType('*/*'), 'application/json')
    assert.equal(negotiateWhatCountsType('application/*'), 'application/json', 'the vendor type only when asked for')
    assert.equal(negotiateWhatCountsType(`application/json;q=0.5, ${VND}`), VND)
    assert.equal(negotiateWhatCountsType(`application/json, ${VND};q=0.5`), 'application/json')
    assert.equal(negotiateWhatCountsType(VND_XML), VND_XML)
    assert.equal(negotiateWhatCountsType('application/xml'), 'application/xml')
    assert.equal(negotiateWhatCountsType('text/xml'), 'text/xml')
    assert.equal(negotiateWhatCountsType('text/*'), 'text/xml')
    assert.equal(negotiateWhatCountsType('application/xml, application/json;q=0.9'), 'application/xml')
    assert.equal(negotiateWhatCountsType('text/html, application/xml;q=0.9, */*;q=0.8'), 'application/xml', "a browser's Accept")
    assert.equal(negotiateWhatCountsType('application/json, application/xml'), 'application/json')
    assert.equal(negotiateWhatCountsType('application/vnd.whatcounts-v2+json'), null)
    assert.equal(negotiateWhatCountsType('text/html, image/png'), null)
    assert.equal(negotiateWhatCountsType('application/json;q=0, application/xml;q=0'), null)
  })

  test('skip: negative, non-numeric or repeated is 0', () => {
    assert.equal(parseSkip('500'), 500)
    assert.equal(parseSkip('-500'), 0)
    assert.equal(parseSkip('abc'), 0)
    assert.equal(parseSkip('5e2'), 0)
    assert.equal(parseSkip(['0', '500']), 0)
    assert.equal(parseSkip(undefined), 0)
  })
})

for (const database of testDatabases()) {
  describe(`WhatCounts Report List Complaints (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const report = async (key: string | null, url: string, headers: Record<string, string> = { accept: VND }) => {
      return await ctx.app.inject({ method: 'GET', url, headers: { ...headers, ...(key !== null ? { authorization: basic(key) } : {}) } })
    }
    const file = async (orgId: string, complaints: Array<Partial<NewComplaint>>): Promise<void> => {
      await ctx.store.db.transaction().execute(async (trx) => {
        for (const complaint of complaints) {
          await fileComplaint(trx, orgId, { category: 'unsolicited_marketing', source: 'feedback_loop', channel: 'email', ...complaint }, SYSTEM_ACTOR)
        }
      })
    }
    const listWithCampaign = async (org: TestOrg, externalId?: string) => {
      const list = await createList(ctx, org, externalId === undefined ? {} : { external_id: externalId })
      const campaign = await createCampaign(ctx, org, { list_id: list.id })
      return { list, campaign }
    }
    const expectWhatCountsError = (response: Awaited<ReturnType<typeof report>>, statusCode: number, reason: string, why: string) => {
      assert.equal(response.statusCode, statusCode, `${why}: ${response.body}`)
      assert.deepEqual(response.json(), { error: reason, status: reason, statusCode }, why)
      assert.match(String(response.headers['content-type']), /json/, why)
    }

    test('GET /rest/lists/{listId}/complaints: Basic auth matrix', async () => {
      const org = await ctx.createOrg()
      const { list } = await listWithCampaign(org, 'wc-auth')
      const url = `/rest/lists/${list.id}/complaints`
      const send = async (authorization: string | null) =>
        await ctx.app.inject({ method: 'GET', url, headers: { accept: VND, ...(authorization !== null ? { authorization } : {}) } } satisfies InjectOptions)

      const none = await send(null)
      expectWhatCountsError(none, 401, 'Unauthorized', 'no credentials')
      assert.equal(none.headers['www-authenticate'], 'Basic realm="WhatCounts"')
      expectWhatCountsError(await send('Basic !!!'), 401, 'Unauthorized', 'malformed Basic')
      expectWhatCountsError(await send(`Basic ${Buffer.from(org.ownerKey).toString('base64')}`), 401, 'Unauthorized', 'no colon')
      expectWhatCountsError(await send(`Bearer ${org.ownerKey}`), 401, 'Unauthorized', 'Bearer is not this dialect\'s scheme')
      expectWhatCountsError(await send(basic(unknownKey())), 401, 'Unauthorized', 'unknown key')
      expectWhatCountsError(await send(basic('not-a-key')), 401, 'Unauthorized', 'malformed key')
      const revocable = (await ctx.request(ctx.platformKey, { method: 'POST', url: `/v1/admin/orgs/${org.id}/api-keys`, payload: { role: 'member' } })).json().data
      assert.equal((await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/api-keys/${revocable.id as string}` })).statusCode, 200)
      expectWhatCountsError(await send(basic(revocable.plaintext as string)), 401, 'Unauthorized', 'revoked key')
      expectWhatCountsError(await send(basic(ctx.platformKey)), 403, 'Forbidden', 'a platform key has no reports:read')
      const otherPlatform = await issueApiKey(ctx.store.db, null, { role: null, label: 'another platform key' })
      expectWhatCountsError(await send(basic(otherPlatform.plaintext)), 403, 'Forbidden', 'a platform key has no reports:read')
      const other = await ctx.createOrg()
      expectWhatCountsError(await send(basic(other.ownerKey)), 404, 'Not Found', "another organization's list")

      for (const key of [org.memberKey, org.adminKey, org.ownerKey]) {
        const ok = await send(basic(key))
        assert.equal(ok.statusCode, 200, ok.body)
        assert.deepEqual(ok.json(), { complaintTotal: 0, skip: 0, max: 500, subscribers: [] })
      }
      const anyUser = await ctx.app.inject({ method: 'GET', url, headers: { authorization: basic(org.memberKey, '') } })
      assert.equal(anyUser.statusCode, 200, 'any user name, even empty')
    })

    test('Content-Type follows Accept; an unacceptable Accept is 406; unknown lists and routes are WhatCounts 404s', async () => {
      const org = await ctx.createOrg()
      const { list } = await listWithCampaign(org, '1561')
      const url = '/rest/lists/1561/complaints'
      const vnd = await report(org.memberKey, url)
      assert.equal(vnd.statusCode, 200)
      assert.equal(vnd.headers['content-type'], `${VND}; charset=utf-8`)
      const json = await report(org.memberKey, url, { accept: 'application/json' })
      assert.equal(json.headers['content-type'], 'application/json; charset=utf-8')
      assert.deepEqual(json.json(), vnd.json())
      const noAccept = await report(org.memberKey, url, {})
      assert.equal(noAccept.headers['content-type'], 'application/json; charset=utf-8')
      const withBodyType = await report(org.memberKey, url, { accept: VND, 'content-type': 'application/json' })
      assert.equal(withBodyType.statusCode, 200, 'the documented curl sends content-type on GET')

      expectWhatCountsError(await report(org.memberKey, url, { accept: 'text/html' }), 406, 'Not Acceptable', 'html')
      expectWhatCountsError(await report(null, url, { accept: 'text/html' }), 401, 'Unauthorized', 'auth comes first')
      const xmlError = await report(null, url, { accept: 'application/xml' })
      assert.equal(xmlError.statusCode, 401)
      assert.equal(xmlError.headers['content-type'], 'application/xml; charset=utf-8')
      assert.equal(xmlError.body, '<?xml version="1.0" encoding="UTF-8"?><response><error>Unauthorized</error><status>Unauthorized</status><statusCode>401</statusCode></response>')

      assert.equal((await report(org.memberKey, `/rest/lists/${list.id}/complaints`)).statusCode, 200, 'by id')
      assert.equal((await report(org.memberKey, `/rest/lists/${list.id.toUpperCase()}/complaints`)).statusCode, 200, 'ids are case-insensitive')
      const notFound = await report(org.memberKey, '/rest/lists/9999/complaints')
      expectWhatCountsError(notFound, 404, 'Not Found', 'unknown list')
      assert.equal(notFound.headers['content-type'], `${VND}; charset=utf-8`)
      expectWhatCountsError(await report(org.memberKey, `/rest/lists/${MISSING_ID}/complaints`), 404, 'Not Found', 'unknown id')
      expectWhatCountsError(await report(org.memberKey, '/rest/lists/1561/unsubscribes'), 404, 'Not Found', 'unknown route')
      expectWhatCountsError(await report(null, '/rest/lists/1561/unsubscribes'), 401, 'Unauthorized', 'unknown route without auth')
    })

    test('each complaint carries the complainer\'s contact on the list, or what is known of the reporter', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org, `wc-${org.id.slice(-6)}`)
      const elsewhere = await createList(ctx, org)
      const upserted = await upsertContacts(ctx, org, list.id, [
        { email: 'Jane.Doe@Example.com', first_name: 'Jane', last_name: 'Doe', company: 'My Company', address1: '123 Some Street North', address2: 'Suite 500', city: 'My City', state: 'WA', zip: '98000', country: 'United States', fax: '' },
        { phone: '(206) 555 1212', first_name: 'Jon' }
      ])
      const [jane, jon] = upserted.contacts
      assert.ok(jane && jon)
      await upsertContacts(ctx, org, elsewhere.id, [{ email: 'not-on-this-list@example.com', first_name: 'Other' }])
      await file(org.id, [
        { campaignId: campaign.id, reporterEmail: 'jane.doe@example.com', createdAt: new Date('2016-02-21T16:53:40.000Z') },
        { campaignId: campaign.id, channel: 'sms', reporterNumber: '(206) 555-1212', createdAt: new Date('2016-05-05T22:53:40.000Z') },
        { campaignId: campaign.id, reporterEmail: 'Stranger@Example.net', createdAt: new Date('2016-06-13T13:06:46.000Z') },
        { campaignId: campaign.id, reporterEmail: 'not-on-this-list@example.com', createdAt: new Date('2016-06-14T00:00:00.000Z') },
        // Not on this list: another list's complaint, and one with no campaign.
        { reporterEmail: 'jane.doe@example.com', listId: elsewhere.id, createdAt: new Date('2016-03-01T00:00:00.000Z') },
        { reporterEmail: 'jane.doe@example.com', createdAt: new Date('2016-03-01T00:00:00.000Z') }
      ])

      const response = await report(org.memberKey, `/rest/lists/${list.external_id as string}/complaints`)
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json() as { complaintTotal: number, skip: number, max: number, subscribers: Subscriber[] }
      assert.equal(body.complaintTotal, 4)
      assert.equal(body.skip, 0)
      assert.equal(body.max, 500)
      assert.equal(response.headers.link, undefined, 'one page: no next link')
      assert.deepEqual(body.subscribers.map((s) => s.date), ['Jun 14, 2016 12:00:00 AM', 'Jun 13, 2016 1:06:46 PM', 'May 5, 2016 10:53:40 PM', 'Feb 21, 2016 4:53:40 PM'])

      const janeMd5 = createHash('md5').update('jane.doe@example.com').digest('hex').toUpperCase()
      const janeSha1 = createHash('sha1').update('jane.doe@example.com').digest('hex').toUpperCase()
      assert.equal(janeMd5, '0CBA00CA3DA1B283A57287BCCEB17E35')
      assert.deepEqual(body.subscribers[3], {
        date: 'Feb 21, 2016 4:53:40 PM',
        subscriberId: jane.subscriber_id,
        realmId: org.realmId,
        email: 'jane.doe@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
        company: 'My Company',
        address1: '123 Some Street North',
        address2: 'Suite 500',
        city: 'My City',
        state: 'WA',
        zip: '98000',
        country: 'United States',
        phone: '',
        fax: '',
        createdDate: whatCountsDate(new Date(jane.created_at)),
        updatedDate: whatCountsDate(new Date(jane.updated_at)),
        md5Encryption: janeMd5,
        sha1Encryption: janeSha1,
        skip: 0,
        max: 500
      })
      assert.match(body.subscribers[3]?.createdDate as string, /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/)

      const jonRow = body.subscribers[2]
      assert.equal(jonRow?.subscriberId, jon.subscriber_id, 'found by phone')
      assert.equal(jonRow?.firstName, 'Jon')
      assert.equal(jonRow?.phone, '(206) 555 1212', 'as the customer gave it (matched as +12065551212)')
      assert.equal(jonRow?.email, '')
      assert.equal(jonRow?.md5Encryption, '')

      const stranger = body.subscribers[1]
      assert.deepEqual({ ...stranger }, {
        date: 'Jun 13, 2016 1:06:46 PM',
        subscriberId: 0,
        realmId: org.realmId,
        email: 'stranger@example.net',
        firstName: '',
        lastName: '',
        company: '',
        address1: '',
        address2: '',
        city: '',
        state: '',
        zip: '',
        country: '',
        phone: '',
        fax: '',
        createdDate: '',
        updatedDate: '',
        md5Encryption: createHash('md5').update('stranger@example.net').digest('hex').toUpperCase(),
        sha1Encryption: createHash('sha1').update('stranger@example.net').digest('hex').toUpperCase(),
        skip: 0,
        max: 500
      })
      const contactElsewhere = body.subscribers[0]
      assert.equal(contactElsewhere?.subscriberId, 0, 'a contact of another list is not this list\'s contact')
      for (const subscriber of body.subscribers) {
        for (const [field, value] of Object.entries(subscriber)) {
          assert.equal(typeof value, ['subscriberId', 'realmId', 'skip', 'max'].includes(field) ? 'number' : 'string', `${field} keeps its type on every row`)
        }
      }
      assert.equal(contactElsewhere?.firstName, '')
      assert.equal(contactElsewhere?.email, 'not-on-this-list@example.com')
    })

    test('the written JSON matches the route schema field by field; dates are UTC, 12-hour, without leading zeros', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org)
      await upsertContacts(ctx, org, list.id, [{ email: 'ann@example.com', first_name: 'Ann "the" \\ <Ann>', city: 'Zürich 😀' }])
      const times = ['2016-12-31T12:00:00.000Z', '2012-05-21T09:14:16.999Z', '2016-06-01T00:05:09.000Z', '2016-02-21T16:53:40.000Z', '2016-02-01T23:59:59.500Z']
      await file(org.id, times.map((time, i) => ({
        campaignId: campaign.id, ...(i % 2 === 0 ? { reporterEmail: 'ann@example.com' } : { channel: 'sms' as const, reporterNumber: '+14155550123' }), createdAt: new Date(time)
      })))
      const response = await report(org.memberKey, `/rest/lists/${list.id}/complaints`)
      assert.equal(response.statusCode, 200, response.body)
      const body = JSON.parse(response.body) as { subscribers: Array<Record<string, unknown>> }
      assert.deepEqual([...Value.Errors(WhatCountsReport, body)].map((error) => `${error.instancePath} ${error.message}`), [])
      assert.deepEqual(Object.keys(body), Object.keys(WhatCountsReport.properties))
      const fields = Object.keys(WhatCountsReport.properties.subscribers.items.properties)
      for (const subscriber of body.subscribers) assert.deepEqual(Object.keys(subscriber), fields, 'every field, in the schema\'s order')
      const newestFirst = [...times].sort().reverse()
      assert.deepEqual(body.subscribers.map((s) => s.date), newestFirst.map((time) => whatCountsDate(new Date(time))))
      assert.deepEqual(body.subscribers.map((s) => s.date), [
        'Dec 31, 2016 12:00:00 PM', 'Jun 1, 2016 12:05:09 AM', 'Feb 21, 2016 4:53:40 PM', 'Feb 1, 2016 11:59:59 PM', 'May 21, 2012 9:14:16 AM'
      ])
      const ann = body.subscribers.find((s) => s.email === 'ann@example.com')
      assert.equal(ann?.firstName, 'Ann "the" \\ <Ann>')
      assert.equal(ann?.city, 'Zürich 😀')
      assert.equal(ann?.md5Encryption, createHash('md5').update('ann@example.com').digest('hex').toUpperCase())
      assert.equal(ann?.sha1Encryption, createHash('sha1').update('ann@example.com').digest('hex').toUpperCase())
      const stranger = body.subscribers.find((s) => s.email === '')
      assert.deepEqual({ ...stranger, date: null }, {
        date: null,
        subscriberId: 0,
        realmId: org.realmId,
        email: '',
        firstName: '',
        lastName: '',
        company: '',
        address1: '',
        address2: '',
        city: '',
        state: '',
        zip: '',
        country: '',
        phone: '+14155550123',
        fax: '',
        createdDate: '',
        updatedDate: '',
        md5Encryption: '',
        sha1Encryption: '',
        skip: 0,
        max: 500
      })
    })

    test('XML: the same report for each XML type, same fields in the same order, everything escaped', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org)
      await upsertContacts(ctx, org, list.id, [
        { email: 'amp@example.com', first_name: 'Tom & "Jerry"', last_name: "<O'Neil>", company: ']]> <![CDATA[ x', city: 'Bell\u0007ville', phone: '(206) 555 1212' }
      ])
      await file(org.id, [
        { campaignId: campaign.id, reporterEmail: 'amp@example.com', createdAt: new Date('2016-02-21T16:53:40.000Z') },
        { campaignId: campaign.id, reporterEmail: 'stranger@example.net', createdAt: new Date('2016-02-22T16:53:40.000Z') }
      ])
      const url = `/rest/lists/${list.id}/complaints`
      const json = (await report(org.memberKey, url)).json() as { complaintTotal: number, skip: number, max: number, subscribers: Subscriber[] }
      for (const type of [VND_XML, 'application/xml', 'text/xml']) {
        const response = await report(org.memberKey, url, { accept: type })
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.headers['content-type'], `${type}; charset=utf-8`)
        assert.ok(response.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><complaints><complaintTotal>2</complaintTotal><skip>0</skip><max>500</max><subscribers><subscriber>'), response.body)
        assert.ok(!response.body.includes('\u0007'), 'no character XML cannot carry')
        assert.ok(response.body.includes('<firstName>Tom &amp; &quot;Jerry&quot;</firstName><lastName>&lt;O&apos;Neil&gt;</lastName><company>]]&gt; &lt;![CDATA[ x</company>'), response.body)
        const parsed = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'subscriber' }).parse(response.body) as { complaints: Record<string, unknown> & { subscribers: { subscriber: Array<Record<string, string>> } } }
        assert.equal(parsed.complaints.complaintTotal, String(json.complaintTotal))
        const subscribers = parsed.complaints.subscribers.subscriber
        assert.equal(subscribers.length, json.subscribers.length, 'one element per subscriber')
        subscribers.forEach((subscriber, index) => {
          const expected = json.subscribers[index] as Subscriber
          assert.deepEqual(Object.keys(subscriber), Object.keys(expected), 'the JSON field names, in the same order')
          for (const [field, value] of Object.entries(expected)) {
            assert.equal(subscriber[field], field === 'city' ? String(value).replace('\u0007', '\uFFFD') : String(value), field)
          }
        })
      }
      const stranger = (await report(org.memberKey, url, { accept: 'text/xml' })).body
      assert.ok(stranger.includes('<subscriberId>0</subscriberId>') && stranger.includes('<createdDate></createdDate>'), 'types never change, in XML too')
      const empty = await report(org.memberKey, `${url}?start=2030-01-01`, { accept: 'application/xml' })
      assert.equal(empty.body, '<?xml version="1.0" encoding="UTF-8"?><complaints><complaintTotal>0</complaintTotal><skip>0</skip><max>500</max><subscribers></subscribers></complaints>')
    })

    test('600 contacts sharing one switchboard phone stay 600 contacts, each in the report with its own name', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org)
      const people = Array.from({ length: 600 }, (_, i) => ({ email: `person${i}@company.example`, first_name: `First${i}`, last_name: `Last${i}`, phone: '(206) 555 1212' }))
      const upserted = await upsertContacts(ctx, org, list.id, people)
      assert.equal(upserted.created, 600)
      assert.equal(new Set(upserted.contacts.map((contact) => contact.id)).size, 600)
      const members = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${list.id}/contacts?limit=1` })
      assert.equal(members.json().meta.total, 600)
      await file(org.id, people.map((person, i) => ({ campaignId: campaign.id, reporterEmail: person.email, createdAt: new Date(Date.parse('2016-06-01T00:00:00Z') + i * 60_000) })))

      const seen = new Map<string, Subscriber>()
      for (const skip of [0, 500]) {
        const body = (await report(org.memberKey, `/rest/lists/${list.id}/complaints?skip=${skip}`)).json() as { complaintTotal: number, subscribers: Subscriber[] }
        assert.equal(body.complaintTotal, 600)
        for (const subscriber of body.subscribers) seen.set(subscriber.email, subscriber)
      }
      assert.equal(seen.size, 600)
      const subscriberIds = new Set<number>()
      people.forEach((person, i) => {
        const row = seen.get(person.email)
        assert.equal(row?.firstName, `First${i}`, person.email)
        assert.equal(row?.lastName, `Last${i}`)
        assert.equal(row?.phone, '(206) 555 1212')
        subscriberIds.add(row?.subscriberId ?? 0)
      })
      assert.equal(subscriberIds.size, 600, 'each its own subscriberId')
      assert.ok(!subscriberIds.has(0))
    })

    test('start and end: midnight UTC, end exclusive, malformed or missing ignored', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org)
      const times = ['2016-05-31T23:59:59.999Z', '2016-06-01T00:00:00.000Z', '2016-06-15T12:00:00.000Z', '2016-06-15T23:59:59.999Z', '2016-06-16T00:00:00.000Z']
      await file(org.id, times.map((time, i) => ({ campaignId: campaign.id, reporterEmail: `t${i}@example.net`, createdAt: new Date(time) })))
      const emails = async (query: string) => {
        const response = await report(org.memberKey, `/rest/lists/${list.id}/complaints?${query}`)
        assert.equal(response.statusCode, 200, `${query}: ${response.body}`)
        const body = response.json() as { complaintTotal: number, subscribers: Subscriber[] }
        assert.equal(body.complaintTotal, body.subscribers.length, query)
        return body.subscribers.map((s) => s.email).sort()
      }
      assert.deepEqual(await emails('start=2016-06-15&end=2016-06-16'), ['t2@example.net', 't3@example.net'], '23:59:59.999 of the eve of end is in, midnight of end is out')
      assert.deepEqual(await emails('start=2016-06-01&end=2016-06-17'), ['t1@example.net', 't2@example.net', 't3@example.net', 't4@example.net'])
      assert.deepEqual(await emails('start=2016-06-01'), ['t1@example.net', 't2@example.net', 't3@example.net', 't4@example.net'], 'only start')
      assert.deepEqual(await emails('end=2016-06-01'), ['t0@example.net'], 'only end')
      const all = ['t0@example.net', 't1@example.net', 't2@example.net', 't3@example.net', 't4@example.net']
      assert.deepEqual(await emails(''), all, 'both missing: all complaints of the list')
      for (const malformed of ['start=2016-6-1', 'start=06/01/2016', 'start=2016-02-30', 'start=', 'Start=2016-06-15', 'start=2016-06-15T00:00:00Z', 'start=2016-06-15&start=2016-06-16']) {
        assert.deepEqual(await emails(malformed), all, malformed)
      }
      assert.deepEqual(await emails('start=2016-06-15&end=garbage'), ['t2@example.net', 't3@example.net', 't4@example.net'], 'a malformed end alone is ignored')
      assert.deepEqual(await emails('start=2016-06-16&end=2016-06-15'), [], 'an empty window')
    })

    test('skip pages by 500 over 1,200 complaints, newest first, each exactly once, with a Link to the next page', async () => {
      const org = await ctx.createOrg()
      const { list, campaign } = await listWithCampaign(org, `bulk-${org.id.slice(-6)}`)
      const base = Date.parse('2016-06-01T00:00:00.000Z')
      // Three complaints share each timestamp (the order must still be total and stable),
      // 17 minutes apart: 1,200 complaints over five UTC days.
      await file(org.id, Array.from({ length: 1200 }, (_, i) => ({ campaignId: campaign.id, reporterEmail: `r${i}@example.net`, createdAt: new Date(base + Math.floor(i / 3) * 17 * 60_000) })))

      const seen = new Map<string, number>()
      let previous = Infinity
      const links: Array<string | undefined> = []
      for (const skip of [0, 500, 1000]) {
        const response = await report(org.memberKey, `/rest/lists/${list.external_id as string}/complaints?start=2016-06-01&end=2016-07-01&skip=${skip}`)
        assert.equal(response.statusCode, 200, response.body)
        const body = response.json() as { complaintTotal: number, skip: number, max: number, subscribers: Subscriber[] }
        assert.equal(body.complaintTotal, 1200)
        assert.equal(body.skip, skip)
        assert.equal(body.subscribers.length, skip === 1000 ? 200 : 500)
        for (const subscriber of body.subscribers) {
          seen.set(subscriber.email, (seen.get(subscriber.email) ?? 0) + 1)
          const index = Number(subscriber.email.slice(1, subscriber.email.indexOf('@')))
          const slot = Math.floor(index / 3)
          assert.ok(slot <= previous, 'newest first')
          previous = slot
          assert.equal(subscriber.skip, skip)
        }
        links.push(response.headers.link as string | undefined)
      }
      assert.equal(seen.size, 1200, 'every complaint appears')
      assert.ok([...seen.values()].every((count) => count === 1), 'each exactly once')
      assert.equal(links[0], `<http://127.0.0.1:8080/rest/lists/${list.external_id as string}/complaints?start=2016-06-01&end=2016-07-01&skip=500>; rel="next"`)
      assert.match(links[1] ?? '', /skip=1000>; rel="next"$/)
      assert.equal(links[2], undefined, 'no next page after the last')

      const negative = await report(org.memberKey, `/rest/lists/${list.id}/complaints?skip=-500`)
      const nonNumeric = await report(org.memberKey, `/rest/lists/${list.id}/complaints?skip=ten`)
      const first = await report(org.memberKey, `/rest/lists/${list.id}/complaints`)
      assert.equal(negative.json().skip, 0)
      assert.deepEqual(negative.json(), first.json())
      assert.deepEqual(nonNumeric.json(), first.json())
      const beyond = await report(org.memberKey, `/rest/lists/${list.id}/complaints?skip=5000`)
      assert.deepEqual(beyond.json(), { complaintTotal: 1200, skip: 5000, max: 500, subscribers: [] })
      const offPage = await report(org.memberKey, `/rest/lists/${list.id}/complaints?skip=1199`)
      assert.equal(offPage.json().subscribers.length, 1)
      assert.equal(offPage.json().subscribers[0].email, 'r0@example.net', 'the oldest is last')

      // Any skip, with or without a window, is exactly the slice of the full order (created_at, id) newest first.
      const stored = await ctx.store.db.selectFrom('complaints').select(['id', 'created_at', 'reporter_email'])
        .where('org_id', '=', org.id).where('list_id', '=', list.id).execute()
      stored.sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      const windows: Array<[string, number, number]> = [['', -Infinity, Infinity], ['start=2016-06-02&end=2016-06-04', Date.parse('2016-06-02'), Date.parse('2016-06-04')], ['start=2016-06-03', Date.parse('2016-06-03'), Infinity], ['end=2016-06-02', -Infinity, Date.parse('2016-06-02')]]
      for (const [query, from, to] of windows) {
        const expected = stored.filter((row) => row.created_at.getTime() >= from && row.created_at.getTime() < to).map((row) => row.reporter_email)
        for (const skip of [0, 1, 83, 499, 500, 501, 733, expected.length - 1, expected.length]) {
          const response = await report(org.memberKey, `/rest/lists/${list.id}/complaints?${query}&skip=${skip}`)
          const body = response.json() as { complaintTotal: number, subscribers: Subscriber[] }
          assert.equal(body.complaintTotal, expected.length, query)
          assert.deepEqual(body.subscribers.map((s) => s.email), expected.slice(skip, skip + 500), `${query} skip=${skip}`)
        }
      }
    })
  })
}
