/**
 * Text normalization and typo tolerance for the SMS-reply classifier. Everything here is
 * pure and allocation-light: it runs on every inbound reply.
 *
 * The normalized form is what every rule in rules.ts is written against: lower case, no
 * accents, only letters and digits separated by single spaces, "don't" written "dont",
 * "opt out"/"opt-out" written "optout" and "stop all" written "stopall".
 */

// Lower-casing runs after NFKD because compatibility forms (fullwidth, mathematical bold
// 𝐒𝐓𝐎𝐏) only become ordinary capitals there; the marks it leaves (İ → i + U+0307) go next.
const COMBINING_MARKS = /\p{M}+/gu
// NFKD does not decompose these; they occur in French (œ) and in names.
const UNDECOMPOSED_LETTERS = /[œæßøłđ]/g
const UNDECOMPOSED_REPLACEMENTS: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' }
const APOSTROPHES = /[\u2018\u2019\u02BC\u00B4\u0060']/g
// English negations are joined ("don't" → "dont") so that rules can tell "don't stop"
// from "stop"; every other apostrophe (French elision "m'envoyer") becomes a space.
const NEGATED_CONTRACTION = /n't(?![\p{L}\p{N}])/gu
// "#" only means "number" after "wrong"; mapping it everywhere would turn "#END" into two words.
const WRONG_HASH = /wrong\s*#/g
const NON_WORD = /[^\p{L}\p{N}]+/gu
// "stooop", "pleeease": no English, Spanish or French word has a letter three times in a row.
const LETTER_RUNS = /(\p{L})\1{2,}/gu
const SPELLED_OUT = /(?<![\p{L}\p{N}])((?:\p{L} ){2,}\p{L})(?![\p{L}\p{N}])/gu
const COMPOUNDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bopt out\b/g, 'optout'],
  [/\bopt in\b/g, 'optin'],
  [/\bstop all\b/g, 'stopall']
]
const HANGUL_JAMO = /[\u1100-\u11FF]/u
const SIGNATURE = /(?:^| )(?:sent from my \w+(?: \w+)?|get outlook for \w+|enviado desde mi \w+(?: \w+)?|envoye de mon \w+(?: \w+)?)$/

/**
 * Normalizes a reply body. `spelledOutWords` lists the words that may be written one letter
 * at a time ("S T O P", "s.t.o.p"); only those are joined, so ordinary one-letter words stay.
 */
export function normalizeReply (body: string, spelledOutWords: ReadonlySet<string>): string {
  let text = body.normalize('NFKD').toLowerCase().replace(COMBINING_MARKS, '')
  text = text.replace(UNDECOMPOSED_LETTERS, (letter) => UNDECOMPOSED_REPLACEMENTS[letter] ?? letter)
  text = text.replace(APOSTROPHES, "'").replace(NEGATED_CONTRACTION, 'nt').replace(WRONG_HASH, 'wrong number ')
  text = text.replace(NON_WORD, ' ').replace(LETTER_RUNS, '$1').trim()
  text = text.replace(SPELLED_OUT, (letters: string) => {
    const joined = letters.replaceAll(' ', '')
    return spelledOutWords.has(joined) ? joined : letters
  })
  for (const [pattern, joined] of COMPOUNDS) text = text.replace(pattern, joined)
  // NFKD split Hangul syllables into jamo; the Korean rules are written in syllables.
  if (HANGUL_JAMO.test(text)) text = text.normalize('NFC')
  return text.replace(SIGNATURE, '')
}

/**
 * The words that carry meaning once the dressing of a short reply is removed:
 * "Stop please!! thanks" → "stop", "stop stop stop" → "stop", "I need help" → "help".
 */
export function coreOf (text: string, fillerPhrases: RegExp, fillerWords: ReadonlySet<string>): string {
  const words = text.replace(fillerPhrases, ' ').split(' ')
  const kept: string[] = []
  for (const word of words) {
    if (word === '' || fillerWords.has(word)) continue
    if (kept[kept.length - 1] !== word) kept.push(word)
  }
  return kept.join(' ')
}

const LEET: Readonly<Record<string, string>> = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't' }
const LEET_DIGITS = /[013457]/g
const HAS_LETTER = /\p{L}/u

/** "st0p" → "stop"; a token made only of digits is left alone. */
function undoLeet (token: string): string {
  return HAS_LETTER.test(token) ? token.replace(LEET_DIGITS, (digit) => LEET[digit] ?? digit) : token
}

/** "stopp" → "stop", "sstop" → "stop". Doubled letters are the commonest keyboard slip. */
function collapseDoubles (token: string): string {
  return token.replace(/(.)\1+/g, '$1')
}

/** True when `typed` is `intended` with two neighbouring letters swapped ("stpo", "cancle"). */
function isAdjacentTransposition (typed: string, intended: string): boolean {
  if (typed.length !== intended.length || typed === intended) return false
  let index = 0
  while (typed[index] === intended[index]) index++
  return typed[index] === intended[index + 1] &&
    typed[index + 1] === intended[index] &&
    typed.slice(index + 2) === intended.slice(index + 2)
}

/** Optimal-string-alignment distance ≤ 1: one insertion, deletion, substitution or swap. */
export function isWithinOneEdit (typed: string, intended: string): boolean {
  if (typed === intended) return true
  const lengthGap = typed.length - intended.length
  if (lengthGap > 1 || lengthGap < -1) return false
  let index = 0
  while (index < typed.length && typed[index] === intended[index]) index++
  if (lengthGap === 1) return typed.slice(index + 1) === intended.slice(index)
  if (lengthGap === -1) return typed.slice(index) === intended.slice(index + 1)
  return typed.slice(index + 1) === intended.slice(index + 1) || isAdjacentTransposition(typed, intended)
}

export interface TypoCandidate {
  readonly form: string
  readonly canonical: string
  readonly collapsed: string
  readonly acceptsAnyEdit: boolean
}

/**
 * Prepares keyword forms for typo matching. Short keywords (stop, end, quit) have many
 * real-word neighbours at one edit ("shop", "step", "and"), so they only accept doubled
 * letters and swaps; longer ones (cancel, unsubscribe) accept any single edit.
 */
export function typoCandidates (forms: ReadonlyMap<string, string>, minimumLengthForAnyEdit: number): readonly TypoCandidate[] {
  return [...forms].map(([form, canonical]) => ({ form, canonical, collapsed: collapseDoubles(form), acceptsAnyEdit: form.length >= minimumLengthForAnyEdit }))
}

/** The canonical keyword a single typed word is a plausible typo of ("STOPP", "stpo", "st0p", "unsubscibe"), or null. */
export function typoOf (typed: string, candidates: readonly TypoCandidate[]): string | null {
  const word = undoLeet(typed)
  const collapsed = collapseDoubles(word)
  for (const candidate of candidates) {
    if (word === candidate.form || collapsed === candidate.collapsed) return candidate.canonical
    if (candidate.acceptsAnyEdit ? isWithinOneEdit(word, candidate.form) : isAdjacentTransposition(word, candidate.form)) return candidate.canonical
  }
  return null
}
