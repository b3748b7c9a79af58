/**
 * What an SMS reply means for compliance: an opt-out (a revocation of consent under FCC
 * 24-24 / CTIA rules), a HELP request, an opt-in, a complaint, or nothing. Pure and
 * synchronous: no I/O, no clock unless `context.now` is left out. The tables live in
 * rules.ts, text handling in normalize.ts.
 *
 * Order of decisions, and why:
 * 1. Opt-out first. A revocation must win over anything else in the same reply ("HELP how do
 *    I stop these"), and when in doubt the safe side is to suppress.
 * 2. HELP, then opt-in, only when the whole reply is the keyword (give or take politeness):
 *    "I can help on Saturday" and "what time does it start" are ordinary replies. An opt-in
 *    lifts a suppression, so it is the most conservative decision of all.
 * 3. Complaint text without a revocation ("wrong number", "is this a scam?").
 * 4. A HELP keyword shouted inside a longer, otherwise lower-case reply ("What is this? HELP").
 */
import type { ComplaintCategory, ReplyKind } from '../../../domain.js'
import { coreOf, isWithinOneEdit, normalizeReply, type TypoCandidate, typoCandidates, typoOf } from './normalize.js'
import {
  AFFIRMATIVE_KEYWORD, CATEGORY_PATTERNS, CONTEXTUAL_OPT_OUT_KEYWORDS, FILLER_PHRASES, FILLER_WORDS, HELP_KEYWORDS, KEEP_SUBSCRIBED_PATTERNS,
  type KeywordRule, MIN_LENGTH_FOR_ANY_EDIT, MIN_LENGTH_FOR_TYPOS_IN_TEXT, NEGATION_GUARD, NOT_HONORED_CUES, NOT_HONORED_PAST_OPT_OUT,
  NOT_HONORED_PERSISTENCE, OPT_IN_KEYWORDS, REVOCATION_PHRASES, STANDALONE_OPT_OUT_KEYWORDS, TRAP_PATTERNS
} from './rules.js'

export type { ComplaintCategory, ReplyKind }

export interface ReplyContext {
  /** When the sender was already opted out of this number; null/undefined when not opted out. */
  optedOutSince?: Date | null
  /** Defaults to the current time. */
  now?: Date
}

export interface Classification {
  kind: ReplyKind
  /** The canonical keyword in upper case ("STOP", "ARRET", "HELP", "START"); null for free-text decisions and for none. */
  keyword: string | null
  /** 'other' for help; null for opt_in and none. */
  category: ComplaintCategory | null
}

/** A repeated opt-out more than this long after the first means the first one was not honoured. */
const NOT_HONORED_AFTER_MS = 24 * 60 * 60 * 1000

interface KeywordIndex {
  readonly forms: ReadonlyMap<string, string>
  readonly typos: readonly TypoCandidate[]
}

function indexKeywords (rules: readonly KeywordRule[]): KeywordIndex {
  const forms = new Map(rules.flatMap((rule) => rule.forms.map((form) => [form, rule.canonical] as const)))
  return { forms, typos: typoCandidates(forms, MIN_LENGTH_FOR_ANY_EDIT) }
}

function anyOf (sources: readonly string[], flags = 'u'): RegExp {
  return new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags)
}

const STANDALONE_OPT_OUT = indexKeywords(STANDALONE_OPT_OUT_KEYWORDS)
const CONTEXTUAL_OPT_OUT = indexKeywords(CONTEXTUAL_OPT_OUT_KEYWORDS)
const OPT_OUT = indexKeywords([...STANDALONE_OPT_OUT_KEYWORDS, ...CONTEXTUAL_OPT_OUT_KEYWORDS])
const HELP = indexKeywords(HELP_KEYWORDS)
const OPT_IN = indexKeywords(OPT_IN_KEYWORDS)
const AFFIRMATIVE = indexKeywords([AFFIRMATIVE_KEYWORD])
const SPELLABLE_WORDS: ReadonlySet<string> = new Set([OPT_OUT, HELP, OPT_IN, AFFIRMATIVE].flatMap((index) => [...index.forms.keys()]))
const LONG_STANDALONE_FORMS = [...STANDALONE_OPT_OUT.forms.keys()].filter((form) => form.length >= MIN_LENGTH_FOR_TYPOS_IN_TEXT)

