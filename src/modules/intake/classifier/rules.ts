/**
 * The classifier's tables. Every pattern is a regular-expression source written against the
 * normalized reply (see normalize.ts): lower case, no accents ("não" → "nao", "dừng" →
 * "dung", "löschen" → "loschen"), single spaces, "dont" for "don't", "optout" for "opt
 * out"/"opt-out", "stopall" for "stop all". Han and Hangul text is kept as it is (no
 * spaces to rely on, so those patterns use no `\b`). classifier.ts compiles them once at load.
 *
 * Sources for the keyword sets (docs/reply-classifier.md lists them per language):
 * FCC 24-24 (47 CFR 64.1200(a)(10): stop, quit, end, revoke, opt out, cancel, unsubscribe
 * are per-se revocations, and any reasonable wording in any language counts), the CTIA
 * short-code handbook set (STOP, END, CANCEL, UNSUBSCRIBE, QUIT; HELP, INFO), the CWTA
 * Canadian set (ARRET, AIDE), Twilio's Spanish short-code requirement (ALTO, AYUDA), the
 * Twilio, Telnyx and AWS default lists (STOPALL, UNSUB, OPTOUT, REMOVE, TD; START, UNSTOP),
 * Brazil's carrier SAIR, Brevo's German STOPP, GC Notify's French variants (FIN, ARRETT),
 * Tencent/Alibaba's TD and T, Korean 수신거부 ad-SMS practice. The rest are phrasings.
 */
import type { ComplaintCategory } from '../../../domain.js'

export const LANGUAGES = ['en', 'es', 'fr', 'pt', 'de', 'it', 'zh', 'ko', 'vi', 'tl'] as const
export type Language = typeof LANGUAGES[number]

export interface KeywordRule {
  /** What `Classification.keyword` reports. */
  readonly canonical: string
  /** Normalized spellings. */
  readonly forms: readonly string[]
  readonly language: Language
  /** False when a real word is one edit away ("anmelden" is sign up, "abmelden" sign off). */
  readonly typos?: false
}

/**
 * Words that revoke consent wherever they stand in a reply, unless a trap pattern shows they
 * are used in another sense ("stop by", "don't unsubscribe me"). A digit suffix is part of
 * the keyword ("STOP2", "stop123": the sender's campaign codes).
 */
export const STANDALONE_OPT_OUT_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'STOP', forms: ['stop'], language: 'en' },
  { canonical: 'STOPALL', forms: ['stopall'], language: 'en' },
  { canonical: 'UNSUBSCRIBE', forms: ['unsubscribe'], language: 'en' },
  { canonical: 'UNSUB', forms: ['unsub'], language: 'en' },
  { canonical: 'REVOKE', forms: ['revoke'], language: 'en' },
  { canonical: 'OPTOUT', forms: ['optout'], language: 'en' },
  { canonical: 'STOPP', forms: ['stopp'], language: 'de' },
  { canonical: 'DESUSCRIBIR', forms: ['desuscribir', 'desuscribirme', 'desuscribanme', 'desuscribame', 'desuscribete'], language: 'es' },
  { canonical: 'DESCADASTRAR', forms: ['descadastrar', 'descadastre', 'descadastrem', 'descadastra', 'descadastro'], language: 'pt' },
  { canonical: 'DESABONNER', forms: ['desabonner', 'desabonnement', 'desinscription', 'desinscrire'], language: 'fr' },
  { canonical: 'CANCELLAMI', forms: ['cancellami', 'cancellatemi'], language: 'it' },
  { canonical: 'DISISCRIVIMI', forms: ['disiscrivimi', 'disiscrivetemi', 'disiscrivere'], language: 'it' },
  { canonical: 'ABMELDEN', forms: ['abmelden', 'abbestellen'], language: 'de', typos: false }
]

/**
 * Han and Hangul keywords, matched anywhere in the text (those scripts have no spaces to
 * bound a word): 退订 ("unsubscribe", what TD abbreviates), 取消订阅, 수신거부 ("refuse to receive").
 */
export const CJK_OPT_OUT_KEYWORDS: readonly KeywordRule[] = [
  { canonical: '退订', forms: ['退订', '退訂'], language: 'zh' },
  { canonical: '取消订阅', forms: ['取消订阅', '取消訂閱'], language: 'zh' },
  { canonical: '수신거부', forms: ['수신거부', '수신 거부'], language: 'ko' }
]

/**
 * Words that are ordinary vocabulary too ("end of the month", "cancel my appointment",
 * "muy alto", "arrêt de bus", "sair hoje", "dung" = use in Vietnamese): they revoke consent
 * when they are the whole reply (give or take politeness), when they open or close a reply
 * whose rest is a complaint ("Wrong number. BAJA"), or inside a revocation phrase.
 */
export const CONTEXTUAL_OPT_OUT_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'CANCEL', forms: ['cancel'], language: 'en' },
  { canonical: 'END', forms: ['end'], language: 'en' },
  { canonical: 'QUIT', forms: ['quit'], language: 'en' },
  { canonical: 'REMOVE', forms: ['remove'], language: 'en' },
  { canonical: 'ARRET', forms: ['arret', 'arrete', 'arretez', 'arrett', 'aret'], language: 'fr' },
  { canonical: 'FIN', forms: ['fin'], language: 'fr' },
  { canonical: 'ANNULER', forms: ['annuler', 'annulez', 'annule'], language: 'fr' },
  { canonical: 'ALTO', forms: ['alto'], language: 'es' },
  { canonical: 'PARAR', forms: ['parar'], language: 'es' },
  { canonical: 'BAJA', forms: ['baja'], language: 'es' },
  { canonical: 'CANCELAR', forms: ['cancelar'], language: 'es' },
  { canonical: 'SALIR', forms: ['salir'], language: 'es' },
  { canonical: 'SAIR', forms: ['sair'], language: 'pt' },
  { canonical: 'PARE', forms: ['pare', 'parem'], language: 'pt' },
  { canonical: 'CHEGA', forms: ['chega'], language: 'pt' },
  { canonical: 'KUNDIGEN', forms: ['kundigen', 'kuendigen'], language: 'de' },
  { canonical: 'AUFHOREN', forms: ['aufhoren', 'aufhoeren', 'hort auf', 'horen sie auf'], language: 'de' },
  { canonical: 'BASTA', forms: ['basta'], language: 'it' },
  { canonical: 'TD', forms: ['td'], language: 'zh' },
  { canonical: 'T', forms: ['t'], language: 'zh' },
  { canonical: '停止', forms: ['停止', '别发了', '別發了', '不要发了', '不要發了'], language: 'zh' },
  { canonical: '거부', forms: ['거부', '그만', '그만해', '그만해요', '그만하세요', '중지', '해지', '차단'], language: 'ko' },
  { canonical: 'HUY', forms: ['huy', 'huy bo'], language: 'vi' },
  { canonical: 'TU CHOI', forms: ['tu choi', 'tuchoi'], language: 'vi' },
  { canonical: 'DUNG', forms: ['dung', 'ngung', 'dung lai', 'ngung lai'], language: 'vi' },
  { canonical: 'TIGIL', forms: ['tigil', 'itigil', 'tigilan', 'tama na', 'ayoko na', 'ayaw ko na', 'tigil na'], language: 'tl' }
]

export const HELP_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'HELP', forms: ['help'], language: 'en' },
  { canonical: 'INFO', forms: ['info'], language: 'en' },
  { canonical: 'AIDE', forms: ['aide'], language: 'fr' },
  { canonical: 'AYUDA', forms: ['ayuda'], language: 'es' },
  { canonical: 'AJUDA', forms: ['ajuda'], language: 'pt' },
  { canonical: 'HILFE', forms: ['hilfe'], language: 'de' },
  { canonical: 'AIUTO', forms: ['aiuto'], language: 'it' },
  { canonical: '帮助', forms: ['帮助', '幫助'], language: 'zh' },
  { canonical: '도움말', forms: ['도움말', '도움'], language: 'ko' },
  { canonical: 'TRO GIUP', forms: ['tro giup', 'trogiup'], language: 'vi' },
  { canonical: 'TULONG', forms: ['tulong'], language: 'tl' }
]

