import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { registerDomain, suppressionsOf } from '../intake/intake-helpers.js'
import { connect, type Connection, deliver, eventCount, signSnsMessage, snsSigning, writes } from './provider-helpers.js'

const NOTHING = { complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, provider_events: 0 }

/** Stands in for sns.<region>.amazonaws.com: the signing certificate and the SubscribeURL. */
async function startSnsEndpoint (): Promise<{ origin: string, confirmations: string[], server: Server }> {
  const confirmations: string[] = []
  const server = createServer((request, response) => {
    if (request.url === '/SimpleNotificationService-test.pem') {
      response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(snsSigning.certificate)
    } else if (request.url?.startsWith('/?Action=ConfirmSubscription') === true) {
      confirmations.push(request.url)
      response.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>')
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, confirmations, server }
}

for (const database of testDatabases()) {
  describe(`provider webhooks: Amazon SES through SNS (${database})`, () => {
    let ctx: TestContext
    let sns: Awaited<ReturnType<typeof startSnsEndpoint>>
    before(async () => {
      sns = await startSnsEndpoint()
      ctx = await startTestApp(database, { snsUrlPattern: '^http://127\\.0\\.0\\.1:\\d+$' })
    })
    after(async () => {
      await ctx.close()
      await new Promise((resolve) => sns.server.close(resolve))
    })

    const topicArn = (): string => `arn:aws:sns:us-east-1:123456789012:ses-complaints-${randomBytes(3).toString('hex')}`

    async function setup (): Promise<{ org: TestOrg, connection: Connection, topic: string, domain: { id: string, name: string } }> {
      const org = await ctx.createOrg()
      const domain = await registerDomain(ctx, org, `mail-${randomBytes(4).toString('hex')}.example.com`)
      const topic = topicArn()
      return { org, connection: await connect(ctx, org, 'ses', { topic_arn: topic }), topic, domain }
    }

    /** An SES complaint notification (SES's documented example), in SNS's envelope. */
    function complaintNotification (topic: string, source: string, recipients: string[], feedbackType: string | null = 'abuse', overrides: Record<string, string> = {}): Record<string, string> {
      const message = {
        notificationType: 'Complaint',
        complaint: {
          userAgent: 'ExampleCorp Feedback Loop (V0.01)',
          complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
          complaintFeedbackType: feedbackType ?? undefined,
          arrivalDate: '2016-01-27T14:59:38.237Z',
          timestamp: '2016-01-27T14:59:38.237Z',
          feedbackId: `000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-${randomBytes(3).toString('hex')}`,
          complaintSubType: null
        },
        mail: {
          timestamp: '2016-01-27T14:59:38.237Z',
          messageId: '000001378603177f-7a5433e7-8edb-42ae-af10-f0181f34d6ee-000000',
          source,
          sourceArn: 'arn:aws:ses:us-east-1:888888888888:identity/example.com',
          sourceIp: '127.0.3.0',
          sendingAccountId: '123456789012',
          destination: recipients,
          headersTruncated: false,
          commonHeaders: { from: [`Sender Name <${source}>`], to: recipients, messageId: 'custom-message-ID', subject: 'Message sent using Amazon SES' }
        }
      }
      return signSnsMessage({
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: topic,
        Message: JSON.stringify(message),
        Timestamp: new Date().toISOString(),
        SigningCertURL: `${sns.origin}/SimpleNotificationService-test.pem`,
        UnsubscribeURL: `${sns.origin}/?Action=Unsubscribe&SubscriptionArn=${topic}:${randomUUID()}`,
        ...overrides
      })
    }

    const post = async (connection: Connection, message: Record<string, string>) =>
      await deliver(ctx, connection, JSON.stringify(message), {
        'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type ?? '', 'x-amz-sns-message-id': message.MessageId ?? ''
      })

    test('a SubscriptionConfirmation is confirmed by visiting its SubscribeURL', async () => {
      const { connection, topic } = await setup()
      const token = randomBytes(32).toString('hex')
      const confirmation = signSnsMessage({
        Type: 'SubscriptionConfirmation',
        MessageId: randomUUID(),
        Token: token,
        TopicArn: topic,
        Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
        SubscribeURL: `${sns.origin}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`,
        Timestamp: new Date().toISOString(),
        SigningCertURL: `${sns.origin}/SimpleNotificationService-test.pem`
      }, '1')
      const response = await post(connection, confirmation)
      assert.equal(response.statusCode, 200, response.body)
      assert.ok(sns.confirmations.some((url) => url.includes(token)))
      assert.ok(await eventCount(ctx, { provider: 'ses', type: 'SubscriptionConfirmation', outcome: 'confirmed' }) >= 1)
    })

    test('a Complaint files one complaint per complained recipient with its feedback type; a retry writes nothing', async () => {
      const { org, connection, topic, domain } = await setup()
      const notification = complaintNotification(topic, `news@${domain.name}`, ['pat@example.net', 'lee@example.net'], 'fraud')
      const response = await post(connection, notification)
      assert.equal(response.statusCode, 200, response.body)
      const complaints = await ctx.store.db.selectFrom('complaints').selectAll().where('org_id', '=', org.id).execute()
      assert.deepEqual(complaints.map((row) => row.reporter_email).sort(), ['lee@example.net', 'pat@example.net'])
      for (const complaint of complaints) {
        assert.equal(complaint.feedback_type, 'fraud')
        assert.equal(complaint.category, 'phishing_fraud')
        assert.equal(complaint.source, 'feedback_loop')
        assert.equal(complaint.domain_id, domain.id)
      }
      const suppressions = await suppressionsOf(ctx, org.id)
      assert.deepEqual(suppressions.map((row) => [row.address, row.reason, row.domain_id]).sort(), [
        ['lee@example.net', 'complaint', domain.id], ['pat@example.net', 'complaint', domain.id]
      ])

      const before = await writes(ctx, org.id)
      const retry = await post(connection, notification)
      assert.equal(retry.json().data.duplicates, 1)
      assert.deepEqual(await writes(ctx, org.id), before)
    })

    test('not-spam files nothing; bounces and deliveries are 200 and counted', async () => {
      const { org, connection, topic, domain } = await setup()
      const notSpam = await post(connection, complaintNotification(topic, `news@${domain.name}`, ['pat@example.net'], 'not-spam'))
      assert.equal(notSpam.json().data.ignored, 1)
      const bounceBefore = await eventCount(ctx, { provider: 'ses', type: 'Bounce', outcome: 'ignored' })
      const bounce = signSnsMessage({
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: topic,
        Message: JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'x@example.net' }] }, mail: { source: `news@${domain.name}` } }),
        Timestamp: new Date().toISOString(),
        SigningCertURL: `${sns.origin}/SimpleNotificationService-test.pem`
      })
      assert.equal((await post(connection, bounce)).statusCode, 200)
      assert.equal(await eventCount(ctx, { provider: 'ses', type: 'Bounce', outcome: 'ignored' }), bounceBefore + 1)
      assert.equal((await writes(ctx, org.id)).complaints, 0)
    })

    test('a changed message, another topic, a stale timestamp or a certificate from elsewhere is 401 and writes nothing', async () => {
      const { org, connection, topic, domain } = await setup()
      const good = complaintNotification(topic, `news@${domain.name}`, ['pat@example.net'])
      const cases = [
        { ...good, Message: good.Message?.replace('pat@example.net', 'victim@example.net') ?? '' },
        complaintNotification(topicArn(), `news@${domain.name}`, ['pat@example.net']),
        complaintNotification(topic, `news@${domain.name}`, ['pat@example.net'], 'abuse', { Timestamp: new Date(Date.now() - 3 * 60 * 60 * 1000).toISOString() }),
        complaintNotification(topic, `news@${domain.name}`, ['pat@example.net'], 'abuse', { SigningCertURL: 'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem' }),
        complaintNotification(topic, `news@${domain.name}`, ['pat@example.net'], 'abuse', { SigningCertURL: `${sns.origin}/missing.pem` }),
        { ...good, SignatureVersion: '3' }
      ]
      for (const message of cases) {
        const response = await post(connection, message)
        assert.equal(response.statusCode, 401, response.body)
      }
      assert.deepEqual(await writes(ctx, org.id), NOTHING)
      assert.equal(sns.confirmations.filter((url) => url.includes(topic)).length, 0)
    })
  })
}
