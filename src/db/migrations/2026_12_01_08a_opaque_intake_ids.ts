import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Intake ids are the provider's own (a Twilio `SM…` sid, a Telnyx message id, a UUID a
 * platform made up): opaque strings of 1..255 bytes, unique per provider. Existing rows
 * keep their UUID, written out in its canonical lower-case text form (uuid::text is
 * lossless), under the provider `platform`, which is what the JSON intake route records
 * when the caller names none. The type changes rewrite `inbound_messages` and
 * `complaints` under an exclusive lock; on a large store run `ombuds migrate` in a quiet
 * window (docs/providers.md).
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE inbound_messages ADD COLUMN provider text NOT NULL DEFAULT 'platform';
    ALTER TABLE inbound_messages ALTER COLUMN provider DROP DEFAULT;
    DROP INDEX inbound_messages_identity;
    ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_pkey;
    ALTER TABLE inbound_messages ALTER COLUMN id TYPE text USING id::text;
    ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_id_length CHECK (octet_length(id) BETWEEN 1 AND 255);
    ALTER TABLE inbound_messages ADD PRIMARY KEY (org_id, provider, id);
    -- A replay is found by (provider, id) alone: intake learns the organization from the message.
    CREATE UNIQUE INDEX inbound_messages_identity ON inbound_messages (provider, id);
    ALTER TABLE complaints ALTER COLUMN inbound_message_id TYPE text USING inbound_message_id::text
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  // Only possible while every id is still a UUID.
  await executeStatements(db, `
    ALTER TABLE complaints ALTER COLUMN inbound_message_id TYPE uuid USING inbound_message_id::uuid;
    DROP INDEX inbound_messages_identity;
    ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_pkey;
    ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_id_length;
    ALTER TABLE inbound_messages ALTER COLUMN id TYPE uuid USING id::uuid;
    ALTER TABLE inbound_messages ADD PRIMARY KEY (org_id, id);
    CREATE UNIQUE INDEX inbound_messages_identity ON inbound_messages (id);
    ALTER TABLE inbound_messages DROP COLUMN provider
  `)
}
