import { parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * Canonical forms of the addresses suppressions and complaints are keyed on:
 * E.164 for phone numbers (default region US), lower-cased and trimmed for email.
 */
export function normalizePhone (input: string, defaultRegion: 'US' = 'US'): string | null {
  const trimmed = input.trim()
  if (trimmed === '' || trimmed.length > 40) return null
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion)
  return parsed?.isPossible() === true ? parsed.number : null
}

// Deliberately simple: one @, a non-empty local part, a dotted domain, no spaces, control characters or angle brackets.
// Control characters are refused on purpose.
// eslint-disable-next-line no-control-regex
const EMAIL_PATTERN = /^[^\s\x00-\x1f\x7f@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

export function normalizeEmail (input: string): string | null {
  const email = input.trim().toLowerCase()
  return email.length <= 254 && EMAIL_PATTERN.test(email) ? email : null
}

const DOMAIN_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

export function normalizeDomain (input: string): string | null {
  const domain = input.trim().toLowerCase().replace(/\.$/, '')
  return DOMAIN_PATTERN.test(domain) ? domain : null
}
