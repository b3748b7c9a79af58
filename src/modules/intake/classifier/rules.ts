/**
 * The classifier's tables. Every pattern is a regular-expression source written against the
 * normalized reply (see normalize.ts): lower case, no accents, single spaces, "dont" for
 * "don't", "optout" for "opt out"/"opt-out", "stopall" for "stop all". classifier.ts
 * compiles them once at load.
 *
 * Sources for the keyword sets: FCC 24-24 (47 CFR 64.1200(a)(10): stop, quit, end, revoke,
 * opt out, cancel, unsubscribe are per-se revocations), the CTIA/CWTA sets (ARRET, AIDE) and
 * the Twilio, Telnyx and AWS default lists (STOPALL, UNSUB, OPTOUT, REMOVE, START, UNSTOP).
 */
import type { ComplaintCategory } from '../../../domain.js'

export interface KeywordRule {
  /** What `Classification.keyword` reports. */
  readonly canonical: string
  /** Normalized spellings. */
  readonly forms: readonly string[]
}

/**
 * Words that revoke consent wherever they stand in a reply, unless a trap pattern shows they
 * are used in another sense ("stop by", "don't unsubscribe me").
 */
export const STANDALONE_OPT_OUT_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'STOP', forms: ['stop'] },
  { canonical: 'STOPALL', forms: ['stopall'] },
  { canonical: 'UNSUBSCRIBE', forms: ['unsubscribe'] },
  { canonical: 'UNSUB', forms: ['unsub'] },
  { canonical: 'REVOKE', forms: ['revoke'] },
  { canonical: 'OPTOUT', forms: ['optout'] }
]

/**
 * Words that are ordinary vocabulary too ("end of the month", "cancel my appointment",
 * "muy alto", "arrêt de bus"): they revoke consent when they are the whole reply (give or
 * take politeness), when they open or close a reply whose rest is a complaint ("Wrong
 * number. BAJA"), or inside a revocation phrase ("cancel my text alerts").
 */
export const CONTEXTUAL_OPT_OUT_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'CANCEL', forms: ['cancel'] },
  { canonical: 'END', forms: ['end'] },
  { canonical: 'QUIT', forms: ['quit'] },
  { canonical: 'REMOVE', forms: ['remove'] },
  { canonical: 'ARRET', forms: ['arret', 'arrete', 'arretez'] },
  { canonical: 'ALTO', forms: ['alto'] },
  { canonical: 'PARAR', forms: ['parar'] },
  { canonical: 'BAJA', forms: ['baja'] },
  { canonical: 'CANCELAR', forms: ['cancelar'] }
]

export const HELP_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'HELP', forms: ['help'] },
  { canonical: 'INFO', forms: ['info'] },
  { canonical: 'AIDE', forms: ['aide'] },
  { canonical: 'AYUDA', forms: ['ayuda'] }
]

export const OPT_IN_KEYWORDS: readonly KeywordRule[] = [
  { canonical: 'START', forms: ['start'] },
  { canonical: 'UNSTOP', forms: ['unstop'] },
  { canonical: 'SUBSCRIBE', forms: ['subscribe', 'resubscribe', 'optin'] }
]

/** Only an opt-in when the sender is opted out of the number (a reply to "reply YES to resubscribe"). */
export const AFFIRMATIVE_KEYWORD: KeywordRule = { canonical: 'YES', forms: ['yes'] }

/** Typo tolerance: keywords at least this long accept any single edit, shorter ones only swaps and doubled letters. */
export const MIN_LENGTH_FOR_ANY_EDIT = 6
/** Inside longer text only long keywords are typo-matched: their one-edit neighbours are not words. */
export const MIN_LENGTH_FOR_TYPOS_IN_TEXT = 8

/** Politeness and emphasis that dress a keyword without changing it ("STOP please", "Baja ya", "arrêt svp"). */
export const FILLER_PHRASES: readonly string[] = [
  'thank you', 'thank u', 'thanks a lot', 'right now', 'right away', 'for good', 'at once', 'not interested', 'no thanks', 'no thank you',
  'por favor', 'ahora mismo', 'no gracias', 'no me interesa',
  's il vous plait', 's il te plait', 'tout de suite', 'pas interesse', 'non merci'
]
export const FILLER_WORDS: readonly string[] = [
  'please', 'pls', 'plz', 'plse', 'pleas', 'thanks', 'thx', 'ty', 'tks', 'ok', 'okay', 'k', 'now', 'immediately', 'asap', 'just',
  'all', 'everything', 'it', 'this', 'me', 'i', 'need', 'again', 'already', 'and', 'y', 'et',
  'porfa', 'porfavor', 'gracias', 'ya', 'ahora', 'todo', 'inmediatamente',
  'svp', 'stp', 'merci', 'maintenant', 'immediatement', 'tout'
]

