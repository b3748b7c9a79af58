import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import FormData from 'form-data'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { basic } from '../mailgun/fixtures.js'
import { addDomain } from '../suppressions/fixtures.js'

/** Opens a raw connection to the listening app. */
async function open (port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise((resolve) => socket.once('connect', resolve))
  return socket
}

/** Reads what the server answers on a raw socket until it closes it (or `ms` passes). */
async function answer (socket: Socket, ms = 10_000): Promise<string> {
  let text = ''
  socket.on('data', (chunk: Buffer) => { text += chunk.toString('latin1') })
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    socket.once('close', () => { clearTimeout(timer); resolve() })
  })
  return text
}

for (const database of testDatabases()) {
  describe(`uploads and framework limits over real sockets (${database})`, () => {
    let ctx: TestContext
    let port: number
    let org: TestOrg
    let domain: string
    before(async () => {
      ctx = await startTestApp(database, { bodyTimeoutMs: 3000 })
      await ctx.app.listen({ port: 0, host: '127.0.0.1' })
      port = (ctx.app.server.address() as AddressInfo).port
      org = await ctx.createOrg()
      domain = (await addDomain(ctx, org)).name
    })
    after(async () => { await ctx.close() })

    test('ten stalled and ten aborted imports hold no connection: readyz and another organization answer within a second, and the next import succeeds', async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => `stalled${i}@example.com,`).join('\n')
      const form = new FormData()
      form.append('file', Buffer.from(`address,created_at\n${rows}\n`), { filename: 'c.csv' })
      const payload = form.getBuffer()
      const head = `POST /v3/${domain}/complaints/import HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(org.ownerKey)}\r\n` +
        `Content-Type: ${form.getHeaders()['content-type'] as string}\r\nContent-Length: ${payload.length}\r\n\r\n`
      const sockets: Socket[] = []
      for (let i = 0; i < 20; i++) {
        const socket = await open(port)
        // Most of the file, never the end of it.
        socket.write(head)
        socket.write(payload.subarray(0, payload.length - 1000))
        sockets.push(socket)
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
      for (const socket of sockets.slice(10)) socket.destroy()

      const other = await ctx.createOrg()
      const started = Date.now()
      const [ready, list] = await Promise.all([
        fetch(`http://127.0.0.1:${port}/readyz`),
        fetch(`http://127.0.0.1:${port}/v1/suppressions`, { headers: { authorization: `Bearer ${other.ownerKey}` } })
      ])
      assert.equal(ready.status, 200)
      assert.equal(list.status, 200)
      assert.ok(Date.now() - started < 1000, `answered in ${Date.now() - started} ms`)

      // The stalled uploads are cut off by the body timeout (3 s here), with nothing written.
      const stalled = await Promise.all(sockets.slice(0, 10).map(async (socket) => await answer(socket, 20_000)))
      for (const text of stalled) assert.ok(!/^HTTP\/1\.1 202/.test(text), text.slice(0, 200))
      const count = await ctx.store.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(Number(count.n), 0, 'nothing of a cut-off upload is visible')

      const next = await fetch(`http://127.0.0.1:${port}/v3/${domain}/complaints/import`, {
        method: 'POST', headers: { authorization: basic(org.ownerKey), ...form.getHeaders() }, body: payload
      })
      assert.equal(next.status, 202, await next.text())
      const after = await ctx.store.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(Number(after.n), 20_000)
    })

    test('oversized URL and headers are 431 in the envelope of the path\'s API, without a body on HEAD', async () => {
      const native = await open(port)
      native.write(`GET /v1/complaints?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
      const nativeAnswer = await answer(native)
      assert.match(nativeAnswer, /^HTTP\/1\.1 431 /)
      assert.match(nativeAnswer, /x-content-type-options: nosniff/i)
      const body = JSON.parse(nativeAnswer.slice(nativeAnswer.indexOf('\r\n\r\n') + 4)) as { success: boolean, error: { code: string, request_id: string } }
      assert.equal(body.success, false)
      assert.equal(body.error.code, 'INVALID_INPUT')
      assert.doesNotMatch(nativeAnswer, /aaaa/)

      const mailgun = await open(port)
      mailgun.write(`GET /v3/${domain}/complaints HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)
      const mailgunAnswer = await answer(mailgun)
      assert.match(mailgunAnswer, /^HTTP\/1\.1 431 /)
      assert.deepEqual(Object.keys(JSON.parse(mailgunAnswer.slice(mailgunAnswer.indexOf('\r\n\r\n') + 4)) as object), ['message'])

      const head = await open(port)
      head.write(`HEAD /v1/complaints HTTP/1.1\r\nHost: x\r\nX-Big: ${'c'.repeat(20_000)}\r\n\r\n`)
      const headAnswer = await answer(head)
      assert.match(headAnswer, /^HTTP\/1\.1 431 /)
      assert.match(headAnswer, /content-length: 0\r\n/i)
      assert.ok(headAnswer.endsWith('\r\n\r\n'), 'no body on HEAD')
    })
  })
}
