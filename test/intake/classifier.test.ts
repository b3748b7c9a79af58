import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { ComplaintCategory as StoredComplaintCategory } from '../../src/db/schema.js'
import { type Classification, classifyReply, type ComplaintCategory, type ReplyContext, type ReplyKind } from '../../src/modules/intake/classifier/classifier.js'

// The classifier's categories must be exactly the ones a complaint can be stored with.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const categoriesMatchStorage: Same<ComplaintCategory, StoredComplaintCategory> = true
test('the classifier\'s categories are the stored ones (checked by the compiler)', () => { assert.equal(categoriesMatchStorage, true) })

const HOUR = 60 * 60 * 1000
const NOW = new Date('2026-03-02T15:00:00Z')
const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR)
const KINDS: readonly ReplyKind[] = ['opt_out', 'help', 'opt_in', 'complaint', 'none']
const CATEGORIES: readonly ComplaintCategory[] = ['unwanted_contact', 'phishing_fraud', 'unsolicited_marketing', 'opt_out_not_honored', 'wrong_recipient', 'content_concern', 'other']

function assertValidShape (result: Classification, input: string): void {
  assert.deepEqual(Object.keys(result).sort(), ['category', 'keyword', 'kind'], input)
  assert.ok(KINDS.includes(result.kind), input)
  assert.ok(result.keyword === null || /^[A-Z]+$/.test(result.keyword), `keyword ${String(result.keyword)} for ${JSON.stringify(input)}`)
  assert.ok(result.category === null || CATEGORIES.includes(result.category), input)
  switch (result.kind) {
    case 'opt_out': assert.ok(result.category !== null && result.category !== 'other', input); break
    case 'help': assert.equal(result.category, 'other', input); assert.ok(result.keyword !== null, input); break
    case 'opt_in': assert.equal(result.category, null, input); assert.ok(result.keyword !== null, input); break
    case 'complaint': assert.ok(result.category !== null, input); assert.equal(result.keyword, null, input); break
    case 'none': assert.deepEqual(result, { kind: 'none', keyword: null, category: null }, input); break
  }
}

