import { type Cipher, createCipheriv, createHash, type Hash, hkdfSync, timingSafeEqual } from 'node:crypto'
import { UNSUBSCRIBE_KEY_ID_PATTERN } from '../../config.js'

/**
 * Unsubscribe tokens: everything a link must carry, self-contained, so building one
 * costs no database write, and short enough that a link with a long address stays under
 * 200 characters.
 *
 *     token      = base64url( header ‖ ciphertext ‖ tag )
 *     header     = version (1 byte) ‖ key id length (1 byte) ‖ key id (ASCII)
 *     plaintext  = flags (1 byte: organization scope, has list, has campaign)
 *                  ‖ organization realm id (LEB128) ‖ issue time (uint32, Unix seconds)
 *                  ‖ domain id (16) ‖ [list id (16)] ‖ [campaign id (16)] ‖ packed recipient
 *     tag        = HMAC-SHA256(mac key, header ‖ plaintext), first 16 bytes
 *     ciphertext = AES-256-CTR(encryption key, IV = tag, plaintext)
 *
 * This is the SIV construction (deterministic authenticated encryption): the tag
 * authenticates header and plaintext, and the recipient is not readable from the URL,
 * which ends up in logs and proxies. Changing any bit of a token, or cutting it, changes
 * the plaintext or the tag, so the tag no longer matches: no token can be turned into a
 * token for another recipient or another organization without the key. A 128-bit tag
 * leaves a forger one chance in 2^128 per attempt.
 *
 * Both keys are derived (HKDF-SHA256) from one configured secret per key id; the first
 * configured key signs, every configured key verifies, so keys rotate by prepending a new
 * one and dropping the old one once its links no longer matter.
 */

export const TOKEN_VERSION = 1
const TAG_BYTES = 16
const ID_BYTES = 16
const FLAG_ORGANIZATION = 1
const FLAG_LIST = 2
const FLAG_CAMPAIGN = 4
/** A token can never be longer than this (a 254-character address, all escapes); longer input is refused unread. */
export const MAX_TOKEN_LENGTH = 512

export interface TokenPayload {
  scope: 'domain' | 'organization'
  realmId: number
  /** Whole seconds */
  issuedAt: Date
  domainId: string
  listId: string | null
  campaignId: string | null
  /** Normalized (lower-cased) email address */
  recipient: string
}

export interface VerifiedToken extends TokenPayload {
  keyId: string
}

export interface SigningKey {
  id: string
  /** The header this key writes: version, key id length, key id */
  header: Buffer
  /** HMAC-SHA256 states after the inner and the outer padded key, copied for each tag */
  macInner: Hash
  macOuter: Hash
  /** AES-256 as a block cipher (ECB, no padding) that makes the CTR key stream */
  blocks: Cipher
}

export function signingKey (id: string, secret: string): SigningKey {
  if (!UNSUBSCRIBE_KEY_ID_PATTERN.test(id)) throw new Error('an unsubscribe key id is 1 to 8 letters or digits')
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'ombuds-unsubscribe', info, 32))
  const header = Buffer.concat([Buffer.from([TOKEN_VERSION, id.length]), Buffer.from(id, 'ascii')])
  // HMAC (RFC 2104) with its two padded-key blocks hashed once per key instead of once per
  // token, and CTR from one long-lived block cipher instead of a cipher per token: building
  // a link costs a few microseconds, so a batch of 1000 stays well under the send path's budget.
  const macKey = Buffer.alloc(64)
  derive('mac').copy(macKey)
  const padded = (pad: number): Buffer => Buffer.from(macKey.map((byte) => byte ^ pad))
  const blocks = createCipheriv('aes-256-ecb', derive('encryption'), null).setAutoPadding(false)
  return { id, header, macInner: createHash('sha256').update(padded(0x36)), macOuter: createHash('sha256').update(padded(0x5c)), blocks }
}

/** The keys links are signed and verified with: the first signs, all verify. */
export class TokenKeys {
  readonly signing: SigningKey
  private readonly byId: Map<string, SigningKey>

  constructor (keys: SigningKey[]) {
    const first = keys[0]
    if (first === undefined) throw new Error('at least one unsubscribe key is needed')
    this.signing = first
    this.byId = new Map(keys.map((key) => [key.id, key]))
  }

  get (id: string): SigningKey | undefined {
    return this.byId.get(id)
  }
}

export function encodeToken (key: SigningKey, payload: TokenPayload): string {
  const plaintext = packPayload(payload)
  const tag = macOf(key, plaintext)
  return Buffer.concat([key.header, ctr(key, tag, plaintext), tag]).toString('base64url')
}

