import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * What the three intake routes received and answered. Each row keeps the parsed facts
 * (never the whole original email, never the SMS body: the complaint's excerpt is the only
 * copy of the text) and the answer given, so a replay returns the first answer and writes
 * nothing. Tenant tables are keyed (org_id, id); the platform-wide identity of each item
 * (the message id, (carrier, report_id), the report identity) is a separate unique index,
 * because intake finds the organization from the item itself and a replay must be
 * recognized whatever it says.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE inbound_messages (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      phone_number_id uuid NOT NULL,
      from_number text NOT NULL,
      received_at timestamptz(3) NOT NULL,
      kind text NOT NULL CHECK (kind IN ('opt_out', 'help', 'opt_in', 'complaint', 'none')),
      keyword text,
      category text,
      campaign_id uuid,
      outbound_message_id uuid,
      complaint_id uuid,
      suppression_id uuid,
      answer jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id)
    );
    -- The platform's message id is unique across organizations: a replay is found by id alone.
    CREATE UNIQUE INDEX inbound_messages_identity ON inbound_messages (id);

    CREATE TABLE carrier_reports (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      carrier text NOT NULL,
      report_id text NOT NULL,
      reported_at timestamptz(3) NOT NULL,
      phone_number_id uuid NOT NULL,
      reporter_number text NOT NULL,
      campaign_id uuid,
      outbound_message_id uuid,
      complaint_id uuid NOT NULL,
      suppression_id uuid,
      answer jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id)
    );
    CREATE UNIQUE INDEX carrier_reports_identity ON carrier_reports (carrier, report_id);

    CREATE TABLE feedback_reports (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      -- The report's Message-ID, or a hash of the report when it has none.
      report_id text NOT NULL,
      format text NOT NULL,
      feedback_type text NOT NULL,
      user_agent text,
      domain_id uuid NOT NULL,
      recipient text,
      recipient_status text NOT NULL CHECK (recipient_status IN ('known', 'redacted', 'hashed', 'undisclosed')),
      original_message_id text,
      original_subject text,
      campaign_ref text,
      list_ref text,
      source_ip text,
      arrival_date timestamptz(3),
      complaint_id uuid,
      suppression_id uuid,
      answer jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, domain_id) REFERENCES domains (org_id, id)
    );
    CREATE UNIQUE INDEX feedback_reports_identity ON feedback_reports (report_id);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, 'DROP TABLE feedback_reports, carrier_reports, inbound_messages')
}