export const OPT_IN_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'START', forms: ['start'], language: 'en' },
  { canonical: 'UNSTOP', forms: ['unstop'], language: 'en' },
  { canonical: 'SUBSCRIBE', forms: ['subscribe', 'resubscribe', 'optin'], language: 'en' },
  { canonical: 'ABONNER', forms: ['abonner', 'aboner', 'abonnner'], language: 'fr' },
  { canonical: 'ANMELDEN', forms: ['anmelden'], language: 'de' },
  { canonical: 'ISCRIVIMI', forms: ['iscrivimi'], language: 'it' },
  { canonical: '订阅', forms: ['订阅', '訂閱'], language: 'zh' },
  { canonical: '수신동의', forms: ['수신동의'], language: 'ko' },
  { canonical: 'DANG KY', forms: ['dang ky'], language: 'vi' }
]

/** Only an opt-in when the sender is opted out of the number (a reply to "reply YES to resubscribe"). */
export const AFFIRMATIVE_KEYWORD: KeywordRule = { canonical: 'YES', forms: ['yes'], language: 'en' }

/** The reply is only stop-sign emoji (🛑, ⛔, 🚫, ✋): the sign means what the word does. */
// Emoji modifiers and joiners are listed one by one on purpose (a sign, then any skin tone or gender).
// eslint-disable-next-line no-misleading-character-class
export const STOP_EMOJI = /^(?:[\u{1F6D1}\u{26D4}\u{1F6AB}\u{270B}\u{1F91A}\u{1F44B}\u{274C}\u{1F645}][\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u2640\u2642]*|[\s\p{P}])+$/u
/** Which of those emoji decided, for the reason. */
export const STOP_EMOJI_SIGNS = /[\u{1F6D1}\u{26D4}\u{1F6AB}\u{270B}\u{1F91A}\u{274C}\u{1F645}]/u
// 👋 (waving) only counts next to a stop sign: alone it is a greeting.
// eslint-disable-next-line no-misleading-character-class
export const GREETING_EMOJI_ONLY = /^[\u{1F44B}\u{1F3FB}-\u{1F3FF}\uFE0F\s]+$/u

/** Typo tolerance: keywords at least this long accept any single edit, shorter ones only swaps and doubled letters. */
export const MIN_LENGTH_FOR_ANY_EDIT = 6
/** Inside longer text only long keywords are typo-matched: their one-edit neighbours are not words. */
export const MIN_LENGTH_FOR_TYPOS_IN_TEXT = 8

/** Politeness and emphasis that dress a keyword without changing it ("STOP please", "Baja ya", "arrêt svp", "Tama na po"). */
export const FILLER_PHRASES: readonly string[] = [
  'thank you', 'thank u', 'thanks a lot', 'right now', 'right away', 'for good', 'at once', 'not interested', 'no thanks', 'no thank you',
  'por favor', 'por fa', 'ahora mismo', 'no gracias', 'no me interesa',
  's il vous plait', 's il te plait', 'tout de suite', 'pas interesse', 'non merci',
  'por favor', 'obrigado', 'obrigada', 'nao obrigado', 'agora mesmo',
  'danke schon', 'vielen dank', 'nein danke', 'per favore', 'per piacere', 'no grazie',
  'lam on', 'cam on', 'xin cam on', 'salamat po'
]
export const FILLER_WORDS: readonly string[] = [
  'please', 'pls', 'plz', 'plse', 'pleas', 'kindly', 'thanks', 'thx', 'ty', 'tks', 'ok', 'okay', 'k', 'now', 'immediately', 'asap', 'just',
  'all', 'everything', 'it', 'this', 'me', 'i', 'need', 'again', 'already', 'and', 'y', 'et',
  'porfa', 'porfavor', 'gracias', 'ya', 'ahora', 'todo', 'inmediatamente',
  'svp', 'stp', 'merci', 'maintenant', 'immediatement', 'tout',
  'obg', 'pfv', 'pf', 'obrigado', 'obrigada', 'agora', 'ja', 'tudo',
  'bitte', 'danke', 'sofort', 'jetzt', 'alles',
  'grazie', 'subito', 'ora', 'tutto',
  'po', 'opo', 'salamat', 'xin',
  '谢谢', '謝謝', '请', '請', '吧', '啊', '了', '감사합니다', '주세요', '제발'
]

const MESSAGING_GERUNDS = 'texting|txting|texing|messaging|msging|sending|calling|contacting|emailing|writing|bothering|bugging|harassing|pestering|spamming|receiving|getting|doing|blowing|hitting'
const STANDALONE_FORMS = 'stop|stopall|unsubscribe|unsub|optout|revoke|stopp|abmelden|abbestellen'
const ANY_OPT_OUT_WORD = `${STANDALONE_FORMS}|end|cancel|quit|baja|alto|arret|sair|parar|salir|cancelar`
const FOOTER_PURPOSE = '(?: (?:to|para|pour|pra|zum|per|um|au|a|al) (?:\\w+ ){0,2}?(?:optout|unsubscribe|cancel|end|stop|quit|unsub|opt|cancelar|salir|darse|desuscribirse|arreter|desabonner|vous|sair|descadastrar|abmelden|abbestellen|annullare|disiscriversi|\\d+)\\b)'

/**
 * Spans in which an opt-out keyword is used in another sense. They are blanked out before
 * the keyword search, so one trapped "stop" does not hide a second, real one.
 */
export const TRAP_PATTERNS: readonly string[] = [
  // "don't stop the reminders", "never stop", but not "if you don't stop texting me I'll report you"
  `(?<!\\bif (?:you|u|they|yall) (?:do )?)\\b(?:dont|do not|never|didnt|did not|not|no need to|nicht)(?: ever| you| u)? (?:${STANDALONE_FORMS})\\b`,
  `\\b(?:dont|do not|never|didnt|did not|not) (?:want|need|mean|plan|wish) to (?:${STANDALONE_FORMS})\\b`,
  // "I sent STOP by accident": the keyword is reported, not meant (OPT_IN_PHRASES reads the intent)
  `\\b(?:sent|texted|typed|replied|hit|pressed|said|send|mande|envie|envoye|mandei|enviei|geschickt|mandato|inviato)(?: (?:you|u|the word|with|por|par))? (?:${ANY_OPT_OUT_WORD})\\b(?: \\w+){0,2}? (?:by (?:accident|mistake)|accidentally|accidently|on accident|in error|por error|por equivocacion|par erreur|par erreur|por engano|sem querer|aus versehen|versehentlich|per sbaglio|per errore)\\b`,
  `\\b(?:accidentally|accidently|mistakenly|by mistake|by accident|sin querer|por error|par erreur|sem querer|versehentlich|aus versehen|per sbaglio)(?: \\w+){0,2}? (?:${ANY_OPT_OUT_WORD})\\b`,
  // "can't stop laughing", "stop worrying": a gerund that is not about messages
  `\\bstop (?!(?:every|any|no|some)thing\\b)(?!(?:${MESSAGING_GERUNDS})\\b)\\p{L}+ing\\b`,
  '\\bstop (?:by|in|over|off|on by)\\b',
  '\\bstop at\\b(?! once)',
  '\\bstop for (?:gas|fuel|lunch|coffee|food|groceries|dinner|breakfast|drinks?|a (?:bit|sec|second|minute|moment|break|bite|while))\\b',
  '\\b(?:bus|next|last|first|pit|full|one|truck|rest|train|tram|metro|subway|final|shuttle|non|photo|quick|kwik) stop\\b',
  // brands and places: Stop & Shop, Stop-N-Go
  '\\bstop (?:n |and |an )?(?:shop|go)\\b',
  '\\bstop (?:light|lights|sign|signs|watch|loss|motion)\\b',
  // stopping an order, not the messages
  '\\b(?:stop|stopp|stoppen|cancel|parar|cancelar|annuler|stornieren|annullare|bloccare) (?:(?:the|my|this|that|our|your|his|her|el|la|mi|mon|ma|le|la|die|den|meine|il|mio|o|a|meu|minha|sua|tu|su) )?(?:delivery|deliveries|shipment|shipping|order|orders|package|parcel|payment|autopay|check|cheque|refund|pedido|entrega|envio|commande|livraison|lieferung|bestellung|zahlung|ordine|consegna|spedizione)\\b',
  '\\b(?:delivery|shipment|order|package|lieferung|bestellung|pedido|entrega|commande|ordine) (?:stoppen|stornieren|cancelar|annuler|annullare)\\b',
  // quoting the sender's footer: "your text says reply STOP to opt out", "> Reply STOP to end"
  `\\b(?:says?|said|saying) (?:to )?(?:reply|text|send|type|respond)(?: with)? (?:${STANDALONE_FORMS}|end|cancel|quit)(?: to (?:${STANDALONE_FORMS}|cancel|end|quit))?\\b`,
  `\\b(?:reply|replying|respond|responda|responde|responder|repondez|repondre|antworten sie|rispondi|rispondere)(?: with| con| com| avec| mit)? (?:${ANY_OPT_OUT_WORD})\\b${FOOTER_PURPOSE}?`,
  // "text STOP to 12345" is a footer; a bare "text stop" may be the person's own words
  `\\b(?:text|txt|send|envoyez|envoie|envie|envia|manda|invia)(?: with| con| com| avec| mit)? (?:${ANY_OPT_OUT_WORD})\\b${FOOTER_PURPOSE}`,
  '\\bstop (?:au|al|an|to) \\d+\\b',
  '\\bmsg (?:and )?data rates may apply\\b',
  // opting out of something that is not these messages
  '\\boptout of (?:the |my |your |all )?(?:paper|mail|mailed|printed|statements?|bills?|billing|catalogs?|emails?|cookies|jury|data sharing)\\b'
]

