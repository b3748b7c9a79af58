/**
 * What an SMS reply means for compliance: an opt-out (a revocation of consent under FCC
 * 24-24 / CTIA rules), a HELP request, an opt-in, a complaint, or nothing — and why
 * (`reason`: the rule or phrase that fired) in which language. Pure and synchronous: no
 * I/O, no clock unless `context.now` is left out. The tables live in rules.ts, text
 * handling in normalize.ts.
 *
 * Order of decisions, and why:
 * 1. Opt-out first, in every language at once (never gated on language identification:
 *    "STOP merci" and "BAJA" are opt-outs whatever a detector says). A revocation must win
 *    over anything else in the same reply ("HELP how do I stop these"), and when in doubt
 *    the safe side is to suppress. The organization's own opt-out words count as keywords.
 *    Exceptions: the words used in another sense (trap spans), and a request that names
 *    another channel while keeping the texts ("stop calling, texting is fine").
 * 2. HELP, then opt-in, only when the whole reply is the keyword (give or take politeness),
 *    or an opt-in in clear words ("please resubscribe me", "I sent STOP by accident"). An
 *    opt-in lifts a suppression, so it is the most conservative decision of all.
 * 3. Complaint text without a revocation ("wrong number", "is this a scam?", "3 texts a day").
 * 4. A HELP keyword shouted inside a longer, otherwise lower-case reply ("What is this? HELP").
 */
import type { ComplaintCategory, ReplyKind } from '../../../domain.js'
import { coreOf, isWithinOneEdit, normalizeReply, type TypoCandidate, typoCandidates, typoOf } from './normalize.js'
import {
  AFFIRMATIVE_KEYWORD, CATEGORY_PATTERNS, CJK_OPT_OUT_KEYWORDS, CONTEXTUAL_OPT_OUT_KEYWORDS, FILLER_PHRASES, FILLER_WORDS, GREETING_EMOJI_ONLY, HELP_KEYWORDS,
  KEEP_SUBSCRIBED_PATTERNS, KEEPS_SMS, type KeywordRule, type Language, LANGUAGE_MARKERS, LANGUAGES, MARKETING_CONTENT, MIN_LENGTH_FOR_ANY_EDIT,
  MIN_LENGTH_FOR_TYPOS_IN_TEXT, NEGATION_GUARDS, NOT_HONORED_CUES, NOT_HONORED_PAST_OPT_OUT, NOT_HONORED_PERSISTENCE, OPT_IN_KEYWORDS, OPT_IN_PHRASES,
  OTHER_CHANNEL, REVOCATION_PHRASES, STANDALONE_OPT_OUT_KEYWORDS, STOP_EMOJI, STOP_EMOJI_SIGNS, TRAP_PATTERNS
} from './rules.js'

export type { Language } from './rules.js'
export { LANGUAGES } from './rules.js'
export type { ComplaintCategory, ReplyKind }
export type OrgKeywordKind = 'opt_out' | 'opt_in' | 'help'

/** An organization's own reply keywords, compiled once per change (see `compileOrgKeywords`). */
export interface OrgKeywords {
  /** Normalized form → the keyword as the organization wrote it, and what it means. */
  readonly forms: ReadonlyMap<string, { keyword: string, kind: OrgKeywordKind }>
}

export interface ReplyContext {
  /** When the sender was already opted out of this number; null/undefined when not opted out. */
  optedOutSince?: Date | null
  /** Defaults to the current time. */
  now?: Date
  /** The receiving organization's own keywords. */
  orgKeywords?: OrgKeywords
}

export interface Classification {
  kind: ReplyKind
  /** The canonical keyword in upper case ("STOP", "ARRET", "HELP", "START", "退订"); null for free-text decisions and for none. */
  keyword: string | null
  /** 'other' for help; null for opt_in and none. */
  category: ComplaintCategory | null
  /** Why, for an auditor: the rule or phrase that fired ('keyword STOP', 'phrase "nao quero mais" (pt)'), then what set the category. */
  reason: string
  /** The reply's language (ISO 639-1) when anything tells, else null. */
  language: Language | null
}

/** A repeated opt-out more than this long after the first means the first one was not honoured. */
const NOT_HONORED_AFTER_MS = 24 * 60 * 60 * 1000
/** Matched text quoted in a reason is cut to this many characters. */
const MAX_QUOTED = 60

