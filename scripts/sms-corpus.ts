/**
 * Writes test/fixtures/sms-replies-languages.jsonl: labeled SMS replies in the ten supported
 * languages, from hand-written templates × vocabularies (keywords in every dressing,
 * phrasings, traps, help, opt-ins, complaints, ordinary replies), with a fixed seed so the
 * file only changes when this script does. Run: `npx tsx scripts/sms-corpus.ts`.
 *
 * Labels follow the category convention in docs/reply-classifier.md. The blind slice
 * (test/fixtures/sms-replies-blind.jsonl) is NOT generated here: it was written by hand,
 * separately, before the rules it measures.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

type Kind = 'opt_out' | 'help' | 'opt_in' | 'complaint' | 'none'
type Category = 'unwanted_contact' | 'phishing_fraud' | 'unsolicited_marketing' | 'opt_out_not_honored' | 'wrong_recipient' | 'content_concern' | 'other' | null
type Group = 'keyword' | 'free_text' | 'trap' | 'help' | 'opt_in' | 'complaint' | 'none'
type Lang = 'en' | 'es' | 'fr' | 'pt' | 'de' | 'it' | 'zh' | 'ko' | 'vi' | 'tl'
interface Row { text: string, lang: Lang, kind: Kind, category: Category, group: Group }

// mulberry32: a small deterministic generator, so the corpus is reproducible.
let seed = 20261201
function random (): number {
  seed = (seed + 0x6D2B79F5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

const rows: Row[] = []
// The blind slice's replies are never generated, so it stays unseen.
const seen = new Set<string>(readFileSync(join(import.meta.dirname, '../test/fixtures/sms-replies-blind.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as Row).text))
function add (lang: Lang, kind: Kind, category: Category, group: Group, text: string): void {
  if (seen.has(text)) return
  seen.add(text)
  rows.push({ text, lang, kind, category, group })
}

/** How people actually type a sentence: no accents, all lower or upper case, an emoji, a greeting, a signature. */
function vary (text: string, group: Group): string {
  const roll = random()
  if (roll < 0.35) return text
  if (roll < 0.5) return text.toLowerCase()
  if (roll < 0.62) return text.normalize('NFD').replace(/\p{M}/gu, '')
  if (roll < 0.7) return `${text} ${pick(EMOJI)}`
  if (roll < 0.75) return text.toUpperCase()
  if (roll < 0.82) return `${text}!!`
  if (roll < 0.88) return `${text.replace(/[.!?]+$/, '')}.\n\nSent from my iPhone`
  if (roll < 0.94) return text.replace(/[.!?]+$/, '')
  // a keyword reply signed with a name is not a bare keyword any more
  return group === 'help' || group === 'opt_in' ? text : `${text} -${pick(['M', 'J', 'Ana', 'Tom'])}`
}

/** Fills `{slot}` from the vocabulary, `count` times (duplicates dropped). */
function fill (
  lang: Lang, kind: Kind, category: Category, group: Group, templates: readonly string[], vocabulary: Readonly<Record<string, readonly string[]>>, count: number
): void {
  for (const template of templates) {
    for (let index = 0; index < count * 3; index++) {
      const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => pick(vocabulary[slot] ?? [`{${slot}}`]))
      add(lang, kind, category, group, vary(text.replace(/ {2,}/g, ' ').trim(), group))
    }
  }
}

