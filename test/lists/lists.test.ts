import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { runAuthMatrix } from '../auth-matrix.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { createList, MISSING_ID, upsertContacts } from './fixtures.js'

for (const database of testDatabases()) {
  describe(`lists and contacts (${database})`, () => {
    let ctx: TestContext
    before(async () => { ctx = await startTestApp(database) })
    after(async () => { await ctx.close() })

    const contactsOf = async (orgId: string) => await ctx.store.db.selectFrom('contacts').selectAll().where('org_id', '=', orgId).execute()

    runAuthMatrix(() => ctx, [
      { method: 'POST', route: '/v1/lists', scope: 'lists:write', success: 201, prepare: async () => ({ url: '/v1/lists', payload: { name: 'Newsletter' } }) },
      { method: 'GET', route: '/v1/lists', scope: 'lists:read', success: 200, prepare: async () => ({ url: '/v1/lists' }) },
      { method: 'GET', route: '/v1/lists/{id}', scope: 'lists:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/lists/${(await createList(c, org)).id}` }) },
      {
        method: 'POST',
        route: '/v1/lists/{id}/contacts',
        scope: 'lists:write',
        success: 200,
        ownsResource: true,
        prepare: async (c, org) => ({ url: `/v1/lists/${(await createList(c, org)).id}/contacts`, payload: { contacts: [{ email: 'a@example.com' }] } })
      },
      { method: 'GET', route: '/v1/lists/{id}/contacts', scope: 'lists:read', success: 200, ownsResource: true, prepare: async (c, org) => ({ url: `/v1/lists/${(await createList(c, org)).id}/contacts` }) }
    ])

    test('a list is created, read and listed; external_id is unique per organization', async () => {
      const org = await ctx.createOrg()
      const other = await ctx.createOrg()
      const list = await createList(ctx, org, { name: 'Newsletter', external_id: '1561' })
      assert.equal(list.name, 'Newsletter')
      assert.equal(list.external_id, '1561')
      const read = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${list.id}` })
      assert.equal(read.statusCode, 200)
      assert.deepEqual(read.json().data, list)
      const taken = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/lists', payload: { name: 'Again', external_id: '1561' } })
      assert.equal(taken.statusCode, 409)
      assert.equal(taken.json().error.code, 'CONFLICT')
      assert.equal(taken.json().error.details.external_id, 'is already used by another list')
      assert.equal((await createList(ctx, other, { external_id: '1561' })).external_id, '1561', 'another organization may use it')
      const second = await createList(ctx, org)
      assert.equal(second.external_id, null)

      const page1 = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/lists?limit=1' })
      assert.equal(page1.statusCode, 200)
      assert.equal(page1.json().meta.total, 2)
      assert.deepEqual(page1.json().data.map((l: { id: string }) => l.id), [second.id])
      const page2 = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists?limit=1&cursor=${encodeURIComponent(page1.json().meta.next_cursor as string)}` })
      assert.deepEqual(page2.json().data.map((l: { id: string }) => l.id), [list.id])
      assert.equal(page2.json().meta.next_cursor, null)

      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/lists/${MISSING_ID}` })).statusCode, 404)
      assert.equal((await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/lists/nope' })).statusCode, 422)
      const noName = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/lists', payload: {} })
      assert.equal(noName.statusCode, 422)
      assert.equal(noName.json().error.details.name, 'is required')
    })

    test('contacts upsert on email, else (without email) on phone: created_at and subscriber_id stay, updated_at moves, omitted fields stay', async () => {
      const org = await ctx.createOrg()
      const list = await createList(ctx, org)
      const first = await upsertContacts(ctx, org, list.id, [
        { email: 'Jane.Doe@Example.com', first_name: 'Jane', last_name: 'Doe', company: 'Acme', city: 'Seattle' },
        { phone: '(206) 555-1212', first_name: 'Jon' }
      ])
      assert.equal(first.created, 2)
      assert.equal(first.updated, 0)
      const [jane, jon] = first.contacts
      assert.ok(jane && jon)
      assert.equal(jane.email, 'jane.doe@example.com', 'email is lower-cased')
      assert.equal(jon.phone, '+12065551212', 'phone is E.164 for matching')
      assert.equal(jon.phone_display, '(206) 555-1212', 'and kept as given for display')
      assert.ok(Number.isInteger(jane.subscriber_id) && jane.subscriber_id > 0)
      assert.notEqual(jane.subscriber_id, jon.subscriber_id)
      assert.equal(jane.created_at, jane.updated_at)

      await new Promise((resolve) => setTimeout(resolve, 5))
      const second = await upsertContacts(ctx, org, list.id, [
        { email: 'jane.doe@example.com', last_name: 'Roe', company: null, phone: '+1 415 555 0100' },
        { phone: '206.555.1212', first_name: 'Jonathan' },
        { email: 'new@example.com' }
      ])
      assert.equal(second.created, 1)
      assert.equal(second.updated, 2)
      const [jane2, jon2, fresh] = second.contacts
      assert.ok(jane2 && jon2 && fresh)
      assert.equal(jane2.id, jane.id)
      assert.equal(jane2.subscriber_id, jane.subscriber_id)
      assert.equal(jane2.created_at, jane.created_at)
      assert.ok(jane2.updated_at > jane.updated_at, 'updated_at moves')
      assert.equal(jane2.first_name, 'Jane', 'omitted: kept')
      assert.equal(jane2.last_name, 'Roe', 'given: replaced')
      assert.equal(jane2.company, null, 'null: cleared')
      assert.equal(jane2.city, 'Seattle')
      assert.equal(jane2.phone, '+14155550100')
      assert.equal(jane2.phone_display, '+1 415 555 0100')
      assert.equal(jon2.id, jon.id, 'a contact without an email is found by its phone')
      assert.equal(jon2.first_name, 'Jonathan')
      assert.equal(jon2.phone_display, '206.555.1212', 'the latest given form')
      assert.equal((await contactsOf(org.id)).length, 3)

      const listed = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${list.id}/contacts?limit=100` })
      assert.equal(listed.json().meta.total, 3, 'each contact is on the list once')

      // A repeated entry for one contact in one call is applied in order.
      const repeated = await upsertContacts(ctx, org, list.id, [{ email: 'new@example.com', city: 'A' }, { email: 'NEW@example.com', city: 'B' }])
      assert.equal(repeated.created, 0)
      assert.equal(repeated.contacts[1]?.city, 'B')
      assert.equal(repeated.contacts[0]?.id, repeated.contacts[1]?.id)
    })

    test('a phone is a profile field many contacts share: a contact with an email is found by its email only', async () => {
      const org = await ctx.createOrg()
      const list = await createList(ctx, org)
      const first = await upsertContacts(ctx, org, list.id, [
        { phone: '(206) 555 1212', first_name: 'Reception' },
        { email: 'a@example.com', phone: '(206) 555 1212', first_name: 'Ann' },
        { email: 'b@example.com', phone: '+12065551212', first_name: 'Bo' }
      ])
      assert.equal(first.created, 3, 'three people, one switchboard number')
      const [reception, ann, bo] = first.contacts
      assert.ok(reception && ann && bo)
      assert.deepEqual([ann.phone, ann.phone_display, bo.phone_display], ['+12065551212', '(206) 555 1212', '+12065551212'])

      const second = await upsertContacts(ctx, org, list.id, [
        { email: 'a@example.com', phone: '+1 415 555 0111' }, // Ann's phone changes: a profile field
        { phone: '2065551212', first_name: 'Front desk' }, // no email: the contact without an email that has this phone
        { email: 'c@example.com', phone: '2065551212', first_name: 'Cy' } // an email nobody has: a new contact, whatever its phone
      ])
      assert.deepEqual([second.created, second.updated], [1, 2])
      const [ann2, desk, cy] = second.contacts
      assert.equal(ann2?.id, ann.id)
      assert.equal(ann2?.phone, '+14155550111')
      assert.equal(ann2?.first_name, 'Ann')
      assert.equal(desk?.id, reception.id)
      assert.equal(desk?.first_name, 'Front desk')
      assert.equal(desk?.email, null)
      assert.notEqual(cy?.id, reception.id)
      assert.equal(cy?.email, 'c@example.com')
      const stored = await contactsOf(org.id)
      assert.equal(stored.length, 4)
      assert.equal(stored.find((row) => row.id === bo.id)?.first_name, 'Bo', 'nobody was merged')
    })

    test('1001 contacts, a contact without address, a bad email or phone: 422 naming index and field, nothing written', async () => {
      const org = await ctx.createOrg()
      const list = await createList(ctx, org)
      const post = async (contacts: unknown[]) => await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/lists/${list.id}/contacts`, payload: { contacts } })

      const tooMany = await post(Array.from({ length: 1001 }, (_, i) => ({ email: `c${i}@example.com` })))
      assert.equal(tooMany.statusCode, 422)
      assert.equal(tooMany.json().error.details.contacts, 'must have at most 1000 entries')
      const none = await post([])
      assert.equal(none.statusCode, 422)

      const good = Array.from({ length: 3 }, (_, i) => ({ email: `ok${i}@example.com` }))
      const noAddress = await post([...good, { first_name: 'Nobody' }])
      assert.equal(noAddress.statusCode, 422)
      assert.equal(noAddress.json().error.code, 'VALIDATION_FAILED')
      assert.equal(noAddress.json().error.details['contacts[3].email'], 'email or phone is required')

      const badEmail = await post([...good, { email: 'not an email' }])
      assert.equal(badEmail.statusCode, 422)
      assert.equal(badEmail.json().error.details['contacts[3].email'], 'must be an email address')

      const badPhone = await post([{ phone: '12' }, ...good])
      assert.equal(badPhone.statusCode, 422)
      assert.match(badPhone.json().error.details['contacts[0].phone'], /phone number/)

      const badField = await post([...good, { email: 'x@example.com', zip: 'x'.repeat(300) }])
      assert.equal(badField.statusCode, 422)
      assert.equal(badField.json().error.details['contacts[3].zip'], 'must be at most 255 characters')
      const unknownField = await post([{ email: 'x@example.com', nickname: 'x' }])
      assert.equal(unknownField.statusCode, 400)
      assert.equal(unknownField.json().error.details['contacts[0].nickname'], 'is not accepted by this route')

      assert.equal((await contactsOf(org.id)).length, 0, 'nothing was written')
      const members = await ctx.store.db.selectFrom('list_members').select('contact_id').where('org_id', '=', org.id).execute()
      assert.equal(members.length, 0)

      const missingList = await ctx.request(org.ownerKey, { method: 'POST', url: `/v1/lists/${MISSING_ID}/contacts`, payload: { contacts: good } })
      assert.equal(missingList.statusCode, 404)

      const thousand = await post(Array.from({ length: 1000 }, (_, i) => ({ email: `c${i}@example.com`, first_name: `C${i}` })))
      assert.equal(thousand.statusCode, 200, thousand.body)
      assert.equal(thousand.json().data.created, 1000)
      assert.equal((await contactsOf(org.id)).length, 1000)
    })

    test('a contact can be on several lists; each list pages its own members, each once', async () => {
      const org = await ctx.createOrg()
      const [a, b] = [await createList(ctx, org), await createList(ctx, org)]
      const onA = await upsertContacts(ctx, org, a.id, Array.from({ length: 5 }, (_, i) => ({ email: `m${i}@example.com` })))
      await upsertContacts(ctx, org, b.id, [{ email: 'm0@example.com' }, { email: 'only-b@example.com' }])
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const url: string = `/v1/lists/${a.id}/contacts?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
        const page = await ctx.request(org.memberKey, { method: 'GET', url })
        assert.equal(page.statusCode, 200, page.body)
        assert.equal(page.json().meta.total, 5)
        for (const contact of page.json().data as Array<{ id: string, added_at: string, subscriber_id: number }>) {
          seen.push(contact.id)
          assert.ok(contact.added_at)
        }
        cursor = page.json().meta.next_cursor
        pages++
      } while (cursor !== null)
      assert.equal(pages, 3)
      assert.deepEqual([...seen].sort(), onA.contacts.map((c) => c.id).sort())
      const onB = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${b.id}/contacts` })
      assert.deepEqual(onB.json().data.map((c: { email: string }) => c.email).sort(), ['m0@example.com', 'only-b@example.com'])

      const firstA = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${a.id}/contacts?limit=1` })
      const foreignCursor = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${b.id}/contacts?cursor=${encodeURIComponent(firstA.json().meta.next_cursor as string)}` })
      assert.equal((firstA.json().data[0] as { email: string }).email, 'm4@example.com', 'same joining time: higher (newer) id first')
      assert.equal(foreignCursor.statusCode, 422, 'a cursor of another list')
      assert.equal(foreignCursor.json().error.details.cursor, 'is not a cursor of this list')
      const garbage = await ctx.request(org.memberKey, { method: 'GET', url: `/v1/lists/${a.id}/contacts?cursor=abc` })
      assert.equal(garbage.statusCode, 422)
      assert.equal(garbage.json().error.details.cursor, 'is not a cursor of this list')
    })

    test('POST contacts with Idempotency-Key replays the first answer', async () => {
      const org = await ctx.createOrg()
      const list = await createList(ctx, org)
      const send = async () => await ctx.request(org.ownerKey, {
        method: 'POST', url: `/v1/lists/${list.id}/contacts`, headers: { 'idempotency-key': 'import-1' }, payload: { contacts: [{ email: 'idem@example.com' }] }
      })
      const first = await send()
      const again = await send()
      assert.equal(first.statusCode, 200)
      assert.equal(again.headers['idempotent-replayed'], 'true')
      assert.deepEqual(again.json(), first.json())
      const row = (await contactsOf(org.id))[0]
      assert.equal(row?.updated_at.toISOString(), first.json().data.contacts[0].updated_at, 'the replay did not touch the contact')
    })
  })
}