interface KeywordIndex {
  readonly forms: ReadonlyMap<string, KeywordRule>
  readonly typos: readonly TypoCandidate[]
}

function indexKeywords (rules: readonly KeywordRule[]): KeywordIndex {
  const forms = new Map(rules.flatMap((rule) => rule.forms.map((form) => [form, rule] as const)))
  const typoForms = new Map([...forms].filter(([, rule]) => rule.typos !== false).map(([form, rule]) => [form, rule.canonical] as const))
  return { forms, typos: typoCandidates(typoForms, MIN_LENGTH_FOR_ANY_EDIT) }
}

function anyOf (sources: readonly string[], flags = 'u'): RegExp {
  return new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags)
}

const STANDALONE_OPT_OUT = indexKeywords(STANDALONE_OPT_OUT_KEYWORDS)
const CONTEXTUAL_OPT_OUT = indexKeywords(CONTEXTUAL_OPT_OUT_KEYWORDS)
const OPT_OUT = indexKeywords([...STANDALONE_OPT_OUT_KEYWORDS, ...CONTEXTUAL_OPT_OUT_KEYWORDS, ...CJK_OPT_OUT_KEYWORDS])
const HELP = indexKeywords(HELP_KEYWORDS)
const OPT_IN = indexKeywords(OPT_IN_KEYWORDS)
const AFFIRMATIVE = indexKeywords([AFFIRMATIVE_KEYWORD])
const RULES_BY_CANONICAL: ReadonlyMap<string, KeywordRule> = new Map([...OPT_OUT.forms.values(), ...HELP.forms.values(), ...OPT_IN.forms.values()]
  .map((rule) => [rule.canonical, rule]))
const SPELLABLE_WORDS: ReadonlySet<string> = new Set([OPT_OUT, HELP, OPT_IN, AFFIRMATIVE].flatMap((index) => [...index.forms.keys()]))
const LONG_STANDALONE_FORMS = [...STANDALONE_OPT_OUT.forms]
  .filter(([form, rule]) => form.length >= MIN_LENGTH_FOR_TYPOS_IN_TEXT && rule.typos !== false).map(([form]) => form)

