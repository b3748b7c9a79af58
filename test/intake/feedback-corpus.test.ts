import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestContext, type TestOrg, testDatabases } from '../helper.js'
import { postFeedbackReport, registerDomain } from './intake-helpers.js'

/**
 * Every real feedback-loop email of the shared corpus (`../shared/corpora/arf-real` beside the
 * repository), posted through `POST /v1/intake/feedback-reports`, must give the result its
 * manifest expects. The corpus is read in place, never copied into the repository.
 */
const CORPUS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'arf-real')
const present = existsSync(resolve(CORPUS, 'manifest.json'))

interface Expected {
  kind: 'complaint' | 'ignored' | 'rejected'
  feedback_type?: string
  format?: string
  recipient?: string | null
  recipient_status?: string
  also_recipients?: string[]
  /** null: suppressing no one is also right; a string: suppressing that literal address is also right. */
  also_acceptable_recipient?: string | null
  also_acceptable_kind?: string[]
  not_suppressed?: string
  domain?: string
}

interface Sample { file: string, expected: Expected }
interface Manifest { register_domains: string[], samples: Sample[] }

const manifest: Manifest | null = present ? JSON.parse(readFileSync(resolve(CORPUS, 'manifest.json'), 'utf8')) as Manifest : null

/** The top-level Message-ID (the report's identity), or the file name when there is none. */
function identityOf (raw: Buffer, file: string): string {
  const head = raw.toString('latin1').split(/\r?\n\r?\n/)[0] ?? ''
  return /^message-id:\s*(.+(?:\r?\n[ \t].*)*)/im.exec(head)?.[1]?.replace(/\s+/g, '').toLowerCase() ?? file
}

/**
 * Samples grouped so that no two in a group share a report identity: some files are the same
 * report with other line ends or headers, and a second copy on the same server is (rightly) a
 * replay. Each group is posted to a fresh server.
 */
function rounds (samples: Sample[]): Sample[][] {
  const groups: Array<{ ids: Set<string>, samples: Sample[] }> = []
  for (const sample of samples) {
    const id = identityOf(readFileSync(resolve(CORPUS, sample.file)), sample.file)
    let group = groups.find((candidate) => !candidate.ids.has(id))
    if (group === undefined) {
      group = { ids: new Set(), samples: [] }
      groups.push(group)
    }
    group.ids.add(id)
    group.samples.push(sample)
  }
  return groups.map((group) => group.samples)
}

for (const database of testDatabases()) {
  describe(`intake: real-world feedback reports (${database})`, { skip: manifest === null ? `the corpus is not at ${CORPUS} (shared/ beside the repository)` : false }, () => {
    if (manifest === null) return
    test('the manifest lists 40 samples', () => {
      assert.equal(manifest.samples.length, 40)
    })

    rounds(manifest.samples).forEach((samples, round) => {
      describe(`server ${round + 1}`, () => {
        let ctx: TestContext
        let org: TestOrg
        const domainIds = new Map<string, string>()
        before(async () => {
          ctx = await startTestApp(database)
          org = await ctx.createOrg('Corpus senders')
          for (const name of manifest.register_domains) domainIds.set(name, (await registerDomain(ctx, org, name)).id)
        })
        after(async () => { await ctx.close() })

        const suppressionsOf = async (query: string): Promise<Array<{ address: string, domain_id: string | null }>> => {
          const response = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/suppressions?channel=email&limit=100&${query}` })
          assert.equal(response.statusCode, 200, response.body)
          return response.json().data
        }
        const suppressionTotal = async (): Promise<number> => {
          const response = await ctx.request(org.ownerKey, { method: 'GET', url: '/v1/suppressions?limit=1' })
          return response.json().meta.total as number
        }

        for (const { file, expected } of samples) {
          test(`${file}: ${expected.kind}`, async () => {
            const totalBefore = await suppressionTotal()
            // Earlier samples may rightly have suppressed the same address: this report must add none.
            const notSuppressedQuery = expected.not_suppressed === undefined ? null : `address=${encodeURIComponent(expected.not_suppressed)}`
            const notSuppressedBefore = notSuppressedQuery === null ? 0 : (await suppressionsOf(notSuppressedQuery)).length
            const response = await postFeedbackReport(ctx, readFileSync(resolve(CORPUS, file)))
            if (response.statusCode === 422 && expected.also_acceptable_kind?.includes('rejected') === true) {
              assert.equal(typeof response.json().error.details.body, 'string', response.body)
              assert.equal(await suppressionTotal(), totalBefore)
              return
            }
            if (expected.kind === 'rejected') {
              assert.equal(response.statusCode, 422, response.body)
              assert.equal(typeof response.json().error.details.body, 'string', response.body)
              assert.equal(await suppressionTotal(), totalBefore)
              return
            }
            assert.equal(response.statusCode, 200, response.body)
            const answer = response.json().data
            assert.equal(answer.feedback_type, expected.feedback_type)
            if (notSuppressedQuery !== null) {
              assert.equal((await suppressionsOf(notSuppressedQuery)).length, notSuppressedBefore, `${String(expected.not_suppressed)} must not be suppressed`)
            }
            if (expected.kind === 'ignored') {
              assert.notEqual(answer.ignored, null)
              assert.equal(answer.complaint_id, null)
              assert.deepEqual(answer.complaint_ids, [])
              assert.equal(await suppressionTotal(), totalBefore, 'an ignored report suppresses no one')
              return
            }

            assert.equal(answer.ignored, null)
            if (expected.format !== undefined) assert.equal(answer.format, expected.format)
            const domainId = domainIds.get(expected.domain as string)
            assert.equal(answer.domain_id, domainId, `the report is about ${String(expected.domain)}`)

            let recipients = expected.recipient == null ? [] : [expected.recipient, ...(expected.also_recipients ?? [])]
            const alternative = expected.also_acceptable_recipient === undefined
              ? undefined
              : expected.also_acceptable_recipient === null ? [] : [expected.also_acceptable_recipient]
            if (alternative !== undefined && answer.suppression_ids.length === alternative.length) recipients = alternative
            if (recipients.length === 0) {
              if (expected.recipient_status !== undefined && alternative === undefined) assert.equal(answer.recipient_status, expected.recipient_status)
              assert.equal(answer.suppression_id, null)
              assert.equal(answer.complaint_ids.length, 1)
              assert.equal(await suppressionTotal(), totalBefore, 'an unknown recipient is not suppressed')
            } else {
              assert.equal(answer.recipient_status, 'known')
              assert.equal(answer.complaint_ids.length, recipients.length, 'one complaint per recipient')
              assert.equal(answer.suppression_ids.length, recipients.length, 'one suppression per recipient')
              for (const recipient of recipients) {
                const rows = await suppressionsOf(`address=${encodeURIComponent(recipient)}&domain_id=${String(domainId)}`)
                assert.equal(rows.length, 1, `${recipient} is suppressed for the domain`)
              }
            }
            const named = []
            for (const id of answer.complaint_ids as string[]) {
              const complaint = await ctx.request(org.ownerKey, { method: 'GET', url: `/v1/complaints/${id}` })
              const data = complaint.json().data
              assert.equal(data.source, 'feedback_loop')
              assert.equal(data.domain_id, domainId)
              named.push(data.reporter_email)
            }
            assert.deepEqual(named, recipients.length === 0 ? [null] : recipients, 'each complaint names its recipient')
          })
        }
      })
    })
  })
}