/**
 * The payload of a token made with one of `keys`, or null for anything else: malformed,
 * cut, altered, made with a key no longer accepted. Callers must not tell these apart
 * to the client (a 400 without a reason).
 */
export function decodeToken (keys: TokenKeys, token: string): VerifiedToken | null {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return null
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length < 2 || bytes[0] !== TOKEN_VERSION) return null
  const headerLength = 2 + (bytes[1] as number)
  if (bytes.length < headerLength + TAG_BYTES + 1) return null
  const key = keys.get(bytes.subarray(2, headerLength).toString('latin1'))
  if (key === undefined) return null
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  const plaintext = ctr(key, tag, bytes.subarray(headerLength, bytes.length - TAG_BYTES))
  if (!timingSafeEqual(macOf(key, plaintext), tag)) return null
  const payload = unpackPayload(plaintext)
  return payload === null ? null : { ...payload, keyId: key.id }
}

function macOf (key: SigningKey, plaintext: Buffer): Buffer {
  const inner = key.macInner.copy().update(key.header).update(plaintext).digest()
  return key.macOuter.copy().update(inner).digest().subarray(0, TAG_BYTES)
}

/** AES-256-CTR with a 128-bit big-endian counter starting at `iv` (what OpenSSL's aes-256-ctr computes). */
function ctr (key: SigningKey, iv: Buffer, data: Buffer): Buffer {
  const count = Math.ceil(data.length / 16)
  const counters = Buffer.allocUnsafe(count * 16)
  iv.copy(counters, 0, 0, 16)
  for (let block = 1; block < count; block++) {
    const at = block * 16
    counters.copy(counters, at, at - 16, at)
    for (let byte = at + 15; byte >= at; byte--) {
      counters[byte] = ((counters[byte] as number) + 1) & 255
      if (counters[byte] !== 0) break
    }
  }
  const stream = key.blocks.update(counters)
  const out = Buffer.allocUnsafe(data.length)
  for (let index = 0; index < data.length; index++) out[index] = (data[index] as number) ^ (stream[index] as number)
  return out
}

function packPayload (payload: TokenPayload): Buffer {
  const recipient = packRecipient(payload.recipient)
  const ids = [payload.domainId, payload.listId, payload.campaignId].filter((id): id is string => id !== null)
  const out = Buffer.allocUnsafe(1 + 10 + 4 + ids.length * ID_BYTES + recipient.length)
  let offset = 0
  out[offset++] = (payload.scope === 'organization' ? FLAG_ORGANIZATION : 0) |
    (payload.listId !== null ? FLAG_LIST : 0) | (payload.campaignId !== null ? FLAG_CAMPAIGN : 0)
  let realm = payload.realmId
  do {
    const low = realm % 128
    realm = Math.floor(realm / 128)
    out[offset++] = realm > 0 ? low | 128 : low
  } while (realm > 0)
  out.writeUInt32BE(Math.floor(payload.issuedAt.getTime() / 1000), offset)
  offset += 4
  for (const id of ids) offset += out.write(id.replaceAll('-', ''), offset, 'hex')
  recipient.copy(out, offset)
  return out.subarray(0, offset + recipient.length)
}