const SHOUTED_HELP = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...HELP.forms.keys()].filter((form) => /^[a-z ]+$/.test(form)).map((form) => form.toUpperCase()).join('|')})(?![\\p{L}\\p{N}])`, 'u')
const LOWER_CASE_LETTER = /\p{Ll}/u
const FILLER_PHRASES_PATTERN = new RegExp(`\\b(?:${FILLER_PHRASES.join('|')})\\b`, 'g')
const FILLER_WORD_SET: ReadonlySet<string> = new Set(FILLER_WORDS)
const TRAPS = anyOf(TRAP_PATTERNS, 'gu')
const STANDALONE_KEYWORD = new RegExp(`\\b(?:${[...STANDALONE_OPT_OUT.forms.keys()].join('|')})\\b`)
const CJK_KEYWORD = new RegExp(CJK_OPT_OUT_KEYWORDS.flatMap((rule) => rule.forms).join('|'), 'u')
// "STOP2", "stop123", "UNSUB4": campaign codes glued to a keyword.
const KEYWORD_WITH_DIGITS = new RegExp(`\\b(${[...STANDALONE_OPT_OUT.forms.keys(), 'cancel', 'end', 'quit', 'alto', 'baja', 'arret', 'sair'].join('|')})\\d+\\b`, 'g')
const KEEPS_SUBSCRIPTION = anyOf(KEEP_SUBSCRIBED_PATTERNS)
const NAMES_OTHER_CHANNEL = new RegExp(OTHER_CHANNEL, 'u')
const KEEPS_TEXTS = anyOf(KEEPS_SMS)
const REVOCATIONS: ReadonlyArray<readonly [Language, RegExp]> = LANGUAGES.map((language) => [language, new RegExp(`${NEGATION_GUARDS[language]}(?:${anyOf(REVOCATION_PHRASES[language]).source})`, 'u')] as const)
const OPT_IN_WORDS: ReadonlyArray<readonly [Language, RegExp]> = LANGUAGES.map((language) => [language, anyOf(OPT_IN_PHRASES[language])] as const)
const PAST_OPT_OUT = new RegExp(NOT_HONORED_PAST_OPT_OUT)
const PERSISTENCE = new RegExp(NOT_HONORED_PERSISTENCE)
const NOT_HONORED_CUE = anyOf(NOT_HONORED_CUES)
const MARKETING = anyOf(MARKETING_CONTENT)
const CATEGORIES: ReadonlyArray<readonly [ComplaintCategory, RegExp]> = CATEGORY_PATTERNS.map(([category, patterns]) => [category, anyOf(patterns)] as const)
const HANGUL = /\p{Script=Hangul}/u
const HAN = /\p{Script=Han}/u
// Letters only one of the languages writes: a strong hint when a reply has few words.
const SCRIPT_HINTS: ReadonlyArray<readonly [Language, RegExp]> = [
  ['vi', /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu],
  ['pt', /[ãõ]/iu],
  ['de', /[äöüß]/iu],
  ['es', /[ñ¿¡]/iu],
  ['fr', /[èêàùûœç]/iu]
]
const MARKER_LANGUAGES: ReadonlyMap<string, readonly Language[]> = (() => {
  const markers = new Map<string, Language[]>()
  for (const [language, words] of Object.entries(LANGUAGE_MARKERS) as Array<[Language, readonly string[]]>) {
    for (const word of words) markers.set(word, [...(markers.get(word) ?? []), language])
  }
  return markers
})()
// A reply that quotes the message it answers: "> Reply STOP to opt out" lines are the sender's words.
const QUOTED_LINE = /^[ \t]*>.*$/gm
const HAS_WORD = /[\p{L}\p{N}]/u

/** An organization's keywords, normalized like replies ("UNSUB-ACME" → "unsub acme"). */
export function compileOrgKeywords (keywords: ReadonlyArray<{ keyword: string, kind: OrgKeywordKind }>): OrgKeywords {
  const forms = new Map<string, { keyword: string, kind: OrgKeywordKind }>()
  for (const { keyword, kind } of keywords) {
    const form = normalizeKeyword(keyword)
    if (form !== '') forms.set(form, { keyword, kind })
  }
  return { forms }
}

/** The form a keyword is matched in; '' when it has no letters or digits. */
export function normalizeKeyword (keyword: string): string {
  return normalizeReply(keyword, SPELLABLE_WORDS)
}

interface Decision {
  kind: ReplyKind
  keyword: string | null
  reason: string
  language: Language | null
  /** opt_out: the text itself says an earlier opt-out was ignored. */
  saysNotHonored?: boolean
}

/** Classifies one inbound SMS reply. Never throws; any string is a valid input. */
export function classifyReply (body: string, context: ReplyContext = {}): Classification {
  const unquoted = withoutQuotedLines(body)
  const text = normalizeReply(unquoted, SPELLABLE_WORDS).replace(KEYWORD_WITH_DIGITS, '$1')
  if (text === '') {
    if (STOP_EMOJI_SIGNS.test(unquoted) && STOP_EMOJI.test(unquoted) && !GREETING_EMOJI_ONLY.test(unquoted)) {
      const sign = STOP_EMOJI_SIGNS.exec(unquoted)?.[0] ?? '🛑'
      const category = notHonoredByHistory(context) ?? { category: 'unwanted_contact', reason: 'category unwanted_contact' }
      return { kind: 'opt_out', keyword: 'STOP', category: category.category, reason: `emoji ${sign}; ${category.reason}`, language: null }
    }
    return { kind: 'none', keyword: null, category: null, reason: 'no words', language: null }
  }
  const core = coreOf(text, FILLER_PHRASES_PATTERN, FILLER_WORD_SET)
  const untrapped = text.replace(TRAPS, ' ~ ')
  const decision = decide(unquoted, text, core, untrapped, context)
  const language = detectLanguage(unquoted, text, decision.language)
  if (decision.kind === 'opt_out') {
    const category = optOutCategory(text, decision, context)
    return { kind: 'opt_out', keyword: decision.keyword, category: category.category, reason: `${decision.reason}; ${category.reason}`, language }
  }
  if (decision.kind === 'complaint') {
    const complaint = complaintCategory(text)
    if (complaint !== null) return { kind: 'complaint', keyword: null, category: complaint.category, reason: `complaint: "${complaint.matched}"`, language }
  }
  const category = decision.kind === 'help' ? 'other' : null
  return { kind: decision.kind, keyword: decision.keyword, category, reason: decision.reason, language }
}

function decide (body: string, text: string, core: string, untrapped: string, context: ReplyContext): Decision {
  const orgOptOut = orgKeyword(core, untrapped, context.orgKeywords)
  if (orgOptOut !== null) return orgOptOut
  const optOut = detectOptOut(text, core, untrapped)
  if (optOut !== null) {
    // "stop calling me, texting is fine": consent to texts is kept, so no SMS opt-out.
    if (NAMES_OTHER_CHANNEL.test(text) && KEEPS_TEXTS.test(text)) {
      return { kind: 'none', keyword: null, reason: `another channel named, texts kept (${optOut.reason} set aside)`, language: optOut.language }
    }
    return optOut
  }
  const help = wholeReplyKeyword(core, HELP)
  if (help !== null) return keywordDecision('help', help)
  const optIn = optInDecision(core, untrapped, text, context)
  if (optIn !== null) return optIn
  if (complaintCategory(text) !== null) return { kind: 'complaint', keyword: null, reason: '', language: null }
  const shouted = LOWER_CASE_LETTER.test(body) ? SHOUTED_HELP.exec(body) : null
  const rule = shouted === null ? undefined : HELP.forms.get(shouted[0].toLowerCase())
  if (rule !== undefined) return keywordDecision('help', { rule }, ' (shouted in a longer reply)')
  return { kind: 'none', keyword: null, reason: 'no rule fired', language: null }
}

function keywordDecision (kind: ReplyKind, found: { rule: KeywordRule, typed?: string }, how = ''): Decision {
  const typo = found.typed !== undefined && !found.rule.forms.includes(found.typed) ? ` (typed "${quote(found.typed)}")` : ''
  return { kind, keyword: found.rule.canonical, reason: `keyword ${found.rule.canonical}${typo}${how}`, language: found.rule.language }
}

/** The organization's own words: an opt-out word anywhere as whole words, help and opt-in words as the whole reply. */
function orgKeyword (core: string, untrapped: string, orgKeywords: OrgKeywords | undefined): Decision | null {
  if (orgKeywords === undefined || orgKeywords.forms.size === 0) return null
  const whole = orgKeywords.forms.get(core)
  if (whole !== undefined && whole.kind === 'opt_out') return orgDecision(whole)
  const padded = ` ${untrapped} `
  for (const [form, entry] of orgKeywords.forms) {
    if (entry.kind === 'opt_out' && padded.includes(` ${form} `)) return orgDecision(entry)
  }
  return null
}

function orgDecision (entry: { keyword: string, kind: OrgKeywordKind }): Decision {
  return { kind: entry.kind, keyword: entry.keyword.toUpperCase(), reason: `organization keyword ${entry.keyword.toUpperCase()}`, language: null }
}

function detectOptOut (text: string, core: string, untrapped: string): Decision | null {
  const exact = OPT_OUT.forms.get(core)
  if (exact !== undefined) return keywordDecision('opt_out', { rule: exact })
  const isOtherKeyword = HELP.forms.has(core) || OPT_IN.forms.has(core) || AFFIRMATIVE.forms.has(core)
  const typo = isOtherKeyword ? null : typoKeyword(core, OPT_OUT)
  if (typo !== null) return keywordDecision('opt_out', { rule: typo, typed: core })

  const revocation = revocationPhrase(untrapped)
  // On the untrapped text: "I sent STOP by accident" reports no opt-out.
  const pastOptOut = PAST_OPT_OUT.test(untrapped) && PERSISTENCE.test(text)
  const keywordCounts = revocation !== null || pastOptOut || !KEEPS_SUBSCRIPTION.test(text)
  const inText = keywordCounts ? keywordInText(untrapped) : null
  const saysNotHonored = pastOptOut || NOT_HONORED_CUE.test(text)
  if (inText !== null) return { ...keywordDecision('opt_out', inText), saysNotHonored }
  if (revocation !== null) return { kind: 'opt_out', keyword: null, reason: `phrase "${quote(revocation.matched)}" (${revocation.language})`, language: revocation.language, saysNotHonored }
  const framing = keywordCounts ? contextualKeywordBeforeOrAfterComplaint(text) : null
  if (framing !== null) return { ...keywordDecision('opt_out', { rule: framing }, ' framing a complaint'), saysNotHonored }
  if (pastOptOut) return { kind: 'opt_out', keyword: null, reason: 'earlier opt-out said to be ignored', language: null, saysNotHonored }
  return null
}

function revocationPhrase (text: string): { matched: string, language: Language } | null {
  for (const [language, pattern] of REVOCATIONS) {
    const found = pattern.exec(text)
    if (found !== null) return { matched: found[0], language }
  }
  return null
}

/** The keyword a short reply consists of, allowing a small typo ("STOPP", "unsubscibe", "stpo"). */
function wholeReplyKeyword (core: string, index: KeywordIndex): { rule: KeywordRule, typed?: string } | null {
  const exact = index.forms.get(core)
  if (exact !== undefined) return { rule: exact }
  const typo = typoKeyword(core, index)
  return typo === null ? null : { rule: typo, typed: core }
}

/**
 * START/UNSTOP/SUBSCRIBE alone or with a "yes" ("yes please resubscribe me"), a request in
 * words ("sign me back up", "I sent STOP by accident"), the organization's opt-in words; a
 * bare YES only counts when the sender is opted out, as the answer to "reply YES to resubscribe".
 */
function optInDecision (core: string, untrapped: string, text: string, context: ReplyContext): Decision | null {
  const org = context.orgKeywords?.forms.get(core)
  if (org !== undefined) return orgDecision(org)
  const words = core.split(' ')
  if (words.length > 1 && words.every((word) => OPT_IN.forms.has(word) || AFFIRMATIVE.forms.has(word))) {
    const rule = OPT_IN.forms.get(words.find((word) => OPT_IN.forms.has(word)) ?? '')
    if (rule !== undefined) return keywordDecision('opt_in', { rule })
  }
  const keyword = wholeReplyKeyword(core, OPT_IN)
  if (keyword !== null) return keywordDecision('opt_in', keyword)
  for (const [language, pattern] of OPT_IN_WORDS) {
    const found = pattern.exec(text)
    if (found !== null) return { kind: 'opt_in', keyword: optInKeywordIn(untrapped), reason: `phrase "${quote(found[0])}" (${language})`, language }
  }
  if (isOptedOut(context)) {
    const yes = wholeReplyKeyword(core, AFFIRMATIVE)
    if (yes !== null) return { ...keywordDecision('opt_in', yes), reason: 'keyword YES after an opt-out' }
  }
  return null
}

/** "I sent stop by accident. START": the opt-in keyword the request carries, if any. */
function optInKeywordIn (text: string): string | null {
  for (const word of text.split(' ')) {
    const rule = OPT_IN.forms.get(word)
    if (rule !== undefined) return rule.canonical
  }
  return null
}

function typoKeyword (core: string, index: KeywordIndex): KeywordRule | null {
  if (core === '' || core.includes(' ')) return null
  const canonical = typoOf(core, index.typos)
  return canonical === null ? null : RULES_BY_CANONICAL.get(canonical) ?? null
}

/** A standalone keyword anywhere outside a trap span, or a typo of a long one ("unsubscibe me from this list"). */
function keywordInText (untrapped: string): { rule: KeywordRule, typed?: string } | null {
  const found = STANDALONE_KEYWORD.exec(untrapped)
  if (found !== null) {
    const rule = STANDALONE_OPT_OUT.forms.get(found[0])
    if (rule !== undefined) return { rule }
  }
  const cjk = CJK_KEYWORD.exec(untrapped)
  if (cjk !== null) {
    const rule = OPT_OUT.forms.get(cjk[0])
    if (rule !== undefined) return { rule }
  }
  for (const word of untrapped.split(' ')) {
    if (word.length < MIN_LENGTH_FOR_TYPOS_IN_TEXT - 1 || SPELLABLE_WORDS.has(word)) continue
    // "unsubscribed" is a report of the past, not a misspelling; PAST_OPT_OUT judges it.
    const form = LONG_STANDALONE_FORMS.find((candidate) => !word.startsWith(candidate) && isWithinOneEdit(word, candidate))
    const rule = form === undefined ? undefined : STANDALONE_OPT_OUT.forms.get(form)
    if (rule !== undefined) return { rule, typed: word }
  }
  return null
}

/** "Wrong number. BAJA", "ALTO número equivocado": a contextual keyword framing a complaint. */
function contextualKeywordBeforeOrAfterComplaint (text: string): KeywordRule | null {
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

function complaintCategory (text: string): { category: ComplaintCategory, matched: string } | null {
  for (const [category, pattern] of CATEGORIES) {
    const found = pattern.exec(text)
    if (found !== null) return { category, matched: quote(found[0]) }
  }
  return null
}

/**
 * The category of an opt-out (the convention in rules.ts): an ignored earlier opt-out first,
 * then a specific concern the text names, then advertising, else unwanted contact.
 */
function optOutCategory (text: string, decision: Decision, context: ReplyContext): { category: ComplaintCategory, reason: string } {
  if (decision.saysNotHonored === true) return { category: 'opt_out_not_honored', reason: 'category opt_out_not_honored: the reply says an earlier opt-out was ignored' }
  const history = notHonoredByHistory(context)
  if (history !== null) return history
  const complaint = complaintCategory(text)
  if (complaint !== null && (complaint.category === 'phishing_fraud' || complaint.category === 'content_concern' || complaint.category === 'wrong_recipient')) {
    return { category: complaint.category, reason: `category ${complaint.category}: "${complaint.matched}"` }
  }
  const marketing = MARKETING.exec(text)
  if (marketing !== null) return { category: 'unsolicited_marketing', reason: `category unsolicited_marketing: "${quote(marketing[0])}"` }
  if (complaint?.category === 'unsolicited_marketing') return { category: 'unsolicited_marketing', reason: `category unsolicited_marketing: "${complaint.matched}"` }
  return { category: 'unwanted_contact', reason: 'category unwanted_contact' }
}

/** For an opt-out: the sender was already opted out of the number for more than a day. */
function notHonoredByHistory (context: ReplyContext): { category: ComplaintCategory, reason: string } | null {
  if (!optedOutForMoreThanADay(context)) return null
  return { category: 'opt_out_not_honored', reason: 'category opt_out_not_honored: already opted out of this number for more than 24 h' }
}

/**
 * The reply's language: the script for Han and Hangul; otherwise letters only one language
 * writes and frequent short words, voted; the language of the rule that fired breaks ties
 * and decides when nothing else tells. A deterministic vote costs about a microsecond,
 * where language-identification libraries are unreliable on two-word replies.
 */
function detectLanguage (body: string, text: string, ruleLanguage: Language | null): Language | null {
  if (HANGUL.test(text)) return 'ko'
  if (HAN.test(text)) return 'zh'
  const votes = new Map<Language, number>()
  for (const [language, letters] of SCRIPT_HINTS) if (letters.test(body)) votes.set(language, 2)
  for (const word of text.split(' ')) {
    for (const language of MARKER_LANGUAGES.get(word) ?? []) votes.set(language, (votes.get(language) ?? 0) + 1)
  }
  if (ruleLanguage !== null) votes.set(ruleLanguage, (votes.get(ruleLanguage) ?? 0) + 0.5)
  let best: Language | null = null
  let bestVotes = 0
  for (const [language, count] of votes) {
    if (count > bestVotes) { best = language; bestVotes = count }
  }
  return best
}

function withoutQuotedLines (body: string): string {
  if (!body.includes('>')) return body
  const unquoted = body.replace(QUOTED_LINE, '')
  return HAS_WORD.test(unquoted) ? unquoted : body
}

function quote (matched: string): string {
  return matched.length > MAX_QUOTED ? `${matched.slice(0, MAX_QUOTED)}…` : matched
}

function isOptedOut (context: ReplyContext): boolean {
  return context.optedOutSince !== undefined && context.optedOutSince !== null
}

function optedOutForMoreThanADay (context: ReplyContext): boolean {
  if (context.optedOutSince === undefined || context.optedOutSince === null) return false
  const now = context.now ?? new Date()
  return now.getTime() - context.optedOutSince.getTime() > NOT_HONORED_AFTER_MS
}
