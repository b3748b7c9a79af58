import { type CountryCode, getCountries, getCountryCallingCode, Metadata, parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * Canonical forms of the addresses suppressions and complaints are keyed on:
 * E.164 for phone numbers (default region US), lower-cased and trimmed for email.
 * Every rule about what a phone number or an email address is lives in this file.
 */

/**
 * The phone number in E.164 (`+` and digits), or null when libphonenumber does not read it
 * as a possible number. Parsing costs libphonenumber 30–100 µs, and the send-path check
 * normalizes up to 1,000 recipients per call, so the shapes senders send most are answered
 * from the same metadata without the parser (see `fastPhone`); test/lib proves on generated
 * input that both ways agree.
 */
export function normalizePhone (input: string): string | null {
  const trimmed = input.trim()
  if (trimmed === '' || trimmed.length > 40) return null
  const fast = fastPhone(trimmed)
  return fast !== undefined ? fast : parsePhone(trimmed)
}

/** libphonenumber's answer, the reference every fast path must agree with. */
export function parsePhone (trimmed: string): string | null {
  const parsed = parsePhoneNumberFromString(trimmed, 'US')
  return parsed?.isPossible() === true ? parsed.number : null
}

/**
 * A number written exactly as E.164 (a `+` and digits, no punctuation) that is possible,
 * else null: what carriers and messaging providers must send.
 */
export function normalizeExactE164 (input: string): string | null {
  const trimmed = input.trim()
  return E164.test(trimmed) && normalizePhone(trimmed) === trimmed ? trimmed : null
}

/**
 * A number written in international form (a leading `+`, punctuation allowed) in E.164,
 * else null: an organization's own numbers, which no default region may complete.
 */
export function normalizeInternationalPhone (input: string): string | null {
  return input.trim().startsWith('+') ? normalizePhone(input) : null
}

const E164 = /^\+[1-9]\d{1,14}$/
/** Digits with the punctuation people type between them, optionally after one leading `+`. */
const TYPED = /^\+?[\d ().-]+$/
const NOT_DIGIT = /\D/g

/**
 * The normalization of the shapes senders send most, or undefined to ask the parser:
 * - `+` and digits (E.164, or a typed number reduced to it): the digits after the calling
 *   code are the national number unless the country's national prefix could be read off
 *   their start (then the parser decides), and the number is possible when its length is
 *   one of the country's possible lengths (`possibleLengths` in libphonenumber's metadata);
 * - ten digits starting 2–9, or `1` and those ten (a North American number typed without
 *   `+`, the default region being US): `+1` and the ten digits.
 */
function fastPhone (trimmed: string): string | null | undefined {
  if (E164.test(trimmed)) return fastE164(trimmed)
  if (!TYPED.test(trimmed)) return undefined
  const digits = trimmed.replace(NOT_DIGIT, '')
  if (trimmed.startsWith('+')) return digits.length >= 3 && digits.length <= 15 && digits[0] !== '0' ? fastE164(`+${digits}`) : undefined
  if (digits.length === 10 && digits[0]! >= '2') return `+1${digits}`
  if (digits.length === 11 && digits[0] === '1' && digits[1]! >= '2') return `+${digits}`
  return undefined
}

function fastE164 (e164: string): string | null | undefined {
  for (let codeLength = 1; codeLength <= 3; codeLength++) {
    const plan = callingCodePlan(e164.slice(1, 1 + codeLength))
    if (plan === null) continue
    const national = e164.slice(1 + codeLength)
    if (national.length < 2 || plan.nationalPrefix?.test(national) === true) return undefined
    if (plan.alwaysPossible.has(national.length)) return e164
    return plan.sometimesPossible.has(national.length) ? undefined : null
  }
  return null
}

interface CallingCodePlan {
  /** The start of a national number the parser would take for the national prefix. */
  nationalPrefix: RegExp | null
  /** Lengths possible in every country sharing the calling code. */
  alwaysPossible: Set<number>
  /** Lengths possible in only some of them (the parser picks the country). */
  sometimesPossible: Set<number>
}

const metadata = new Metadata() as Metadata & { hasCallingCode: (code: string) => boolean }
type Plan = NonNullable<Metadata['numberingPlan']> & { nationalPrefixForParsing: () => string | undefined }
const plans = new Map<string, CallingCodePlan | null>()
let countriesByCallingCode: Map<string, CountryCode[]> | null = null

/** What libphonenumber's metadata says of one calling code, read once. */
function callingCodePlan (code: string): CallingCodePlan | null {
  const known = plans.get(code)
  if (known !== undefined) return known
  let plan: CallingCodePlan | null = null
  if (metadata.hasCallingCode(code)) {
    metadata.selectNumberingPlan(code as CountryCode)
    const main = metadata.numberingPlan as Plan
    const prefix = main.nationalPrefixForParsing()
    countriesByCallingCode ??= groupByCallingCode()
    const lengths = (countriesByCallingCode.get(code) ?? []).map((country) => {
      metadata.selectNumberingPlan(country)
      return (metadata.numberingPlan as Plan).possibleLengths()
    })
    if (lengths.length === 0) lengths.push(main.possibleLengths())
    const all = new Set(lengths.flat())
    const always = new Set([...all].filter((length) => lengths.every((some) => some.includes(length))))
    plan = {
      nationalPrefix: prefix === undefined || prefix === '' ? null : new RegExp(`^(?:${prefix})`),
      alwaysPossible: always,
      sometimesPossible: new Set([...all].filter((length) => !always.has(length)))
    }
  }
  plans.set(code, plan)
  return plan
}

function groupByCallingCode (): Map<string, CountryCode[]> {
  const groups = new Map<string, CountryCode[]>()
  for (const country of getCountries()) {
    const code: string = getCountryCallingCode(country)
    groups.set(code, [...(groups.get(code) ?? []), country])
  }
  return groups
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