function unpackPayload (bytes: Buffer): TokenPayload | null {
  const flags = bytes[0] ?? 255
  if (flags > 7) return null
  let offset = 1
  let realmId = 0
  for (let shift = 1; ; shift *= 128) {
    const byte = bytes[offset++]
    if (byte === undefined || shift > 2 ** 49) return null
    realmId += (byte & 127) * shift
    if (byte < 128) break
  }
  const idCount = 1 + ((flags & FLAG_LIST) !== 0 ? 1 : 0) + ((flags & FLAG_CAMPAIGN) !== 0 ? 1 : 0)
  if (bytes.length < offset + 4 + idCount * ID_BYTES) return null
  const issuedAt = new Date(bytes.readUInt32BE(offset) * 1000)
  offset += 4
  const nextId = (): string => {
    const hex = bytes.toString('hex', offset, offset + ID_BYTES)
    offset += ID_BYTES
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  const domainId = nextId()
  const listId = (flags & FLAG_LIST) !== 0 ? nextId() : null
  const campaignId = (flags & FLAG_CAMPAIGN) !== 0 ? nextId() : null
  const recipient = unpackRecipient(bytes.subarray(offset))
  if (recipient === null) return null
  return { scope: (flags & FLAG_ORGANIZATION) !== 0 ? 'organization' : 'domain', realmId, issuedAt, domainId, listId, campaignId, recipient }
}

// ---------------------------------------------------------------- recipient packing

/**
 * Addresses are packed 6 bits per symbol: the 41 characters of nearly every normalized
 * address, plus the most common mailbox domains and address fragments as one symbol each
 * (greedy, longest first); any other byte of the UTF-8 form is an escape symbol and the
 * byte. A 60-character address takes ~40 bytes instead of 60 (see the length test).
 * The last byte is padded with 1 bits; a full padding symbol (63) ends the address.
 */
const SINGLE = 'abcdefghijklmnopqrstuvwxyz0123456789.-_+@'
const FRAGMENTS = [
  '@gmail.com', '@yahoo.com', '@hotmail.com', '@outlook.com', '@icloud.com', '@aol.com', '@live.com', '@msn.com',
  '@comcast.net', '@proton.me', '@me.com', '.com', '.net', '.org', '.edu', '.gov', '.co.uk', 'mail', 'info', 'news', 'example'
]
const ESCAPE = 62
const END = 63
const SYMBOLS = [...SINGLE, ...FRAGMENTS]
if (SYMBOLS.length !== ESCAPE) throw new Error('the recipient alphabet must have 62 symbols')
/** Fragments by their first character, longest first; single characters by char code (-1: none). */
const FRAGMENTS_BY_FIRST = new Map<string, Array<{ text: string, code: number }>>()
for (const [index, text] of FRAGMENTS.entries()) {
  const list = FRAGMENTS_BY_FIRST.get(text[0] as string) ?? []
  list.push({ text, code: SINGLE.length + index })
  list.sort((a, b) => b.text.length - a.text.length)
  FRAGMENTS_BY_FIRST.set(text[0] as string, list)
}
const SINGLE_CODES = new Int8Array(128).fill(-1)
for (const [code, char] of [...SINGLE].entries()) SINGLE_CODES[char.charCodeAt(0)] = code

export function packRecipient (address: string): Buffer {
  // Worst case: a three-byte UTF-8 character in one UTF-16 unit, three escapes of 14 bits.
  const out = Buffer.allocUnsafe(Math.ceil(address.length * 42 / 8) + 1)
  let length = 0
  let bits = 0
  let bitCount = 0
  const put = (value: number, width: number): void => {
    bits = (bits << width) | value
    bitCount += width
    while (bitCount >= 8) {
      bitCount -= 8
      out[length++] = (bits >>> bitCount) & 255
    }
    bits &= (1 << bitCount) - 1
  }
  next: for (let index = 0; index < address.length;) {
    const fragments = FRAGMENTS_BY_FIRST.get(address[index] as string)
    if (fragments !== undefined) {
      for (const fragment of fragments) {
        if (address.startsWith(fragment.text, index)) {
          put(fragment.code, 6)
          index += fragment.text.length
          continue next
        }
      }
    }
    const charCode = address.charCodeAt(index)
    const code = charCode < 128 ? SINGLE_CODES[charCode] as number : -1
    if (code >= 0) {
      put(code, 6)
      index++
      continue
    }
    const text = String.fromCodePoint(address.codePointAt(index) as number)
    for (const byte of Buffer.from(text, 'utf8')) {
      put(ESCAPE, 6)
      put(byte, 8)
    }
    index += text.length
  }
  if (bitCount > 0) put((1 << (8 - bitCount)) - 1, 8 - bitCount)
  return out.subarray(0, length)
}

export function unpackRecipient (packed: Buffer): string | null {
  const parts: string[] = []
  const escaped: number[] = []
  let bits = 0
  let bitCount = 0
  let offset = 0
  const take = (width: number): number | null => {
    while (bitCount < width) {
      const byte = packed[offset++]
      if (byte === undefined) return null
      bits = (bits << 8) | byte
      bitCount += 8
    }
    bitCount -= width
    const value = (bits >>> bitCount) & ((1 << width) - 1)
    bits &= (1 << bitCount) - 1
    return value
  }
  const flushEscaped = (): void => {
    if (escaped.length > 0) parts.push(Buffer.from(escaped.splice(0)).toString('utf8'))
  }
  while (offset < packed.length || bitCount >= 6) {
    const code = take(6)
    if (code === null || code === END) break
    if (code === ESCAPE) {
      const byte = take(8)
      if (byte === null) return null
      escaped.push(byte)
      continue
    }
    flushEscaped()
    parts.push(SYMBOLS[code] as string)
  }
  flushEscaped()
  const address = parts.join('')
  return address === '' ? null : address
}