/** A reply that asks to stay subscribed overrides a stray keyword ("it says reply STOP, but I want to keep getting them"). */
export const KEEP_SUBSCRIBED_PATTERNS: readonly string[] = [
  '(?<!\\b(?:dont|not|never|no longer) )\\b(?:want|like|love|wanna) (?:to )?keep (?:getting|receiving)\\b',
  '\\bkeep me (?:on|in|subscribed|posted)\\b',
  '\\bkeep (?:them|these|em|the texts|the messages|the offers|the coupons|the deals) coming\\b',
  '\\b(?:i )?(?:love|like|enjoy) (?:the|your|these) (?:texts|messages|offers|deals|coupons|reminders)\\b'
]

/** Another channel named as the thing to stop ("stop calling me", "unsubscribe me from the emails"). */
export const OTHER_CHANNEL = '\\b(?:call|calls|calling|ring|ringing|voicemails?|phone calls|emails?|emailing|e mails?|mails|mail|mailing|newsletter|newsletters|catalogs?|catalogues?|paper|post|correo|correos|llamar|llamen|llamadas|llamandome|appeler|appelez|appels|courriels?|anrufen|anrufe|anrufen|ligar|liguem|ligacoes|chiamate|chiamare|chiamarmi)\\b'
/** ...while keeping the texts ("texting is fine", "keep the texts", "prefiero los mensajes"). */
export const KEEPS_SMS: readonly string[] = [
  '\\b(?:texting|texts?|text messages|sms|messages|msgs)(?: (?:is|are))? (?:fine|ok|okay|good|great|welcome|alright|all right)\\b',
  '\\b(?:texting|texts?|text messages|sms|messages) (?:still )?(?:is|are) (?:still )?(?:fine|ok|okay|good)\\b',
  '\\bkeep (?:the |your |sending (?:me )?(?:the )?)?(?:texts?|texting|sms|text messages)\\b',
  '\\b(?:i )?(?:prefer|rather have|rather get|only want|just want) (?:the )?(?:texts?|texting|sms|text messages)\\b',
  '\\b(?:texts?|texting|sms) (?:only|instead)\\b', '\\bjust text\\b', '\\btext me instead\\b',
  '\\bprefiero (?:los )?(?:mensajes|textos|sms)\\b', '\\blos (?:mensajes|textos|sms) (?:estan bien|si|ok)\\b',
  '\\bles (?:sms|textos|messages) (?:ca va|c est bien|ok|oui)\\b', '\\bje prefere les (?:sms|messages)\\b',
  '\\b(?:sms|nachrichten) (?:sind|ist) (?:ok|okay|in ordnung)\\b', '\\bmensagens (?:tudo bem|pode|podem|ok)\\b', '\\bi messaggi (?:vanno bene|ok)\\b'
]

/**
 * Revocations in other words ("any reasonable means", 47 CFR 64.1200(a)(10)), per language.
 * Each language's set is checked with that language's negation guard in front ("don't
 * remove me", "no dejen de enviarme", "nicht abmelden" are not revocations).
 */