const MESSAGING_GERUNDS = 'texting|txting|texing|messaging|msging|sending|calling|contacting|emailing|writing|bothering|bugging|harassing|pestering|spamming|receiving|getting|doing|blowing|hitting'
const STANDALONE_FORMS = 'stop|stopall|unsubscribe|unsub|optout|revoke'

/**
 * Spans in which a standalone keyword is used in another sense. They are blanked out before
 * the keyword search, so one trapped "stop" does not hide a second, real one.
 */
export const TRAP_PATTERNS: readonly string[] = [
  // "don't stop the reminders", "never stop", but not "if you don't stop texting me I'll report you"
  `(?<!\\bif (?:you|u|they|yall) (?:do )?)\\b(?:dont|do not|never|didnt|did not|not|no need to)(?: ever| you| u)? (?:${STANDALONE_FORMS})\\b`,
  `\\b(?:dont|do not|never|didnt|did not|not) (?:want|need|mean|plan|wish) to (?:${STANDALONE_FORMS})\\b`,
  // "can't stop laughing", "stop worrying": a gerund that is not about messages
  `\\bstop (?!(?:every|any|no|some)thing\\b)(?!(?:${MESSAGING_GERUNDS})\\b)\\p{L}+ing\\b`,
  '\\bstop (?:by|in|over|off|on by)\\b',
  '\\bstop at\\b(?! once)',
  '\\bstop for (?:gas|fuel|lunch|coffee|food|groceries|dinner|breakfast|drinks?|a (?:bit|sec|second|minute|moment|break|bite|while))\\b',
  '\\b(?:bus|next|last|first|pit|full|one|truck|rest|train|tram|metro|subway|final|shuttle|non|photo) stop\\b',
  '\\bstop (?:light|lights|sign|signs|watch|loss|motion)\\b',
  // quoting the sender's instructions: "your text says reply STOP to opt out"
  `\\b(?:says?|said|saying) (?:to )?(?:reply|text|send|type|respond)(?: with)? (?:${STANDALONE_FORMS}|end|cancel|quit)(?: to (?:${STANDALONE_FORMS}|cancel|end|quit))?\\b`,
  // opting out of something that is not these messages
  '\\boptout of (?:the |my |your |all )?(?:paper|mail|mailed|printed|statements?|bills?|billing|catalogs?|emails?|cookies|jury|data sharing)\\b'
]

/** A reply that asks to stay subscribed overrides a stray keyword ("it says reply STOP, but I want to keep getting them"). */
export const KEEP_SUBSCRIBED_PATTERNS: readonly string[] = [
  '(?<!\\b(?:dont|not|never|no longer) )\\b(?:want|like|love|wanna) (?:to )?keep (?:getting|receiving)\\b',
  '\\bkeep me (?:on|in|subscribed|posted)\\b',
  '\\bkeep (?:them|these|em|the texts|the messages) coming\\b'
]

/**
 * Revocations in other words ("any reasonable means", 47 CFR 64.1200(a)(10)). Each is
 * checked with a negation guard in front ("don't remove me" is not a revocation).
 */