describe('SMS reply classifier: keywords', () => {
  const dressings: ReadonlyArray<(keyword: string) => string> = [
    (k) => k, (k) => k.toLowerCase(), (k) => `${k[0] ?? ''}${k.slice(1).toLowerCase()}`, (k) => `  ${k}  \n`, (k) => `${k}.`, (k) => `${k}!!!`,
    (k) => `🛑 ${k} 🛑`, (k) => `${k} 😡😡`, (k) => `"${k}"`, (k) => `${k} please`, (k) => `pls ${k.toLowerCase()}`, (k) => `*${k}*`, (k) => `${k}\n\nSent from my iPhone`
  ]
  const optOutKeywords: ReadonlyArray<readonly [string, string]> = [
    ['STOP', 'STOP'], ['STOPALL', 'STOPALL'], ['STOP ALL', 'STOPALL'], ['UNSUBSCRIBE', 'UNSUBSCRIBE'], ['UNSUB', 'UNSUB'], ['CANCEL', 'CANCEL'],
    ['END', 'END'], ['QUIT', 'QUIT'], ['REVOKE', 'REVOKE'], ['OPT OUT', 'OPTOUT'], ['OPTOUT', 'OPTOUT'], ['OPT-OUT', 'OPTOUT'], ['REMOVE', 'REMOVE'],
    ['ARRET', 'ARRET'], ['ARRÊT', 'ARRET'], ['ALTO', 'ALTO'], ['PARAR', 'PARAR'], ['BAJA', 'BAJA'], ['CANCELAR', 'CANCELAR']
  ]
  for (const [written, canonical] of optOutKeywords) {
    test(`${written} is an opt-out in every dressing`, () => {
      for (const dress of dressings) {
        const body = dress(written)
        assert.deepEqual(classifyReply(body), { kind: 'opt_out', keyword: canonical, category: 'unwanted_contact' }, JSON.stringify(body))
      }
    })
  }

  test('Spanish and French politeness, fullwidth and spelled-out letters', () => {
    for (const [body, keyword] of [['Baja por favor', 'BAJA'], ['alto ya', 'ALTO'], ['arrêt svp', 'ARRET'], ["Stop s'il vous plaît", 'STOP'], ['Arrêt merci', 'ARRET'],
      ['ＳＴＯＰ', 'STOP'], ['𝐒𝐓𝐎𝐏', 'STOP'], ['S T O P', 'STOP'], ['s.t.o.p', 'STOP'], ['stop stop stop', 'STOP'], ['Cancel please and thank you', 'CANCEL']] as const) {
      assert.equal(classifyReply(body).keyword, keyword, body)
      assert.equal(classifyReply(body).kind, 'opt_out', body)
    }
  })

  test('small typos of a keyword still opt out; real words one letter away do not', () => {
    for (const [body, keyword] of [['STOPP', 'STOP'], ['Stooop', 'STOP'], ['stpo', 'STOP'], ['Sotp', 'STOP'], ['st0p', 'STOP'], ['unsubscibe', 'UNSUBSCRIBE'],
      ['Unsubcribe', 'UNSUBSCRIBE'], ['unsubscirbe', 'UNSUBSCRIBE'], ['cancle', 'CANCEL'], ['Cancell', 'CANCEL'], ['qiut', 'QUIT'], ['optuot', 'OPTOUT']] as const) {
      assert.deepEqual(classifyReply(body), { kind: 'opt_out', keyword, category: 'unwanted_contact' }, body)
    }
    assert.equal(classifyReply('unsubscibe me from this list').kind, 'opt_out')
    for (const body of ['Shop', 'Step 2 done', 'Top!', 'And?', 'Cancer treatment starts Monday, can we reschedule?', 'Stp je peux venir à 15h ?', 'Quiz tomorrow?']) {
      assert.equal(classifyReply(body).kind, 'none', body)
    }
  })

  test('a keyword inside a sentence is an opt-out when it is meant as one', () => {
    for (const body of ['Stop texting me', 'u can stop texting me now', 'how do I stop these?', 'STOP - Mike', 'I want to opt out of all messages',
      'how do I unsubscribe from these', 'I revoke my consent to receive text messages', 'if you do not stop texting me I will report you']) {
      assert.equal(classifyReply(body).kind, 'opt_out', body)
    }
  })

  test('traps: the same words in another sense are ordinary replies', () => {
    for (const body of [
      "can't stop laughing", "I can't stop laughing at that video 😂", 'stop by at 5', "I'll stop by at 5 to pick it up", "don't stop the reminders",
      'Please don’t stop the reminders, they really help me', 'end of the month works', 'At the end of the day, Tuesday is better', 'I need to cancel my appointment for Thursday',
      'I quit my job so I can make the morning slot now', 'Please remove the extra charge from my bill', 'The bus stop by my house is closed', 'Never stop, this is great',
      'Stop worrying, I paid it yesterday', 'Can I opt out of the paper statement and get email instead?', "I don't want to unsubscribe, just get fewer texts",
      "Don't unsubscribe me, I still want the coupons", 'Your text says reply STOP to opt out, but I want to keep getting them', 'When does the sale end?',
      'No puedo parar de reír 😂', 'El precio está muy alto para mí', 'La fiebre no baja', 'Quiero cancelar mi cita del jueves', 'Voy a Baja California',
      "Je n'arrête pas de rire", "Je suis à l'arrêt de bus", 'Je suis en arrêt maladie jusqu’à vendredi', 'Fin du mois, ça me va'
    ]) {
      assert.deepEqual(classifyReply(body), { kind: 'none', keyword: null, category: null }, body)
    }
  })
})

