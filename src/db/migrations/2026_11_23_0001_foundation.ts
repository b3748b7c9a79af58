import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE organizations (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      realm_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      created_at timestamptz(3) NOT NULL
    );

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      org_id uuid REFERENCES organizations (id),
      kind text NOT NULL CHECK (kind IN ('customer', 'platform')),
      role text CHECK (role IN ('owner', 'admin', 'member')),
      scopes text[] NOT NULL,
      label text,
      prefix text NOT NULL,
      key_hash bytea NOT NULL UNIQUE,
      created_at timestamptz(3) NOT NULL,
      last_used_at timestamptz(3),
      revoked_at timestamptz(3),
      CHECK ((kind = 'customer') = (org_id IS NOT NULL AND role IS NOT NULL))
    );
    CREATE INDEX api_keys_org ON api_keys (org_id, created_at);

    CREATE TABLE phone_numbers (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      number text NOT NULL UNIQUE,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );

    CREATE TABLE domains (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      name text NOT NULL UNIQUE,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id)
    );

    CREATE TABLE complaints (
      org_id uuid NOT NULL REFERENCES organizations (id),
      id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('new', 'triage', 'resolved')),
      category text NOT NULL,
      source text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('sms', 'email')),
      reporter_number text,
      reporter_email text,
      phone_number_id uuid,
      domain_id uuid,
      campaign_id uuid,
      list_id uuid,
      outbound_message_id uuid,
      inbound_message_id uuid,
      excerpt text,
      feedback_type text,
      resolution_note text,
      resolved_at timestamptz(3),
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id),
      FOREIGN KEY (org_id, domain_id) REFERENCES domains (org_id, id)
    );
    -- One index per list order the API serves, so every page is an index range scan
    -- whatever its depth (keyset on created_at, id).
    CREATE INDEX complaints_newest ON complaints (org_id, created_at DESC, id DESC);
    CREATE INDEX complaints_by_status ON complaints (org_id, status, created_at DESC, id DESC);
    CREATE INDEX complaints_by_category ON complaints (org_id, category, created_at DESC, id DESC);
    CREATE INDEX complaints_by_status_category ON complaints (org_id, status, category, created_at DESC, id DESC);
    CREATE INDEX complaints_by_source ON complaints (org_id, source, created_at DESC, id DESC);
    CREATE INDEX complaints_by_campaign ON complaints (org_id, campaign_id, created_at DESC, id DESC) WHERE campaign_id IS NOT NULL;
    CREATE INDEX complaints_by_phone_number ON complaints (org_id, phone_number_id, created_at DESC, id DESC) WHERE phone_number_id IS NOT NULL;
    CREATE INDEX complaints_by_domain ON complaints (org_id, domain_id, created_at DESC, id DESC) WHERE domain_id IS NOT NULL;
    CREATE INDEX complaints_resolved ON complaints (org_id, resolved_at) WHERE status = 'resolved';

    CREATE TABLE complaint_events (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      complaint_id uuid NOT NULL,
      type text NOT NULL,
      from_status text,
      to_status text,
      resolution_note text,
      actor_kind text NOT NULL,
      actor_label text NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, complaint_id) REFERENCES complaints (org_id, id)
    );
    CREATE INDEX complaint_events_history ON complaint_events (org_id, complaint_id, created_at, id);
    CREATE INDEX complaint_events_latest ON complaint_events (org_id, created_at DESC);

    CREATE TABLE complaint_tallies (
      org_id uuid NOT NULL,
      scope text NOT NULL,
      scope_id uuid NOT NULL,
      status text NOT NULL,
      category text NOT NULL,
      source text NOT NULL,
      channel text NOT NULL,
      total bigint NOT NULL,
      PRIMARY KEY (org_id, scope, scope_id, status, category, source, channel)
    );

    CREATE TABLE idempotency_keys (
      principal_id uuid NOT NULL,
      route text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response_body text NOT NULL,
      created_at timestamptz(3) NOT NULL,
      PRIMARY KEY (principal_id, route, key)
    );
    CREATE INDEX idempotency_keys_expiry ON idempotency_keys (created_at);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    DROP TABLE idempotency_keys, complaint_tallies, complaint_events, complaints,
      domains, phone_numbers, api_keys, organizations
  `)
}