export const REVOCATION_PHRASES: readonly string[] = [
  // English
  '\\b(?:quit|cease|end) (?:\\w+ )?(?:texting|txting|messaging|msging|sending|contacting|calling|emailing|bugging|bothering|harassing|spamming|pestering)\\b',
  '\\b(?:take|get|remove|delete|drop|scratch|pull|cross|strike) (?:me|us|my (?:phone |cell |mobile )?(?:number|no|info|details)|this (?:phone |cell )?number)(?: \\w+){0,3}? (?:off|from|out of)\\b',
  '\\bremove (?:me|us|my (?:phone |cell |mobile )?number|this (?:phone |cell )?number)\\b',
  '\\b(?:delete|lose|forget|erase|remove) (?:my|this) (?:phone |cell |mobile )?number\\b',
  '\\bwants? off\\b',
  '\\boff (?:this|your|the|ur|ya|that|my) (?:list|mailing list|text list|sms list|texts)\\b',
  '\\bopt me out\\b',
  '\\b(?:unsubscribe|unsub|optout) (?:me|us|this number|my number)\\b',
  '\\bno more (?:texts?|txts?|messages?|msgs?|sms|alerts?|notifications?|reminders?|promos?|promotions?|ads|offers|spam|calls|emails?|of (?:these|this|your|ur|them)|please|pls|plz|thanks|thank you)\\b',
  '^no more$',
  '\\b(?:dont|do not|never|please dont|pls dont) (?:ever )?(?:text|txt|message|msg|sms|contact|call|email|write|bother|spam|send)\\w* (?:me|us|this (?:number|phone)|my (?:number|phone|cell))\\b',
  '\\bleave me (?:the (?:hell|heck|fuck|f) )?(?:alone|be|in peace)\\b',
  '\\b(?:can|could|would|will) (?:you|u) (?:please |pls |plz )?not (?:text|txt|message|msg|sms|contact|call|email)\\w* (?:me|us|this number)\\b',
  '\\b(?:please|pls|plz) not (?:text|txt|message|msg|sms|contact|call|email)\\w* (?:me|us|this number)\\b',
  '\\b(?:i|we) (?:want|wanna|need) out\\b',
  // a short reply that is only "don't want these": the object can only be the messages
  '^(?:i )?(?:dont|do not) want (?:these|them|this|those|it|any ?more)(?: any ?more)?$',
  '\\b(?:rather not|prefer not to|d like to not|would like to not) (?:get|receive|be (?:texted|contacted))(?: (?:these|your|ur|any|those|them|more|texts?|messages?|any ?more))+\\b',
  '\\b(?:dont|do not|no longer|never) (?:want|wish|need|care)(?: to (?:receive|get|keep getting|keep receiving|be (?:texted|contacted|messaged)|hear from))?(?: (?:any ?more|these|your|ur|any|those|such|this|the|more|of))* ?(?:\\w+ )?(?:texts?|txts?|messages?|msgs|sms|alerts|notifications|promos?|promotions|offers|ads|calls|emails|spam|updates|reminders)\\b',
  '\\bcease and desist\\b',
  '\\b(?:cut it out|knock it off)\\b',
  '\\b(?:like|want|wish|need|ask|asked|asking|request|requesting|please) (?:to )?be (?:removed|taken off|unsubscribed|deleted|excluded)\\b',
  '\\bno longer interested\\b',
  '\\bnot interested in (?:receiving|getting) (?:these|your|any|texts|messages|them)\\b',
  '\\b(?:discontinue|cease|halt|terminate|suspend) (?:(?:my|the|these|this|all|your|ur|those|sending|of) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|contact|communications?)\\b',
  '\\b(?:dont|do not|never) (?:text|txt|message|msg|contact|call) (?:it|this phone)$',
  '\\b(?:enough|done) with (?:the|these|your|ur|all) (?:texts|messages|spam|msgs)\\b',
  '\\bcancel (?:(?:my|the|these|this|all|your|ur|of|those) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|reminders?|promos?|marketing)\\b',
  '\\bend (?:(?:my|the|these|this|all|your|ur|those) )*(?:texts?|txts?|sms|messages?|msgs|alerts?|notifications?|subscriptions?|spam)\\b',
  // Spanish
  '\\b(?:dejen|deje|deja|dejar|dejes|paren|pare|para|parar|paras|basta) de (?:enviar|mandar|escribir|llamar|molestar|contactar|textear)\\w*',
  '\\b(?:quit|elimin|sac|borr|retir)\\w* de (?:la|su|sus|esta|tu|vuestra|esa) (?:lista|listas|base)\\b',
  '\\b(?:borr|elimin|quit|sac)\\w* (?:mi|este) (?:numero|telefono|celular)\\b',
  '\\bno (?:me |nos )?(?:manden|mande|envien|envie|escriban|escriba|contacten|contacte|llamen|llame|molesten|moleste|mandes|envies|escribas|contactes|enviar\\w*|mandar\\w*|escribir\\w*|contactar\\w*|llamar\\w*)(?: \\w+){0,2}? (?:mas|nada|nunca|mensajes|sms|textos)\\b',
  // an imperative at the very end of the reply: "No me interesa, no me escriban"
  '\\bno me (?:manden|envien|escriban|contacten|llamen|molesten|mandes|envies|escribas|contactes)(?: (?:por favor|porfa|gracias))?$',
  '\\bya no (?:quiero|deseo|me interesa)\\b(?: \\w+){0,4}? (?:mensajes|sms|textos|recibir|nada)\\b',
  '\\bno (?:quiero|deseo) (?:recibir |seguir recibiendo )?(?:(?:mas|ningun|ninguno|estos|sus|otros) )*(?:mensajes|sms|textos|notificaciones|promociones|llamadas)\\b',
  '\\bno mas (?:mensajes|sms|textos|notificaciones|promociones|por favor|gracias)\\b',
  '^no mas$',
  '\\b(?:dar|darme|darse|denme|deme|dame|doy|den|darnos) de baja\\b',
  '\\bdej\\w*me (?:en paz|tranquil\\w*)\\b',
  '\\bcancel\\w* (?:(?:mi|la|su|mis|las) )?(?:suscripcion|subscripcion|mensajes|sms|notificaciones)\\b',
  '\\bbasta de (?:mensajes|sms|textos|spam)\\b',
  // French
  '\\b(?:arret|cess)\\w* (?:de |d )?(?:m |me |nous |de m |de me )?(?:envoyer|ecrire|contacter|appeler|harceler|spammer|texter|deranger|relancer)\\b',
  '\\barret\\w* (?:les|vos|ces|tes) (?:messages|sms|textos|envois|relances|notifications|pubs?)\\b',
  '\\b(?:retir|enlev|supprim|effac|ray)\\w*(?: moi)? (?:de (?:votre|vos|la|ta|cette|ces|tes) (?:liste|fichier|base)|mon numero)\\b',
  '\\b(?:retir|enlev|supprim|effac|ray)\\w* moi\\b',
  '\\bne (?:m |me |nous )?(?:ecri|envoy|contact|appel|text|deran|harcel|relanc)\\w* plus\\b',
  '\\bne plus (?:me |m |nous )?(?:contacter|ecrire|envoyer|appeler|deranger|relancer|recevoir)\\b',
  '\\b(?:je|on|nous) ne (?:veux|voulons|souhaite|souhaitons|desire) plus\\b',
  '\\bplus (?:de|aucun|jamais de) (?:messages?|sms|textos|notifications|pubs?|publicites?|relances)\\b',
  '\\bdesabonn\\w*|\\bdesinscri\\w*',
  '\\blaiss\\w* moi tranquille\\b|\\b(?:fich|fout)\\w* moi la paix\\b'
]

