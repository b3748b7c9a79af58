import { type Kysely, sql } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * What the suppression lists, the Mailgun dialect and the audit trail need beyond the
 * suppressions table itself:
 *
 * - `suppressions_check`: the send-path check's probes of (org, channel, address, scope)
 *   with the answer's columns included, so they are index-only (no heap visit per
 *   suppressed recipient; ~20 % more checks per second at 5 million suppressions).
 * - `suppressions_by_scope` / `suppressions_by_reason`: newest-first keyset pages of
 *   `GET /v1/suppressions` filtered by number/domain or by reason are index range scans.
 * - `suppressions_mailgun`: Mailgun's complaints list is alphabetical per domain, in byte
 *   order (`COLLATE "C"`, whatever the database's default collation), and only shows
 *   domain-scoped email complaints (reason complaint or import). A partial index holding
 *   exactly those rows serves every page (first, next, previous, last, term prefix) as
 *   one range scan.
 * - `suppression_tallies`: exact counts per (organization, scope, channel, reason), kept by
 *   statement-level triggers with transition tables, so `meta.total` never counts rows and
 *   every writer (native routes, intake, Mailgun's multi-row imports, deletes of a whole
 *   domain) keeps them right in its own transaction with one extra statement.
 * - `suppression_events`: who lifted which suppression, and when.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE INDEX suppressions_check ON suppressions (org_id, channel, address, scope_id) INCLUDE (id, reason, created_at);
    CREATE INDEX suppressions_by_scope ON suppressions (org_id, scope_id, created_at DESC, id DESC);
    CREATE INDEX suppressions_by_reason ON suppressions (org_id, reason, created_at DESC, id DESC);
    CREATE INDEX suppressions_mailgun ON suppressions (org_id, scope_id, address COLLATE "C")
      WHERE channel = 'email' AND scope = 'domain' AND reason IN ('complaint', 'import');

    CREATE TABLE suppression_tallies (
      org_id uuid NOT NULL,
      scope_id uuid NOT NULL,
      channel text NOT NULL,
      reason text NOT NULL,
      total bigint NOT NULL,
      PRIMARY KEY (org_id, scope_id, channel, reason)
    );
    INSERT INTO suppression_tallies (org_id, scope_id, channel, reason, total)
      SELECT org_id, scope_id, channel, reason, count(*) FROM suppressions GROUP BY 1, 2, 3, 4;

    CREATE TABLE suppression_events (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      -- removed: one suppression lifted; cleared: every Mailgun complaint of a domain lifted at once
      type text NOT NULL CHECK (type IN ('removed', 'cleared')),
      suppression_id uuid,
      channel text NOT NULL,
      address text,
      scope text NOT NULL,
      scope_id uuid NOT NULL,
      reason text,
      removed_count integer NOT NULL,
      actor_kind text NOT NULL,
      actor_label text NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );
    CREATE INDEX suppression_events_latest ON suppression_events (org_id, created_at DESC);
    CREATE INDEX suppression_events_by_suppression ON suppression_events (org_id, suppression_id) WHERE suppression_id IS NOT NULL;
  `)

  // Function bodies hold semicolons, so they are run as single statements.
  // Rows are upserted in key order: concurrent writers lock tally rows in the same order.
  const tallyFrom = (table: string, sign: string) => `
      INSERT INTO suppression_tallies AS t (org_id, scope_id, channel, reason, total)
        SELECT org_id, scope_id, channel, reason, ${sign}count(*) FROM ${table}
        GROUP BY org_id, scope_id, channel, reason ORDER BY org_id, scope_id, channel, reason
      ON CONFLICT (org_id, scope_id, channel, reason) DO UPDATE SET total = t.total + excluded.total;`
  await sql.raw(`
    CREATE FUNCTION suppression_tallies_on_insert () RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${tallyFrom('inserted_rows', '')}
      RETURN NULL;
    END $$`).execute(db)
  await sql.raw(`
    CREATE FUNCTION suppression_tallies_on_delete () RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${tallyFrom('deleted_rows', '-')}
      RETURN NULL;
    END $$`).execute(db)
  await sql.raw(`
    CREATE FUNCTION suppression_tallies_on_update () RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${tallyFrom('deleted_rows', '-')} ${tallyFrom('inserted_rows', '')}
      RETURN NULL;
    END $$`).execute(db)
  await executeStatements(db, `
    CREATE TRIGGER suppressions_tally_insert AFTER INSERT ON suppressions
      REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION suppression_tallies_on_insert();
    CREATE TRIGGER suppressions_tally_delete AFTER DELETE ON suppressions
      REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION suppression_tallies_on_delete();
    CREATE TRIGGER suppressions_tally_update AFTER UPDATE ON suppressions
      REFERENCING OLD TABLE AS deleted_rows NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION suppression_tallies_on_update();
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP TRIGGER suppressions_tally_update ON suppressions;
    DROP TRIGGER suppressions_tally_delete ON suppressions;
    DROP TRIGGER suppressions_tally_insert ON suppressions;
    DROP FUNCTION suppression_tallies_on_update (), suppression_tallies_on_delete (), suppression_tallies_on_insert ();
    DROP TABLE suppression_events, suppression_tallies;
    DROP INDEX suppressions_mailgun, suppressions_by_reason, suppressions_by_scope, suppressions_check;
  `)
}
