import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Reply classification an auditor can follow, and organizations' own reply keywords.
 * - `complaint_events.classification`: on the `created` event of a complaint filed from an
 *   SMS reply, what the classifier decided and why (kind, keyword, category, reason,
 *   language); null on every other event.
 * - `org_keywords`: an organization's opt-out / opt-in / help words ("UNSUB-ACME"); `form`
 *   is the keyword as replies are matched (normalized), unique per organization.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE complaint_events ADD COLUMN classification jsonb;
    CREATE TABLE org_keywords (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      keyword text NOT NULL,
      form text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('opt_out', 'opt_in', 'help')),
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      UNIQUE (org_id, form)
    );
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP TABLE org_keywords;
    ALTER TABLE complaint_events DROP COLUMN classification;
  `)
}
