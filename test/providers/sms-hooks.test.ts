import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { randomNumber, registerNumber, suppressionsOf } from '../intake/intake-helpers.js'
import { connect, type Connection, deliver, eventCount, nowSeconds, telnyxHeaders, telnyxKeys, twilioSignature, writes } from './provider-helpers.js'

const AUTH_TOKEN = '12345abcdef0123456789abcdef01234'
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'

const sid = (prefix: string): string => `${prefix}${randomBytes(16).toString('hex')}`

/** Twilio's inbound-message parameters, as its documentation and real captures show them. */
function twilioInbound (from: string, to: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const messageSid = sid('SM')
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '94105',
    SmsSid: messageSid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: body,
    FromCountry: 'US',
    To: to,
    MessagingServiceSid: sid('MG'),
    ToZip: '',
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: sid('AC'),
    From: from,
    ApiVersion: '2010-04-01',
    ...extra
  }
}

/** Telnyx's message.received event, as its documentation shows it. */
function telnyxReceived (from: string, to: string, text: string): string {
  return JSON.stringify({
    data: {
      event_type: 'message.received',
      id: crypto.randomUUID(),
      occurred_at: new Date().toISOString(),
      payload: {
        cc: [],
        completed_at: null,
        cost: null,
        direction: 'inbound',
        encoding: 'GSM-7',
        errors: [],
        from: { carrier: 'T-Mobile USA', line_type: 'Wireless', phone_number: from },
        id: crypto.randomUUID(),
        media: [],
        messaging_profile_id: '740572b6-099c-44a1-89b9-6c92163bc68d',
        organization_id: 'b448f9cc-a842-4784-98e9-03c1a5872950',
        parts: 1,
        received_at: new Date().toISOString(),
        record_type: 'message',
        sent_at: null,
        subject: '',
        tags: [],
        text,
        to: [{ carrier: 'Telnyx', line_type: 'Wireless', phone_number: to, status: 'webhook_delivered' }],
        type: 'SMS',
        valid_until: null,
        webhook_failover_url: null,
        webhook_url: 'https://example.com/hooks'
      },
      record_type: 'event'
    },
    meta: { attempt: 1, delivered_to: 'https://example.com/hooks' }
  })
}

