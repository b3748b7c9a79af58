import type { Kysely } from 'kysely'
import { executeStatements } from '../statements.js'

/**
 * Complaint tallies split into shards. Every complaint filed in an organization used to
 * add one to the same organization-wide row (same status, category, source and channel),
 * so concurrent filings — intake bursts — queued on that row's lock until each filing
 * transaction committed. Each filing now adds to one of 8 shards of its rows, chosen at
 * random, and counts sum the shards (they already summed over tally rows): exact totals,
 * an eighth of the waiting. Existing rows become shard 0.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    ALTER TABLE complaint_tallies ADD COLUMN shard smallint NOT NULL DEFAULT 0;
    ALTER TABLE complaint_tallies DROP CONSTRAINT complaint_tallies_pkey;
    ALTER TABLE complaint_tallies ADD PRIMARY KEY (org_id, scope, scope_id, status, category, source, channel, shard);
  `)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    CREATE TABLE complaint_tallies_merged AS
      SELECT org_id, scope, scope_id, status, category, source, channel, sum(total)::bigint AS total
      FROM complaint_tallies GROUP BY org_id, scope, scope_id, status, category, source, channel;
    DELETE FROM complaint_tallies;
    ALTER TABLE complaint_tallies DROP CONSTRAINT complaint_tallies_pkey;
    ALTER TABLE complaint_tallies DROP COLUMN shard;
    INSERT INTO complaint_tallies SELECT * FROM complaint_tallies_merged;
    DROP TABLE complaint_tallies_merged;
    ALTER TABLE complaint_tallies ADD PRIMARY KEY (org_id, scope, scope_id, status, category, source, channel);
  `)
}