/** A revocation phrase right after one of these is negated. */
export const NEGATION_GUARD = '(?<!\\b(?:dont|do not|never|not|please dont|didnt) )'

/**
 * The reply itself says an earlier opt-out was ignored, and is therefore also a renewed
 * revocation: a past opt-out plus a sign of time or persistence.
 */
export const NOT_HONORED_PAST_OPT_OUT = '\\b(?:unsubscribed|opted out|optedout|my (?:optout|stop|unsubscribe)(?: request)?|(?:asked|requested) (?:you )?to (?:be removed|be taken off|be unsubscribed|stop|remove me|unsubscribe me|take me off)|replied (?:stop|with stop)|texted stop|sent stop|said stop|di de baja|me desuscribi|me desinscribi|me suis (?:deja )?(?:desinscrit|desabonne)\\w*)\\b'
export const NOT_HONORED_PERSISTENCE = '\\b(?:still|again|keep|keeps|kept|continue|continues|ignor\\w*|ago|already|yesterday|last (?:week|month|time)|before|siguen|sigue|todavia|aun|encore|toujours|deja|ya)\\b'
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
  '\\bcombien de fois\\b'
]

/**
 * "I'm not <name>" is a wrong-recipient signal; these words after the negation are not names
 * ("I'm not interested", "je ne suis pas disponible").
 */
