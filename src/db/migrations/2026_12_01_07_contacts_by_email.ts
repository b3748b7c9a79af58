import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Contacts are keyed by email. A phone number is a profile field that many contacts may
 * share (a company switchboard): only contacts without an email are found by their phone,
 * so only among those is a phone unique. The old index made every phone unique, and
 * upserting two people with one switchboard number merged them into one contact.
 *
 * Existing rows already satisfy the new, looser rules (their phones were unique), so no
 * row changes. `phone_display` keeps the phone as the customer gave it, e.g.
 * "(206) 555 1212", for display; `phone` stays E.164 for matching. Existing contacts have
 * none (their given form was not kept) and display their E.164 form.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE contacts ADD COLUMN phone_display text;
    DROP INDEX contacts_phone;
    -- Upsert key of contacts without an email.
    CREATE UNIQUE INDEX contacts_phone_without_email ON contacts (org_id, phone) WHERE email IS NULL AND phone IS NOT NULL;
    -- The report's join from a complaint's reporter number to the contacts that share it.
    CREATE INDEX contacts_phone ON contacts (org_id, phone) WHERE phone IS NOT NULL;
  `)
}

/** Fails (and changes nothing) once two contacts share a phone: the old rule cannot hold them. */
export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP INDEX contacts_phone;
    DROP INDEX contacts_phone_without_email;
    CREATE UNIQUE INDEX contacts_phone ON contacts (org_id, phone) WHERE phone IS NOT NULL;
    ALTER TABLE contacts DROP COLUMN phone_display;
  `)
}