const CASES: ReadonlyArray<(word: string) => string> = [(w) => w.toUpperCase(), (w) => w.toLowerCase(), (w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1).toLowerCase()}`]
const EMOJI = ['😡', '🙄', '😤', '🙏', '👎', '🛑', '‼️', '😠', '🤬', '✋']
const PUNCT = ['', '.', '!', '!!!', '?', ' .', '...']

/** A keyword in a random dressing: case, punctuation, emoji, politeness, a signature. */
function dressKeywords (lang: Lang, keywords: readonly string[], polite: readonly string[], count: number, category: Category = 'unwanted_contact'): void {
  for (const keyword of keywords) {
    for (let index = 0; index < count; index++) {
      const word = pick(CASES)(keyword)
      const variants = [
        `${word}${pick(PUNCT)}`, `${word} ${pick(EMOJI)}`, `${pick(EMOJI)} ${word} ${pick(EMOJI)}`, `${word} ${pick(polite)}`, `${pick(polite)} ${word.toLowerCase()}`,
        `${word}${pick(PUNCT)}\n\nSent from my ${pick(['iPhone', 'Galaxy', 'Pixel'])}`, `"${word}"`, `${word} ${word}`, `  ${word}\n`, `*${word}*`
      ]
      add(lang, 'opt_out', category, 'keyword', pick(variants))
    }
  }
}

// ---------------------------------------------------------------------------------------
// English
const en = {
  msgs: ['texts', 'messages', 'text messages', 'SMS', 'txts', 'msgs', 'alerts', 'reminders'],
  polite: ['please', 'pls', 'thanks', 'thank you', 'plz', 'asap', 'now'],
  name: ['Mike', 'Jessica', 'Carlos', 'Linda', 'Tony', 'Amanda', 'Priya', 'Kevin', 'Rosa', 'Dave'],
  emoji: EMOJI,
  time: ['2am', '3 am', '4:30am', '1am', '5 AM', '12:40am'],
  count: ['3', '4', '5', '6', '10', 'three', 'four'],
  promo: ['ads', 'promos', 'promotions', 'marketing texts', 'sales texts', 'coupons', 'spam'],
  deals: ['coupons', 'deals', 'offers', 'promos'],
  brand: ['Stop & Shop', 'Stop N Go', 'Pit Stop Auto', 'the truck stop', 'the bus stop', 'the next stop'],
  thing: ['delivery', 'order', 'shipment', 'package', 'payment', 'autopay'],
  other: ['calling', 'emailing', 'calling my cell', 'leaving voicemails', 'sending emails'],
  channel: ['email newsletter', 'emails', 'mailing list emails', 'calls', 'paper catalog']
}
dressKeywords('en', ['stop', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'opt out', 'opt-out', 'revoke', 'stopall', 'stop all', 'unsub', 'remove'], en.polite, 7)
for (const typed of ['stopp', 'STOPPP', 'stpo', 'sotp', 'st0p', 'STOP2', 'stop1', 'STOP123', 'Stop4', 'unsubscibe', 'unsubcribe', 'UNSUBSCRIBEE', 'cancle', 'cancell', 'qiut', 'optuot', 'unsub1', 'STOPALL2', 'S T O P', 's.t.o.p', 'ＳＴＯＰ', 'stooooop', 'Stop Stop Stop']) add('en', 'opt_out', 'unwanted_contact', 'keyword', typed)
for (const emoji of ['🛑', '🛑🛑', '🛑🛑🛑', '⛔', '⛔️', '🚫', '✋🛑', '🛑✋', '🛑 🛑', '🛑!', '✋', '🚫🚫']) add('en', 'opt_out', 'unwanted_contact', 'keyword', emoji)
fill('en', 'opt_out', 'unwanted_contact', 'free_text', [
  'Stop texting me {polite}', 'please stop sending me {msgs}', 'can you stop {msgs} me', 'take me off your list {emoji}', 'Remove my number from your list',
  'I don\'t want these {msgs} anymore', 'no more {msgs} {polite}', 'Do not text me again', 'leave me alone {emoji}', 'Lose my number',
  'I no longer wish to receive {msgs}', 'I revoke my consent to be contacted', 'I hereby withdraw consent to receive {msgs}', 'Consent revoked.',
  'I do not consent to these {msgs}. Stop.', 'Please unsubscribe me', 'unsubscribe me from this list', 'I opt out of all {msgs}', 'Opt me out',
  'f off', 'F*** off', 'fuck off {emoji}', 'piss off with the {msgs}', 'go away', 'shut up and stop texting', 'get lost', 'STFU',
  'Kindly remove me', 'remove me {polite}', 'Delete my number', 'don\'t message me anymore', 'Quit texting me', 'Please cease all {msgs}',
  'Stop. {polite}', 'Stop it', 'STOP STOP STOP {emoji}', 'I\'m done with these {msgs}, remove me', 'I want out', 'Not interested, take me off',
  'Do not contact me again', 'pls no more {msgs}', 'Cancel my {msgs}', 'End these {msgs}', 'stop contacting me', 'Never text me again',
  'I never signed up, stop texting me', 'Who gave you my number? Remove me', 'Way too many {msgs}, stop', '{count} texts a day?? STOP',
  'stop texting me at {time}', 'Stop messaging me, texting is not ok', 'Stop texting and stop calling'
], en, 2)
fill('en', 'opt_out', 'unsolicited_marketing', 'free_text', ['stop sending me {promo}', 'no more {promo} please', 'STOP these {promo}', 'I don\'t want your {promo}', 'Unsubscribe me from the {promo}', 'stop the spam'], en, 3)
fill('en', 'opt_out', 'phishing_fraud', 'free_text', ['STOP this is a scam', 'Scam. Remove my number', 'stop, this looks like phishing', 'fraud! stop texting me'], en, 1)
fill('en', 'opt_out', 'wrong_recipient', 'free_text', ['Wrong number, stop texting me', 'I\'m not {name}, please stop', 'This isn\'t {name}\'s number anymore, remove it', '{name} doesn\'t have this number anymore. STOP', 'wrong person, take me off your list'], en, 3)
fill('en', 'opt_out', 'opt_out_not_honored', 'free_text', ['I already said STOP', 'I told you to stop last week', 'How many times do I have to say stop', 'I unsubscribed and you keep texting me', 'I already replied STOP twice. STOP', 'third time asking you to stop texting me', 'I opted out a month ago and still get {msgs}'], en, 2)
fill('en', 'opt_out', 'content_concern', 'free_text', ['This is offensive, stop texting me', 'Stop sending me this vulgar garbage', 'inappropriate. unsubscribe'], en, 1)
fill('en', 'none', null, 'trap', [
  'I\'m at {brand}, be there soon', 'Meet me by {brand}', 'Can you stop the {thing} until Monday?', 'Please cancel my {thing}', 'Stop the {thing}, I moved',
  'Please don\'t stop sending the {deals}, I love them', 'Don\'t stop the {msgs}!', 'never stop sending me deals lol', 'Do not unsubscribe me please',
  'Your text said "Reply STOP to opt out". Is the store open Sunday?', '> Reply STOP to unsubscribe\nWhat time is pickup?', 'It says text STOP to 55555 to cancel, but I want to keep them',
  'Msg&data rates may apply. Reply STOP to end. <- what does this mean?', 'Stop {other}, texting is fine', 'Please stop {other}, texts are ok',
  'Unsubscribe me from the {channel}, keep the texts', 'Stop emailing me, I prefer texts', 'I\'ll stop by at {count}', 'Can\'t stop laughing {emoji}',
  'The sale ends when?', 'Weekend works for me', 'I quit my job lol, so mornings are free', 'At the end of the day it\'s fine',
  'Stop worrying about it, I paid', 'Is the bus stop on 5th?', 'Full stop. See you Monday', 'I want to keep getting the {msgs}, don\'t remove me'
], en, 2)
fill('en', 'help', 'other', 'help', ['HELP', 'help {emoji}', 'Help?', 'INFO', 'info please', 'I need help', 'help me'], en, 2)
fill('en', 'opt_in', null, 'opt_in', ['START', 'start', 'Unstop', 'Resubscribe me please', 'Sign me back up', 'please add me back to the list', 'opt me back in',
  'I sent stop by accident. START', 'Sent STOP by mistake, please resume my {msgs}', 'Oops didn\'t mean to unsubscribe, add me back', 'I want to start getting your {msgs} again',
  'Resume my {msgs}', 'Subscribe', 'I accidentally sent STOP, please keep me on', 'yes resubscribe me', 'Accidentally texted stop, sign me up again'], en, 2)
fill('en', 'complaint', 'unwanted_contact', 'complaint', [
  'Why do I get {count} texts a day from you?', 'You text me way too often', 'way too many {msgs} this week', 'Why are you texting me at {time}??', 'It\'s {time}, why am I getting {msgs}',
  'You woke me up at {time} with this', 'texting me in the middle of the night is not ok', 'I got the same message {count} times', 'You sent this twice already', 'duplicate texts again',
  'I never signed up for this', 'How did you get my number?', 'I never gave you permission to text me', 'who gave you my number?', 'I didn\'t subscribe to anything'
], en, 2)
fill('en', 'complaint', 'content_concern', 'complaint', ['That message was offensive', 'Your last text was really inappropriate', 'This ad is vulgar', 'disgusting message, shame on you'], en, 1)
fill('en', 'complaint', 'phishing_fraud', 'complaint', ['Is this a scam?', 'this looks like phishing', 'Is this legit?', 'Scam?? The link looks fake', 'fraud alert, this is fake'], en, 1)
fill('en', 'complaint', 'wrong_recipient', 'complaint', ['Wrong number', 'I\'m not {name}', 'You have the wrong person', 'who is this?', 'new phone who dis', 'Sorry, this isn\'t {name}', '{name} doesn\'t have this number anymore'], en, 3)
fill('en', 'complaint', 'unsolicited_marketing', 'complaint', ['This is spam', 'spam', 'Why am I getting promos from you?', 'unsolicited junk texts'], en, 1)
fill('en', 'none', null, 'none', ['ok thanks', 'See you at {count}', 'What time do you open?', 'Yes I\'ll be there', 'Sounds good {emoji}', 'Can I reschedule to Friday?', 'Got it', 'Is the 20% off online too?', 'thank you!', 'Who should I ask for at the desk?'], en, 2)

// ---------------------------------------------------------------------------------------
// Spanish
const es = {
  polite: ['por favor', 'porfa', 'gracias', 'ya', 'ahora'],
  msgs: ['mensajes', 'textos', 'SMS', 'msjs', 'notificaciones'],
  promo: ['promociones', 'publicidad', 'ofertas'],
  name: ['Juan', 'María', 'Carlos', 'Lupita', 'Pedro', 'Ana'],
  emoji: EMOJI,
  count: ['3', '4', '5', 'tres', 'cinco']
}
dressKeywords('es', ['alto', 'baja', 'parar', 'cancelar', 'salir', 'stop'], es.polite, 6)
fill('es', 'opt_out', 'unwanted_contact', 'free_text', [
  'No me escriban más', 'No me manden más {msgs} {polite}', 'Ya no quiero recibir {msgs}', 'Dejen de enviarme {msgs}', 'dejen de mandarme {msgs} {emoji}', 'Quítenme de su lista',
  'Sáquenme de la lista {polite}', 'Bórrenme de su lista', 'Eliminen mi número', 'Quiero darme de baja', 'Denme de baja', 'Quiero desuscribirme', 'desuscribirme {polite}',
  'No quiero más {msgs}', 'no mas {msgs}', 'Ya basta, no más {msgs}', 'Déjenme en paz', 'Revoco mi consentimiento', 'Cancelen mi suscripción', 'No me contacten más',
  'Por favor ya no me escriban', 'No quiero recibir más nada', 'Nunca me suscribí, dejen de escribirme', 'Me mandan demasiados mensajes, ya no me escriban'
], es, 2)
fill('es', 'opt_out', 'unsolicited_marketing', 'free_text', ['Ya no quiero recibir {promo}', 'Dejen de mandarme {promo}', 'basta de {promo}', 'No me manden más {promo}'], es, 2)
fill('es', 'opt_out', 'wrong_recipient', 'free_text', ['Número equivocado, no me escriban más', 'Yo no soy {name}, dejen de escribirme', 'Número equivocado. BAJA'], es, 2)
fill('es', 'opt_out', 'opt_out_not_honored', 'free_text', ['Ya les dije que no me manden mensajes', 'Ya me di de baja y siguen escribiendo', '¿Cuántas veces les tengo que decir ALTO?'], es, 1)
fill('es', 'opt_out', 'phishing_fraud', 'free_text', ['Esto es una estafa, dejen de escribirme', 'ALTO, es un fraude'], es, 1)
fill('es', 'none', null, 'trap', ['Por favor no dejen de enviarme las {promo}', 'No paren de mandar las ofertas!', 'No cancelen mi suscripción', 'Estoy en la parada del camión', 'El volumen está muy alto',
  'Quiero cancelar mi pedido', 'Voy a Baja California el sábado', 'La fiebre ya baja', 'No me llamen, prefiero los mensajes', 'Voy a salir tarde hoy', 'No puedo parar de reír 😂'], es, 1)
fill('es', 'help', 'other', 'help', ['AYUDA', 'ayuda {polite}', '¿Ayuda?'], es, 2)
fill('es', 'opt_in', null, 'opt_in', ['Quiero volver a recibir sus mensajes', 'Quiero seguir recibiendo {promo}', 'Mandé ALTO por error', 'Suscríbanme de nuevo'], es, 2)
fill('es', 'complaint', 'unwanted_contact', 'complaint', ['Me mandan demasiados mensajes', '¿Por qué me escriben de madrugada?', 'Me llegan {count} mensajes al día, son demasiados mensajes', 'Me llegó el mismo mensaje {count} veces', 'Nunca me suscribí a esto', '¿Cómo consiguieron mi número?'], es, 2)
fill('es', 'complaint', 'phishing_fraud', 'complaint', ['¿Esto es una estafa?', 'Esto parece fraude', '¿Es un fraude?'], es, 1)
fill('es', 'complaint', 'wrong_recipient', 'complaint', ['Número equivocado', 'Yo no soy {name}', 'Se equivocaron de número', 'Este no es el número de {name}'], es, 2)
fill('es', 'none', null, 'none', ['Gracias, nos vemos mañana', '¿A qué hora abren?', 'Sí, confirmo', 'Ok gracias', 'Llego a las {count}'], es, 2)

// ---------------------------------------------------------------------------------------
// French
const fr = {
  polite: ['svp', 'merci', 's\'il vous plaît', 'stp'],
  msgs: ['messages', 'SMS', 'textos', 'notifications'],
  promo: ['pubs', 'publicités', 'promotions', 'promos'],
  name: ['Julie', 'Marc', 'Sophie', 'Luc'],
  emoji: EMOJI
}
dressKeywords('fr', ['arrêt', 'arret', 'stop', 'fin', 'annuler', 'arrêtez'], fr.polite, 6)
fill('fr', 'opt_out', 'unwanted_contact', 'free_text', ['Ne m\'envoyez plus de {msgs}', 'Arrêtez de m\'écrire', 'Arrêtez de m\'envoyer des {msgs} {polite}', 'Retirez-moi de votre liste', 'Merci de me retirer de votre fichier',
  'Je veux me désabonner', 'Désabonnez-moi {polite}', 'Désinscription', 'Je ne veux plus recevoir vos {msgs}', 'Plus de {msgs} {polite}', 'Supprimez mon numéro', 'Laissez-moi tranquille',
  'Foutez-moi la paix', 'Je retire mon consentement', 'Ne me contactez plus', 'Je ne souhaite plus recevoir de {msgs}', 'Annulez mon abonnement'], fr, 2)
fill('fr', 'opt_out', 'unsolicited_marketing', 'free_text', ['Stop aux {promo}', 'Arrêtez vos {promo}', 'Je ne veux plus de vos {promo}', 'Plus de {promo} merci'], fr, 2)
fill('fr', 'opt_out', 'wrong_recipient', 'free_text', ['Mauvais numéro, arrêtez de m\'écrire', 'Je ne suis pas {name}, ne m\'écrivez plus'], fr, 2)
fill('fr', 'opt_out', 'opt_out_not_honored', 'free_text', ['Je vous ai déjà demandé d\'arrêter', 'Combien de fois faut-il dire STOP ?', 'Je me suis déjà désabonné et vous continuez'], fr, 1)
fill('fr', 'none', null, 'trap', ['Je suis à l\'arrêt de bus', 'N\'arrêtez pas les {promo}, elles sont top', 'Je voudrais annuler ma commande', 'Arrêtez de m\'appeler, les SMS ça va', 'Fin du mois, ça me va', 'Je n\'arrête pas de rire', 'Je suis en arrêt maladie'], fr, 1)
fill('fr', 'help', 'other', 'help', ['AIDE', 'aide {polite}', 'Aide ?'], fr, 2)
fill('fr', 'opt_in', null, 'opt_in', ['Réabonnez-moi', 'Je veux continuer à recevoir vos {msgs}', 'ABONNER', 'J\'ai envoyé STOP par erreur'], fr, 2)
fill('fr', 'complaint', 'unwanted_contact', 'complaint', ['Trop de {msgs} !', 'Pourquoi m\'écrivez-vous en pleine nuit ?', 'Des SMS à minuit, sérieusement ?', 'J\'ai reçu le même message trois fois', 'Je ne me suis jamais inscrit'], fr, 1)
fill('fr', 'complaint', 'phishing_fraud', 'complaint', ['C\'est une arnaque ?', 'Ce lien est frauduleux', 'Arnaque !'], fr, 1)
fill('fr', 'complaint', 'wrong_recipient', 'complaint', ['Mauvais numéro', 'Je ne suis pas {name}', 'Vous vous trompez de personne'], fr, 2)
fill('fr', 'none', null, 'none', ['D\'accord, à demain', 'Merci beaucoup', 'Vous êtes ouverts samedi ?', 'Oui je confirme'], fr, 1)

// ---------------------------------------------------------------------------------------
// Portuguese
const pt = {
  polite: ['por favor', 'obrigado', 'obrigada', 'pfv', 'já'],
  msgs: ['mensagens', 'mensagem', 'SMS', 'torpedos'],
  promo: ['propaganda', 'promoções', 'propagandas'],
  name: ['Maria', 'João', 'Ana', 'Paulo'],
  emoji: EMOJI
}
dressKeywords('pt', ['sair', 'parar', 'pare', 'cancelar', 'stop', 'descadastrar', 'chega'], pt.polite, 6)
fill('pt', 'opt_out', 'unwanted_contact', 'free_text', ['Parem de me mandar {msgs}', 'Pare de me enviar {msgs} {polite}', 'Não quero mais receber {msgs}', 'Não me mande mais {msgs}', 'Não me mandem mais nada',
  'Me tira dessa lista', 'Me tirem da lista {polite}', 'Quero me descadastrar', 'Por favor removam meu número', 'Apaguem meu número', 'Não quero mais', 'Me deixem em paz',
  'Quero cancelar o recebimento de {msgs}', 'Revogo meu consentimento', 'Deixem de me mandar {msgs}', 'Não quero receber mais nada de vocês'], pt, 2)
fill('pt', 'opt_out', 'unsolicited_marketing', 'free_text', ['Chega de {promo}', 'Parem de mandar {promo}', 'Não quero mais {promo}'], pt, 2)
fill('pt', 'opt_out', 'wrong_recipient', 'free_text', ['Número errado, parem de mandar mensagem', 'Eu não sou {name}, não me mandem mais mensagens'], pt, 2)
fill('pt', 'opt_out', 'opt_out_not_honored', 'free_text', ['Já pedi pra parar e vocês continuam', 'Quantas vezes vou ter que pedir pra parar?', 'Já me descadastrei e ainda recebo'], pt, 1)
fill('pt', 'none', null, 'trap', ['Não parem de mandar as {promo}, adoro', 'Estou no ponto de ônibus', 'Quero cancelar meu pedido', 'Vou sair mais cedo hoje', 'Não consigo parar de rir'], pt, 1)
fill('pt', 'help', 'other', 'help', ['AJUDA', 'ajuda {polite}'], pt, 2)
fill('pt', 'opt_in', null, 'opt_in', ['Quero voltar a receber as mensagens', 'Mandei SAIR sem querer', 'Quero continuar recebendo {promo}'], pt, 2)
fill('pt', 'complaint', 'unwanted_contact', 'complaint', ['Vocês mandam mensagem demais', 'Por que vocês mandam mensagem de madrugada?', 'Recebi a mesma mensagem três vezes', 'Muitas mensagens!', 'Nunca me cadastrei nisso'], pt, 1)
fill('pt', 'complaint', 'phishing_fraud', 'complaint', ['Isso é golpe?', 'É golpe isso?', 'Isso é fraude?'], pt, 1)
fill('pt', 'complaint', 'wrong_recipient', 'complaint', ['Número errado', 'Eu não sou {name}', 'Pessoa errada'], pt, 2)
fill('pt', 'none', null, 'none', ['Obrigado, até amanhã', 'Que horas vocês abrem?', 'Sim, confirmo', 'Beleza'], pt, 1)

// ---------------------------------------------------------------------------------------
// German
const de = {
  polite: ['bitte', 'danke', 'sofort', 'jetzt'],
  msgs: ['SMS', 'Nachrichten', 'Werbung', 'Textnachrichten'],
  name: ['Thomas', 'Anna', 'Jürgen', 'Petra'],
  emoji: EMOJI
}
dressKeywords('de', ['stopp', 'stop', 'abmelden', 'abbestellen', 'kündigen'], de.polite, 6)
fill('de', 'opt_out', 'unwanted_contact', 'free_text', ['Bitte keine SMS mehr', 'Keine Nachrichten mehr {polite}', 'Hören Sie auf, mir zu schreiben', 'Bitte löschen Sie meine Nummer', 'Löschen Sie mich',
  'Nehmen Sie mich aus dem Verteiler', 'Ich will mich abmelden', 'Bitte abmelden', 'Lassen Sie mich in Ruhe', 'Ich widerrufe meine Einwilligung', 'Schreiben Sie mir nicht mehr',
  'Ich möchte keine Nachrichten mehr erhalten', 'Hört auf mit den Nachrichten', 'Nicht mehr schreiben {polite}'], de, 2)
fill('de', 'opt_out', 'unsolicited_marketing', 'free_text', ['Keine Werbung mehr {polite}', 'Werbung stoppen', 'Ich will keine Werbe-SMS mehr'], de, 2)
fill('de', 'opt_out', 'wrong_recipient', 'free_text', ['Falsche Nummer, bitte nicht mehr schreiben', 'Ich bin nicht {name}, bitte keine SMS mehr'], de, 2)
fill('de', 'opt_out', 'opt_out_not_honored', 'free_text', ['Ich habe schon STOPP geschrieben!', 'Ich habe mich schon abgemeldet und bekomme immer noch SMS', 'Wie oft soll ich noch STOPP schreiben?'], de, 1)
fill('de', 'none', null, 'trap', ['Bitte nicht abmelden, ich will die Angebote', 'Ich warte an der Haltestelle', 'Ich möchte meine Bestellung stornieren', 'Bitte die Lieferung stoppen', 'Rufen Sie nicht an, SMS sind ok'], de, 1)
fill('de', 'help', 'other', 'help', ['HILFE', 'Hilfe {polite}', 'Hilfe?'], de, 2)
fill('de', 'opt_in', null, 'opt_in', ['Bitte wieder anmelden', 'ANMELDEN', 'Ich habe aus Versehen STOPP geschickt, bitte wieder anmelden'], de, 2)
fill('de', 'complaint', 'unwanted_contact', 'complaint', ['Viel zu viele Nachrichten', 'Warum schreiben Sie mir mitten in der Nacht?', 'Zu viele SMS!', 'Ich habe die gleiche Nachricht dreimal bekommen', 'Ich habe mich nie angemeldet'], de, 1)
fill('de', 'complaint', 'phishing_fraud', 'complaint', ['Ist das Betrug?', 'Das ist Betrug', 'Phishing?'], de, 1)
fill('de', 'complaint', 'wrong_recipient', 'complaint', ['Falsche Nummer', 'Ich bin nicht {name}', 'Wer ist das?'], de, 2)
fill('de', 'none', null, 'none', ['Danke, bis morgen', 'Wann haben Sie geöffnet?', 'Ja, passt', 'Alles klar'], de, 1)

// ---------------------------------------------------------------------------------------
// Italian
const it = {
  polite: ['per favore', 'grazie', 'subito', 'ora'],
  msgs: ['messaggi', 'SMS', 'notifiche'],
  promo: ['pubblicità', 'promozioni'],
  name: ['Giulia', 'Marco', 'Luca', 'Francesca'],
  emoji: EMOJI
}
dressKeywords('it', ['basta', 'stop', 'cancellami', 'disiscrivimi'], it.polite, 6)
fill('it', 'opt_out', 'unwanted_contact', 'free_text', ['Non voglio più ricevere {msgs}', 'Smettetela di scrivermi', 'Smettete di mandarmi {msgs}', 'Cancellatemi dalla lista', 'Toglietemi dalla lista {polite}',
  'Basta messaggi {polite}', 'Non mandatemi più {msgs}', 'Non scrivetemi più', 'Lasciatemi in pace', 'Cancellate il mio numero', 'Revoco il consenso', 'Non voglio più messaggi', 'Disiscrivetemi'], it, 2)
fill('it', 'opt_out', 'unsolicited_marketing', 'free_text', ['Basta {promo}', 'Basta con le {promo}', 'Non voglio più {promo}'], it, 2)
fill('it', 'opt_out', 'wrong_recipient', 'free_text', ['Numero sbagliato, non scrivetemi più', 'Non sono {name}, smettete di scrivermi'], it, 2)
fill('it', 'opt_out', 'opt_out_not_honored', 'free_text', ['Vi ho già detto di smettere!', 'Quante volte devo scrivere STOP?'], it, 1)
fill('it', 'none', null, 'trap', ['Non smettete di mandare le offerte!', 'Sono alla fermata dell\'autobus', 'Vorrei annullare il mio ordine', 'Basta così, grazie, ho capito l\'orario'], it, 1)
fill('it', 'help', 'other', 'help', ['AIUTO', 'aiuto {polite}'], it, 2)
fill('it', 'opt_in', null, 'opt_in', ['Iscrivimi di nuovo', 'Voglio ricevere di nuovo i messaggi', 'ISCRIVIMI'], it, 2)
fill('it', 'complaint', 'unwanted_contact', 'complaint', ['Troppi messaggi!', 'Perché mi scrivete di notte?', 'Mi è arrivato lo stesso messaggio tre volte', 'Non mi sono mai iscritto'], it, 1)
fill('it', 'complaint', 'phishing_fraud', 'complaint', ['È una truffa?', 'Questa è una truffa'], it, 1)
fill('it', 'complaint', 'wrong_recipient', 'complaint', ['Numero sbagliato', 'Non sono {name}', 'Chi è?'], it, 2)
fill('it', 'none', null, 'none', ['Grazie, a domani', 'A che ora aprite?', 'Sì, confermo', 'Va bene'], it, 1)

// ---------------------------------------------------------------------------------------
// Chinese, Korean, Vietnamese, Tagalog: fixed texts, each also in a few dressings

const ASIAN_DRESSINGS: ReadonlyArray<(text: string) => string> = [(t) => t, (t) => `${t}！`, (t) => `${t}!!`, (t) => `${t} ${pick(EMOJI)}`, (t) => `${t}。`, (t) => `${t}...`, (t) => t.toUpperCase(), (t) => `  ${t}\n`]
function addDressed (lang: Lang, kind: Kind, category: Category, group: Group, text: string): void {
  add(lang, kind, category, group, text)
  for (let index = 0; index < 3; index++) add(lang, kind, category, group, pick(ASIAN_DRESSINGS)(text))
}
for (const text of ['退订', '退訂', 'TD', 'td', 'T', '取消订阅', '取消訂閱', '退订！', '退订 谢谢', '回复退订', '我要退订', '停止', '别发了', '不要发了']) addDressed('zh', 'opt_out', 'unwanted_contact', 'keyword', text)
for (const text of ['不要再给我发短信了', '别再发了', '請不要再傳簡訊給我', '请把我从名单中删除', '我不想再收到这些信息', '停止发送', '不要再打扰我', '删除我的号码', '别再给我发信息了', '拒收', '我不想再收到你们的短信', '請從名單中刪除我']) addDressed('zh', 'opt_out', 'unwanted_contact', 'free_text', text)
for (const text of ['不要再发广告了', '别再发广告', '退订，垃圾广告']) addDressed('zh', 'opt_out', 'unsolicited_marketing', 'free_text', text)
addDressed('zh', 'opt_out', 'phishing_fraud', 'free_text', '这是诈骗，别再发了')
for (const text of ['帮助', '幫助']) addDressed('zh', 'help', 'other', 'help', text)
for (const text of ['这是诈骗吗？', '是骗子吧']) addDressed('zh', 'complaint', 'phishing_fraud', 'complaint', text)
for (const text of ['你打错了', '发错了']) addDressed('zh', 'complaint', 'wrong_recipient', 'complaint', text)
for (const text of ['谢谢，明天见', '好的', '几点开门？', '收到']) addDressed('zh', 'none', null, 'none', text)
addDressed('zh', 'opt_in', null, 'opt_in', '重新订阅')

for (const text of ['수신거부', '거부', '그만', '중지', '해지', '수신 거부', '수신거부!', '그만!!', '차단']) addDressed('ko', 'opt_out', 'unwanted_contact', 'keyword', text)
for (const text of ['문자 그만 보내세요', '더 이상 연락하지 마세요', '제 번호 지워 주세요', '수신거부합니다', '더 이상 문자 보내지 마세요', '그만 보내', '연락하지 마세요', '번호 삭제해 주세요', '메시지 그만']) addDressed('ko', 'opt_out', 'unwanted_contact', 'free_text', text)
for (const text of ['광고 문자 그만 보내주세요', '광고 수신거부']) addDressed('ko', 'opt_out', 'unsolicited_marketing', 'free_text', text)
for (const text of ['도움말', '도움']) addDressed('ko', 'help', 'other', 'help', text)
for (const text of ['이거 사기죠?', '스팸이네요']) addDressed('ko', 'complaint', text.includes('사기') ? 'phishing_fraud' : 'unsolicited_marketing', 'complaint', text)
addDressed('ko', 'complaint', 'unwanted_contact', 'complaint', '왜 새벽에 문자를 보내요?')
for (const text of ['감사합니다', '네 알겠습니다', '몇 시에 열어요?', '좋아요']) addDressed('ko', 'none', null, 'none', text)
addDressed('ko', 'opt_in', null, 'opt_in', '수신동의')

for (const text of ['HUY', 'huy', 'Hủy', 'DUNG', 'Dừng', 'NGUNG', 'ngừng', 'tu choi', 'TU CHOI', 'Từ chối', 'Hủy!!', 'dung lai']) addDressed('vi', 'opt_out', 'unwanted_contact', 'keyword', text)
for (const text of ['Đừng nhắn tin cho tôi nữa', 'Tôi không muốn nhận tin nhắn nữa', 'hủy đăng ký', 'huy dang ky', 'làm ơn ngừng gửi tin', 'lam on ngung gui tin', 'dung nhan tin nua', 'Ngừng gửi tin nhắn cho tôi', 'khong muon nhan tin nhan nua', 'Xóa số của tôi', 'thôi gửi tin đi']) addDressed('vi', 'opt_out', 'unwanted_contact', 'free_text', text)
addDressed('vi', 'opt_out', 'unsolicited_marketing', 'free_text', 'Đừng gửi quảng cáo nữa, ngừng gửi tin')
for (const text of ['TRO GIUP', 'trợ giúp']) addDressed('vi', 'help', 'other', 'help', text)
for (const text of ['Cảm ơn bạn', 'ok mai gặp', 'Mấy giờ mở cửa?', 'Dùng được không?', 'Đúng rồi']) addDressed('vi', 'none', null, 'none', text)
addDressed('vi', 'complaint', 'phishing_fraud', 'complaint', 'Đây là lừa đảo à?')

for (const text of ['TIGIL', 'itigil', 'Tigil', 'Tama na', 'TAMA NA PO', 'ayoko na', 'Ayoko na po', 'STOP po', 'stop na po', 'tigil na']) addDressed('tl', 'opt_out', 'unwanted_contact', 'keyword', text)
for (const text of ['Huwag na po kayong mag-text', 'paki-stop na po', 'Ayoko na ng mga text ninyo', 'Tanggalin n\'yo na ako sa listahan', 'tigilan nyo na ako', 'Pakitigil na po ang pag-text', 'wag na kayong mag text', 'Hwag nyo na akong i-text', 'paki tanggal na po number ko']) addDressed('tl', 'opt_out', 'unwanted_contact', 'free_text', text)
for (const text of ['TULONG', 'tulong po']) addDressed('tl', 'help', 'other', 'help', text)
for (const text of ['Salamat po', 'Sige po, bukas', 'Anong oras kayo bukas?', 'Opo, darating ako']) addDressed('tl', 'none', null, 'none', text)
addDressed('tl', 'complaint', 'phishing_fraud', 'complaint', 'Scam ba ito?')

const file = join(import.meta.dirname, '../test/fixtures/sms-replies-languages.jsonl')
writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n')
const byLang = new Map<string, number>()
for (const row of rows) byLang.set(row.lang, (byLang.get(row.lang) ?? 0) + 1)
process.stdout.write(`${rows.length} rows written to ${file}: ${[...byLang].map(([lang, count]) => `${lang} ${count}`).join(', ')}\n`)