const NOT_A_NAME: Readonly<Record<'en' | 'es' | 'fr', readonly string[]>> = {
  en: ['interested', 'sure', 'able', 'going', 'gonna', 'available', 'coming', 'home', 'here', 'there', 'in', 'at', 'on', 'out', 'feeling', 'a', 'an', 'the',
    'that', 'this', 'happy', 'ok', 'okay', 'free', 'certain', 'aware', 'mad', 'upset', 'angry', 'paying', 'really', 'very', 'so', 'too', 'ready', 'done',
    'late', 'well', 'sick', 'yet', 'allowed', 'buying', 'doing', 'using', 'looking', 'your', 'ur', 'you', 'it', 'into', 'from', 'with', 'for', 'planning',
    'trying', 'worried', 'asking', 'saying', 'getting', 'signing', 'subscribed', 'one', 'even', 'just', 'quite', 'actually', 'satisfied', 'comfortable',
    'convinced', 'near', 'around', 'busy', 'kidding', 'joking', 'impressed', 'pleased', 'talking', 'calling', 'texting', 'replying', 'responding'],
  es: ['de', 'el', 'la', 'tan', 'muy', 'quien', 'su', 'tu', 'un', 'una', 'cliente', 'de aqui', 'capaz'],
  fr: ['disponible', 'sur', 'sure', 'la', 'libre', 'd', 'en', 'chez', 'a', 'au', 'malade', 'encore', 'du', 'de', 'tres', 'si', 'vraiment', 'certain', 'certaine',
    'content', 'contente', 'interesse', 'interessee', 'pret', 'prete', 'inscrit', 'inscrite', 'abonne', 'abonnee', 'sortie', 'sorti', 'dispo', 'satisfait', 'satisfaite']
}

/**
 * Complaint categories, most specific first: the first category with a matching pattern
 * wins. `unwanted_contact` and `other` only decide replies that are complaints without a
 * revocation; an opt-out with no more specific category is `unwanted_contact`.
 */