const SHOUTED_HELP = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...HELP.forms.keys()].map((form) => form.toUpperCase()).join('|')})(?![\\p{L}\\p{N}])`, 'u')
const LOWER_CASE_LETTER = /\p{Ll}/u
const FILLER_PHRASES_PATTERN = new RegExp(`\\b(?:${FILLER_PHRASES.join('|')})\\b`, 'g')
const FILLER_WORD_SET: ReadonlySet<string> = new Set(FILLER_WORDS)
const TRAPS = anyOf(TRAP_PATTERNS, 'gu')
const STANDALONE_KEYWORD = new RegExp(`\\b(?:${[...STANDALONE_OPT_OUT.forms.keys()].join('|')})\\b`)
const KEEPS_SUBSCRIPTION = anyOf(KEEP_SUBSCRIBED_PATTERNS)
const REVOCATION = new RegExp(`${NEGATION_GUARD}(?:${anyOf(REVOCATION_PHRASES).source})`, 'u')
const PAST_OPT_OUT = new RegExp(NOT_HONORED_PAST_OPT_OUT)
const PERSISTENCE = new RegExp(NOT_HONORED_PERSISTENCE)
const NOT_HONORED_CUE = anyOf(NOT_HONORED_CUES)
const CATEGORIES: ReadonlyArray<readonly [ComplaintCategory, RegExp]> = CATEGORY_PATTERNS.map(([category, patterns]) => [category, anyOf(patterns)] as const)

/** Classifies one inbound SMS reply. Never throws; any string is a valid input. */
export function classifyReply (body: string, context: ReplyContext = {}): Classification {
  const text = normalizeReply(body, SPELLABLE_WORDS)
  if (text === '') return { kind: 'none', keyword: null, category: null }
  const core = coreOf(text, FILLER_PHRASES_PATTERN, FILLER_WORD_SET)

  const optOut = detectOptOut(text, core)
  if (optOut !== null) {
    const category = optOut.saysNotHonored || optedOutForMoreThanADay(context) ? 'opt_out_not_honored' : optOutCategory(text)
    return { kind: 'opt_out', keyword: optOut.keyword, category }
  }
  const help = wholeReplyKeyword(core, HELP)
  if (help !== null) return { kind: 'help', keyword: help, category: 'other' }
  const optIn = optInKeyword(core, isOptedOut(context))
  if (optIn !== null) return { kind: 'opt_in', keyword: optIn, category: null }
  const complaint = complaintCategory(text)
  if (complaint !== null) return { kind: 'complaint', keyword: null, category: complaint }
  const shouted = LOWER_CASE_LETTER.test(body) ? SHOUTED_HELP.exec(body) : null
  if (shouted !== null) return { kind: 'help', keyword: shouted[0], category: 'other' }
  return { kind: 'none', keyword: null, category: null }
}

interface OptOutDecision {
  keyword: string | null
  /** The text itself says an earlier opt-out was ignored. */
  saysNotHonored: boolean
}

function detectOptOut (text: string, core: string): OptOutDecision | null {
  const exact = OPT_OUT.forms.get(core)
  if (exact !== undefined) return { keyword: exact, saysNotHonored: false }
  const isOtherKeyword = HELP.forms.has(core) || OPT_IN.forms.has(core) || AFFIRMATIVE.forms.has(core)
  const typo = isOtherKeyword ? null : typoKeyword(core, OPT_OUT)
  if (typo !== null) return { keyword: typo, saysNotHonored: false }

  const revocationPhrase = REVOCATION.test(text)
  const pastOptOut = PAST_OPT_OUT.test(text) && PERSISTENCE.test(text)
  const keywordCounts = revocationPhrase || pastOptOut || !KEEPS_SUBSCRIPTION.test(text)
  const keyword = keywordCounts ? keywordInText(text) ?? contextualKeywordBeforeOrAfterComplaint(text) : null
  if (keyword === null && !revocationPhrase && !pastOptOut) return null
  return { keyword, saysNotHonored: pastOptOut || NOT_HONORED_CUE.test(text) }
}

/** The keyword a short reply consists of, allowing a small typo ("STOPP", "unsubscibe", "stpo"). */
function wholeReplyKeyword (core: string, index: KeywordIndex): string | null {
  return index.forms.get(core) ?? typoKeyword(core, index)
}

/**
 * START/UNSTOP/SUBSCRIBE alone or with a "yes" ("yes please resubscribe me"); a bare YES only
 * counts when the sender is opted out, as the answer to "reply YES to resubscribe".
 */
function optInKeyword (core: string, optedOut: boolean): string | null {
  const words = core.split(' ')
  if (words.length > 1 && words.every((word) => OPT_IN.forms.has(word) || AFFIRMATIVE.forms.has(word))) {
    return OPT_IN.forms.get(words.find((word) => OPT_IN.forms.has(word)) ?? '') ?? null
  }
  return wholeReplyKeyword(core, OPT_IN) ?? (optedOut ? wholeReplyKeyword(core, AFFIRMATIVE) : null)
}

function typoKeyword (core: string, index: KeywordIndex): string | null {
  if (core === '' || core.includes(' ')) return null
  return typoOf(core, index.typos)
}

/** A standalone keyword anywhere outside a trap span, or a typo of a long one ("unsubscibe me from this list"). */
function keywordInText (text: string): string | null {
  const untrapped = text.replace(TRAPS, ' ~ ')
  const found = STANDALONE_KEYWORD.exec(untrapped)
  if (found !== null) return STANDALONE_OPT_OUT.forms.get(found[0]) ?? null
  for (const word of untrapped.split(' ')) {
    if (word.length < MIN_LENGTH_FOR_TYPOS_IN_TEXT - 1) continue
    // "unsubscribed" is a report of the past, not a misspelling; PAST_OPT_OUT judges it.
    const form = LONG_STANDALONE_FORMS.find((candidate) => !word.startsWith(candidate) && isWithinOneEdit(word, candidate))
    if (form !== undefined) return STANDALONE_OPT_OUT.forms.get(form) ?? null
  }
  return null
}

/** "Wrong number. BAJA", "ALTO número equivocado": a contextual keyword framing a complaint. */
function contextualKeywordBeforeOrAfterComplaint (text: string): string | null {
  const words = text.split(' ')
  if (words.length < 2) return null
  const first = CONTEXTUAL_OPT_OUT.forms.get(words[0] ?? '')
  if (first !== undefined && framesComplaint(words.slice(1).join(' '))) return first
  const last = CONTEXTUAL_OPT_OUT.forms.get(words[words.length - 1] ?? '')
  if (last !== undefined && framesComplaint(words.slice(0, -1).join(' '))) return last
  return null
}

function framesComplaint (rest: string): boolean {
  return complaintCategory(rest) !== null || NOT_HONORED_CUE.test(rest)
}

function complaintCategory (text: string): ComplaintCategory | null {
  for (const [category, pattern] of CATEGORIES) {
    if (pattern.test(text)) return category
  }
  return null
}

/** An opt-out is unwanted contact unless the reply names something more specific. */
function optOutCategory (text: string): ComplaintCategory {
  const category = complaintCategory(text)
  return category === null || category === 'other' ? 'unwanted_contact' : category
}

function isOptedOut (context: ReplyContext): boolean {
  return context.optedOutSince !== undefined && context.optedOutSince !== null
}

function optedOutForMoreThanADay (context: ReplyContext): boolean {
  if (context.optedOutSince === undefined || context.optedOutSince === null) return false
  const now = context.now ?? new Date()
  return now.getTime() - context.optedOutSince.getTime() > NOT_HONORED_AFTER_MS
}
