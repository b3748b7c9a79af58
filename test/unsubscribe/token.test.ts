import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { ConfigError, loadConfig, testConfig } from '../../src/config.js'
import { KEY_FILE, loadUnsubscribeKeys } from '../../src/modules/unsubscribe/unsubscribe.service.js'
import { decodeToken, encodeToken, packRecipient, signingKey, TokenKeys, type TokenPayload, unpackRecipient } from '../../src/modules/unsubscribe/unsubscribe.token.js'

const secret = 'a'.repeat(40)
const key = signingKey('k1', secret)

const payloadArbitrary = fc.record({
  scope: fc.constantFrom('domain' as const, 'organization' as const),
  realmId: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
  issuedAt: fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((seconds) => new Date(seconds * 1000)),
  domainId: fc.uuid(),
  listId: fc.option(fc.uuid()),
  campaignId: fc.option(fc.uuid()),
  recipient: fc.oneof(fc.emailAddress(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 })).map((text) => text.toLowerCase())
}) satisfies fc.Arbitrary<TokenPayload>

test('recipients survive packing: common addresses, fragments, escapes and any Unicode', () => {
  for (const address of ['a@b.co', 'john.smith+news@gmail.com', 'x_y-z@mail.example.co.uk', 'üñí@exämple.de', 'a!#$%&*/=?^`{|}~@example.org', 'emoji😀@example.net']) {
    assert.equal(unpackRecipient(packRecipient(address)), address)
  }
  fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }), (text) => {
    assert.equal(unpackRecipient(packRecipient(text)), text)
  }), { numRuns: 2000 })
  // The packing is what keeps links short: about three quarters of the address, less for common mailbox domains.
  assert.equal(packRecipient('alexandra.konstantinopoulou-smith@mail.engineering.example-co.com').length, 40)
  assert.equal(packRecipient('jennifer.smith1987@gmail.com').length, 15)
})

test('every payload round-trips through a token', () => {
  const keys = new TokenKeys([key])
  fc.assert(fc.property(payloadArbitrary, (payload) => {
    assert.deepEqual(decodeToken(keys, encodeToken(key, payload)), { ...payload, keyId: 'k1' })
  }), { numRuns: 1000 })
})

test('any change to a token, any cut, or another key makes it invalid', () => {
  const keys = new TokenKeys([key])
  const payload: TokenPayload = { scope: 'domain', realmId: 42, issuedAt: new Date(1_800_000_000_000), domainId: '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b', listId: null, campaignId: null, recipient: 'alice@example.net' }
  const bytes = Buffer.from(encodeToken(key, payload), 'base64url')
  for (let index = 0; index < bytes.length; index++) {
    for (const bit of [1, 2, 4, 8, 16, 32, 64, 128]) {
      const altered = Buffer.from(bytes)
      altered[index] = (altered[index] as number) ^ bit
      assert.equal(decodeToken(keys, altered.toString('base64url')), null, `byte ${index} bit ${bit}`)
    }
    assert.equal(decodeToken(keys, bytes.subarray(0, index).toString('base64url')), null, `cut at ${index}`)
  }
  assert.equal(decodeToken(new TokenKeys([signingKey('k1', 'b'.repeat(40))]), bytes.toString('base64url')), null, 'another secret')
  assert.equal(decodeToken(new TokenKeys([signingKey('k2', secret)]), bytes.toString('base64url')), null, 'a key id no longer configured')
})

test('keys: configured ones (first signs, all verify), else one generated once into the data folder, else in memory', () => {
  const configured = loadConfig({}, { OMBUDS_UNSUBSCRIBE_KEYS: `new:${'n'.repeat(32)}, old:${'o'.repeat(32)}` })
  assert.deepEqual(configured.unsubscribeKeys.map((entry) => entry.id), ['new', 'old'])
  assert.equal(loadUnsubscribeKeys(configured)?.signing.id, 'new')
  assert.throws(() => loadConfig({}, { OMBUDS_UNSUBSCRIBE_KEYS: 'k1:short' }), ConfigError)
  assert.throws(() => loadConfig({}, { OMBUDS_UNSUBSCRIBE_KEYS: `key-one:${secret}` }), ConfigError)
  assert.throws(() => loadConfig({}, { OMBUDS_UNSUBSCRIBE_KEYS: `a:${secret},a:${secret}` }), ConfigError)
  assert.throws(() => loadConfig({}, { OMBUDS_UNSUBSCRIBE_MAILTO: 'not an address' }), ConfigError)

  const folder = mkdtempSync(join(tmpdir(), 'ombuds-keys-'))
  try {
    const config = testConfig({ dataDir: join(folder, 'data') })
    const first = loadUnsubscribeKeys(config)
    const path = join(folder, 'data', KEY_FILE)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.match(readFileSync(path, 'utf8'), /^local:[A-Za-z0-9_-]{43}\n$/)
    const token = encodeToken(first?.signing as ReturnType<typeof signingKey>, { scope: 'domain', realmId: 1, issuedAt: new Date(0), domainId: '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b', listId: null, campaignId: null, recipient: 'a@b.co' })
    const again = loadUnsubscribeKeys(config)
    assert.notEqual(again, null)
    assert.equal(decodeToken(again as TokenKeys, token)?.recipient, 'a@b.co', 'the same key after a restart')
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
  assert.equal(loadUnsubscribeKeys(testConfig())?.signing.id, 'memory')
  assert.equal(loadUnsubscribeKeys(testConfig({ databaseUrl: 'postgres://db.invalid/ombuds' })), null)
})
