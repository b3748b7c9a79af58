import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * One-click unsubscribe (RFC 8058):
 *
 * - Suppression reason `unsubscribe`: an opt-out the recipient made from a link, without
 *   complaining. The check is added NOT VALID and validated separately, so validating
 *   existing rows holds only a SHARE UPDATE EXCLUSIVE lock (writers keep going).
 * - `unsubscribes`: where each unsubscribe came from (the link's domain, list and
 *   campaign, how it was made, the link's key and issue time), one per suppression, so a
 *   replayed POST adds nothing and the complaint-rate report can count unsubscribes per
 *   campaign, list and domain. Links themselves are never stored (tokens are
 *   self-contained).
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check;
    ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check
      CHECK (reason IN ('opt_out', 'complaint', 'manual', 'import', 'unsubscribe')) NOT VALID;
    ALTER TABLE suppressions VALIDATE CONSTRAINT suppressions_reason_check;

    CREATE TABLE unsubscribes (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      suppression_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email')),
      address text NOT NULL,
      domain_id uuid NOT NULL,
      list_id uuid,
      campaign_id uuid,
      -- one_click: the mailbox provider's RFC 8058 POST; page: the button of GET /u/{token}
      method text NOT NULL CHECK (method IN ('one_click', 'page')),
      key_id text NOT NULL,
      issued_at timestamptz(3) NOT NULL,
      created_at timestamptz(3) NOT NULL,
      -- No foreign keys to the domain, list or campaign: this is a record of what the link
      -- said, and it must not stop a domain from being removed later.
      PRIMARY KEY (org_id, id)
    );
    CREATE UNIQUE INDEX unsubscribes_by_suppression ON unsubscribes (org_id, suppression_id);
    CREATE INDEX unsubscribes_newest ON unsubscribes (org_id, created_at);
    -- The report counts a campaign's unsubscribes whenever they were made.
    CREATE INDEX unsubscribes_by_campaign ON unsubscribes (org_id, campaign_id) WHERE campaign_id IS NOT NULL;
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP TABLE unsubscribes;
    -- The recipients stay suppressed: an unsubscribe becomes a plain opt-out.
    UPDATE suppressions SET reason = 'opt_out' WHERE reason = 'unsubscribe';
    ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check;
    ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check CHECK (reason IN ('opt_out', 'complaint', 'manual', 'import'));
  `)
}
