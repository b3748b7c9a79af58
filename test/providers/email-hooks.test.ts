import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { registerDomain, suppressionsOf } from '../intake/intake-helpers.js'
import { connect, type Connection, deliver, eventCount, mailgunSignature, nowSeconds, sendGridHeaders, sendGridKeys, writes } from './provider-helpers.js'

const NOTHING = { complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, provider_events: 0 }

const domainName = (): string => `mail-${randomBytes(4).toString('hex')}.example.com`

async function complaintsOf (ctx: TestContext, orgId: string) {
  return await ctx.store.db.selectFrom('complaints').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute()
}

/** SendGrid's Event Webhook batch, as its documentation shows it, CRLF after each event as SendGrid sends it. */
function sendGridBatch (events: Array<Record<string, unknown>>): string {
  return `[${events.map((event) => JSON.stringify(event)).join(',\r\n')}]\r\n`
}

function sendGridEvent (event: string, email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email,
    timestamp: Math.floor(Date.now() / 1000),
    'smtp-id': `<${randomBytes(6).toString('hex')}@ismtpd0001p1las1.sendgrid.net>`,
    event,
    category: ['newsletter'],
    sg_event_id: randomBytes(16).toString('base64url'),
    sg_message_id: `${randomBytes(11).toString('base64url')}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0`,
    ...extra
  }
}

/** Postmark's SpamComplaint webhook, as its documentation shows it. */
function postmarkSpamComplaint (email: string, from: string): Record<string, unknown> {
  return {
    RecordType: 'SpamComplaint',
    MessageStream: 'outbound',
    ID: Math.floor(Math.random() * 1e12),
    Type: 'SpamComplaint',
    TypeCode: 100001,
    Name: 'Spam complaint',
    Tag: 'Invitation',
    MessageID: randomUUID(),
    Metadata: { a_key: 'a_value', b_key: 'b_value' },
    ServerID: 23,
    Description: 'The subscriber explicitly marked this message as spam.',
    Details: 'Test spam complaint details',
    Email: email,
    From: from,
    BouncedAt: new Date().toISOString(),
    DumpAvailable: true,
    Inactive: true,
    CanActivate: false,
    Subject: 'Test subject',
    Content: '<Abuse report dump>'
  }
}

function postmarkSubscriptionChange (recipient: string, reason: string | null, suppress = true): Record<string, unknown> {
  return {
    RecordType: 'SubscriptionChange',
    MessageID: randomUUID(),
    ServerID: 23,
    MessageStream: 'broadcast',
    ChangedAt: new Date().toISOString(),
    Recipient: recipient,
    Origin: 'Recipient',
    SuppressSending: suppress,
    SuppressionReason: reason,
    Tag: 'my-tag',
    Metadata: { 'example-key': 'example value' }
  }
}

/** Mailgun's webhook body, as its documentation shows it. */
function mailgunEvent (signingKey: string, event: string, recipient: string, domain: string, signature = mailgunSignature(signingKey)): string {
  return JSON.stringify({
    signature,
    'event-data': {
      tags: ['my_tag_1', 'my_tag_2'],
      timestamp: Date.now() / 1000,
      storage: { url: 'https://se.api.mailgun.net/v3/domains/acme.com/messages/message_key', key: 'message_key' },
      envelope: { sending_ip: '209.61.154.250', sender: `bob@${domain}`, transport: 'smtp', targets: recipient },
      recipient_domain: recipient.split('@')[1],
      id: randomBytes(16).toString('base64url'),
      campaigns: [],
      'user-variables': { my_var_1: 'Mailgun Variable #1', 'my-var-2': 'awesome' },
      flags: { 'is-routed': false, 'is-authenticated': true, 'is-system-test': false, 'is-test-mode': false },
      'log-level': event === 'complained' ? 'warn' : 'info',
      message: { headers: { to: `Alice <${recipient}>`, 'message-id': `20130503192659.13651.20287@${domain}`, from: `Bob <bob@${domain}>`, subject: 'Test complained webhook' }, attachments: [], size: 111 },
      recipient,
      event
    }
  })
}

