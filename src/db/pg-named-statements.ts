/**
 * PostgreSQL: every parameterized statement runs as a named prepared statement, so the
 * server parses and plans it once per connection instead of on every execution.
 *
 * Invariants:
 * - a statement's SQL text must not depend on data (Kysely emits the same text for the same
 *   query shape; repositories build the same text for the same filter set): a name is given
 *   per distinct text, and past MAX_NAMED_STATEMENTS new texts run unnamed;
 * - the name of a text is the same on every connection of the process (one map), and a
 *   connection prepares a name the first time it runs it (pg does this per client);
 * - statements without parameters (transaction control, DDL) run unnamed, as sent.
 */
import type pg from 'pg'

const MAX_NAMED_STATEMENTS = 2000
const statementNames = new Map<string, string>()

/** Patches one pool client's `query` to run parameterized statements by name. */
export function useNamedStatements (client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => unknown
  const named = (text: unknown, values?: unknown): unknown => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return query(text, values)
    let name = statementNames.get(text)
    if (name === undefined) {
      if (statementNames.size >= MAX_NAMED_STATEMENTS) return query(text, values)
      name = `ombuds_${statementNames.size + 1}`
      statementNames.set(text, name)
    }
    return query({ name, text, values })
  }
  client.query = named as typeof client.query
}