describe('SMS reply classifier: free-text revocations', () => {
  test('English, Spanish and French revocations in other words are opt-outs without a keyword', () => {
    for (const body of [
      'Take me off your list', 'no more messages', "don't text me again", 'Do not contact me again', 'leave me alone', 'remove me from your list', 'Lose my number',
      'I no longer wish to receive messages from you', 'Cease and desist all communications', "I'd like to be removed from this list", 'Please discontinue these messages',
      'quítenme de la lista', 'Dejen de enviarme mensajes', 'No me manden más mensajes', 'Denme de baja', 'Déjenme en paz', 'No más mensajes',
      "Arrêtez de m'envoyer des messages", 'Retirez-moi de votre liste', 'Je ne veux plus recevoir vos SMS', 'Désabonnez-moi', 'Laissez-moi tranquille'
    ]) {
      assert.deepEqual(classifyReply(body), { kind: 'opt_out', keyword: null, category: 'unwanted_contact' }, body)
    }
  })

  test('a negated revocation phrase is not one', () => {
    for (const body of ["Please don't remove me from the list", "Don't cancel my subscription, I just updated my card"]) {
      assert.equal(classifyReply(body).kind, 'none', body)
    }
  })

  test('a long message with the revocation buried in it', () => {
    const body = `${'I have told you many times already. '.repeat(10)}Please stop texting me, take me off your list. ${'x'.repeat(400)}`
    const result = classifyReply(body)
    assert.equal(result.kind, 'opt_out')
    assert.equal(result.category, 'opt_out_not_honored', '"told you many times" says an earlier request was ignored')
  })
})