for (const database of testDatabases()) {
  describe(`provider webhooks: email (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    async function sendGridSetup (): Promise<{ org: TestOrg, connection: Connection, privateKey: ReturnType<typeof sendGridKeys>['privateKey'] }> {
      const org = await ctx.createOrg()
      const keys = sendGridKeys()
      return { org, connection: await connect(ctx, org, 'sendgrid', { public_key: keys.publicKey }), privateKey: keys.privateKey }
    }

    test('SendGrid: a batch is applied all together: spamreport files a complaint, unsubscribes opt out, the rest is counted', async () => {
      const { org, connection, privateKey } = await sendGridSetup()
      const batch = sendGridBatch([
        sendGridEvent('processed', 'pat@example.net'),
        sendGridEvent('spamreport', 'Pat@Example.net'),
        sendGridEvent('unsubscribe', 'lee@example.org'),
        sendGridEvent('group_unsubscribe', 'kim@example.org', { asm_group_id: 42 }),
        sendGridEvent('open', 'kim@example.org', { useragent: 'Mozilla/5.0', ip: '255.255.255.255' })
      ])
      const ignoredBefore = await eventCount(ctx, { provider: 'sendgrid', type: 'open', outcome: 'ignored' })
      const response = await deliver(ctx, connection, batch, sendGridHeaders(privateKey, batch))
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json().data, { events: 5, recorded: 3, duplicates: 0, ignored: 2 })
      assert.equal(await eventCount(ctx, { provider: 'sendgrid', type: 'open', outcome: 'ignored' }), ignoredBefore + 1)

      const [complaint, ...more] = await complaintsOf(ctx, org.id)
      assert.equal(more.length, 0)
      assert.equal(complaint?.source, 'feedback_loop')
      assert.equal(complaint?.channel, 'email')
      assert.equal(complaint?.reporter_email, 'pat@example.net')
      assert.equal(complaint?.feedback_type, 'abuse')
      const suppressions = await suppressionsOf(ctx, org.id)
      assert.deepEqual(suppressions.map((row) => [row.address, row.reason, row.scope]).sort(), [
        ['kim@example.org', 'opt_out', 'org'], ['lee@example.org', 'opt_out', 'org'], ['pat@example.net', 'complaint', 'org']
      ])
      assert.equal(suppressions.find((row) => row.reason === 'complaint')?.complaint_id, complaint?.id)

      const before = await writes(ctx, org.id)
      const retry = await deliver(ctx, connection, batch, sendGridHeaders(privateKey, batch))
      assert.deepEqual(retry.json().data, { events: 5, recorded: 0, duplicates: 3, ignored: 2 })
      assert.deepEqual(await writes(ctx, org.id), before, 'a replayed batch writes nothing')
    })

    test('SendGrid: a wrong key, a changed body, a stale timestamp or no signature is 401 and writes nothing', async () => {
      const { org, connection, privateKey } = await sendGridSetup()
      const batch = sendGridBatch([sendGridEvent('spamreport', 'pat@example.net')])
      const cases = [
        await deliver(ctx, connection, batch, sendGridHeaders(sendGridKeys().privateKey, batch)),
        await deliver(ctx, connection, batch.trimEnd(), sendGridHeaders(privateKey, batch)),
        await deliver(ctx, connection, batch, sendGridHeaders(privateKey, batch, nowSeconds(-26 * 60 * 60))),
        await deliver(ctx, connection, batch, { 'content-type': 'application/json' })
      ]
      for (const response of cases) assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(await writes(ctx, org.id), NOTHING)
    })

    test('Postmark: SpamComplaint files a complaint for the sending domain; SubscriptionChange opts out; Basic auth checked', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, domainName())
      const connection = await connect(ctx, org, 'postmark', { username: 'postmark-hooks', password: 'correct horse battery staple' })
      const auth = `Basic ${Buffer.from('postmark-hooks:correct horse battery staple').toString('base64')}`
      const post = async (body: Record<string, unknown>, authorization = auth) =>
        await deliver(ctx, connection, JSON.stringify(body), { 'content-type': 'application/json', authorization })

      const complaintBody = postmarkSpamComplaint('pat@example.net', `news@${domain.name}`)
      for (const authorization of [`Basic ${Buffer.from('postmark-hooks:wrong').toString('base64')}`, `Basic ${Buffer.from('other:correct horse battery staple').toString('base64')}`, '']) {
        const refused = await post(complaintBody, authorization)
        assert.equal(refused.statusCode, 401, refused.body)
      }
      assert.deepEqual(await writes(ctx, org.id), NOTHING)

      const response = await post(complaintBody)
      assert.equal(response.statusCode, 200, response.body)
      const [complaint] = await complaintsOf(ctx, org.id)
      assert.equal(complaint?.reporter_email, 'pat@example.net')
      assert.equal(complaint?.domain_id, domain.id)
      const [suppression] = await suppressionsOf(ctx, org.id)
      assert.equal(suppression?.scope, 'domain')
      assert.equal(suppression?.domain_id, domain.id)
      assert.equal(suppression?.reason, 'complaint')

      const before = await writes(ctx, org.id)
      assert.equal((await post(complaintBody)).json().data.duplicates, 1)
      assert.deepEqual(await writes(ctx, org.id), before, 'a retried complaint writes nothing')

      const legacy = { ...postmarkSpamComplaint('sam@example.net', `news@${domain.name}`), RecordType: 'Bounce' }
      assert.equal((await post(legacy)).json().data.recorded, 1, 'the older Bounce webhook with Type SpamComplaint')

      assert.equal((await post(postmarkSubscriptionChange('lee@example.org', 'ManualSuppression'))).json().data.recorded, 1)
      assert.equal((await post(postmarkSubscriptionChange('lee@example.org', null, false))).json().data.ignored, 1, 'a reactivation lifts nothing')
      assert.equal((await post(postmarkSubscriptionChange('bo@example.org', 'HardBounce'))).json().data.ignored, 1)
      assert.equal((await post({ RecordType: 'Delivery', MessageID: randomUUID(), Recipient: 'x@example.org' })).json().data.ignored, 1)
      const optOut = (await suppressionsOf(ctx, org.id)).find((row) => row.address === 'lee@example.org')
      assert.equal(optOut?.reason, 'opt_out')
    })

    test('Mailgun: complained files a complaint, unsubscribed opts out; a replayed token is refused even with other data', async () => {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, domainName())
      const signingKey = `key-${randomBytes(16).toString('hex')}`
      const connection = await connect(ctx, org, 'mailgun', { signing_key: signingKey })
      const post = async (body: string) => await deliver(ctx, connection, body, { 'content-type': 'application/json' })

      const complained = mailgunEvent(signingKey, 'complained', 'alice@example.com', domain.name)
      const response = await post(complained)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().data.recorded, 1)
      const [complaint] = await complaintsOf(ctx, org.id)
      assert.equal(complaint?.reporter_email, 'alice@example.com')
      assert.equal(complaint?.domain_id, domain.id)

      const before = await writes(ctx, org.id)
      const replay = await post(complained)
      assert.equal(replay.statusCode, 401, 'the same token twice')
      const forged = JSON.parse(complained)
      forged['event-data'].recipient = 'victim@example.com'
      forged['event-data'].id = 'forged'
      assert.equal((await post(JSON.stringify(forged))).statusCode, 401, 'a replayed signature carrying other data')
      assert.deepEqual(await writes(ctx, org.id), before)

      const unsubscribed = await post(mailgunEvent(signingKey, 'unsubscribed', 'bob@example.com', domain.name))
      assert.equal(unsubscribed.json().data.recorded, 1)
      const delivered = await post(mailgunEvent(signingKey, 'delivered', 'bob@example.com', domain.name))
      assert.equal(delivered.json().data.ignored, 1)
      const suppressions = await suppressionsOf(ctx, org.id)
      assert.deepEqual(suppressions.map((row) => [row.address, row.reason, row.scope]).sort(), [
        ['alice@example.com', 'complaint', 'domain'], ['bob@example.com', 'opt_out', 'domain']
      ])
    })

    test('Mailgun: a wrong key or a stale timestamp is 401 and writes nothing', async () => {
      const org = await ctx.createOrg()
      const signingKey = `key-${randomBytes(16).toString('hex')}`
      const connection = await connect(ctx, org, 'mailgun', { signing_key: signingKey })
      const cases = [
        mailgunEvent(signingKey, 'complained', 'alice@example.com', 'mg.example.com', mailgunSignature('another-key')),
        mailgunEvent(signingKey, 'complained', 'alice@example.com', 'mg.example.com', mailgunSignature(signingKey, nowSeconds(-13 * 60 * 60))),
        mailgunEvent(signingKey, 'complained', 'alice@example.com', 'mg.example.com', { ...mailgunSignature(signingKey), timestamp: nowSeconds(-60) })
      ]
      for (const body of cases) {
        const response = await deliver(ctx, connection, body, { 'content-type': 'application/json' })
        assert.equal(response.statusCode, 401, response.body)
      }
      assert.deepEqual(await writes(ctx, org.id), NOTHING)
    })
  })
}
