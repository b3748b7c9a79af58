import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Lists, contacts, list membership and campaigns, plus the complaint index the WhatCounts
 * "Report List Complaints" pages on. A contact is one per (organization, email) and one
 * per (organization, phone); its `subscriber_id` is a stable number for WhatCounts.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE lists (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      name text NOT NULL,
      -- The id the customer's previous system used (e.g. WhatCounts' numeric list id).
      external_id text,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );
    CREATE UNIQUE INDEX lists_external_id ON lists (org_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX lists_newest ON lists (org_id, created_at DESC, id DESC);

    CREATE TABLE contacts (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      subscriber_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      email text,
      phone text,
      first_name text,
      last_name text,
      company text,
      address1 text,
      address2 text,
      city text,
      state text,
      zip text,
      country text,
      fax text,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      CHECK (email IS NOT NULL OR phone IS NOT NULL)
    );
    -- Upsert keys, and the report's join from a complaint's reporter to its contact.
    CREATE UNIQUE INDEX contacts_email ON contacts (org_id, email) WHERE email IS NOT NULL;
    CREATE UNIQUE INDEX contacts_phone ON contacts (org_id, phone) WHERE phone IS NOT NULL;

    CREATE TABLE list_members (
      org_id uuid NOT NULL,
      list_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, list_id, contact_id),
      FOREIGN KEY (org_id, list_id) REFERENCES lists (org_id, id),
      FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id)
    );
    -- GET /v1/lists/{id}/contacts: newest members first, keyset on (created_at, contact_id).
    CREATE INDEX list_members_newest ON list_members (org_id, list_id, created_at DESC, contact_id DESC);

    CREATE TABLE campaigns (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      name text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('sms', 'email')),
      list_id uuid,
      phone_number_id uuid,
      domain_id uuid,
      external_id text,
      sent_count bigint NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, list_id) REFERENCES lists (org_id, id),
      FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id),
      FOREIGN KEY (org_id, domain_id) REFERENCES domains (org_id, id)
    );
    CREATE UNIQUE INDEX campaigns_external_id ON campaigns (org_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX campaigns_newest ON campaigns (org_id, created_at DESC, id DESC);
    CREATE INDEX campaigns_by_list ON campaigns (org_id, list_id, created_at DESC, id DESC) WHERE list_id IS NOT NULL;

    -- The WhatCounts report and the per-list complaint rate: one list's complaints newest
    -- first, a window on created_at, the page read by index-only scan.
    CREATE INDEX complaints_by_list ON complaints (org_id, list_id, created_at DESC, id DESC) WHERE list_id IS NOT NULL;

    -- Complaints per list per UTC day, kept in the filing transaction. WhatCounts windows
    -- are whole UTC days, so a report's total is a sum over at most a few thousand rows,
    -- and \`skip\` lands on its day without walking the index from the newest complaint.
    CREATE TABLE list_complaint_days (
      org_id uuid NOT NULL,
      list_id uuid NOT NULL,
      day date NOT NULL,
      total bigint NOT NULL,
      PRIMARY KEY (org_id, list_id, day),
      FOREIGN KEY (org_id, list_id) REFERENCES lists (org_id, id)
    );
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP INDEX complaints_by_list;
    DROP TABLE list_complaint_days, campaigns, list_members, contacts, lists
  `)
}