describe('SMS reply classifier: help, opt-in, complaints, none', () => {
  test('HELP, INFO, AIDE, AYUDA are help requests of category other', () => {
    for (const [body, keyword] of [['HELP', 'HELP'], ['help?', 'HELP'], ['Help me', 'HELP'], ['I need help', 'HELP'], ['INFO', 'INFO'], ['info pls', 'INFO'],
      ['AIDE', 'AIDE'], ['Aide svp', 'AIDE'], ['AYUDA', 'AYUDA'], ['¿Ayuda?', 'AYUDA'], ['What is this? HELP', 'HELP']] as const) {
      assert.deepEqual(classifyReply(body), { kind: 'help', keyword, category: 'other' }, body)
    }
    for (const body of ['I can help with the setup on Saturday', 'Thanks for the help yesterday!', 'Do you have info on parking?', 'Necesito ayuda con mi pedido']) {
      assert.equal(classifyReply(body).kind, 'none', body)
    }
  })

  test('a revocation wins over HELP in the same reply', () => {
    assert.equal(classifyReply('help how do I stop these').kind, 'opt_out')
  })

  test('START and UNSTOP opt in whatever the context', () => {
    for (const [body, keyword] of [['START', 'START'], ['start please', 'START'], ['Start again', 'START'], ['UNSTOP', 'UNSTOP'], ['Subscribe', 'SUBSCRIBE']] as const) {
      assert.deepEqual(classifyReply(body), { kind: 'opt_in', keyword, category: null }, body)
      assert.deepEqual(classifyReply(body, { optedOutSince: hoursAgo(30), now: NOW }), { kind: 'opt_in', keyword, category: null }, body)
    }
    for (const body of ['What time does the class start?', 'START time is 9 right?']) assert.equal(classifyReply(body).kind, 'none', body)
  })

  test('YES opts in only after an opt-out', () => {
    for (const body of ['YES', 'yes', 'Yes!', 'yes please', 'YES 👍']) {
      assert.deepEqual(classifyReply(body), { kind: 'none', keyword: null, category: null }, body)
      assert.deepEqual(classifyReply(body, { optedOutSince: null }), { kind: 'none', keyword: null, category: null }, body)
      assert.deepEqual(classifyReply(body, { optedOutSince: hoursAgo(3), now: NOW }), { kind: 'opt_in', keyword: 'YES', category: null }, body)
    }
    assert.equal(classifyReply("Yes I'll be there", { optedOutSince: hoursAgo(3), now: NOW }).kind, 'none')
  })

  test('each complaint category, without a revocation', () => {
    const cases: ReadonlyArray<readonly [string, ComplaintCategory]> = [
      ['Is this a scam?', 'phishing_fraud'], ['Is this a scam? That link looks fake', 'phishing_fraud'], ['fake link, nice try', 'phishing_fraud'], ['¿Esto es una estafa?', 'phishing_fraud'], ["C'est une arnaque ?", 'phishing_fraud'],
      ['Wrong number', 'wrong_recipient'], ['Wrong number, who is this?', 'wrong_recipient'], ['who dis', 'wrong_recipient'], ["I'm not Michael", 'wrong_recipient'], ['Número equivocado', 'wrong_recipient'], ['Je ne suis pas Julie', 'wrong_recipient'],
      ['spam', 'unsolicited_marketing'], ['I never signed up for this', 'unsolicited_marketing'], ["I didn't subscribe to anything", 'unsolicited_marketing'], ['Nunca me suscribí a esto', 'unsolicited_marketing'],
      ['This message is offensive', 'content_concern'], ['That is really inappropriate', 'content_concern'], ['Your last text was abusive', 'content_concern'], ['Contenu inapproprié', 'content_concern'],
      ['Way too many texts', 'unwanted_contact'], ["I'm going to report you to the FCC", 'other']
    ]
    for (const [body, category] of cases) assert.deepEqual(classifyReply(body), { kind: 'complaint', keyword: null, category }, body)
    assert.equal(classifyReply("I'm not interested").kind, 'none', '"not interested" is not a name')
  })

  test('an opt-out takes the more specific category its text names', () => {
    const cases: ReadonlyArray<readonly [string, ComplaintCategory]> = [
      ['STOP', 'unwanted_contact'], ['leave me alone', 'unwanted_contact'], ['STOP this is a scam', 'phishing_fraud'], ['STOP wrong number', 'wrong_recipient'],
      ['Número equivocado. BAJA', 'wrong_recipient'], ['STOP spam', 'unsolicited_marketing'], ['I never signed up for this. Take me off your list', 'unsolicited_marketing'],
      ['STOP this is offensive', 'content_concern'], ['I already said stop', 'opt_out_not_honored'], ['I unsubscribed last week and you are still texting me', 'opt_out_not_honored'],
      ['How many times do I have to say STOP', 'opt_out_not_honored'], ['Ya les dije que no me manden mensajes', 'opt_out_not_honored'], ["Je vous ai déjà dit d'arrêter de m'envoyer des messages", 'opt_out_not_honored']
    ]
    for (const [body, category] of cases) assert.deepEqual(classifyReply(body).category, category, body)
  })

  test('a repeated opt-out more than 24 h after the first is opt_out_not_honored', () => {
    assert.equal(classifyReply('STOP', { optedOutSince: hoursAgo(25), now: NOW }).category, 'opt_out_not_honored')
    assert.equal(classifyReply('please stop texting me', { optedOutSince: hoursAgo(200), now: NOW }).category, 'opt_out_not_honored')
    assert.equal(classifyReply('STOP', { optedOutSince: hoursAgo(24), now: NOW }).category, 'unwanted_contact', 'exactly 24 h is not more than 24 h')
    assert.equal(classifyReply('STOP', { optedOutSince: hoursAgo(1), now: NOW }).category, 'unwanted_contact')
    assert.equal(classifyReply('STOP', { optedOutSince: null, now: NOW }).category, 'unwanted_contact')
    assert.equal(classifyReply('STOP', { optedOutSince: new Date(Date.now() - 48 * HOUR) }).category, 'opt_out_not_honored', 'now defaults to the clock')
    assert.equal(classifyReply('Wrong number', { optedOutSince: hoursAgo(48), now: NOW }).category, 'wrong_recipient', 'only an opt-out is judged by the context')
    assert.equal(classifyReply('HELP', { optedOutSince: hoursAgo(48), now: NOW }).kind, 'help')
  })

  test('ordinary replies are none', () => {
    for (const body of ['', '   ', '👍', '🙂🙂', 'Thanks, see you at 5', 'C', 'Y', 'No', 'Confirmed', 'Can we move it to Friday?', 'Sí, confirmo', "D'accord, à demain",
      'Who should I ask for at reception?']) {
      assert.deepEqual(classifyReply(body), { kind: 'none', keyword: null, category: null }, JSON.stringify(body))
    }
  })
})

