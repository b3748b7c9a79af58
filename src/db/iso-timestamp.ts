/** RFC 3339 in UTC with milliseconds, as `Date#toISOString` writes it (to_char's MS truncates, as JavaScript dates do). */
// The colons are quoted literals (":"), the same output: a colon followed by a word would read as a
// variable to pgbench, which runs the routes' statements as the benchmark's ceilings.
const ISO_TIMESTAMP = '\'YYYY-MM-DD"T"HH24":"MI":"SS.MS"Z"\''

/**
 * A timestamp column as the API's text, written by PostgreSQL: the answer needs no `Date`
 * parsed from the row and written again. Raw SQL text on purpose: the column names are the
 * repositories' constants, and Kysely compiles a query's whole tree on every request, so
 * one raw node costs far less than a reference node per column.
 */
export const isoText = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_TIMESTAMP})`
