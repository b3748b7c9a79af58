import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import type { TestContext, TestOrg } from '../helper.js'

export interface Connection {
  id: string
  provider: string
  label: string
  webhook_url: string
  created_at: string
}

export async function connect (ctx: TestContext, org: TestOrg, provider: string, credentials: Record<string, string>): Promise<Connection> {
  const response = await ctx.request(ctx.platformKey, {
    method: 'POST', url: `/v1/admin/orgs/${org.id}/provider-connections`, payload: { provider, label: `${provider} test`, credentials }
  })
  if (response.statusCode !== 201) throw new Error(`could not connect ${provider}: ${response.body}`)
  return response.json().data as Connection
}

/** POSTs a webhook delivery to the connection's URL, as the provider would. */
export async function deliver (ctx: TestContext, connection: Connection, body: string | Buffer, headers: Record<string, string>): Promise<LightMyRequestResponse> {
  return await ctx.app.inject({ method: 'POST', url: new URL(connection.webhook_url).pathname, payload: body, headers })
}

export const nowSeconds = (offsetSeconds = 0): string => String(Math.floor(Date.now() / 1000) + offsetSeconds)

/** Twilio's documented scheme: base64 HMAC-SHA1 of the URL + each sorted name and value. */
export function twilioSignature (authToken: string, url: string, params: Record<string, string>): string {
  const signed = Object.keys(params).sort().map((name) => name + (params[name] as string)).join('')
  return createHmac('sha1', authToken).update(url + signed).digest('base64')
}

/** A Telnyx account key pair; `publicKey` as Mission Control shows it (base64 of the raw 32 bytes). */
export function telnyxKeys (): { publicKey: string, privateKey: KeyObject } {
  const pair = generateKeyPairSync('ed25519')
  return { publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64'), privateKey: pair.privateKey }
}

export function telnyxHeaders (privateKey: KeyObject, body: string, timestamp = nowSeconds()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'telnyx-timestamp': timestamp,
    'telnyx-signature-ed25519': sign(null, Buffer.from(`${timestamp}|${body}`), privateKey).toString('base64')
  }
}

/** A SendGrid Event Webhook key pair; `publicKey` as its console shows it (base64 DER SPKI). */
export function sendGridKeys (): { publicKey: string, privateKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  return { publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey: pair.privateKey }
}

export function sendGridHeaders (privateKey: KeyObject, body: string, timestamp = nowSeconds()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-twilio-email-event-webhook-timestamp': timestamp,
    'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('base64')
  }
}

/** Mailgun's signature block: hex HMAC-SHA256 of timestamp + token with the signing key. */
export function mailgunSignature (signingKey: string, timestamp = nowSeconds(), token = randomBytes(25).toString('hex')) {
  return { timestamp, token, signature: createHmac('sha256', signingKey).update(timestamp + token).digest('hex') }
}

const fixtures = join(import.meta.dirname, 'fixtures')

/** A self-signed test certificate standing in for SNS's signing certificate. */
export const snsSigning = {
  certificate: readFileSync(join(fixtures, 'sns-signing.pem'), 'utf8'),
  privateKey: readFileSync(join(fixtures, 'sns-signing.key'), 'utf8')
}

/** Signs an SNS message as SNS does: `Key\nValue\n` for each signed field present, in AWS's order. */
export function signSnsMessage (message: Record<string, string>, version: '1' | '2' = '2'): Record<string, string> {
  const fields = message.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
  const signed = fields.filter((field) => message[field] !== undefined).map((field) => `${field}\n${message[field] as string}\n`).join('')
  const signature = sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(signed), snsSigning.privateKey).toString('base64')
  return { ...message, SignatureVersion: version, Signature: signature }
}

/** Rows the organization has in the tables a webhook can write. */
export async function writes (ctx: TestContext, orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of ['complaints', 'complaint_events', 'suppressions', 'inbound_messages', 'provider_events'] as const) {
    const row = await ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

/** The value of one series of ombuds_provider_events_total. */
export async function eventCount (ctx: TestContext, labels: { provider: string, type: string, outcome: string }): Promise<number> {
  const metric = await ctx.app.metrics.getSingleMetric('ombuds_provider_events_total')?.get()
  const value = metric?.values.find((entry) => entry.labels.provider === labels.provider && entry.labels.type === labels.type && entry.labels.outcome === labels.outcome)
  return value?.value ?? 0
}