describe('SMS reply classifier: properties', () => {
  const context = fc.option(fc.record({
    optedOutSince: fc.option(fc.date(), { nil: null }),
    now: fc.option(fc.date(), { nil: undefined })
  }), { nil: undefined })

  test('never throws and always returns a valid classification on arbitrary unicode', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: 'binary-ascii', maxLength: 200 }))
    fc.assert(fc.property(text, context, (body, replyContext) => {
      assertValidShape(classifyReply(body, replyContext as ReplyContext | undefined), body)
    }), { numRuns: 3000 })
  })

  test('any opt-out keyword surrounded by punctuation, emoji, whitespace and any case is an opt-out', () => {
    const keywords = ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'UNSUB', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPT OUT', 'OPTOUT', 'OPT-OUT', 'REMOVE',
      'ARRET', 'ARRÊT', 'ALTO', 'PARAR', 'BAJA', 'CANCELAR']
    const surrounding = fc.string({
      unit: fc.constantFrom(...' \t\n\u00A0.,;:!?¡¿"\'’«»()[]{}<>-–—_*/\\|~^`@#$%&+=…•', '🛑', '✋', '✋🏼', '😡', '🙏', '👍🏽', '❌', '‼️', '🤬', '👩‍👩‍👧', '\u200D', '\uFE0F'),
      maxLength: 8
    })
    fc.assert(fc.property(fc.constantFrom(...keywords), fc.boolean(), surrounding, surrounding, fc.context(), (keyword, shuffleCase, before, after, log) => {
      const cased = shuffleCase ? [...keyword].map((letter, index) => (index % 2 === 0 ? letter.toLowerCase() : letter)).join('') : keyword.toLowerCase()
      const body = `${before}${cased}${after}`
      log.log(JSON.stringify(body))
      assert.equal(classifyReply(body).kind, 'opt_out', JSON.stringify(body))
    }), { numRuns: 3000 })
  })

  test('mixed case of any keyword is still an opt-out', () => {
    fc.assert(fc.property(fc.mixedCase(fc.constantFrom('stop', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'opt out', 'arrêt', 'baja')), (body) => {
      assert.equal(classifyReply(body).kind, 'opt_out', body)
    }))
  })

  test('surrounding whitespace never changes the answer', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (body) => {
      assert.deepEqual(classifyReply(` \n${body}\t `), classifyReply(body))
    }), { numRuns: 1000 })
  })
})

interface CorpusRow {
  text: string
  lang: 'en' | 'es' | 'fr'
  kind: ReplyKind
  category: ComplaintCategory | null
  group: 'keyword' | 'free_text' | 'trap' | 'help' | 'opt_in' | 'complaint' | 'none'
  context?: { optedOutHoursAgo: number }
  /** Unset for the rows the rules were written against; blind1..3 were written before the classifier saw them. */
  split?: 'blind1' | 'blind2' | 'blind3'
}

interface Scores { rows: number; precision: number; recall: number; kindAccuracy: number; categoryAccuracy: number }