export const REVOCATION_PHRASES: Readonly<Record<Language, readonly string[]>> = {
  en: [
    '\\b(?:quit|cease|end) (?:\\w+ )?(?:texting|txting|messaging|msging|sending|contacting|calling|emailing|bugging|bothering|harassing|spamming|pestering)\\b',
    '\\b(?:take|get|remove|delete|drop|scratch|pull|cross|strike) (?:me|us|my (?:phone |cell |mobile )?(?:number|no|info|details)|this (?:phone |cell )?number)(?: \\w+){0,3}? (?:off|from|out of)\\b',
    '\\bremove (?:me|us|my (?:phone |cell |mobile )?number|this (?:phone |cell )?number)\\b',
    '\\b(?:delete|lose|forget|erase|remove) (?:my|this|the) (?:phone |cell |mobile )?(?:number|no|contact|info)\\b',
    '\\bwants? off\\b',
    '\\bremove (?:it|this|them|that)(?: (?:please|pls|now|thanks|asap))?$',
    '\\boff (?:this|your|the|ur|ya|that|my) (?:list|mailing list|text list|sms list|texts)\\b',
    '\\bopt me out\\b',
    '\\b(?:unsubscribe|unsub|optout) (?:me|us|this number|my number)\\b',
    '\\bno more (?:\\w+ )?(?:texts?|txts?|messages?|msgs?|sms|alerts?|notifications?|reminders?|promos?|promotions?|ads|offers|spam|calls|emails?|of (?:these|this|your|ur|them)|please|pls|plz|thanks|thank you)\\b',
    '^no more$',
    '\\b(?:dont|do not|never|please dont|pls dont) (?:ever )?(?:text|txt|message|msg|sms|contact|call|email|write|bother|spam|send)\\w* (?:me|us|this (?:number|phone)|my (?:number|phone|cell)|any ?more|again)\\b',
    '\\bleave me (?:the (?:hell|heck|fuck|f) )?(?:alone|be|in peace)\\b',
    '\\b(?:can|could|would|will) (?:you|u) (?:please |pls |plz )?not (?:text|txt|message|msg|sms|contact|call|email)\\w* (?:me|us|this number)\\b',
    '\\b(?:please|pls|plz) not (?:text|txt|message|msg|sms|contact|call|email)\\w* (?:me|us|this number)\\b',
    '\\b(?:i|we) (?:want|wanna|need) out\\b',
    // a short reply that is only "don't want these": the object can only be the messages
    '^(?:i )?(?:dont|do not) want (?:these|them|this|those|it|any ?more)(?: any ?more)?$',
    '\\b(?:rather not|prefer not to|d like to not|would like to not) (?:get|receive|be (?:texted|contacted))(?: (?:these|your|ur|any|those|them|more|texts?|messages?|any ?more))+\\b',
    '\\b(?:dont|do not|doesnt|does not|no longer|never) (?:want|wish|need|care)(?: to (?:receive|get|keep getting|keep receiving|be (?:texted|contacted|messaged)|hear from))?(?: (?:any ?more|these|your|ur|any|those|such|this|the|more|of))* ?(?:\\w+ )?(?:texts?|txts?|messages?|msgs|sms|alerts|notifications|promos?|promotions|offers|ads|calls|emails|spam|updates|reminders|coupons|deals|marketing)\\b',
    '\\bcease and desist\\b',
    '\\b(?:cut it out|knock it off)\\b',
    '\\b(?:like|want|wish|need|ask|asked|asking|request|requesting|please) (?:to )?be (?:removed|taken off|unsubscribed|deleted|excluded)\\b',
    '\\bno longer interested\\b',
    '\\bnot interested in (?:receiving|getting) (?:these|your|any|texts|messages|them)\\b',
    '\\b(?:discontinue|cease|halt|terminate|suspend) (?:(?:my|the|these|this|all|your|ur|those|sending|of) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|contact|communications?|reminders?|promos?|promotions|ads|offers|updates)\\b',
    '\\b(?:dont|do not|never) (?:text|txt|message|msg|contact|call) (?:it|this phone)$',
    '\\b(?:enough|done) with (?:the|these|your|ur|all) (?:texts|messages|spam|msgs)\\b',
    '\\bdone (?:getting|receiving) (?:these|your|them|the|ur)\\b',
    '\\bcancel (?:(?:my|the|these|this|all|your|ur|of|those) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|reminders?|promos?|marketing)\\b',
    '\\bend (?:(?:my|the|these|this|all|your|ur|those) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|spam|reminders?|promos?|promotions|ads|offers)\\b',
    // an explicit legal revocation
    '\\b(?:revoke|revoking|revoked|withdraw|withdrawing|withdrawn|rescind|rescinding|retract|retracting|cancel)\\w* (?:(?:my|any|all|the|of|prior|express|written|previous) )*(?:consent|permission|authorization|authorisation)\\b',
    '\\bconsent (?:is |has been |hereby )?(?:revoked|withdrawn|rescinded)\\b',
    '\\b(?:you )?(?:dont|do not|no longer) have (?:my )?(?:consent|permission)\\b',
    // rude ones
    '\\b(?:f|fuck|fuk|fck|frick|piss|bugger|sod|buzz|back|bug) off\\b',
    '\\bfuck (?:you|u|yourself|outta here)\\b', '\\bgo away\\b', '\\bstfu\\b', '\\bgtfo\\b', '\\bget lost\\b', '\\bshut up\\b', '\\bgo to hell\\b'
  ],
  es: [
    '\\b(?:dejen|deje|deja|dejar|dejes|paren|pare|para|parar|paras|basta) de (?:enviar|mandar|escribir|llamar|molestar|contactar|textear)\\w*',
    '\\b(?:quit|elimin|sac|saq|borr|retir)\\w* de (?:la|su|sus|esta|tu|vuestra|esa|sus|la base de) (?:lista|listas|base|datos|lista de \\w+)\\b',
    '\\b(?:borr|elimin|quit|sac|saq)\\w* (?:mi|este) (?:numero|telefono|celular)\\b',
    '\\b(?:quitenme|sacenme|borrenme|eliminenme|retirenme|quiteme|saqueme|borreme)\\b',
    '\\bno (?:me |nos )?(?:manden|mande|envien|envie|escriban|escriba|contacten|contacte|llamen|llame|molesten|moleste|mandes|envies|escribas|contactes|enviar\\w*|mandar\\w*|escribir\\w*|contactar\\w*|llamar\\w*)(?: \\w+){0,2}? (?:mas|nada|nunca|mensajes|sms|textos|promociones|publicidad|ofertas)\\b',
    // an imperative at the very end of the reply: "No me interesa, no me escriban"
    '\\bno me (?:manden|envien|escriban|contacten|llamen|molesten|mandes|envies|escribas|contactes)(?: (?:por favor|porfa|gracias))?$',
    '\\bya no (?:quiero|deseo|me interesa)\\b(?: \\w+){0,4}? (?:mensajes|sms|textos|recibir|nada|promociones|publicidad)\\b',
    '\\bya no (?:quiero|deseo)$',
    '\\bno (?:quiero|deseo) (?:recibir |seguir recibiendo )?(?:(?:mas|ningun|ninguno|estos|sus|otros) )*(?:mensajes|sms|textos|notificaciones|promociones|llamadas|publicidad)\\b',
    '\\bno (?:quiero|deseo) (?:recibir )?mas\\b',
    '\\bno mas (?:mensajes|msjs|mjs|sms|textos|notificaciones|promociones|publicidad|por favor|gracias)\\b',
    '^no mas$',
    '\\b(?:dar|darme|darse|denme|deme|dame|doy|den|darnos|quiero) de baja\\b',
    '\\bdej\\w*me (?:en paz|tranquil\\w*)\\b',
    '\\bcancel\\w* (?:(?:mi|la|su|mis|las|los|sus) )?(?:suscripcion|subscripcion|mensajes|sms|notificaciones|textos)\\b',
    '\\bbasta (?:de|con) (?:mensajes|sms|textos|spam|publicidad|promociones|ofertas|anuncios)\\b',
    '\\bdesuscrib\\w*|\\bdesinscrib\\w*|\\bdesafili\\w*',
    '\\b(?:revoco|retiro) (?:mi )?(?:consentimiento|autorizacion|permiso)\\b'
  ],
  fr: [
    '\\b(?:arret|cess)\\w* (?:de |d )?(?:m |me |nous |de m |de me )?(?:envoyer|ecrire|contacter|appeler|harceler|spammer|texter|deranger|relancer)\\b',
    '\\barret\\w* (?:les|vos|ces|tes) (?:messages|sms|textos|envois|relances|notifications|pubs?|publicites|promos?|promotions)\\b',
    '\\b(?:retir|enlev|supprim|effac|ray)\\w*(?: moi)? (?:de (?:votre|vos|la|ta|cette|ces|tes) (?:liste|fichier|fichiers|base)|mon numero)\\b',
    '\\b(?:retir|enlev|supprim|effac|ray)\\w* moi\\b',
    '\\bne (?:m |me |nous )?(?:ecri|envoy|contact|appel|text|deran|harcel|relanc)\\w* plus\\b',
    '\\bne plus (?:me |m |nous )?(?:contacter|ecrire|envoyer|appeler|deranger|relancer|recevoir)\\b',
    '\\b(?:je|on|nous) ne (?:veux|voulons|souhaite|souhaitons|desire) plus\\b',
    '\\bplus (?:de|aucun|jamais de) (?:messages?|sms|textos|notifications|pubs?|publicites?|relances|promos?|promotions|offres)\\b',
    '\\bdesabonn\\w*|\\bdesinscri\\w*',
    '\\blaiss\\w* moi tranquille\\b|\\b(?:fich|fout)\\w* moi la paix\\b',
    '\\bannul\\w* (?:mon |l |ma )?(?:abonnement|inscription)\\b',
    '\\b(?:je )?(?:retire|revoque) mon (?:consentement|accord)\\b'
  ],
  pt: [
    '\\b(?:pare|parem|para|parar|pode parar|podem parar|deixe|deixem|deixa|chega) de (?:me )?(?:mandar|enviar|ligar|escrever|encher|perturbar|incomodar|mandando|enviando)\\w*',
    '\\bnao (?:me )?(?:mande|mandem|envie|enviem|manda|envia|ligue|liguem|escreva|escrevam|perturbe|perturbem|incomode|incomodem)\\w*(?: \\w+){0,3}? mais\\b',
    '\\bnao (?:quero|desejo) (?:mais|receber mais|receber nada)\\b',
    '\\bnao (?:quero|desejo)(?: \\w+){0,2}? (?:mensage\\w*|sms|propaganda\\w*|promoc\\w*)\\b',
    '\\b(?:tir|remov|exclu|apag|retir|delet)\\w*(?: me)? (?:d[ao]|dessa|desta|dessas|de sua|da sua) (?:lista|listas|base|cadastro)\\b',
    '\\b(?:me )?(?:tira|tire|tirem|remova|removam|exclua|excluam)\\b(?= me\\b| da\\b| dessa\\b| desta\\b|$)',
    '\\b(?:tir|remov|exclu|apag|retir|delet)\\w* (?:o )?meu (?:numero|telefone|celular|contato)\\b',
    '\\bdescadastr\\w*',
    '\\b(?:pedir|pedi|peco|pedimos) (?:pra|para) (?:parar|pararem|sair|me tirar|me descadastrar)\\b',
    '\\bcancel\\w* (?:o |a |meu |minha )?(?:inscricao|assinatura|cadastro|recebimento|envio|mensagens|sms)\\b',
    '\\bchega de (?:mensage\\w*|sms|propaganda\\w*|promoc\\w*|spam)\\b',
    '\\bme deix\\w* em paz\\b|\\bdeix\\w* me em paz\\b',
    '\\b(?:revogo|retiro) (?:o )?meu consentimento\\b',
    '\\bsem mais (?:mensagens|sms)\\b'
  ],
  de: [
    '\\b(?:keine|keinerlei) (?:\\w+ )?(?:sms|nachrichten|nachricht|werbung|mails?|textnachrichten|angebote|newsletter|werbenachrichten|werbe sms)(?: \\w+){0,3}? mehr\\b',
    '\\bnicht mehr (?:schreiben|anschreiben|kontaktieren|anrufen|senden|schicken|zusenden|belastigen|stören|storen)\\b',
    '\\b(?:schreib|schreiben|kontaktier|kontaktieren|schick|schicken|send|senden)\\w* (?:sie |du |ihr )?(?:mir|mich|uns) (?:\\w+ ){0,2}?(?:nicht mehr|nie wieder|keine)\\b',
    '\\b(?:horen|hort|hor) (?:sie |ihr )?(?:bitte )?auf(?: \\w+){0,4}? (?:schreiben|senden|schicken|nachrichten|sms|kontaktieren|belastigen)\\b',
    '\\bhor\\w* (?:sie |ihr )?(?:bitte )?auf mit\\b',
    '\\b(?:losch|losche|loschen|entfern|entfernen|streich|streichen)\\w*(?: sie)? (?:meine (?:nummer|telefonnummer|handynummer|daten)|mich)\\b',
    '\\b(?:nehmen|nimm) (?:sie )?mich (?:aus|von) (?:dem|der|ihrem|ihrer|eurer|dieser|diesem|ihren) (?:verteiler|liste|newsletter|datenbank|kartei)\\b',
    '\\babmeld\\w*|\\babbestell\\w*|\\bausgetragen werden\\b|\\baustragen\\b',
    '\\blass\\w* (?:sie |ihr )?mich in ruhe\\b',
    '\\bwiderruf\\w* (?:meine|die|hiermit meine|der|meiner) (?:einwilligung|zustimmung|einverstandniserklarung)\\b',
    '\\b(?:sms|nachrichten|werbung|werbe sms) (?:stoppen|einstellen|beenden)\\b'
  ],
  it: [
    '\\b(?:smettete|smettetela|smetti|smettila|smettere|basta|smettere) (?:di )?(?:scriver|mandar|inviar|contattar|chiamar|disturbar)\\w*',
    '\\bnon (?:mi |ci )?(?:scrivete|mandate|inviate|contattate|chiamate|scrivetemi|mandatemi|inviatemi|contattatemi|scrivere|mandare|inviare)\\w*(?: \\w+){0,2}? piu\\b',
    '\\bnon (?:voglio|desidero) (?:piu|ricevere piu)\\b',
    '\\bnon (?:voglio|desidero)(?: \\w+){0,2}? (?:messaggi|sms|pubblicita|promozioni)\\b',
    '\\b(?:cancell|togli|rimuov|elimin)\\w*(?: mi)? (?:dalla|dalle|da questa|dalla vostra|dai vostri) (?:lista|liste|mailing list|rubrica|database|elenchi|elenco)\\b',
    '\\b(?:cancell|elimin|rimuov)\\w* (?:il )?mio numero\\b',
    '\\bbasta (?:con )?(?:le |i |gli |la |questi |queste )?(?:messaggi|sms|pubblicita|spam|promozioni)\\b',
    '\\blasciate\\w* in pace\\b|\\blasciami in pace\\b',
    '\\bdisiscriv\\w*|\\bcancellatemi\\b',
    '\\b(?:revoco|ritiro) (?:il )?(?:mio )?consenso\\b'
  ],
  zh: [
    '不要再(?:给我|給我|跟我)?(?:发|發|传|傳|打|寄)', '(?:别|別)再(?:给我|給我)?(?:发|發|传|傳|打)', '(?:别|別)(?:发|發|传|傳)了',
    '停止(?:发送|發送|发|發|传送|傳送|推送)', '(?:从|從)?(?:名单|名單|列表)(?:中|里|裡)?(?:删除|刪除|移除)', '(?:删除|刪除|移除)我的(?:号码|號碼|电话|電話)',
    '(?:把我|将我|將我)(?:从|從)', '不想再(?:收到|接到)', '不(?:要|想)(?:再)?(?:收到|接收)', '拒收', '勿扰|勿擾'
  ],
  ko: [
    '수신\\s?거부', '그만\\s?(?:보내|좀|하세요|해)', '보내지\\s?(?:마|말아)', '연락\\s?(?:하지|주지)\\s?(?:마|말아)', '더\\s?이상\\s?(?:연락|문자|메시지|보내)',
    '(?:번호|연락처)\\s?(?:좀\\s?)?(?:지워|삭제)', '해지\\s?(?:해|합니다|할)', '(?:문자|메시지)\\s?(?:그만|사절|거부)'
  ],
  vi: [
    '\\b(?:dung|ngung|thoi) (?:nhan tin|gui tin|gui|nhan|goi dien|goi|lam phien|spam)\\b',
    '\\bkhong (?:muon|can) (?:nhan|nhan tin|nhan them|tin nhan)\\b',
    '\\bhuy (?:dang ky|nhan tin|tin nhan|dich vu)\\b',
    '\\btu choi (?:nhan|tin nhan)\\b',
    '\\b(?:xoa|bo) (?:so|so dien thoai|ten) (?:cua )?toi\\b',
    '\\b(?:lam on|xin|vui long) (?:dung|ngung|huy)\\b'
  ],
  tl: [
    '\\b(?:huwag|wag|hwag)\\b(?: \\w+){0,4}? (?:mag ?text|magtext|mag message|i text|itext|mag send|tumawag|magpadala|mag txt|mag sms|padalhan)\\w*',
    '\\bpaki ?(?:stop|tigil|itigil|tanggal|alis)\\w*',
    '\\b(?:ayoko|ayaw ko) na(?: po)?(?: ng| sa)? (?:mga )?(?:text|txt|message|sms|mensahe)\\w*',
    '\\b(?:tanggal|alis)\\w*(?: (?:n yo|nyo|mo|na|po|ninyo)){0,3} (?:ako|number ko|numero ko)\\b',
    '\\b(?:i|paki)?tigil\\w*'
  ]
}

