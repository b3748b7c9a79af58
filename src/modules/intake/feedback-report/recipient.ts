import { parseAddressHeader } from 'mailparser'
import type { RecipientStatus } from '../../../domain.js'
import { normalizeDomain, normalizeEmail } from '../../../lib/addresses.js'

export type { RecipientStatus }

/** What one recipient field (Original-Rcpt-To, To, X-HmXmrOriginalRecipient) says about who complained. */
export interface RecipientReading {
  /** `known` when at least one usable address was found, else why none was. */
  status: RecipientStatus
  /** Normalized (lower-cased, trimmed) usable addresses, de-duplicated, in order. */
  addresses: string[]
}

// Providers that redact keep an address-shaped value and overwrite the local part
// ("redacted@aol.com", "xxxxxxxx@…", "****@…") or the display name ("REDACTED" <postmaster@outlook.com>).
const REDACTED_WORD = /redact/i
const REDACTED_LOCAL_PART = /^(?:x{3,}|\*+|_+|-+|\.+)$/i
// Return Path-hosted feeds replace the local part with a hex digest (32 characters, MD5-like);
// any long hex run is a digest, never a real mailbox name worth suppressing.
const HEX_DIGEST = /^[0-9a-f]{24,}$/i
// An opaque token standing in for an address: base64/base64url or hex, no spaces, no @.
const OPAQUE_TOKEN = /^[A-Za-z0-9+/=_.-]{8,}$/
const UNDISCLOSED_WORD = /undisclosed|withheld|anonymi[sz]ed|not available|unknown/i

// Wrappers around an address that are no part of it: the DSN-style address type ("rfc822; a@b")
// and mailto: URIs.
const ADDRESS_TYPE_PREFIX = /^\s*rfc822\s*;\s*/i
const MAILTO = /mailto:/gi

/** How far into one field value we look: guards against a header made of thousands of addresses. */
const MAX_ADDRESSES_PER_VALUE = 50

interface AddressEntry { name: string, address: string }

/**
 * Splits one recipient value into its entries. Accepts what real reports send: bare addr-specs,
 * angle brackets, display names, `mailto:` URIs, the DSN-style `rfc822;` address-type prefix,
 * and groups such as `undisclosed-recipients:;`.
 */
function entriesOf (value: string): AddressEntry[] {
  const cleaned = value.replace(ADDRESS_TYPE_PREFIX, '').replace(MAILTO, '').trim()
  if (cleaned === '') return []
  return parseAddressHeader(cleaned, { flatten: true, decodePunycode: false }).value
    .slice(0, MAX_ADDRESSES_PER_VALUE)
    .map((entry) => ({ name: entry.name.trim(), address: (entry.address ?? '').trim().replace(/^<+|>+$/g, '') }))
    .filter((entry) => entry.name !== '' || entry.address !== '')
}

function localPartOf (address: string): string {
  const at = address.lastIndexOf('@')
  return at < 0 ? address : address.slice(0, at)
}

/**
 * The local parts the provider told us it used as redaction placeholders (`Redacted-Address`,
 * AOL's legacy field, e.g. "redacted" or "redacted@"): an address using one is redacted.
 */
export function redactionMarkersOf (values: readonly string[]): string[] {
  return values
    .map((value) => localPartOf(value.replace(/[<>\s]/g, '')).toLowerCase())
    .filter((marker) => marker !== '')
}

function statusOfEntry (entry: AddressEntry, markers: readonly string[]): { status: RecipientStatus, address: string | null } {
  const { name, address } = entry
  if (address.includes('@')) {
    const local = localPartOf(address).toLowerCase()
    // A redacted local part outranks an "undisclosed" display name: Comcast sends
    // "undisclosed comcast recipient <redacted@comcast.net>" and means redaction.
    if (REDACTED_WORD.test(local) || REDACTED_LOCAL_PART.test(local) || markers.includes(local) || REDACTED_WORD.test(name)) return { status: 'redacted', address: null }
    if (HEX_DIGEST.test(local)) return { status: 'hashed', address: null }
    if (UNDISCLOSED_WORD.test(local) || UNDISCLOSED_WORD.test(name)) return { status: 'undisclosed', address: null }
    const normalized = normalizeEmail(address)
    return normalized !== null ? { status: 'known', address: normalized } : { status: 'undisclosed', address: null }
  }
  const text = `${name} ${address}`.trim()
  if (REDACTED_WORD.test(text) || REDACTED_LOCAL_PART.test(text) || markers.includes(text.toLowerCase())) return { status: 'redacted', address: null }
  if (UNDISCLOSED_WORD.test(text)) return { status: 'undisclosed', address: null }
  // "Hashed recipients": a bare digest or any other single opaque token where an address belongs.
  if (HEX_DIGEST.test(text) || OPAQUE_TOKEN.test(text)) return { status: 'hashed', address: null }
  return { status: 'undisclosed', address: null }
}

/**
 * Reads the values of one recipient field. Usable addresses win; otherwise the most telling
 * reason among the entries (redacted, then hashed, then undisclosed) is reported, so that a
 * value mixing a placeholder with nothing usable still says the provider redacted it.
 */
export function readRecipients (values: readonly string[], markers: readonly string[]): RecipientReading {
  const addresses: string[] = []
  const statuses = new Set<RecipientStatus>()
  for (const value of values) {
    for (const entry of entriesOf(value)) {
      const { status, address } = statusOfEntry(entry, markers)
      statuses.add(status)
      if (address !== null && !addresses.includes(address)) addresses.push(address)
    }
  }
  if (addresses.length > 0) return { status: 'known', addresses }
  const status = statuses.has('redacted') ? 'redacted' : statuses.has('hashed') ? 'hashed' : 'undisclosed'
  return { status, addresses }
}

/** The domains of the mailboxes in an address header value (e.g. the original's From), normalized. */
export function domainsOfAddresses (values: readonly string[]): string[] {
  const domains: string[] = []
  for (const value of values) {
    for (const { address } of entriesOf(value)) {
      const at = address.lastIndexOf('@')
      const domain = at < 0 ? null : normalizeDomain(address.slice(at + 1))
      if (domain !== null && !domains.includes(domain)) domains.push(domain)
    }
  }
  return domains
}

/**
 * An envelope address as the report gives it (`Original-Mail-From: <bounces+x=y@esp.example>`),
 * without brackets or `mailto:`; null for the null reverse-path `<>`. Case is kept: VERP local
 * parts can be case-sensitive tokens.
 */
export function envelopeAddressOf (value: string | undefined): string | null {
  if (value === undefined) return null
  const entry = entriesOf(value).find((candidate) => candidate.address.includes('@'))
  if (entry !== undefined) return entry.address.slice(0, 254)
  const bare = value.replace(ADDRESS_TYPE_PREFIX, '').replace(MAILTO, '').replace(/[<>\s]/g, '')
  return bare === '' ? null : bare.slice(0, 254)
}
