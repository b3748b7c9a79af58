import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * The audit trail made complete enough to read as one feed (GET /v1/audit-events):
 * - suppression_events also records additions (`added`), and every event says how the
 *   change came (`via`: api, mailgun, import, intake, staff, system);
 * - complaint and suppression events name the calling key's prefix and role;
 * - audit_events records what the other tables do not: keys issued and revoked, numbers
 *   and domains registered and deleted, webhook endpoints changed;
 * - existing customer keys get the scopes added since they were issued (webhooks:read for
 *   every role, webhooks:write for owner and admin), as new keys of their role get them.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE suppression_events DROP CONSTRAINT suppression_events_type_check;
    ALTER TABLE suppression_events ADD CONSTRAINT suppression_events_type_check CHECK (type IN ('added', 'removed', 'cleared'));
    ALTER TABLE suppression_events ADD COLUMN via text;
    ALTER TABLE suppression_events ADD COLUMN complaint_id uuid;
    ALTER TABLE suppression_events ADD COLUMN actor_key_prefix text;
    ALTER TABLE suppression_events ADD COLUMN actor_role text;
    ALTER TABLE complaint_events ADD COLUMN actor_key_prefix text;
    ALTER TABLE complaint_events ADD COLUMN actor_role text;

    CREATE TABLE audit_events (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      type text NOT NULL,
      subject_type text NOT NULL,
      subject_id uuid NOT NULL,
      actor_kind text NOT NULL,
      actor_label text NOT NULL,
      actor_key_prefix text,
      actor_role text,
      before jsonb,
      after jsonb,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );
    CREATE INDEX audit_events_newest ON audit_events (org_id, created_at DESC, id DESC);
    CREATE INDEX audit_events_by_subject ON audit_events (org_id, subject_id);

    UPDATE api_keys SET scopes = scopes || ARRAY['webhooks:read']
      WHERE kind = 'customer' AND NOT 'webhooks:read' = ANY (scopes);
    UPDATE api_keys SET scopes = scopes || ARRAY['webhooks:write']
      WHERE kind = 'customer' AND role IN ('owner', 'admin') AND NOT 'webhooks:write' = ANY (scopes);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    UPDATE api_keys SET scopes = array_remove(array_remove(scopes, 'webhooks:read'), 'webhooks:write');
    DROP TABLE audit_events;
    ALTER TABLE complaint_events DROP COLUMN actor_role;
    ALTER TABLE complaint_events DROP COLUMN actor_key_prefix;
    ALTER TABLE suppression_events DROP COLUMN actor_role;
    ALTER TABLE suppression_events DROP COLUMN actor_key_prefix;
    ALTER TABLE suppression_events DROP COLUMN complaint_id;
    ALTER TABLE suppression_events DROP COLUMN via;
    DELETE FROM suppression_events WHERE type = 'added';
    ALTER TABLE suppression_events DROP CONSTRAINT suppression_events_type_check;
    ALTER TABLE suppression_events ADD CONSTRAINT suppression_events_type_check CHECK (type IN ('removed', 'cleared'));
  `)
}
