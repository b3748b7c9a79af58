import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { getCountries, getCountryCallingCode } from 'libphonenumber-js'
import { normalizeExactE164, normalizeInternationalPhone, normalizePhone, parsePhone } from '../../src/lib/addresses.js'

/** What normalizePhone must answer: libphonenumber's parse of the trimmed input, every time. */
const reference = (input: string): string | null => {
  const trimmed = input.trim()
  return trimmed === '' || trimmed.length > 40 ? null : parsePhone(trimmed)
}
const agrees = (input: string): void => { assert.equal(normalizePhone(input), reference(input), JSON.stringify(input)) }

const NON_GEOGRAPHIC = ['800', '808', '870', '878', '881', '882', '883', '888', '979']
const CALLING_CODES = [...new Set([...getCountries().map((country) => getCountryCallingCode(country) as string), ...NON_GEOGRAPHIC])]

const digits = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength })
/** National numbers leaning on the digits national prefixes and trunk codes start with. */
const national = fc.tuple(fc.constantFrom('', '0', '1', '8', '9', '00', '01', '15', '80', '9'), digits(0, 14)).map(([start, rest]) => start + rest)
const e164 = fc.oneof(
  fc.tuple(fc.constantFrom(...CALLING_CODES), national).map(([code, number]) => `+${code}${number}`.slice(0, 16)),
  digits(1, 16).map((number) => `+${number}`)
)
const areaCode = fc.oneof(digits(3, 3), fc.integer({ min: 200, max: 999 }).map(String))
const nanp = fc.tuple(areaCode, digits(3, 3), digits(4, 4))
/** The ways people type a North American number. */
const typedNanp = fc.tuple(nanp, fc.constantFrom(
  (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
  (a: string, b: string, c: string) => `+1 ${a}-${b}-${c}`,
  (a: string, b: string, c: string) => `${a}.${b}.${c}`,
  (a: string, b: string, c: string) => `1-${a}-${b}-${c}`,
  (a: string, b: string, c: string) => `1 (${a}) ${b} ${c}`,
  (a: string, b: string, c: string) => `${a}${b}${c}`,
  (a: string, b: string, c: string) => ` +1 (${a}) ${b}.${c} `
)).map(([[a, b, c], shape]) => shape(a, b, c))
/** Any digits with the punctuation people type, anywhere (including where it makes no sense). */
const punctuated = fc.array(fc.oneof(digits(1, 4), fc.constantFrom(' ', '(', ')', '-', '.', '+', '  ', '1')), { maxLength: 14 }).map((parts) => parts.join(''))
const garbage = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789+()-. x#*ext;/abcT'), maxLength: 30 }),
  fc.string({ maxLength: 45 }),
  fc.string({ unit: 'grapheme', maxLength: 20 })
)

test('the phone fast paths agree with libphonenumber on E.164, typed shapes and garbage', () => {
  fc.assert(fc.property(fc.oneof(e164, typedNanp, punctuated, garbage), agrees), { numRuns: 10_000 })
})

test('every calling code: each first digit and length of the national number agrees with libphonenumber', () => {
  for (const code of CALLING_CODES) {
    for (let first = 0; first <= 9; first++) {
      for (let length = 1; code.length + length <= 15; length++) {
        const number = `+${code}${first}${'4726315980'.repeat(2).slice(0, length - 1)}`
        agrees(number)
        agrees(`${number.slice(0, 3)} ${number.slice(3)}`)
      }
    }
  }
})

test('the shapes people type normalize to E.164', () => {
  for (const typed of ['(415) 555-0123', '+1 415-555-0123', '415.555.0123', '1-415-555-0123', '+14155550123', ' 4155550123 ']) {
    assert.equal(normalizePhone(typed), '+14155550123', typed)
  }
  assert.equal(normalizePhone('+44 20 7946 0958'), '+442079460958')
  assert.equal(normalizePhone('+1415555012'), null)
  assert.equal(normalizePhone('not a number'), null)
})

test('carriers must send exact E.164; organizations register numbers in international form', () => {
  assert.equal(normalizeExactE164(' +14155550123 '), '+14155550123')
  for (const loose of ['+1 415-555-0123', '(415) 555-0123', '4155550123', '+1415555012', '+4402079460958']) assert.equal(normalizeExactE164(loose), null, loose)
  assert.equal(normalizeInternationalPhone('+1 (415) 555-0123'), '+14155550123')
  assert.equal(normalizeInternationalPhone('+44 20 7946 0958'), '+442079460958')
  for (const national of ['(415) 555-0123', '4155550123', '+1 415']) assert.equal(normalizeInternationalPhone(national), null, national)
})