/** A revocation phrase right after one of these is negated (per language). */
export const NEGATION_GUARDS: Readonly<Record<Language, string>> = {
  en: '(?<!\\b(?:dont|do not|never|not|please dont|didnt) )',
  es: '(?<!\\bno )',
  fr: '(?<!\\bn )',
  pt: '(?<!\\bnao )',
  de: '(?<!\\bnicht )',
  it: '(?<!\\bnon )',
  zh: '',
  ko: '',
  vi: '(?<!\\bkhong )',
  tl: ''
}

/**
 * Words that mark a reply's language when no rule in that language fired ("STOP merci" is
 * French). Only frequent short words that are not also common in another listed language.
 */
export const LANGUAGE_MARKERS: Readonly<Record<Exclude<Language, 'zh' | 'ko'>, readonly string[]>> = {
  en: ['the', 'you', 'me', 'my', 'please', 'thanks', 'this', 'is', 'to', 'and', 'i', 'im', 'dont', 'your', 'not', 'who', 'what', 'why', 'texts', 'number', 'wrong'],
  es: ['el', 'los', 'que', 'por', 'favor', 'mas', 'gracias', 'mensajes', 'quiero', 'ya', 'esto', 'soy', 'yo', 'numero', 'usted', 'ustedes', 'mi', 'es', 'una'],
  fr: ['je', 'vous', 'le', 'les', 'des', 'merci', 'svp', 'plus', 'ne', 'pas', 'mon', 'est', 'c', 'moi', 'suis', 'votre', 'ce', 'j'],
  pt: ['nao', 'voce', 'voces', 'obrigado', 'obrigada', 'mais', 'meu', 'eu', 'isso', 'mensagem', 'mensagens', 'da', 'do', 'sou', 'e', 'por', 'favor'],
  de: ['ich', 'sie', 'nicht', 'bitte', 'danke', 'mehr', 'keine', 'mir', 'mich', 'das', 'ist', 'der', 'die', 'und', 'nachrichten', 'meine', 'nummer'],
  it: ['non', 'grazie', 'piu', 'mi', 'il', 'della', 'sono', 'voglio', 'messaggi', 'per', 'favore', 'questo', 'e', 'di', 'ho', 'mio'],
  vi: ['toi', 'khong', 'nua', 'tin', 'nhan', 'cam', 'on', 'ban', 'gui', 'dung', 'xin', 'cua'],
  tl: ['po', 'na', 'ako', 'ang', 'ng', 'mga', 'salamat', 'huwag', 'wag', 'nyo', 'ayoko', 'sige', 'opo']
}

/**
 * Re-subscriptions in words (an opt-in lifts a suppression, so only clear requests, and only
 * when no revocation is in the same reply). "I sent STOP by accident" alone counts: the
 * sender says the opt-out was not meant.
 */
