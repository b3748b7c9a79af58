import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { encodeToken, signingKey } from '../../src/modules/unsubscribe/unsubscribe.token.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { createCampaign, createList, registerDomain } from '../lists/fixtures.js'
import type { SuppressionJson } from '../suppressions/fixtures.js'

const PUBLIC_URL = 'https://ombuds.example.com'
const OLD = { id: 'k2026a', secret: randomBytes(32).toString('base64url') }
const CURRENT = { id: 'k2026b', secret: randomBytes(32).toString('base64url') }
/** RFC 8058 section 3.1: the body a mailbox provider POSTs. */
const ONE_CLICK_BODY = 'List-Unsubscribe=One-Click'

interface Link { recipient: string, url: string, headers: { 'List-Unsubscribe': string, 'List-Unsubscribe-Post': string } }

for (const database of testDatabases()) {
  describe(`one-click unsubscribe (${database})`, () => {
    let ctx: TestContext
    // The current key signs; the old one, being rotated out, still verifies.
    before(async () => { ctx = await startTestApp(database, { publicUrl: PUBLIC_URL, unsubscribeKeys: [CURRENT, OLD] }) })
    after(async () => { await ctx.close() })

    const link = async (org: TestOrg, payload: Record<string, unknown>): Promise<Link> => {
      const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links', payload: { channel: 'email', ...payload } })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().data as Link
    }
    const pathOf = (url: string): string => url.slice(PUBLIC_URL.length)
    /** Exactly what RFC 8058 describes: a form POST to the URL, no cookies, no credentials. */
    const oneClick = async (url: string) => await ctx.app.inject({
      method: 'POST',
      url: pathOf(url),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: ONE_CLICK_BODY
    })
    const suppressionsOf = async (org: TestOrg, query = 'reason=unsubscribe'): Promise<SuppressionJson[]> => {
      const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/suppressions?${query}` })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().data as SuppressionJson[]
    }
    const unsubscribeRows = async (orgId: string) =>
      await ctx.store.db.selectFrom('unsubscribes').selectAll().where('org_id', '=', orgId).execute()
    const setup = async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org)
      return { org, domain }
    }

    runAuthMatrix(() => ctx, [
      {
        method: 'POST',
        route: '/v1/unsubscribe-links',
        scope: 'suppressions:write',
        success: 200,
        prepare: async (c, org) => ({ url: '/v1/unsubscribe-links', payload: { channel: 'email', from_domain: (await registerDomain(c, org)).name, recipient: 'a@example.net' } })
      },
      {
        method: 'POST',
        route: '/v1/unsubscribe-links/batch',
        scope: 'suppressions:write',
        success: 200,
        prepare: async (c, org) => ({ url: '/v1/unsubscribe-links/batch', payload: { channel: 'email', from_domain: (await registerDomain(c, org)).name, recipients: ['a@example.net'] } })
      }
    ])

    test('a link: the two RFC 8058 header values, the URL under 200 characters for a long address with list and campaign', async (t) => {
      const { org, domain } = await setup()
      const list = await createList(ctx, org)
      const campaign = await createCampaign(ctx, org, { name: 'Winter', channel: 'email', domain_id: domain.id })
      // A realistic long address: 63 characters, a hyphenated local part at a company subdomain.
      const recipient = 'Alexandra.Konstantinopoulou-Smith@mail.engineering.example-co.com'
      const made = await link(org, { from_domain: domain.name.toUpperCase(), recipient, list_id: list.id, campaign_id: campaign.id })
      assert.equal(made.recipient, recipient)
      assert.match(made.url, /^https:\/\/ombuds\.example\.com\/u\/[A-Za-z0-9_-]+$/)
      assert.ok(made.url.length < 200, `${made.url.length} characters: ${made.url}`)
      assert.deepEqual(made.headers, { 'List-Unsubscribe': `<${made.url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })
      // The recipient is encrypted, not merely encoded, into the token.
      assert.ok(!Buffer.from(made.url.slice(made.url.lastIndexOf('/') + 1), 'base64url').toString('latin1').includes('konstantin'))
      t.diagnostic(`URL length with list and campaign, ${recipient.length}-character address: ${made.url.length}`)
    })

    test('RFC 8058: the one-click POST (form body, no cookies, no auth) answers 200 and suppresses the recipient for the domain', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'Reader@Example.net' })
      const response = await oneClick(made.url)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.headers['set-cookie'], undefined)
      assert.equal(response.headers.location, undefined)
      assert.match(String(response.headers['content-type']), /^text\/html/)
      const [row, ...rest] = await suppressionsOf(org)
      assert.equal(rest.length, 0)
      assert.deepEqual([row?.channel, row?.address, row?.scope, row?.domain_id, row?.reason], ['email', 'reader@example.net', 'domain', domain.id, 'unsubscribe'])
      const check = await ctx.request(org.memberKey, { method: 'POST', url: '/v1/suppressions/check', payload: { channel: 'email', from: `news@${domain.name}`, recipients: ['reader@example.net', 'other@example.net'] } })
      assert.deepEqual(check.json().data.suppressed.map((entry: { address: string, reason: string }) => [entry.address, entry.reason]), [['reader@example.net', 'unsubscribe']])
      const [recorded] = await unsubscribeRows(org.id)
      assert.deepEqual([recorded?.suppression_id, recorded?.method, recorded?.key_id, recorded?.domain_id], [row?.id, 'one_click', CURRENT.id, domain.id])
      // The suppressions service wrote the audit event, as for every other suppression.
      const audit = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/audit-events?type=suppression.created&subject_id=${row?.id ?? ''}` })
      assert.equal(audit.statusCode, 200, audit.body)
      const events = audit.json().data as Array<{ via: string, actor: { kind: string, label: string } }>
      assert.deepEqual(events.map((event) => [event.via, event.actor.kind, event.actor.label]), [['unsubscribe', 'system', 'recipient (one-click unsubscribe)']])
    })

    test('multipart/form-data, which RFC 8058 prefers, works too', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'multi@example.net' })
      const boundary = '----ombuds8058'
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`
      const response = await ctx.app.inject({ method: 'POST', url: pathOf(made.url), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body })
      assert.equal(response.statusCode, 200, response.body)
      assert.equal((await suppressionsOf(org)).length, 1)
    })

    test('a replay is idempotent: 200 again, the same suppression, one record', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'twice@example.net' })
      assert.equal((await oneClick(made.url)).statusCode, 200)
      const first = await suppressionsOf(org)
      const again = await oneClick(made.url)
      assert.equal(again.statusCode, 200, again.body)
      assert.deepEqual(await suppressionsOf(org), first)
      assert.equal((await unsubscribeRows(org.id)).length, 1)
      const audit = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/audit-events?type=suppression.created' })
      assert.equal(audit.json().data.length, 1, 'one audit event, not one per POST')
    })

    test('organization scope suppresses the recipient for every sender of the organization', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'all@example.net', scope: 'organization' })
      assert.equal((await oneClick(made.url)).statusCode, 200)
      const [row] = await suppressionsOf(org)
      assert.deepEqual([row?.scope, row?.domain_id], ['org', null])
    })

    test('forged, truncated, altered and garbage tokens: the same 400 page, nothing suppressed', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'victim@example.net' })
      const token = made.url.slice(made.url.lastIndexOf('/') + 1)
      const flip = (text: string, index: number): string => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1)
      const bad = [
        token.slice(0, -1),
        token.slice(0, 40),
        flip(token, 12),
        flip(token, token.length - 3),
        token + 'AA',
        'AQ',
        'not-a-token',
        randomBytes(90).toString('base64url'),
        'x'.repeat(600)
      ]
      const bodies = new Set<string>()
      for (const candidate of bad) {
        for (const method of ['POST', 'GET'] as const) {
          const response = await ctx.app.inject({ method, url: `/u/${candidate}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(method === 'POST' ? { payload: ONE_CLICK_BODY } : {}) })
          assert.equal(response.statusCode, 400, `${method} ${candidate}: ${response.body}`)
          bodies.add(response.body)
        }
      }
      assert.equal(bodies.size, 1, 'every refusal looks the same')
      assert.equal((await suppressionsOf(org)).length, 0)
    })

    test("a link for one recipient never unsubscribes another; another organization's realm in a signed token is refused", async () => {
      const { org, domain } = await setup()
      const other = await setup()
      const alice = await link(org, { from_domain: domain.name, recipient: 'alice@example.net' })
      assert.equal((await oneClick(alice.url)).statusCode, 200)
      assert.deepEqual((await suppressionsOf(org)).map((row) => row.address), ['alice@example.net'])
      // Even a correctly signed token (a leaked key) cannot pair one organization with another's domain.
      const crossed = encodeToken(signingKey(CURRENT.id, CURRENT.secret), {
        scope: 'domain', realmId: other.org.realmId, issuedAt: new Date(), domainId: domain.id, listId: null, campaignId: null, recipient: 'bob@example.net'
      })
      assert.equal((await oneClick(`${PUBLIC_URL}/u/${crossed}`)).statusCode, 400)
      assert.equal((await suppressionsOf(other.org)).length, 0)
      assert.deepEqual((await suppressionsOf(org)).map((row) => row.address), ['alice@example.net'])
    })

    test('the body must be the one-click form: anything else is refused', async () => {
      const { org, domain } = await setup()
      const made = await link(org, { from_domain: domain.name, recipient: 'body@example.net' })
      const attempts = [
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=Yes' },
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' },
        { headers: {}, payload: undefined }
      ]
      for (const attempt of attempts) {
        const response = await ctx.app.inject({ method: 'POST', url: pathOf(made.url), ...attempt })
        assert.equal(response.statusCode, 400, `${JSON.stringify(attempt)}: ${response.body}`)
      }
      const json = await ctx.app.inject({ method: 'POST', url: pathOf(made.url), payload: { 'List-Unsubscribe': 'One-Click' } })
      assert.equal(json.statusCode, 415, json.body)
      assert.equal((await suppressionsOf(org)).length, 0)
    })

    test('GET shows the page and changes nothing (mail scanners prefetch links)', async () => {
      const org = await ctx.createOrg('Acme <b>&</b> Co')
      const domain = await registerDomain(ctx, org)
      const made = await link(org, { from_domain: domain.name, recipient: 'scan@example.net' })
      for (let i = 0; i < 3; i++) {
        const page = await ctx.app.inject({ method: 'GET', url: pathOf(made.url) })
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /<h1>Unsubscribe from Acme &lt;b&gt;&amp;&lt;\/b&gt; Co\?<\/h1>/)
        assert.match(page.body, /<button type="submit">Unsubscribe<\/button>/)
        assert.ok(!page.body.includes('<script'), 'no script')
        assert.match(String(page.headers['content-security-policy']), /default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'/)
        assert.equal(page.headers['cache-control'], 'no-store')
        assert.equal(page.headers['referrer-policy'], 'no-referrer')
      }
      const head = await ctx.app.inject({ method: 'HEAD', url: pathOf(made.url) })
      assert.equal(head.statusCode, 200)
      assert.equal((await suppressionsOf(org)).length, 0)
      assert.equal((await unsubscribeRows(org.id)).length, 0)
    })

    test('key rotation: a token of a still-accepted key works; once that key is retired it is refused like a forgery', async () => {
      const { org, domain } = await setup()
      const payload = (recipient: string) => ({ scope: 'domain' as const, realmId: org.realmId, issuedAt: new Date(), domainId: domain.id, listId: null, campaignId: null, recipient })
      const oldToken = encodeToken(signingKey(OLD.id, OLD.secret), payload('old@example.net'))
      const retiredToken = encodeToken(signingKey(OLD.id, OLD.secret), payload('retired@example.net'))
      assert.equal((await oneClick(`${PUBLIC_URL}/u/${oldToken}`)).statusCode, 200)
      const current = await link(org, { from_domain: domain.name, recipient: 'current@example.net' })

      const retired = await buildApp(testConfig({ rateLimitPerMinute: 0, unsubscribeKeys: [CURRENT] }), { store: ctx.store })
      try {
        const refused = await retired.inject({ method: 'POST', url: `/u/${retiredToken}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: ONE_CLICK_BODY })
        assert.equal(refused.statusCode, 400)
        const accepted = await retired.inject({ method: 'POST', url: pathOf(current.url), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: ONE_CLICK_BODY })
        assert.equal(accepted.statusCode, 200, accepted.body)
      } finally {
        await retired.close()
      }
      assert.deepEqual((await suppressionsOf(org)).map((row) => row.address).sort(), ['current@example.net', 'old@example.net'])
      assert.deepEqual((await unsubscribeRows(org.id)).map((row) => row.key_id).sort(), [OLD.id, CURRENT.id].sort())
    })

    test('the batch form: up to 1000 links in request order; a bad recipient or a foreign id is 422 naming it', async () => {
      const { org, domain } = await setup()
      const recipients = Array.from({ length: 1000 }, (_, i) => `r${i}@example.net`)
      const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links/batch', payload: { channel: 'email', from_domain: domain.name, recipients } })
      assert.equal(response.statusCode, 200, response.body)
      const links = response.json().data as Link[]
      assert.deepEqual(links.map((made) => made.recipient), recipients)
      assert.equal(new Set(links.map((made) => made.url)).size, 1000)
      assert.equal((await oneClick((links[417] as Link).url)).statusCode, 200)
      assert.deepEqual((await suppressionsOf(org)).map((row) => row.address), ['r417@example.net'])

      const tooMany = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links/batch', payload: { channel: 'email', from_domain: domain.name, recipients: [...recipients, 'one@more.net'] } })
      assert.equal(tooMany.statusCode, 422, tooMany.body)
      const other = await setup()
      const otherList = await createList(ctx, other.org)
      const bad = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links/batch', payload: { channel: 'email', from_domain: other.domain.name, list_id: otherList.id, recipients: ['ok@example.net', 'not an address'] } })
      assert.equal(bad.statusCode, 422, bad.body)
      assert.deepEqual(bad.json().error.details, {
        'recipients[1]': 'must be an email address',
        from_domain: "must be one of the organization's domains",
        list_id: "is not one of the organization's lists"
      })
      const sms = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links', payload: { channel: 'sms', from_domain: domain.name, recipient: '+14155550123' } })
      assert.equal(sms.statusCode, 422, sms.body)
    })

    test('the mailto form is added when an unsubscribe mailbox is configured', async () => {
      const withMailto = await buildApp(testConfig({ rateLimitPerMinute: 0, publicUrl: PUBLIC_URL, unsubscribeKeys: [CURRENT], unsubscribeMailto: 'unsubscribe@ombuds.example.com' }), { store: ctx.store })
      try {
        const { org, domain } = await setup()
        const response = await withMailto.inject({ method: 'POST', url: '/v1/unsubscribe-links', headers: { authorization: `Bearer ${org.ownerKey}` }, payload: { channel: 'email', from_domain: domain.name, recipient: 'm@example.net' } })
        assert.equal(response.statusCode, 200, response.body)
        const made = response.json().data as Link
        const token = made.url.slice(made.url.lastIndexOf('/') + 1)
        assert.equal(made.headers['List-Unsubscribe'], `<${made.url}>, <mailto:unsubscribe@ombuds.example.com?subject=unsubscribe%20${token}>`)
      } finally {
        await withMailto.close()
      }
    })

    test('on PostgreSQL without configured keys links are refused with a message naming the setting', async () => {
      const unconfigured = await buildApp(testConfig({ rateLimitPerMinute: 0, databaseUrl: 'postgres://unused.invalid/ombuds' }), { store: ctx.store })
      try {
        const { org, domain } = await setup()
        const response = await unconfigured.inject({ method: 'POST', url: '/v1/unsubscribe-links', headers: { authorization: `Bearer ${org.ownerKey}` }, payload: { channel: 'email', from_domain: domain.name, recipient: 'm@example.net' } })
        assert.equal(response.statusCode, 503, response.body)
        assert.match(response.json().error.message, /OMBUDS_UNSUBSCRIBE_KEYS/)
      } finally {
        await unconfigured.close()
      }
    })

    test('the complaint-rate report counts unsubscribes like complaints (by campaign, else by the link\'s list or domain), apart from the rate', async () => {
      const { org, domain } = await setup()
      const list = await createList(ctx, org)
      const campaign = await createCampaign(ctx, org, { name: 'Spring', channel: 'email', list_id: list.id, domain_id: domain.id, sent_count: 1000 })
      const links = [
        ...(['u1@example.net', 'u2@example.net'].map((recipient) => ({ recipient, campaign_id: campaign.id, list_id: list.id }))),
        { recipient: 'u3@example.net', list_id: list.id }
      ]
      for (const { recipient, ...ids } of links) {
        const made = await link(org, { from_domain: domain.name, recipient, ...ids })
        assert.equal((await oneClick(made.url)).statusCode, 200)
        assert.equal((await oneClick(made.url)).statusCode, 200)
      }
      const rows = async (groupBy: string, query = '') => {
        const response = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/reports/complaint-rates?group_by=${groupBy}${query}` })
        assert.equal(response.statusCode, 200, response.body)
        return (response.json().data as Array<{ key: string, complaints: number, sent: number, unsubscribes: number, rate: number | null }>)
          .map((row) => [row.key, row.complaints, row.sent, row.unsubscribes, row.rate])
      }
      assert.deepEqual(await rows('campaign'), [[campaign.id, 0, 1000, 2, 0]])
      assert.deepEqual(await rows('list'), [[list.id, 0, 1000, 3, 0]])
      assert.deepEqual(await rows('domain'), [[domain.id, 0, 1000, 3, 0]])
      assert.deepEqual(await rows('phone_number'), [])
      // A window after everything: no campaign in it, no unsubscribe made in it.
      assert.deepEqual(await rows('list', '&since=2099-01-01'), [])
    })
  })
}