describe('SMS reply classifier: labeled corpus', () => {
  const corpus = readFileSync(join(import.meta.dirname, '../fixtures/sms-replies.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as CorpusRow)
  const classify = (row: CorpusRow): Classification =>
    classifyReply(row.text, row.context === undefined ? { now: NOW } : { optedOutSince: hoursAgo(row.context.optedOutHoursAgo), now: NOW })

  test('the corpus is well formed: ≥ 300 rows, three languages, every group', () => {
    assert.ok(corpus.length >= 300, `${corpus.length} rows`)
    for (const row of corpus) {
      assert.ok(['en', 'es', 'fr'].includes(row.lang), row.text)
      assert.ok(KINDS.includes(row.kind), row.text)
      assert.equal(row.category === null, row.kind === 'none' || row.kind === 'opt_in', row.text)
      if (row.kind === 'help') assert.equal(row.category, 'other', row.text)
    }
    for (const group of ['keyword', 'free_text', 'trap', 'help', 'opt_in', 'complaint', 'none']) assert.ok(corpus.some((row) => row.group === group), group)
    for (const lang of ['en', 'es', 'fr']) assert.ok(corpus.filter((row) => row.lang === lang).length >= 50, lang)
  })

  test('opt-out recall is 100 % on the keyword rows', () => {
    const keywordRows = corpus.filter((row) => row.group === 'keyword')
    assert.ok(keywordRows.length >= 100)
    const missed = keywordRows.filter((row) => classify(row).kind !== 'opt_out').map((row) => row.text)
    assert.deepEqual(missed, [])
  })

  test('precision, recall and accuracy over the corpus (printed)', () => {
    const score = (rows: readonly CorpusRow[]): Scores => {
      let truePositives = 0; let falsePositives = 0; let falseNegatives = 0; let kindsRight = 0; let categorized = 0; let categoriesRight = 0
      for (const row of rows) {
        const result = classify(row)
        const expected = row.kind === 'opt_out'; const predicted = result.kind === 'opt_out'
        if (expected && predicted) truePositives++
        else if (predicted) falsePositives++
        else if (expected) falseNegatives++
        if (result.kind === row.kind) kindsRight++
        if (row.category !== null) {
          categorized++
          if (result.category === row.category) categoriesRight++
        }
      }
      return {
        rows: rows.length,
        precision: truePositives / (truePositives + falsePositives),
        recall: truePositives / (truePositives + falseNegatives),
        kindAccuracy: kindsRight / rows.length,
        categoryAccuracy: categoriesRight / categorized
      }
    }
    const slices: ReadonlyArray<readonly [string, readonly CorpusRow[]]> = [
      ['whole corpus', corpus],
      ['  rules written against', corpus.filter((row) => row.split === undefined)],
      ['  blind 1 (since tuned on)', corpus.filter((row) => row.split === 'blind1')],
      ['  blind 2 (since tuned on)', corpus.filter((row) => row.split === 'blind2')],
      ['  blind 3 (never tuned on)', corpus.filter((row) => row.split === 'blind3')],
      ['  keyword rows', corpus.filter((row) => row.group === 'keyword')]
    ]
    const scores = new Map(slices.map(([name, rows]) => [name, score(rows)]))
    const format = (value: number): string => (Number.isNaN(value) ? '   -  ' : value.toFixed(3).padStart(6))
    console.log(`\n${'slice'.padEnd(28)}  rows  opt-out P  opt-out R  kind acc  category acc`)
    for (const [name, s] of scores) {
      console.log(`${name.padEnd(28)} ${String(s.rows).padStart(5)}     ${format(s.precision)}     ${format(s.recall)}    ${format(s.kindAccuracy)}        ${format(s.categoryAccuracy)}`)
    }
    const traps = corpus.filter((row) => row.group === 'trap')
    const sprung = traps.filter((row) => classify(row).kind === 'opt_out').map((row) => row.text)
    console.log(`trap rows wrongly taken for opt-outs: ${sprung.length} of ${traps.length}${sprung.length > 0 ? ` (${sprung.join(' | ')})` : ''}`)

    // Floors: what the classifier honestly reaches, minus a small margin.
    const whole = scores.get('whole corpus')
    const blind = scores.get('  blind 3 (never tuned on)')
    assert.ok(whole !== undefined && blind !== undefined)
    assert.ok(whole.precision >= 0.98, `opt-out precision ${whole.precision}`)
    assert.ok(whole.recall >= 0.98, `opt-out recall ${whole.recall}`)
    assert.ok(whole.kindAccuracy >= 0.97, `kind accuracy ${whole.kindAccuracy}`)
    assert.ok(whole.categoryAccuracy >= 0.97, `category accuracy ${whole.categoryAccuracy}`)
    assert.ok(blind.precision >= 0.9, `blind opt-out precision ${blind.precision}`)
    assert.ok(blind.recall >= 0.85, `blind opt-out recall ${blind.recall}`)
    assert.ok(blind.kindAccuracy >= 0.88, `blind kind accuracy ${blind.kindAccuracy}`)
  })

  test('fast: well under 50 µs per reply, and no pathological slowdown on 5,000 characters', () => {
    const rounds = 20
    for (const row of corpus) classify(row)
    const started = process.hrtime.bigint()
    for (let round = 0; round < rounds; round++) for (const row of corpus) classify(row)
    const microseconds = Number(process.hrtime.bigint() - started) / 1000 / (rounds * corpus.length)
    console.log(`classifyReply: ${microseconds.toFixed(1)} µs per reply (mean over ${rounds * corpus.length} corpus replies)`)
    assert.ok(microseconds < 50, `${microseconds} µs`)

    for (const body of ['stop '.repeat(1000), 'a '.repeat(2500), 'no more '.repeat(625), "don't want these ".repeat(294), 'x'.repeat(5000), 'S '.repeat(2500), '🛑'.repeat(2500),
      'take me '.repeat(625), 'quien es '.repeat(555)]) {
      const start = process.hrtime.bigint()
      assertValidShape(classifyReply(body), body.slice(0, 20))
      const milliseconds = Number(process.hrtime.bigint() - start) / 1e6
      assert.ok(milliseconds < 20, `${milliseconds} ms on ${JSON.stringify(body.slice(0, 20))}…`)
    }
  })
})
