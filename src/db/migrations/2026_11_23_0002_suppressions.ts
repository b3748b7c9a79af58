import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE suppressions (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('sms', 'email')),
      address text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('org', 'phone_number', 'domain')),
      -- The organization's id for org scope, else the number's or domain's id: one
      -- non-null key makes "unique per scope" and the send-path lookup one index.
      scope_id uuid NOT NULL,
      phone_number_id uuid,
      domain_id uuid,
      reason text NOT NULL CHECK (reason IN ('opt_out', 'complaint', 'manual', 'import')),
      complaint_id uuid,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id),
      FOREIGN KEY (org_id, domain_id) REFERENCES domains (org_id, id),
      CHECK ((scope = 'org' AND scope_id = org_id AND phone_number_id IS NULL AND domain_id IS NULL)
        OR (scope = 'phone_number' AND scope_id = phone_number_id AND domain_id IS NULL)
        OR (scope = 'domain' AND scope_id = domain_id AND phone_number_id IS NULL))
    );
    -- The send-path check: (org, channel, address) → the scopes that suppress it.
    CREATE UNIQUE INDEX suppressions_identity ON suppressions (org_id, channel, address, scope_id);
    CREATE INDEX suppressions_newest ON suppressions (org_id, created_at DESC, id DESC);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, 'DROP TABLE suppressions')
}
