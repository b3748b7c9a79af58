import type { Database } from '../db/database.js'
import type { Channel, ComplaintCategory, ComplaintSource } from '../db/schema.js'
import { issueApiKey } from '../modules/api-keys/api-keys.service.js'
import { changeComplaintStatus, fileComplaint, type NewComplaint, SYSTEM_ACTOR } from '../modules/complaints/complaints.service.js'
import { countOrganizations } from '../modules/organizations/organizations.repository.js'
import { suppress } from '../modules/suppressions/suppressions.service.js'
import { createOrganization, registerDomain, registerPhoneNumber } from '../modules/organizations/organizations.service.js'

export interface DemoCredentials {
  orgId: string
  ownerKey: string
  platformKey: string
}

interface Sample {
  category: ComplaintCategory
  source: ComplaintSource
  channel: Channel
  reporter: string
  excerpt: string
}

const SAMPLES: Sample[] = [
  { category: 'unwanted_contact', source: 'recipient', channel: 'sms', reporter: '+14155550101', excerpt: 'STOP' },
  { category: 'unwanted_contact', source: 'recipient', channel: 'sms', reporter: '+14155550102', excerpt: 'please stop texting me' },
  { category: 'phishing_fraud', source: 'recipient', channel: 'sms', reporter: '+14155550103', excerpt: 'is this a scam? that link looks fake' },
  { category: 'wrong_recipient', source: 'recipient', channel: 'sms', reporter: '+14155550104', excerpt: "wrong number, I'm not Dana" },
  { category: 'unsolicited_marketing', source: 'carrier', channel: 'sms', reporter: '+14155550105', excerpt: 'FLASH SALE 40% off today only' },
  { category: 'opt_out_not_honored', source: 'recipient', channel: 'sms', reporter: '+14155550106', excerpt: 'I already said STOP last week' },
  { category: 'content_concern', source: 'staff', channel: 'sms', reporter: '+14155550107', excerpt: 'Caller said the message was offensive' },
  { category: 'other', source: 'recipient', channel: 'sms', reporter: '+14155550108', excerpt: 'HELP' },
  { category: 'unsolicited_marketing', source: 'feedback_loop', channel: 'email', reporter: 'pat@example.net', excerpt: 'Subject: Your November deals' },
  { category: 'phishing_fraud', source: 'feedback_loop', channel: 'email', reporter: 'lee@example.org', excerpt: 'Subject: Verify your account now' },
  { category: 'unsolicited_marketing', source: 'import', channel: 'email', reporter: 'sam@example.com', excerpt: 'Imported from a previous provider' },
  { category: 'unwanted_contact', source: 'staff', channel: 'email', reporter: 'kim@example.com', excerpt: 'Asked support to stop all email' }
]

/**
 * On an empty store, creates the "Demo" organization with a number, a domain, keys,
 * three dozen complaints in every status, category and source, and the suppressions
 * they caused. Returns the keys to
 * print once, or null when the store already has organizations.
 */
export async function seedDemoIfEmpty (db: Database): Promise<DemoCredentials | null> {
  if (await countOrganizations(db) > 0) return null
  const org = await createOrganization(db, 'Demo')
  const owner = await issueApiKey(db, org.id, { role: 'owner', label: 'demo owner' })
  const platform = await issueApiKey(db, null, { role: null, label: 'demo platform' })
  const phone = await registerPhoneNumber(db, org.id, '+14155550000')
  const domain = await registerDomain(db, org.id, 'mail.demo.example')

  const day = 24 * 60 * 60 * 1000
  const start = Date.now() - 36 * day
  for (let i = 0; i < 36; i++) {
    const sample = SAMPLES[i % SAMPLES.length] as Sample
    const complaint: NewComplaint = {
      category: sample.category,
      source: sample.source,
      channel: sample.channel,
      excerpt: sample.excerpt,
      createdAt: new Date(start + i * day + (i % 5) * 3_600_000),
      ...(sample.channel === 'sms'
        ? { reporterNumber: sample.reporter.replace(/\d{2}$/, String(10 + i)), phoneNumberId: phone.id }
        : { reporterEmail: sample.reporter.replace('@', `+${i}@`), domainId: domain.id })
    }
    const filed = await db.transaction().execute(async (trx) => {
      const row = await fileComplaint(trx, org.id, complaint, SYSTEM_ACTOR)
      // What intake would have done: an opt-out or a report stops delivery to its reporter.
      const address = row.reporter_number ?? row.reporter_email
      if (address !== null && sample.category !== 'other') {
        await suppress(trx, org.id, [{ channel: row.channel, address, phoneNumberId: row.phone_number_id, domainId: row.domain_id }], {
          reason: sample.source === 'recipient' && sample.category === 'unwanted_contact' ? 'opt_out' : 'complaint',
          complaintId: row.id,
          createdAt: row.created_at
        }, SYSTEM_ACTOR, 'system')
      }
      return row
    })
    const actor = { kind: 'customer' as const, label: 'demo owner' }
    if (i % 3 >= 1) await changeComplaintStatus(db, org.id, filed.id, { status: 'triage' }, actor)
    if (i % 3 === 2) await changeComplaintStatus(db, org.id, filed.id, { status: 'resolved', resolution_note: 'Number suppressed; sender coached on consent.' }, actor)
  }
  return { orgId: org.id, ownerKey: owner.plaintext, platformKey: platform.plaintext }
}