export const OPT_IN_PHRASES: Readonly<Record<Language, readonly string[]>> = {
  en: [
    '\\bre ?subscribe\\b', '\\bresub\\b', '\\bsign (?:me|us) (?:back )?up(?: again)?\\b', '\\b(?:add|put) (?:me|us|my number) back\\b', '\\bopt (?:me )?back in\\b', '\\boptin again\\b',
    '\\b(?:start|resume|restart|continue|turn on|turn back on) (?:sending )?(?:me )?(?:my |the |your |getting |receiving )?(?:texts?|txts|msgs|messages?|alerts?|sms|reminders?|offers)\\b',
    '\\b(?:start|resume|restart) (?:again|over)\\b', '^resume$', '^(?:yes )?(?:start|resume) (?:me )?(?:again|back up)$',
    '\\bwant (?:to )?(?:start )?(?:getting|receiving) (?:your |the |these |my )?(?:texts|text messages|messages|msgs|txts|sms|alerts|reminders|offers|deals)(?: again)?\\b',
    '\\b(?:sent|texted|typed|replied|hit|pressed|said) (?:the word )?(?:stop|unsubscribe|end|cancel|quit|optout)\\b(?: \\w+){0,2}? (?:by (?:accident|mistake)|accidentally|accidently|on accident|in error)\\b',
    '\\b(?:accidentally|accidently|mistakenly) (?:sent|texted|typed|replied|hit|pressed|said|unsubscribed|opted out)\\b',
    '\\b(?:didnt|did not) mean to (?:stop|unsubscribe|optout|cancel|send|text|reply)\\b'
  ],
  es: [
    '\\b(?:volver a|seguir|quiero) recibi\\w* (?:sus |los |mas )?(?:mensajes|ofertas|promociones|textos|sms)\\b', '\\bvolver a recibir\\b', '\\bseguir recibiendo\\b',
    '\\b(?:suscribanme|suscribame|inscribanme|reactiv\\w*)\\b', '\\b(?:dame|denme|darme) de alta\\b',
    '\\b(?:mande|envie|puse|escribi) (?:alto|baja|stop|parar|cancelar) por (?:error|equivocacion)\\b'
  ],
  fr: [
    '\\breabonn\\w*', '\\breinscri\\w*', '\\bcontinuer a recevoir\\b', '\\brecevoir (?:a|de) nouveau\\b', '\\babonnez moi\\b',
    '\\b(?:envoye|ecrit|mis) (?:arret|stop|fin) par erreur\\b'
  ],
  pt: ['\\bvoltar a receber\\b', '\\bcontinuar (?:a )?receb\\w*', '\\brecadastr\\w*', '\\breativ\\w*', '\\b(?:mandei|enviei) (?:sair|parar|pare|stop) (?:sem querer|por engano)\\b'],
  de: ['\\bwieder (?:anmelden|abonnieren|aktivieren|eintragen)\\b', '\\bwieder (?:nachrichten|sms) (?:erhalten|bekommen)\\b', '\\b(?:versehentlich|aus versehen) (?:stopp?|abgemeldet)\\b'],
  it: ['\\b(?:iscrivimi|iscrivetemi|reiscriv\\w*)\\b', '\\bricevere di nuovo\\b', '\\btornare a ricevere\\b', '\\b(?:stop|basta) per (?:sbaglio|errore)\\b'],
  zh: ['重新订阅', '重新訂閱', '恢复(?:发送|接收|订阅)', '恢復(?:發送|接收|訂閱)'],
  ko: ['수신\\s?동의', '다시\\s?(?:받|구독)'],
  vi: ['\\bdang ky lai\\b', '\\bnhan lai tin\\b'],
  tl: ['\\bi ?subscribe (?:ulit|muli)\\b', '\\bibalik (?:nyo|mo) (?:ako|na ako)\\b']
}

/**
 * The reply itself says an earlier opt-out was ignored, and is therefore also a renewed
 * revocation: a past opt-out plus a sign of time or persistence.
 */
export const NOT_HONORED_PAST_OPT_OUT = '\\b(?:unsubscribed|opted out|optedout|my (?:optout|stop|unsubscribe)(?: request)?|(?:asked|requested) (?:you )?to (?:be removed|be taken off|be unsubscribed|stop|remove me|unsubscribe me|take me off)|replied (?:stop|with stop)|texted stop|sent stop|said stop|di de baja|me desuscribi|me desinscribi|me suis (?:deja )?(?:desinscrit|desabonne)\\w*|pedi (?:para|pra) (?:parar|sair|me tirar)|me descadastrei|abgemeldet|(?:demande|dit) d arreter|(?:detto|chiesto) di (?:smettere|cancellarmi|non scrivermi)|(?:stopp?|abmelden) geschrieben|ho (?:gia )?scritto (?:stop|basta))\\b'
export const NOT_HONORED_PERSISTENCE = '\\b(?:still|again|keep|keeps|kept|continue|continues|ignor\\w*|ago|already|yesterday|last (?:week|month|time)|before|siguen|sigue|todavia|aun|encore|toujours|deja|ya|continuam|continua|ainda|ja|immer noch|schon|bereits|wieder|ancora|gia|di nuovo)\\b'
/** Phrases that only mean "not honoured" next to a revocation ("I already said stop", "how many times"). */
export const NOT_HONORED_CUES: readonly string[] = [
  '\\balready (?:said|told|asked|replied|texted|sent|typed|requested|responded)\\b',
  '\\bhow many times\\b',
  '\\b(?:told|asked) (?:you|u)\\b(?: \\w+){0,4}? (?:times|before|already|twice|last)\\b',
  '\\b(?:second|third|fourth|fifth|\\d+(?:nd|rd|th)) time\\b(?: \\w+){0,3}? (?:asking|telling|saying|requesting|ask|asked|told|said|requested)\\b',
  '\\b(?:deuxieme|troisieme|quatrieme|cinquieme|\\d+e|\\d+eme) fois\\b', '\\b(?:segunda|tercera|cuarta|quinta) vez\\b',
  '\\bya (?:les |le |te )?(?:dije|pedi|habia dicho|solicite)\\b',
  '\\bcuantas veces\\b',
  '\\bdeja (?:dit|demande|ecrit|repondu|signale)\\b',
  '\\bvous ai deja\\b',
  '\\bcombien de fois\\b',
  '\\bja (?:pedi|disse|falei|mandei|avisei)\\b', '\\bquantas vezes\\b',
  '\\b(?:habe|hab) (?:schon|bereits|ihnen schon|euch schon)\\b', '\\bwie oft\\b', '\\bschon (?:mehrmals|zweimal|dreimal|oft)\\b',
  '\\b(?:vi |ti )?ho gia (?:detto|chiesto|scritto)\\b', '\\bquante volte\\b',
  '我已经|我已經|说过|說過', '이미|몇\\s?번'
]

/**
 * "I'm not <name>" is a wrong-recipient signal; these words after the negation are not names
 * ("I'm not interested", "je ne suis pas disponible").
 */
const NOT_A_NAME: Readonly<Record<'en' | 'es' | 'fr' | 'pt' | 'de' | 'it', readonly string[]>> = {
  en: ['interested', 'sure', 'able', 'going', 'gonna', 'available', 'coming', 'home', 'here', 'there', 'in', 'at', 'on', 'out', 'feeling', 'a', 'an', 'the',
    'that', 'this', 'happy', 'ok', 'okay', 'free', 'certain', 'aware', 'mad', 'upset', 'angry', 'paying', 'really', 'very', 'so', 'too', 'ready', 'done',
    'late', 'well', 'sick', 'yet', 'allowed', 'buying', 'doing', 'using', 'looking', 'your', 'ur', 'you', 'it', 'into', 'from', 'with', 'for', 'planning',
    'trying', 'worried', 'asking', 'saying', 'getting', 'signing', 'subscribed', 'one', 'even', 'just', 'quite', 'actually', 'satisfied', 'comfortable',
    'convinced', 'near', 'around', 'busy', 'kidding', 'joking', 'impressed', 'pleased', 'talking', 'calling', 'texting', 'replying', 'responding'],
  es: ['de', 'el', 'la', 'tan', 'muy', 'quien', 'su', 'tu', 'un', 'una', 'cliente', 'de aqui', 'capaz'],
  fr: ['disponible', 'sur', 'sure', 'la', 'libre', 'd', 'en', 'chez', 'a', 'au', 'malade', 'encore', 'du', 'de', 'tres', 'si', 'vraiment', 'certain', 'certaine',
    'content', 'contente', 'interesse', 'interessee', 'pret', 'prete', 'inscrit', 'inscrite', 'abonne', 'abonnee', 'sortie', 'sorti', 'dispo', 'satisfait', 'satisfaite'],
  pt: ['de', 'do', 'da', 'um', 'uma', 'muito', 'cliente', 'daqui', 'capaz', 'interessado', 'interessada', 'obrigado', 'obrigada'],
  de: ['interessiert', 'sicher', 'da', 'zuhause', 'zu', 'mehr', 'der', 'die', 'ihr', 'ihre', 'kunde', 'kundin', 'so', 'sehr', 'zufrieden', 'einverstanden'],
  it: ['interessato', 'interessata', 'sicuro', 'sicura', 'disponibile', 'a', 'in', 'il', 'la', 'un', 'una', 'cliente', 'libero', 'libera', 'molto', 'tanto']
}