for (const database of testDatabases()) {
  describe(`provider webhooks: SMS (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    async function twilioSetup (): Promise<{ org: TestOrg, connection: Connection, number: string }> {
      const org = await ctx.createOrg()
      const { number } = await registerNumber(ctx, org)
      return { org, connection: await connect(ctx, org, 'twilio', { auth_token: AUTH_TOKEN }), number }
    }

    const postTwilio = async (connection: Connection, params: Record<string, string>, signature = twilioSignature(AUTH_TOKEN, connection.webhook_url, params)) =>
      await deliver(ctx, connection, new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature })

    test('the signing scheme matches Twilio\'s published test vector', () => {
      const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' }
      assert.equal(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')
    })

    test('Twilio: a STOP reply with OptOutType is an opt-out, answered with empty TwiML; a retry writes nothing', async () => {
      const { org, connection, number } = await twilioSetup()
      const from = randomNumber()
      const params = twilioInbound(from, number, 'STOP', { OptOutType: 'STOP' })
      const response = await postTwilio(connection, params)
      assert.equal(response.statusCode, 200, response.body)
      assert.match(String(response.headers['content-type']), /^text\/xml/)
      assert.equal(response.body, EMPTY_TWIML)

      const message = await ctx.store.db.selectFrom('inbound_messages').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(message.provider, 'twilio')
      assert.equal(message.id, params.MessageSid)
      assert.equal(message.kind, 'opt_out')
      const [suppression] = await suppressionsOf(ctx, org.id)
      assert.equal(suppression?.address, from)
      assert.equal(suppression?.reason, 'opt_out')
      assert.equal(suppression?.scope, 'phone_number')

      const before = await writes(ctx, org.id)
      const retry = await postTwilio(connection, params)
      assert.equal(retry.statusCode, 200)
      assert.equal(retry.body, EMPTY_TWIML)
      assert.deepEqual(await writes(ctx, org.id), before, 'a replayed MessageSid writes nothing')
      assert.ok(await eventCount(ctx, { provider: 'twilio', type: 'message.stop', outcome: 'duplicate' }) >= 1)
    })

    test("Twilio's OptOutType is authoritative: a custom opt-out word the classifier does not know still opts out", async () => {
      const { org, connection, number } = await twilioSetup()
      const response = await postTwilio(connection, twilioInbound(randomNumber(), number, 'Pineapple', { OptOutType: 'STOP' }))
      assert.equal(response.statusCode, 200, response.body)
      const message = await ctx.store.db.selectFrom('inbound_messages').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(message.kind, 'opt_out')
      assert.equal(message.keyword, 'STOP')
      assert.equal((await suppressionsOf(ctx, org.id))[0]?.reason, 'opt_out')

      // START lifts it, as Twilio re-subscribed the texter.
      const from = randomNumber()
      await postTwilio(connection, twilioInbound(from, number, 'STOP'))
      assert.equal((await suppressionsOf(ctx, org.id)).filter((row) => row.address === from).length, 1, 'without OptOutType the classifier decides')
      await postTwilio(connection, twilioInbound(from, number, 'Unstop', { OptOutType: 'START' }))
      assert.equal((await suppressionsOf(ctx, org.id)).filter((row) => row.address === from).length, 0)
    })

    test('Twilio: an ordinary reply is classified like any inbound message; a media-only message too', async () => {
      const { org, connection, number } = await twilioSetup()
      const response = await postTwilio(connection, twilioInbound(randomNumber(), number, 'is this a scam? who gave you my number'))
      assert.equal(response.statusCode, 200, response.body)
      const complaint = await ctx.store.db.selectFrom('complaints').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(complaint.source, 'recipient')
      assert.ok(complaint.inbound_message_id?.startsWith('SM'))
      const media = await postTwilio(connection, twilioInbound(randomNumber(), number, '', { NumMedia: '1', MediaContentType0: 'image/jpeg', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1' }))
      assert.equal(media.statusCode, 200, media.body)
    })

    test('Twilio: a wrong signature, another token or a changed parameter is 401 and writes nothing', async () => {
      const { org, connection, number } = await twilioSetup()
      const params = twilioInbound(randomNumber(), number, 'STOP')
      const refusedBefore = await eventCount(ctx, { provider: 'twilio', type: 'unknown', outcome: 'refused' })
      const cases = [
        await postTwilio(connection, params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='),
        await postTwilio(connection, params, twilioSignature('another-token', connection.webhook_url, params)),
        await postTwilio(connection, { ...params, Body: 'START' }, twilioSignature(AUTH_TOKEN, connection.webhook_url, params)),
        await postTwilio(connection, params, twilioSignature(AUTH_TOKEN, `${connection.webhook_url}?x=1`, params)),
        await deliver(ctx, connection, new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded' })
      ]
      for (const response of cases) {
        assert.equal(response.statusCode, 401, response.body)
        assert.equal(response.json().error.code, 'UNAUTHORIZED')
      }
      assert.deepEqual(await writes(ctx, org.id), { complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, provider_events: 0 })
      assert.equal(await eventCount(ctx, { provider: 'twilio', type: 'unknown', outcome: 'refused' }), refusedBefore + cases.length)
    })

    test("Twilio: a number of another organization is not the connection's (422, nothing written)", async () => {
      const { connection } = await twilioSetup()
      const other = await ctx.createOrg()
      const { number } = await registerNumber(ctx, other)
      const response = await postTwilio(connection, twilioInbound(randomNumber(), number, 'STOP'))
      assert.equal(response.statusCode, 422, response.body)
      assert.deepEqual(await writes(ctx, other.id), { complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, provider_events: 0 })
    })

    test('Telnyx: message.received is classified; signed with Ed25519 over timestamp|body; retries write nothing', async () => {
      const org = await ctx.createOrg()
      const { number } = await registerNumber(ctx, org)
      const keys = telnyxKeys()
      const connection = await connect(ctx, org, 'telnyx', { public_key: keys.publicKey })
      const from = randomNumber()
      const body = telnyxReceived(from, number, 'Stop')
      const response = await deliver(ctx, connection, body, telnyxHeaders(keys.privateKey, body))
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), { success: true, data: { events: 1, recorded: 1, duplicates: 0, ignored: 0 } })
      const message = await ctx.store.db.selectFrom('inbound_messages').selectAll().where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(message.provider, 'telnyx')
      assert.equal(message.id, JSON.parse(body).data.payload.id)
      assert.equal((await suppressionsOf(ctx, org.id))[0]?.address, from)

      const before = await writes(ctx, org.id)
      const replay = await deliver(ctx, connection, body, telnyxHeaders(keys.privateKey, body))
      assert.equal(replay.json().data.duplicates, 1)
      assert.deepEqual(await writes(ctx, org.id), before)
    })

    test('Telnyx: a wrong key, a changed body or a stale timestamp is 401 and writes nothing; other event types are 200 and counted', async () => {
      const org = await ctx.createOrg()
      const { number } = await registerNumber(ctx, org)
      const keys = telnyxKeys()
      const connection = await connect(ctx, org, 'telnyx', { public_key: keys.publicKey })
      const body = telnyxReceived(randomNumber(), number, 'STOP')
      const cases = [
        await deliver(ctx, connection, body, telnyxHeaders(telnyxKeys().privateKey, body)),
        await deliver(ctx, connection, body.replace('STOP', 'HELLO'), telnyxHeaders(keys.privateKey, body)),
        await deliver(ctx, connection, body, telnyxHeaders(keys.privateKey, body, nowSeconds(-301))),
        await deliver(ctx, connection, body, { 'content-type': 'application/json', 'telnyx-timestamp': nowSeconds() })
      ]
      for (const response of cases) assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(await writes(ctx, org.id), { complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, provider_events: 0 })

      const ignoredBefore = await eventCount(ctx, { provider: 'telnyx', type: 'message.finalized', outcome: 'ignored' })
      const finalized = JSON.stringify({ data: { event_type: 'message.finalized', id: crypto.randomUUID(), occurred_at: new Date().toISOString(), payload: { id: crypto.randomUUID(), direction: 'outbound' }, record_type: 'event' } })
      const response = await deliver(ctx, connection, finalized, telnyxHeaders(keys.privateKey, finalized))
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().data.ignored, 1)
      assert.equal(await eventCount(ctx, { provider: 'telnyx', type: 'message.finalized', outcome: 'ignored' }), ignoredBefore + 1)
    })
  })
}
