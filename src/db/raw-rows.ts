/**
 * Rows of a hot write path as raw SQL fragments. Kysely builds and compiles a query's whole
 * tree on every execution: an insert through its builder costs a node per column and value
 * (140–170 µs for an SMS reply's six-CTE statement under load), a raw fragment one node per
 * value. The column names are the keys of rows the repositories build, never input.
 */
import { type RawBuilder, sql } from 'kysely'

/** `col_a, col_b, …`: a row's keys, in the order `rowValues` writes its values. */
export function rowColumns (row: object): RawBuilder<unknown> {
  return sql.raw(Object.keys(row).join(', '))
}

/** `($1, $2, …)`: a row's values as parameters, in its keys' order. */
export function rowValues (row: object): RawBuilder<unknown> {
  return sql`(${sql.join(Object.values(row))})`
}
