import { type Kysely, sql } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Signed webhooks out (issue 11):
 *
 * - `webhook_endpoints`: an organization's receivers, the event types each subscribes to,
 *   the signing secret (sealed, src/lib/secrets.ts) and, for 24 h after a rotation, the
 *   previous one; `failing_since` counts toward disabling an endpoint that keeps failing.
 * - `webhook_deliveries`: the outbox, one row per (event, subscribed endpoint), written by
 *   triggers in the statement that makes the change, so every path that files complaints
 *   or adds and lifts suppressions (native API, Mailgun dialect and its imports, intake,
 *   unsubscribe links) yields its event, and a rolled-back change yields none. The row
 *   keeps the resource as it was stored at the change (`resource`), which the worker maps
 *   to the API's shape: a deleted suppression is still described. `next_attempt_at` is
 *   also the claim's lease: a claimed row is pushed forward, so a crashed claimer's rows
 *   come due again.
 *
 * The triggers are per statement (transition tables): a 150,000-row import runs each once,
 * and an organization without a subscribed, enabled endpoint gets no outbox row at all.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE webhook_endpoints (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      url text NOT NULL,
      description text,
      events text[] NOT NULL,
      enabled boolean NOT NULL,
      -- why it is disabled: 'failing' (24 h of failed deliveries) or 'manual' (PATCH)
      disabled_reason text CHECK (disabled_reason IN ('failing', 'manual')),
      disabled_at timestamptz(3),
      failing_since timestamptz(3),
      secret bytea NOT NULL,
      previous_secret bytea,
      previous_secret_expires_at timestamptz(3),
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );
    CREATE INDEX webhook_endpoints_newest ON webhook_endpoints (org_id, created_at DESC, id DESC);

    CREATE TABLE webhook_deliveries (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL CHECK (event_type IN ('complaint.created', 'complaint.updated', 'suppression.created', 'suppression.deleted')),
      resource jsonb NOT NULL,
      changes jsonb,
      state text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL,
      next_attempt_at timestamptz(3) NOT NULL,
      lease_token uuid,
      last_attempt_at timestamptz(3),
      last_status_code integer,
      last_duration_ms integer,
      last_error text,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, endpoint_id) REFERENCES webhook_endpoints (org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
    CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (org_id, endpoint_id, created_at DESC, id DESC);
  `)
  // One outbox row per changed row and subscribed, enabled endpoint of its organization;
  // the event id is shared by the endpoints of one change.
  const outbox = (type: string, rows: string, changes = 'NULL::jsonb', join = '') => `
    INSERT INTO webhook_deliveries (org_id, id, endpoint_id, event_id, event_type, resource, changes, state, attempts, next_attempt_at, created_at)
    SELECT e.org_id, gen_random_uuid(), e.id, c.event_id, '${type}', c.resource, c.changes, 'pending', 0, now(), now()
    FROM (
      SELECT n.org_id, gen_random_uuid() AS event_id, to_jsonb(n) AS resource, ${changes} AS changes
      FROM ${rows} n ${join}
      WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.org_id = n.org_id AND w.enabled AND '${type}' = ANY (w.events))
    ) c
    JOIN webhook_endpoints e ON e.org_id = c.org_id AND e.enabled AND '${type}' = ANY (e.events);`
  const fn = (name: string, body: string) => `
    CREATE FUNCTION ${name} () RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${body}
      RETURN NULL;
    END $$`
  const changedFrom = `(CASE WHEN o.status IS DISTINCT FROM n.status
        THEN jsonb_build_object('status', jsonb_build_object('from', o.status, 'to', n.status)) ELSE '{}'::jsonb END)
      || (CASE WHEN o.resolution_note IS DISTINCT FROM n.resolution_note
        THEN jsonb_build_object('resolution_note', jsonb_build_object('from', o.resolution_note, 'to', n.resolution_note)) ELSE '{}'::jsonb END)`
  const changedJoin = 'JOIN old_rows o ON o.org_id = n.org_id AND o.id = n.id AND (o.status IS DISTINCT FROM n.status OR o.resolution_note IS DISTINCT FROM n.resolution_note)'
  // Function bodies hold `;`: each is sent whole.
  for (const statement of [
    fn('webhook_complaints_inserted', outbox('complaint.created', 'new_rows')),
    fn('webhook_complaints_updated', outbox('complaint.updated', 'new_rows', changedFrom, changedJoin)),
    fn('webhook_suppressions_inserted', outbox('suppression.created', 'new_rows')),
    fn('webhook_suppressions_deleted', outbox('suppression.deleted', 'old_rows'))
  ]) await sql.raw(statement).execute(db)
  await executeStatements(db, `
    CREATE TRIGGER complaints_webhook_insert AFTER INSERT ON complaints
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_complaints_inserted();
    CREATE TRIGGER complaints_webhook_update AFTER UPDATE ON complaints
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_complaints_updated();
    CREATE TRIGGER suppressions_webhook_insert AFTER INSERT ON suppressions
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_suppressions_inserted();
    CREATE TRIGGER suppressions_webhook_delete AFTER DELETE ON suppressions
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_suppressions_deleted();
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP TRIGGER suppressions_webhook_delete ON suppressions;
    DROP TRIGGER suppressions_webhook_insert ON suppressions;
    DROP TRIGGER complaints_webhook_update ON complaints;
    DROP TRIGGER complaints_webhook_insert ON complaints;
    DROP FUNCTION webhook_suppressions_deleted (), webhook_suppressions_inserted (), webhook_complaints_updated (), webhook_complaints_inserted ();
    DROP TABLE webhook_deliveries;
    DROP TABLE webhook_endpoints;
  `)
}
