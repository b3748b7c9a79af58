import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Provider connections: per organization, one delivery provider's webhook and the secret
 * that verifies it (sealed with AES-256-GCM, never stored in clear). Provider events: every
 * email event a connection received, keyed on the provider's event id so a retry writes
 * nothing, with the Mailgun signature token (`nonce`) so a replayed signature is refused.
 * SMS replies are recorded in `inbound_messages` instead, keyed on (provider, message id).
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE provider_connections (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      provider text NOT NULL CHECK (provider IN ('twilio', 'telnyx', 'ses', 'sendgrid', 'postmark', 'mailgun')),
      label text NOT NULL,
      credentials bytea NOT NULL,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );
    -- A webhook names only the connection: found by id alone.
    CREATE UNIQUE INDEX provider_connections_identity ON provider_connections (id);

    CREATE TABLE provider_events (
      org_id uuid NOT NULL REFERENCES organizations (id),
      connection_id uuid NOT NULL,
      event_id text NOT NULL CHECK (octet_length(event_id) BETWEEN 1 AND 255),
      type text NOT NULL,
      outcome text NOT NULL,
      nonce text,
      complaint_id uuid,
      suppression_id uuid,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, connection_id, event_id)
    );
    CREATE UNIQUE INDEX provider_events_identity ON provider_events (connection_id, event_id);
    CREATE UNIQUE INDEX provider_events_nonce ON provider_events (connection_id, nonce) WHERE nonce IS NOT NULL
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, 'DROP TABLE provider_events, provider_connections')
}