const MESSAGES = '(?:texts?|txts?|messages?|msgs?|sms)'

/**
 * Words about advertising in the reply: an opt-out that names them ("stop the promotions",
 * "basta pubblicità") is `unsolicited_marketing` under the category convention. Not used
 * for complaints on their own ("when does the promo end?" is an ordinary question).
 */
export const MARKETING_CONTENT: readonly string[] = [
  '\\bspam\\w*', '\\bads\\b', '\\badvert\\w*', '\\bpromos?\\b', '\\bpromotion\\w*', '\\bpromotional\\b', '\\bmarketing\\b', '\\bcoupons?\\b', '\\bdeals\\b', '\\bsales? texts\\b',
  '\\bpublicidad\\w*', '\\bpublicitair\\w*', '\\bpromociones\\b', '\\bofertas\\b', '\\banuncios\\b', '\\bpubs?\\b', '\\bpublicites?\\b', '\\bpromotions\\b',
  '\\bpropaganda\\w*', '\\bpromocoes\\b', '\\bwerbung\\b', '\\bwerbe\\w*', '\\bpubblicita\\b', '\\bpromozioni\\b',
  '广告|廣告|推销|推銷', '광고', '\\bquang cao\\b', '\\bpatalastas\\b'
]

/**
 * Complaint categories, most specific first: the first category with a matching pattern
 * wins. The convention (docs/reply-classifier.md): `unsolicited_marketing` only when
 * the reply is about ads, promotions or spam content; no consent, frequency and timing are
 * `unwanted_contact`; a person no longer at the number is `wrong_recipient`; "I already
 * said STOP" is `opt_out_not_honored`. An opt-out with no more specific category is
 * `unwanted_contact`; `other` only decides complaints without a revocation.
 */