export const CATEGORY_PATTERNS: ReadonlyArray<readonly [ComplaintCategory, readonly string[]]> = [
  ['phishing_fraud', [
    '\\bscam\\w*', '\\bfraud\\w*', '\\bphish\\w*', '\\bsmish\\w*',
    '\\bfake (?:link|site|website|url|message|text|page|bank|delivery)\\b',
    '\\b(?:link|site|url|website) (?:looks|seems|is|looked) (?:fake|sketchy|suspicious|shady|dodgy)\\b',
    '\\bis (?:this|that|it) (?:legit|real)\\b',
    '\\bsteal\\w* my (?:info|information|data|identity|money|password)\\b', '\\bidentity theft\\b',
    '\\bestafa\\w*', '\\bfraude\\w*', '\\b(?:enlace|link) (?:es )?(?:falso|sospechoso)\\b',
    '\\barnaque\\w*', '\\bescroquer\\w*', '\\bhameconnage\\b', '\\bfrauduleu\\w*', '\\bfraude\\b'
  ]],
  ['content_concern', [
    '\\boffensive\\b', '\\binappropriate\\b', '\\babusive\\b', '\\bdisgusting\\b', '\\bracist\\b', '\\bsexist\\b', '\\bvulgar\\b', '\\bobscene\\b',
    '\\bexplicit\\b', '\\bporn\\w*', '\\bnsfw\\b', '\\bhateful\\b', '\\bdisturbing\\b', '\\brude\\b',
    '\\bofensiv\\w*', '\\binapropiad\\w*', '\\bgroser\\w*', '\\bchoquant\\w*', '\\boffensant\\w*', '\\binapproprie\\w*', '\\binjurieu\\w*', '\\bvulgaire\\b', '\\bdegoutant\\w*'
  ]],
  ['wrong_recipient', [
    '\\bwrong (?:number|person|num|numbr|nunber|no|phone|guy|girl|contact)\\b',
    '\\bwho (?:is this|s this|dis|this|are you|are u|is that)\\b', '\\bwhos this\\b', '\\bwho (?:is|s|are|r) (?:texting|messaging|txting|msging) me\\b', '\\bwrong recipient\\b',
    `\\b(?:i m|im|i am) not (?!(?:${NOT_A_NAME.en.join('|')})\\b)\\p{L}+`,
    '\\bthis (?:number|phone|cell) (?:isnt|is not|aint) \\p{L}+',
    `^this (?:isnt|is not) (?!(?:${NOT_A_NAME.en.join('|')}|working|right|fair|funny|true|correct|what|my|good|helpful|clear)\\b)\\p{L}+$`,
    '\\bthis (?:isnt|is not) (?!(?:working|right|fair|ok|okay|funny|true|correct|what|a|an|the|my|good|helpful|it|that|clear)\\b)\\p{L}+(?: s)? (?:number|phone|cell)\\b',
    '\\bdont know (?:any|who)\\b', '\\b(?:doesnt|does not|no longer) (?:have|has|own|owns|use|uses) this (?:number|phone)\\b',
    '\\bnot (?:his|her|their|my) (?:number|phone)\\b',
    '\\bnumero equivocado\\b', '\\bequivocad\\w* de numero\\b', '\\bquien (?:es|eres|habla)(?: (?:este|esta|usted|ud|ustedes))?$', '\\bquien (?:me )?(?:esta |estas )?(?:escribe|escribiendo|habla|hablando|manda|mandando)\\b',
    '\\bno conozco a (?:ningun|ninguna|nadie)\\b', '\\bje ne connais (?:pas de|aucun|aucune|personne)\\b',
    `\\byo no soy (?!(?:${NOT_A_NAME.es.join('|')})\\b)\\p{L}+`,
    '\\bmauvais (?:numero|destinataire|personne)\\b', '\\bn est pas (?:mon|le bon) numero\\b', '\\bno es mi numero\\b', '\\bdestinatario equivocado\\b', '\\bqui est ce\\b', '\\bqui etes vous\\b', '\\btromp\\w* de (?:numero|personne)\\b',
    `\\bje ne suis pas (?!(?:${NOT_A_NAME.fr.join('|')})\\b)\\p{L}+`
  ]],
  ['unsolicited_marketing', [
    '\\bspam\\w*', '\\bunsolicited\\b',
    '\\bnever (?:signed|sign|subscribed|opted|agreed|gave|asked|registered|consented)\\b',
    '\\b(?:didnt|did not) (?:sign|subscribe|opt|ask|agree|give|register|consent)\\b',
    '\\b(?:how|where) did (?:you|u|yall) get (?:my|this) (?:number|phone|cell|info|contact)\\b',
    '\\bwithout (?:my )?(?:consent|permission)\\b', '\\bnever (?:done|did|do) business with\\b', '\\bwho gave (?:you|u|yall) (?:my|this) (?:number|info|contact)\\b',
    '\\bwhy am i getting (?:these |this |your )?(?:ads|promos?|promotions|marketing|offers|deals)\\b',
    '\\bnunca me (?:suscribi|inscribi|registre|apunte)\\w*', '\\bno me (?:suscribi|inscribi|registre)\\b',
    '\\bcomo (?:consiguieron|obtuvieron|tienen|tiene|consiguio|obtuvo) (?:mi )?numero\\b',
    '\\bjamais (?:inscrit|abonne|inscrite|abonnee)\\w*', '\\bjamais (?:donne|communique|fourni) (?:mon|de) numero\\b', '\\bjamais (?:accepte|consenti|demande|donne mon accord)\\b', '\\bnunca (?:acepte|autorice|pedi)\\b', '\\bnunca (?:les |le )?(?:di|dimos|he dado) (?:mi )?numero\\b', '\\bcomment avez vous (?:eu|obtenu) mon numero\\b', '\\bn ai rien demande\\b',
    '\\bsans mon (?:accord|consentement)\\b'
  ]],
  ['unwanted_contact', [
    '\\b(?:way )?too many (?:texts|messages|msgs|sms)\\b', '\\b\\d+(?:st|nd|rd|th) (?:text|message|msg)\\b',
    '\\bkeep (?:texting|messaging|sending|calling|spamming) me\\b',
    '\\bwhy (?:do|am) i (?:keep )?(?:getting|receiving) (?:(?:these|your|so many|all these|all|more) )?(?:texts|messages|msgs)\\b',
    '\\b(?:text|message|msg|txt)\\w* (?:me )?(?:way )?too (?:much|often|many times)\\b',
    '\\bwhy (?:are|r|do|does) (?:you|u|yall|ya) (?:keep )?(?:texting|messaging|txting|msging|sending|contacting|calling) (?:me|this number)\\b', '\\bharass\\w*', '\\bdemasiados mensajes\\b', '\\bacos\\w*',
    '\\bharcel\\w*', '\\bsans arret\\b', '\\btrop de (?:messages|sms)\\b'
  ]],
  ['other', [
    '\\breport(?:ing)? (?:you|this|this number|u|to)\\b', '\\b(?:fcc|ftc|cfpb)\\b', '\\bdenunci\\w*', '\\bsignaler\\b', '\\bplainte\\b', '\\bqueja\\b',
    '\\bcomplain\\w*'
  ]]
]
