import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Every attempt to send a webhook delivery (issue 11: `GET /v1/webhooks/{id}/deliveries`
 * lists attempts, not one row per delivery holding only its latest): what was sent (the
 * delivery, its event), when, the answer (status code, duration, error) and, after a failed
 * attempt, when the delivery was due again. The worker writes the rows in the statements
 * that record the outcomes (a round's successes in one statement).
 *
 * The event is copied (id and type), so the list reads this table alone and does not
 * depend on the delivery rows. Rows go with their endpoint (ON DELETE CASCADE, served by
 * the listing index); the worker deletes attempts older than the retention (see
 * docs/webhooks.md) in small batches, through `webhook_attempts_age`.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE webhook_attempts (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      delivery_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      attempt integer NOT NULL,
      attempted_at timestamptz(3) NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      error text,
      next_retry_at timestamptz(3),
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, endpoint_id) REFERENCES webhook_endpoints (org_id, id) ON DELETE CASCADE
    );
    CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (org_id, endpoint_id, attempted_at DESC, id DESC);
    CREATE INDEX webhook_attempts_age ON webhook_attempts (attempted_at);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, 'DROP TABLE webhook_attempts;')
}