export const CATEGORY_PATTERNS: ReadonlyArray<readonly [ComplaintCategory, readonly string[]]> = [
  ['phishing_fraud', [
    '\\bscam\\w*', '\\bfraud\\w*', '\\bphish\\w*', '\\bsmish\\w*',
    '\\bfake (?:link|site|website|url|message|text|page|bank|delivery)\\b',
    '\\b(?:link|site|url|website) (?:looks|seems|is|looked) (?:fake|sketchy|suspicious|shady|dodgy)\\b',
    '\\bis (?:this|that|it) (?:legit|real)\\b',
    '\\bsteal\\w* my (?:info|information|data|identity|money|password)\\b', '\\bidentity theft\\b',
    '\\bestafa\\w*', '\\bfraude\\w*', '\\b(?:enlace|link) (?:es )?(?:falso|sospechoso)\\b', '\\btimo\\b',
    '\\barnaque\\w*', '\\bescroquer\\w*', '\\bhameconnage\\b', '\\bfrauduleu\\w*', '\\bfraude\\b',
    '\\bgolpe\\w*', '\\bgolpista\\w*', '\\bbetrug\\w*', '\\bbetruger\\w*', '\\babzocke\\b', '\\btruffa\\w*', '\\btruffator\\w*', '\\bfrode\\b',
    '诈骗|詐騙|骗子|騙子', '사기|피싱', '\\blua dao\\b', '\\bmanloloko\\b'
  ]],
  ['content_concern', [
    '\\boffensive\\b', '\\binappropriate\\b', '\\babusive\\b', '\\bdisgusting\\b', '\\bracist\\b', '\\bsexist\\b', '\\bvulgar\\b', '\\bobscene\\b',
    '\\bexplicit\\b', '\\bporn\\w*', '\\bnsfw\\b', '\\bhateful\\b', '\\bdisturbing\\b', '\\brude\\b', '\\bcrude\\b', '\\bgross\\b', '\\bsexual\\w*', '\\bnude\\w*', '\\bslur\\w*',
    '\\bofensiv\\w*', '\\binapropiad\\w*', '\\bgroser\\w*', '\\bchoquant\\w*', '\\boffensant\\w*', '\\binapproprie\\w*', '\\binjurieu\\w*', '\\bvulgaire\\b', '\\bdegoutant\\w*',
    '\\bofensiv\\w*', '\\bimpropri\\w*', '\\bbeleidigend\\b', '\\bunangemessen\\b', '\\bgeschmacklos\\b', '\\boffensiv\\w*', '\\binappropriat\\w*', '\\bvolgar\\w*'
  ]],
  ['wrong_recipient', [
    '\\bwrong (?:number|person|num|numbr|nunber|no|phone|guy|girl|contact|recipient)\\b',
    '\\bwho (?:is this|s this|dis|this|are you|are u|is that)\\b', '\\bwhos this\\b', '\\bwho (?:is|s|are|r) (?:texting|messaging|txting|msging) me\\b',
    `\\b(?:i m|im|i am) not (?!(?:${NOT_A_NAME.en.join('|')})\\b)\\p{L}+`,
    '\\bthis (?:number|phone|cell) (?:isnt|is not|aint) \\p{L}+',
    `^(?:(?:sorry|hi|hey|um|uh|no) )?this (?:isnt|is not) (?!(?:${NOT_A_NAME.en.join('|')}|working|right|fair|funny|true|correct|what|my|good|helpful|clear)\\b)\\p{L}+(?: s)?(?: (?:number|phone|cell))?(?: any ?more)?$`,
    '\\bthis (?:isnt|is not) (?!(?:working|right|fair|ok|okay|funny|true|correct|what|a|an|the|my|good|helpful|it|that|clear)\\b)\\p{L}+(?: s)? (?:number|phone|cell)\\b',
    '\\bdont know (?:any|who)\\b', '\\b(?:doesnt|does not|no longer) (?:have|has|own|owns|use|uses) this (?:number|phone)\\b',
    '\\bnot (?:his|her|their|my) (?:number|phone)\\b', '\\bno longer (?:at|with) this number\\b', '\\b(?:got|have|has) a new number\\b', '\\bpassed away\\b',
    '\\bnumero equivocado\\b', '\\bequivocad\\w* de (?:numero|persona)\\b', '\\bpersona equivocada\\b', '\\bquien (?:es|eres|habla)(?: (?:este|esta|usted|ud|ustedes))?$', '\\bquien (?:me )?(?:esta |estas )?(?:escribe|escribiendo|habla|hablando|manda|mandando)\\b',
    '\\bno conozco a (?:ningun|ninguna|nadie)\\b', '\\bje ne connais (?:pas de|aucun|aucune|personne)\\b', '\\bse equivoc\\w* de (?:numero|persona)\\b', '\\beste no es (?:el )?numero de\\b',
    `\\byo no soy (?!(?:${NOT_A_NAME.es.join('|')})\\b)\\p{L}+`,
    '\\bmauvais (?:numero|destinataire|personne)\\b', '\\bn est pas (?:mon|le bon) numero\\b', '\\bno es mi numero\\b', '\\bdestinatario equivocado\\b', '\\bqui est ce\\b', '\\bqui etes vous\\b', '\\btromp\\w* de (?:numero|personne)\\b',
    `\\bje ne suis pas (?!(?:${NOT_A_NAME.fr.join('|')})\\b)\\p{L}+`,
    '\\bnumero errado\\b', '\\bpessoa errada\\b', '\\bnao (?:e|eh) (?:o |a )?meu numero\\b', '\\bquem (?:e|eh|fala)(?: voce| vc)?$', '\\bengano\\b',
    `\\beu nao sou (?:o |a )?(?!(?:${NOT_A_NAME.pt.join('|')})\\b)\\p{L}+`,
    '\\bfalsche (?:nummer|person|handynummer)\\b', '\\bnicht meine nummer\\b', '\\bwer ist (?:das|da)\\b', '\\bfalsch verbunden\\b',
    `\\bich bin nicht (?:der |die )?(?!(?:${NOT_A_NAME.de.join('|')})\\b)\\p{L}+`,
    '\\bnumero sbagliato\\b', '\\bpersona sbagliata\\b', '\\bchi (?:e|sei|parla)\\b', '\\bnon e il mio numero\\b',
    `\\bnon sono (?!(?:${NOT_A_NAME.it.join('|')})\\b)\\p{L}+`,
    '打错了|打錯了|发错了|發錯了|错号|錯號', '잘못\\s?(?:보내|온|된)', '\\bnham so\\b', '\\bmaling (?:number|numero|tao)\\b'
  ]],
  ['unsolicited_marketing', [
    '\\bspam\\w*', '\\bunsolicited\\b', '\\bjunk (?:texts?|messages?)\\b',
    '\\bwhy am i getting (?:these |this |your )?(?:ads|promos?|promotions|marketing|offers|deals|advertising)\\b',
    '\\b(?:stop|no more|enough) (?:with )?(?:the |your )?(?:ads|advertising|promos|marketing)\\b',
    '\\bpublicidad no deseada\\b', '\\bpub non sollicitee\\b', '\\bpropaganda (?:nao|indesejada)\\b', '\\bunerwunschte werbung\\b', '\\bpubblicita (?:non richiesta|indesiderata)\\b',
    '垃圾(?:短信|簡訊|信息)', '스팸'
  ]],
  ['unwanted_contact', [
    // no consent
    '\\bnever (?:signed|sign|subscribed|opted|agreed|gave|asked|registered|consented)\\b',
    '\\b(?:didnt|did not) (?:sign|subscribe|opt|ask|agree|give|register|consent)\\b',
    '\\b(?:how|where) did (?:you|u|yall) get (?:my|this) (?:number|phone|cell|info|contact)\\b',
    '\\bwithout (?:my )?(?:consent|permission)\\b', '\\bnever (?:done|did|do) business with\\b', '\\bwho gave (?:you|u|yall) (?:my|this) (?:number|info|contact)\\b',
    '\\bnunca me (?:suscribi|inscribi|registre|apunte)\\w*', '\\bno me (?:suscribi|inscribi|registre)\\b',
    '\\bcomo (?:consiguieron|obtuvieron|tienen|tiene|consiguio|obtuvo) (?:mi )?numero\\b',
    '\\bjamais (?:inscrit|abonne|inscrite|abonnee)\\w*', '\\bjamais (?:donne|communique|fourni) (?:mon|de) numero\\b', '\\bjamais (?:accepte|consenti|demande|donne mon accord)\\b', '\\bnunca (?:acepte|autorice|pedi)\\b', '\\bnunca (?:les |le )?(?:di|dimos|he dado) (?:mi )?numero\\b', '\\bcomment avez vous (?:eu|obtenu) mon numero\\b', '\\bn ai rien demande\\b',
    '\\bsans mon (?:accord|consentement)\\b', '\\bnunca (?:me )?(?:cadastrei|inscrevi|autorizei)\\b', '\\bnie (?:angemeldet|zugestimmt|eingewilligt)\\b', '\\bmai (?:iscritto|iscritta|dato il consenso)\\b',
    // frequency
    '\\b(?:way |so |too |far too )?(?:many|much) (?:texts|txts|messages|msgs|sms|texting|alerts|reminders|notifications|promos)\\b', '\\b\\d+(?:st|nd|rd|th) (?:text|message|msg)\\b',
    `\\b(?:\\d+|two|three|four|five|six|ten|several|multiple) ${MESSAGES} (?:a|per|each|every|in (?:a|one)) (?:day|week|hour|morning|night)\\b`,
    `\\b${MESSAGES} (?:every|each) (?:day|hour|single day|morning|night|few hours)\\b`, '\\btoo (?:often|frequent\\w*)\\b',
    '\\bkeep (?:texting|messaging|sending|calling|spamming) me\\b',
    '\\bwhy (?:do|am) i (?:keep )?(?:getting|receiving) (?:(?:these|your|so many|all these|all|more) )?(?:texts|messages|msgs)\\b',
    '\\b(?:text|message|msg|txt)\\w* (?:me )?(?:way )?too (?:much|often|many times)\\b',
    '\\bwhy (?:are|r|do|does) (?:you|u|yall|ya) (?:keep )?(?:texting|messaging|txting|msging|sending|contacting|calling) (?:me|this number)\\b', '\\bharass\\w*',
    '\\bdemasiados (?:mensajes|textos|sms)\\b', '\\bmuchos mensajes\\b', '\\bacos\\w*', '\\bharcel\\w*', '\\bsans arret\\b', '\\btrop de (?:messages|sms|textos|notifications|pubs|relances)\\b',
    '\\b(?:mensage(?:m|ns)|sms) (?:demais|demasiad\\w*)\\b', '\\bmuitas mensagens\\b', '\\bzu viele (?:nachrichten|sms)\\b', '\\bviel zu viel\\w*', '\\btroppi (?:messaggi|sms)\\b',
    '太多(?:短信|信息|簡訊|訊息)|(?:短信|簡訊)太多', '너무\\s?(?:많|자주)',
    // night-time
    '\\b(?:at this hour|this time of night|middle of the night|late at night|at midnight|at dawn)\\b',
    `\\b(?:${MESSAGES}|texting|texted|messaging|sending|sent)\\b(?: \\w+){0,3}? (?:so |this |too )?(?:late|early|at night|in the night|overnight)\\b`,
    `\\b(?:${MESSAGES}|texting|texted|messaging|messaged|sending|sent|send|woke|wake|waking)\\b(?: \\w+){0,4}? (?:at|@|around|before) (?:1[0-2]|0?[1-6])(?: [0-5]\\d)? ?(?:am|a m)\\b`,
    '\\b(?:its|it s|it is) (?:1[0-2]|0?[1-5])(?: [0-5]\\d)? ?(?:am|a m)\\b', '\\bwoke me\\b|\\bwake me\\b|\\bwaking me\\b',
    '\\bde madrugada\\b', '\\ben la madrugada\\b', '\\ba (?:la|las) (?:\\d+|una|dos|tres|cuatro|cinco) de la (?:manana|madrugada)\\b', '\\ba (?:estas|esta) horas?\\b',
    '\\ba minuit\\b', '\\ben pleine nuit\\b', '\\bau milieu de la nuit\\b', '\\bla nuit\\b', '\\ba cette heure\\b',
    '\\bmitten in der nacht\\b', '\\bnachts\\b', '\\bin der nacht\\b', '\\bum mitternacht\\b', '\\bso spat\\b',
    '\\bno meio da noite\\b', '\\ba meia noite\\b', '\\bde madrugada\\b', '\\bdi notte\\b', '\\bnel cuore della notte\\b', '\\ba mezzanotte\\b', '\\bnel mezzo della notte\\b',
    '半夜|深夜|凌晨', '새벽|한밤중',
    // duplicates
    `\\b(?:same|identical) ${MESSAGES}\\b`, '\\bduplicat\\w*', `\\b(?:sent|got|received|getting) (?:this|that|it|the same|me this|me the same)(?: ${MESSAGES})? (?:twice|\\d+ times|two times|three times|four times|again and again|over and over)\\b`,
    '\\b(?:twice|two times|three times|\\d+ times) (?:already|in a row|today|now)\\b', '\\b\\d+ copies\\b', '\\bcopies of the same\\b',
    '\\bmismo mensaje\\b', '\\brepetid\\w*', '\\bmeme (?:message|sms)\\b', '\\ben double\\b', '\\bmesma mensagem\\b', '\\brepetid\\w*', '\\bgleiche nachricht\\b', '\\bdoppelt\\b', '\\bstesso messaggio\\b', '\\bduplicat\\w*'
  ]],
  ['other', [
    '\\breport(?:ing)? (?:you|this|this number|u|to)\\b', '\\b(?:fcc|ftc|cfpb|attorney general)\\b', '\\bdenunci\\w*', '\\bsignaler\\b', '\\bplainte\\b', '\\bqueja\\b', '\\breclama\\w*', '\\bbeschwerde\\b', '\\breclamo\\b',
    '\\bcomplain\\w*', '\\bsue (?:you|u)\\b', '\\blawyer\\b|\\babogado\\b|\\banwalt\\b|\\bavvocato\\b|\\badvogado\\b'
  ]]
]
