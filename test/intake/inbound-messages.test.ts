import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { suppress } from '../../src/modules/suppressions/suppressions.service.js'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { createCampaign, createList, getComplaint, newMessageId, postInbound, randomNumber, registerNumber, rowCounts, suppressionsOf } from './intake-helpers.js'

const HOUR = 60 * 60 * 1000

for (const database of testDatabases()) {
  describe(`intake: inbound messages (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    /** An organization with one number, and a reply to it from a fresh recipient. */
    async function setup (): Promise<{ org: TestOrg, phone: { id: string, number: string }, from: string }> {
      const org = await ctx.createOrg()
      return { org, phone: await registerNumber(ctx, org), from: randomNumber() }
    }

    runAuthMatrix(() => ctx, [{
      method: 'POST',
      route: '/v1/intake/inbound-messages',
      scope: 'intake:write',
      success: 200,
      prepare: async (c, org) => ({
        url: '/v1/intake/inbound-messages',
        payload: { id: newMessageId(), from: randomNumber(), to: (await registerNumber(c, org)).number, body: 'see you at 5' }
      })
    }])

    test('an opt-out suppresses the sender for that number and files a complaint', async () => {
      const { org, phone, from } = await setup()
      const id = newMessageId()
      const campaign = await createCampaign(ctx, org, { phone_number_id: phone.id })
      const campaignId = campaign.id
      const outboundId = randomUUID()
      const response = await postInbound(ctx, { id, from, to: phone.number, body: 'STOP', campaign_id: campaignId, outbound_message_id: outboundId })
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.equal(answer.inbound_message_id, id)
      assert.equal(answer.classification.kind, 'opt_out')
      assert.equal(answer.classification.category, 'unwanted_contact')
      assert.equal(answer.classification.keyword, 'STOP')
      assert.ok(answer.complaint_id)
      assert.ok(answer.suppression_id)

      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.source, 'recipient')
      assert.equal(complaint.channel, 'sms')
      assert.equal(complaint.category, 'unwanted_contact')
      assert.equal(complaint.reporter_number, from)
      assert.equal(complaint.phone_number_id, phone.id)
      assert.equal(complaint.inbound_message_id, id)
      assert.equal(complaint.campaign_id, campaignId)
      assert.equal(complaint.outbound_message_id, outboundId)
      assert.equal(complaint.excerpt, 'STOP')

      const [suppression, ...others] = await suppressionsOf(ctx, org.id)
      assert.equal(others.length, 0)
      assert.ok(suppression)
      assert.equal(suppression.id, answer.suppression_id)
      assert.equal(suppression.channel, 'sms')
      assert.equal(suppression.address, from)
      assert.equal(suppression.scope, 'phone_number')
      assert.equal(suppression.phone_number_id, phone.id)
      assert.equal(suppression.reason, 'opt_out')
      assert.equal(suppression.complaint_id, answer.complaint_id)
    })

    test('the answer and the complaint\'s history say why: the phrase that fired and the language', async () => {
      const { org, phone, from } = await setup()
      const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'Por favor, não quero mais receber mensagens 🙏' })
      assert.equal(response.statusCode, 200, response.body)
      const expected = { kind: 'opt_out', keyword: null, category: 'unwanted_contact', reason: 'phrase "nao quero mais" (pt); category unwanted_contact', language: 'pt' }
      const answer = response.json().data
      assert.deepEqual(answer.classification, expected)
      const events = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}/events` })
      assert.equal(events.statusCode, 200, events.body)
      const [created, ...rest] = events.json().data
      assert.equal(rest.length, 0)
      assert.equal(created.type, 'created')
      assert.deepEqual(created.classification, expected)

      const help = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'HILFE' })).json().data
      assert.deepEqual(help.classification, { kind: 'help', keyword: 'HILFE', category: 'other', reason: 'keyword HILFE', language: 'de' })
      const none = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'see you at 5' })).json().data
      assert.equal(none.classification.reason, 'no rule fired')

      const status = await ctx.request(org.ownerKey, { method: 'PATCH', url: `/v1/complaints/${answer.complaint_id as string}`, payload: { status: 'triage' } })
      assert.equal(status.statusCode, 200, status.body)
      const history = (await ctx.request(org.memberKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}/events` })).json().data
      assert.equal(history[1].classification, null, 'only the created event carries the classification')
    })

    test('free-text revocations are opt-outs too; the excerpt is cut to 500 characters', async () => {
      const { org, phone, from } = await setup()
      const body = `${'I have told you many times already. '.repeat(10)}Please stop texting me, take me off your list. ${'x'.repeat(400)}`
      const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.equal(answer.classification.kind, 'opt_out')
      assert.ok(answer.suppression_id)
      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.excerpt, body.slice(0, 500))
    })

    test('keywords in any case, accents and the French/Spanish sets are opt-outs', async () => {
      const { org, phone } = await setup()
      const cases: Array<[string, string | null]> = [['stop', 'STOP'], ['ARRÊT', 'ARRET'], ['Baja', 'BAJA'], ['  Unsubscribe!! ', 'UNSUBSCRIBE'], ['leave me alone', null]]
      for (const [body, keyword] of cases) {
        const from = randomNumber()
        const answer = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })).json().data
        const { kind, keyword: decided, category } = answer.classification
        assert.deepEqual({ kind, keyword: decided, category }, { kind: 'opt_out', keyword, category: 'unwanted_contact' }, body)
        const suppression = (await suppressionsOf(ctx, org.id)).find((row) => row.id === answer.suppression_id)
        assert.equal(suppression?.address, from, body)
      }
    })

    test('replaying an id returns the first answer and writes nothing, whatever the replay says', async () => {
      const { org, phone, from } = await setup()
      const payload = { id: newMessageId(), from, to: phone.number, body: 'STOP' }
      const first = await postInbound(ctx, payload)
      assert.equal(first.statusCode, 200, first.body)
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.complaints, counts.suppressions, counts.inbound_messages], [1, 1, 1])

      const replay = await postInbound(ctx, payload)
      assert.equal(replay.statusCode, 200)
      assert.deepEqual(replay.json(), first.json())
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      const changed = await postInbound(ctx, { ...payload, body: 'START', from: randomNumber() })
      assert.deepEqual(changed.json(), first.json())
      const upperCase = await postInbound(ctx, { ...payload, id: payload.id.toUpperCase() })
      assert.deepEqual(upperCase.json(), first.json(), 'a UUID is the same id in any case')
      assert.deepEqual(await rowCounts(ctx, org.id), counts)
      assert.equal((await suppressionsOf(ctx, org.id)).length, 1, 'the replayed START lifted nothing')
    })

    test('with an Idempotency-Key the same writes happen, and a repeat of the key replays', async () => {
      const { org, phone, from } = await setup()
      const send = async (body: string) => await ctx.request(ctx.platformKey, {
        method: 'POST', url: '/v1/intake/inbound-messages', headers: { 'idempotency-key': `reply-${phone.number}` }, payload: { id: newMessageId(), from, to: phone.number, body }
      })
      const first = await send('STOP')
      assert.equal(first.statusCode, 200, first.body)
      assert.equal(first.json().data.classification.kind, 'opt_out')
      assert.equal((await suppressionsOf(ctx, org.id)).length, 1)
      const sameKeyOtherBody = await send('START')
      assert.equal(sameKeyOtherBody.statusCode, 422, 'the key was used for another request')
      assert.equal((await suppressionsOf(ctx, org.id)).length, 1)
    })

    test('concurrent copies of one message are recorded once', async () => {
      const { org, phone, from } = await setup()
      const payload = { id: newMessageId(), from, to: phone.number, body: 'Unsubscribe' }
      const answers = await Promise.all(Array.from({ length: 6 }, async () => await postInbound(ctx, payload)))
      for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body)
      assert.equal(new Set(answers.map((answer) => answer.json().data.complaint_id)).size, 1)
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.complaints, counts.suppressions, counts.inbound_messages], [1, 1, 1])

      const plain = { id: newMessageId(), from, to: phone.number, body: 'See you at 5' }
      const plainAnswers = await Promise.all(Array.from({ length: 6 }, async () => await postInbound(ctx, plain)))
      for (const answer of plainAnswers) assert.deepEqual(answer.json(), plainAnswers[0]?.json())
      assert.equal((await rowCounts(ctx, org.id)).inbound_messages, 2)
    })

    test('HELP files a complaint of category other and suppresses no one', async () => {
      const { org, phone, from } = await setup()
      const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'HELP' })
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.deepEqual(answer.classification, { kind: 'help', keyword: 'HELP', category: 'other', reason: 'keyword HELP', language: 'en' })
      assert.equal(answer.suppression_id, null)
      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.category, 'other')
      assert.equal(complaint.source, 'recipient')
      assert.equal((await suppressionsOf(ctx, org.id)).length, 0)
    })

    test('an opt-in lifts the opt-out suppression of that number only', async () => {
      const { org, phone, from } = await setup()
      const other = await registerNumber(ctx, org)
      const stop = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })).json().data
      await postInbound(ctx, { id: newMessageId(), from, to: other.number, body: 'STOP' })
      assert.equal((await suppressionsOf(ctx, org.id)).length, 2)

      const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'START' })
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.deepEqual(answer.classification, { kind: 'opt_in', keyword: 'START', category: null, reason: 'keyword START', language: 'en' })
      assert.equal(answer.complaint_id, null)
      assert.equal(answer.suppression_id, stop.suppression_id, 'names the suppression it lifted')
      const left = await suppressionsOf(ctx, org.id)
      assert.deepEqual(left.map((row) => row.phone_number_id), [other.id], "the other number's opt-out stays")

      const again = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'START' })
      assert.equal(again.json().data.classification.kind, 'opt_in')
      assert.equal(again.json().data.suppression_id, null, 'nothing left to lift')
    })

    test('YES is an opt-in only after an opt-out', async () => {
      const { org, phone, from } = await setup()
      const before = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'YES' })
      assert.notEqual(before.json().data.classification.kind, 'opt_in')
      await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })
      const after = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'YES' })
      assert.equal(after.json().data.classification.kind, 'opt_in')
      assert.equal((await suppressionsOf(ctx, org.id)).length, 0)
    })

    test('complaint text files a complaint with its category and suppresses no one', async () => {
      const { org, phone, from } = await setup()
      const cases: Array<[string, string]> = [
        ['Is this a scam? That link looks fake', 'phishing_fraud'],
        ['Wrong number, who is this?', 'wrong_recipient']
      ]
      for (const [body, category] of cases) {
        const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })
        assert.equal(response.statusCode, 200, response.body)
        const answer = response.json().data
        assert.equal(answer.classification.kind, 'complaint', body)
        assert.equal(answer.classification.category, category, body)
        assert.equal(answer.suppression_id, null)
        const complaint = await getComplaint(ctx, org, answer.complaint_id)
        assert.equal(complaint.category, category)
        assert.equal(complaint.excerpt, body)
      }
      assert.equal((await suppressionsOf(ctx, org.id)).length, 0)
    })

    test('an ordinary reply records nothing but the answer', async () => {
      const { org, phone, from } = await setup()
      for (const body of ['Thanks, see you at 5', "Can't stop laughing at this", '']) {
        const id = newMessageId()
        const response = await postInbound(ctx, { id, from, to: phone.number, body })
        assert.equal(response.statusCode, 200, response.body)
        const explained = body === '' ? { reason: 'no words', language: null } : { reason: 'no rule fired', language: 'en' }
        assert.deepEqual(response.json().data, {
          inbound_message_id: id, classification: { kind: 'none', keyword: null, category: null, ...explained }, complaint_id: null, suppression_id: null
        }, body)
      }
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.complaints, counts.suppressions, counts.inbound_messages], [0, 0, 3])
    })

    test('one-statement filing: an existing suppression keeps its first reason and is the one named, stored and counted once; a campaign\'s list gets its day count', async () => {
      const { org, phone, from } = await setup()
      const [manual] = await suppress(ctx.store.db, org.id, [{ channel: 'sms', address: from, phoneNumberId: phone.id }], { reason: 'manual' })
      assert.ok(manual)
      const total = async () => Number((await ctx.store.db.selectFrom('suppression_tallies').select((eb) => eb.fn.sum<number>('total').as('total'))
        .where('org_id', '=', org.id).executeTakeFirstOrThrow()).total)
      assert.equal(await total(), 1)
      const list = await createList(ctx, org)
      const campaign = await createCampaign(ctx, org, { list_id: list.id })
      const payload = { id: newMessageId(), from, to: phone.number, body: 'STOP', campaign_id: campaign.id }
      const first = await postInbound(ctx, payload)
      assert.equal(first.statusCode, 200, first.body)
      const answer = first.json().data
      assert.equal(answer.suppression_id, manual.id)
      const rows = await suppressionsOf(ctx, org.id)
      assert.equal(rows.length, 1)
      assert.equal(rows[0]?.reason, 'manual', 'the first reason is kept')
      assert.equal(rows[0]?.complaint_id, null)
      assert.equal(await total(), 1, 'suppression tallies unchanged by the kept row')
      const complaint = await getComplaint(ctx, org, answer.complaint_id)
      assert.equal(complaint.list_id, list.id)
      const days = await ctx.store.db.selectFrom('list_complaint_days').select('total').where('org_id', '=', org.id).where('list_id', '=', list.id).execute()
      assert.deepEqual(days.map((day) => Number(day.total)), [1])
      const replay = await postInbound(ctx, payload)
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.deepEqual(replay.json().data, answer, 'the stored answer names the same suppression')

      const fresh = randomNumber()
      const stop = (await postInbound(ctx, { id: newMessageId(), from: fresh, to: phone.number, body: 'STOP' })).json().data
      const created = (await suppressionsOf(ctx, org.id)).find((row) => row.address === fresh)
      assert.equal(created?.id, stop.suppression_id)
      assert.equal(created?.complaint_id, stop.complaint_id)
      assert.equal(await total(), 2)
    })

    test('a repeated opt-out more than 24 h after the first is opt_out_not_honored; within 24 h it is not', async () => {
      const { org, phone, from } = await setup()
      const [old] = await suppress(ctx.store.db, org.id, [{ channel: 'sms', address: from, phoneNumberId: phone.id }], {
        reason: 'opt_out', createdAt: new Date(Date.now() - 25 * HOUR)
      })
      assert.ok(old)
      const late = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })
      assert.equal(late.statusCode, 200, late.body)
      const answer = late.json().data
      assert.equal(answer.classification.kind, 'opt_out')
      assert.equal(answer.classification.category, 'opt_out_not_honored')
      assert.equal(answer.suppression_id, old.id, 'the existing suppression stays, with its first reason')
      assert.equal((await getComplaint(ctx, org, answer.complaint_id)).category, 'opt_out_not_honored')

      const recentFrom = randomNumber()
      await suppress(ctx.store.db, org.id, [{ channel: 'sms', address: recentFrom, phoneNumberId: phone.id }], {
        reason: 'opt_out', createdAt: new Date(Date.now() - 1 * HOUR)
      })
      const soon = await postInbound(ctx, { id: newMessageId(), from: recentFrom, to: phone.number, body: 'STOP' })
      assert.equal(soon.json().data.classification.category, 'unwanted_contact')

      const saysSo = await postInbound(ctx, { id: newMessageId(), from: randomNumber(), to: phone.number, body: 'I already said stop' })
      assert.equal(saysSo.json().data.classification.category, 'opt_out_not_honored', 'the text itself says an opt-out was ignored')

      const otherNumber = await registerNumber(ctx, org)
      const elsewhere = await postInbound(ctx, { id: newMessageId(), from, to: otherNumber.number, body: 'STOP' })
      assert.equal(elsewhere.json().data.classification.category, 'unwanted_contact', 'an opt-out of another number does not count')
    })

    test('unknown `to` is 422 details.to; numbers must be E.164; the id is 1..255 bytes', async () => {
      const { org, phone, from } = await setup()
      const unknown = await postInbound(ctx, { id: newMessageId(), from, to: randomNumber(), body: 'STOP' })
      assert.equal(unknown.statusCode, 422)
      assert.equal(unknown.json().error.code, 'VALIDATION_FAILED')
      assert.equal(unknown.json().error.details.to, 'is not a registered phone number')

      for (const bad of ['4155550123', '+1 415 555 0123', '(415) 555-0123', '+1415555', 'hello']) {
        const response = await postInbound(ctx, { id: newMessageId(), from: bad, to: phone.number, body: 'STOP' })
        assert.equal(response.statusCode, 422, bad)
        assert.match(response.json().error.details.from, /E\.164/, bad)
      }
      const badTo = await postInbound(ctx, { id: newMessageId(), from, to: '415-555-0100', body: 'STOP' })
      assert.equal(badTo.statusCode, 422)
      assert.match(badTo.json().error.details.to, /E\.164/)

      const emptyId = await postInbound(ctx, { id: '', from, to: phone.number, body: 'STOP' })
      assert.equal(emptyId.statusCode, 422)
      assert.equal(emptyId.json().error.details.id, 'must be at least 1 characters')
      // 128 two-byte characters: within 255 characters, over 255 bytes.
      const wideId = await postInbound(ctx, { id: 'é'.repeat(128), from, to: phone.number, body: 'STOP' })
      assert.equal(wideId.statusCode, 422)
      assert.equal(wideId.json().error.details.id, 'must be at most 255 bytes')
      const badProvider = await postInbound(ctx, { id: newMessageId(), provider: 'Twilio Inc', from, to: phone.number, body: 'STOP' })
      assert.equal(badProvider.statusCode, 422)
      assert.ok(badProvider.json().error.details.provider)

      const missing = await postInbound(ctx, { id: newMessageId(), from, to: phone.number })
      assert.equal(missing.statusCode, 422)
      assert.equal(missing.json().error.details.body, 'is required')

      const extra = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP', media: [] })
      assert.equal(extra.statusCode, 400)

      const notJson = await ctx.request(ctx.platformKey, { method: 'POST', url: '/v1/intake/inbound-messages', payload: '{"id":', headers: { 'content-type': 'application/json' } })
      assert.equal(notJson.statusCode, 400)

      assert.deepEqual(await rowCounts(ctx, org.id), {
        complaints: 0, complaint_events: 0, suppressions: 0, inbound_messages: 0, carrier_reports: 0, feedback_reports: 0
      })
    })

    test("any provider's id is accepted as it is; a replay is the same (provider, id)", async () => {
      const { org, phone, from } = await setup()
      const sid = `SM${randomUUID().replace(/-/g, '')}`
      const first = await postInbound(ctx, { id: sid, provider: 'twilio', from, to: phone.number, body: 'STOP' })
      assert.equal(first.statusCode, 200, first.body)
      assert.equal(first.json().data.inbound_message_id, sid, 'kept exactly, case included')
      const complaint = await getComplaint(ctx, org, first.json().data.complaint_id)
      assert.equal(complaint.inbound_message_id, sid)

      const replay = await postInbound(ctx, { id: sid, provider: 'twilio', from, to: phone.number, body: 'STOP' })
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.deepEqual(replay.json().data, first.json().data)
      const otherCase = await postInbound(ctx, { id: sid.toUpperCase(), provider: 'twilio', from, to: phone.number, body: 'hello' })
      assert.equal(otherCase.headers['idempotent-replayed'], undefined, 'opaque ids are case-sensitive')
      const otherProvider = await postInbound(ctx, { id: sid, provider: 'telnyx', from, to: phone.number, body: 'hello' })
      assert.equal(otherProvider.headers['idempotent-replayed'], undefined, 'the same id from another provider is another message')

      const longest = 'x'.repeat(255)
      const long = await postInbound(ctx, { id: longest, from, to: phone.number, body: 'thanks' })
      assert.equal(long.statusCode, 200, long.body)
      assert.equal((await rowCounts(ctx, org.id)).inbound_messages, 4)
    })

    test('an opt-out naming a foreign campaign is still recorded, without the campaign', async () => {
      const { org, phone, from } = await setup()
      const foreignCampaign = await createCampaign(ctx, await ctx.createOrg())
      const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP', campaign_id: foreignCampaign.id })
      assert.equal(response.statusCode, 200, response.body)
      const answer = response.json().data
      assert.ok(answer.suppression_id)
      const complaint = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}` })
      assert.equal(complaint.json().data.campaign_id, null)
      assert.equal((await rowCounts(ctx, org.id)).suppressions, 1)
    })

    test('a reply lands in the organization that owns `to`, nowhere else', async () => {
      const { org, phone, from } = await setup()
      const other = await ctx.createOrg()
      const answer = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })).json().data
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}` })).statusCode, 200)
      assert.equal((await ctx.request(other.ownerKey, { method: 'GET', url: `/v1/complaints/${answer.complaint_id as string}` })).statusCode, 404)
      assert.equal((await rowCounts(ctx, other.id)).inbound_messages, 0)
    })

    /** The recipients of `numbers` the send-path check says must not be sent to from `phone`, with the suppression named. */
    async function checked (org: TestOrg, phone: { number: string }, numbers: string[]): Promise<Map<string, string>> {
      const response = await ctx.request(org.ownerKey, {
        method: 'POST', url: '/v1/suppressions/check', payload: { channel: 'sms', from: phone.number, recipients: numbers }
      })
      assert.equal(response.statusCode, 200, response.body)
      const data = response.json().data as { suppressed: Array<{ address: string, suppression_id: string }> }
      return new Map(data.suppressed.map((row) => [row.address, row.suppression_id]))
    }

    async function suppressionEventsOf (orgId: string, address: string) {
      return await ctx.store.db.selectFrom('suppression_events').select(['type', 'suppression_id'])
        .where('org_id', '=', orgId).where('address', '=', address).execute()
    }

    test('STOP then START from many recipients at once: every opt-in lifts the opt-out answered before it, nothing is lost', async () => {
      const { org, phone } = await setup()
      const senders = Array.from({ length: 8 }, () => randomNumber())
      const rounds = await Promise.all(senders.map(async (from) => {
        const answers = []
        for (const body of ['STOP', 'START', 'Stop', 'Start']) {
          const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })
          assert.equal(response.statusCode, 200, response.body)
          answers.push(response.json().data as { complaint_id: string | null, suppression_id: string | null })
        }
        return answers
      }))
      for (const [index, from] of senders.entries()) {
        const [stop1, start1, stop2, start2] = rounds[index] as Array<{ complaint_id: string | null, suppression_id: string | null }>
        assert.ok(stop1?.suppression_id && stop2?.suppression_id)
        assert.equal(start1?.suppression_id, stop1.suppression_id, 'the START lifted the STOP answered before it')
        assert.equal(start2?.suppression_id, stop2.suppression_id)
        assert.notEqual(stop1.suppression_id, stop2.suppression_id, 'the second STOP suppressed anew')
        const events = await suppressionEventsOf(org.id, from)
        assert.deepEqual(events.map((event) => `${event.type} ${event.suppression_id}`).sort(), [
          `added ${stop1.suppression_id}`, `added ${stop2.suppression_id}`, `removed ${stop1.suppression_id}`, `removed ${stop2.suppression_id}`
        ].sort())
      }
      assert.equal((await checked(org, phone, senders)).size, 0, 'every recipient opted in last')
      const counts = await rowCounts(ctx, org.id)
      assert.deepEqual([counts.inbound_messages, counts.complaints, counts.suppressions], [32, 16, 0])
    })

    test('STOP and START racing for the same recipient: the final state is the one the answers describe', async () => {
      const { org, phone } = await setup()
      const senders = Array.from({ length: 8 }, () => randomNumber())
      const pairs = await Promise.all(senders.map(async (from) => await Promise.all(['STOP', 'START'].map(async (body) => {
        const response = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body })
        assert.equal(response.statusCode, 200, response.body)
        return response.json().data as { suppression_id: string | null }
      }))))
      const suppressed = await checked(org, phone, senders)
      for (const [index, from] of senders.entries()) {
        const [stop, start] = pairs[index] as Array<{ suppression_id: string | null }>
        assert.ok(stop?.suppression_id)
        const events = (await suppressionEventsOf(org.id, from)).map((event) => `${event.type} ${event.suppression_id}`).sort()
        if (start?.suppression_id === null) {
          // The START came first: nothing to lift, and the STOP's suppression stands.
          assert.equal(suppressed.get(from), stop.suppression_id, `${from} opted out last`)
          assert.deepEqual(events, [`added ${stop.suppression_id}`])
        } else {
          assert.equal(start?.suppression_id, stop.suppression_id, 'the START lifted that STOP')
          assert.equal(suppressed.has(from), false, `${from} opted in last`)
          assert.deepEqual(events, [`added ${stop.suppression_id}`, `removed ${stop.suppression_id}`])
        }
      }
      assert.equal((await rowCounts(ctx, org.id)).inbound_messages, 16, 'every reply is recorded')
    })

    test('a number replied to before is known without a read, yet its sender\'s history still decides', async () => {
      const { org, phone, from } = await setup()
      // The first reply reads the number; the ones below find it known.
      assert.equal((await postInbound(ctx, { id: newMessageId(), from: randomNumber(), to: phone.number, body: 'see you at 5' })).statusCode, 200)
      const [old] = await suppress(ctx.store.db, org.id, [{ channel: 'sms', address: from, phoneNumberId: phone.id }], {
        reason: 'opt_out', createdAt: new Date(Date.now() - 25 * HOUR)
      })
      assert.ok(old)
      const late = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })).json().data
      assert.equal(late.classification.category, 'opt_out_not_honored')
      assert.equal(late.suppression_id, old.id)
      const yes = (await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'YES' })).json().data
      assert.equal(yes.classification.kind, 'opt_in', 'YES after an opt-out, with the number known')
      assert.equal(yes.suppression_id, old.id)
      const fresh = (await postInbound(ctx, { id: newMessageId(), from: randomNumber(), to: phone.number, body: 'STOP' })).json().data
      assert.equal(fresh.classification.category, 'unwanted_contact')
      assert.equal((await rowCounts(ctx, org.id)).complaints, 2, 'a statement refused by its history check wrote nothing')
    })

    test('a number known from an earlier reply and deleted since is unregistered; registered again elsewhere, replies land there', async () => {
      const { org, phone, from } = await setup()
      const first = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'see you at 5' })
      assert.equal(first.statusCode, 200, first.body)
      // The record keeps a number from being deleted: an operator purges it first.
      await ctx.store.db.deleteFrom('inbound_messages').where('org_id', '=', org.id).execute()
      const deleted = await ctx.request(ctx.platformKey, { method: 'DELETE', url: `/v1/admin/orgs/${org.id}/phone-numbers/${phone.id}` })
      assert.equal(deleted.statusCode, 200, deleted.body)
      const gone = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })
      assert.equal(gone.statusCode, 422, gone.body)
      assert.equal(gone.json().error.details.to, 'is not a registered phone number')

      const other = await ctx.createOrg()
      await registerNumber(ctx, other, phone.number)
      await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'ok' })
      const moved = await postInbound(ctx, { id: newMessageId(), from, to: phone.number, body: 'STOP' })
      assert.equal(moved.statusCode, 200, moved.body)
      assert.equal((await ctx.request(other.ownerKey, { method: 'GET', url: `/v1/complaints/${moved.json().data.complaint_id as string}` })).statusCode, 200)
      assert.deepEqual([(await rowCounts(ctx, org.id)).complaints, (await rowCounts(ctx, other.id)).complaints], [0, 1])
    })
  })
}
