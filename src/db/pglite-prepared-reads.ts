/**
 * PGlite: reads outside transactions run as `EXECUTE` of a statement `PREPARE`d once per
 * SQL text, with the parameters quoted as SQL literals.
 *
 * Invariants:
 * - only a read runs this way: the text starts with SELECT or WITH and names no INSERT,
 *   UPDATE, DELETE or MERGE (no data-modifying CTE, so nothing is written outside the
 *   statement's own protocol); a transaction's statements go through the transaction's own
 *   connection, not this proxy;
 * - a parameter becomes a literal only when it is a plain value (null, string without NUL,
 *   finite number, boolean, valid Date, flat array of strings/numbers); anything else, and
 *   any text PostgreSQL cannot PREPARE (parameter types it cannot infer), runs as usual;
 * - a statement's SQL text must not depend on data: names are per text, at most
 *   MAX_PREPARED_READS, then new texts run as usual;
 * - the store sets `plan_cache_mode = force_generic_plan` so prepared reads are not planned again.
 */
import type { PGlite } from '@electric-sql/pglite'

const MAX_PREPARED_READS = 2000

/** Read-only statements: no data-modifying CTE, no row locks. */
const READ_ONLY = /^\s*(select|with)\b/i
const WRITES = /\b(insert|update|delete|merge)\b/i

/**
 * PGlite runs every parameterized query as six protocol calls into wasm and plans it every
 * time. Reads outside transactions (the API's hot paths) run instead as `EXECUTE` of a
 * statement `PREPARE`d once per SQL text, with the parameters as quoted literals: two calls,
 * and no planning once PostgreSQL settles on a generic plan. Anything else — writes,
 * transactions, parameters that are not plain values, statements whose parameter types
 * PostgreSQL cannot infer — runs as before.
 */
export function withPreparedReads (pglite: PGlite): PGlite {
  const names = new Map<string, string | null>()
  const query = async (text: string, params?: unknown[], options?: { rowMode?: 'object' | 'array' }) => {
    const literals = params === undefined || params.length === 0 || !READ_ONLY.test(text) || WRITES.test(text) ? null : params.map(sqlLiteral)
    let name = names.get(text)
    if (literals === null || literals.includes(null) || name === null || (name === undefined && names.size >= MAX_PREPARED_READS)) {
      return await pglite.query(text, params, options)
    }
    if (name === undefined) {
      name = `ombuds_${names.size + 1}`
      try {
        await pglite.exec(`PREPARE ${name} AS ${text}`)
      } catch {
        names.set(text, null)
        return await pglite.query(text, params, options)
      }
      names.set(text, name)
    }
    const [result] = await pglite.exec(`EXECUTE ${name} (${literals.join(', ')})`, options)
    if (result === undefined) throw new Error('EXECUTE returned no result')
    return result
  }
  return new Proxy(pglite, {
    get (target, property) {
      if (property === 'query') return query
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  })
}

/** A parameter as an SQL literal, or null when it is not a plain value (then it is bound as usual). */
function sqlLiteral (value: unknown): string | null {
  if (value === null) return 'NULL'
  if (typeof value === 'string') return value.includes('\0') ? null : `'${value.replace(/'/g, "''")}'`
  if (typeof value === 'number') return Number.isFinite(value) ? `'${String(value)}'` : null
  if (typeof value === 'boolean') return value ? "'true'" : "'false'"
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${value.toISOString()}'`
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || item === null)) {
    const items = value.map((item) => item === null ? 'NULL' : `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`)
    return `'{${items.join(',').replace(/'/g, "''")}}'`
  }
  return null
}
