import { ConfigError } from './config.js'
import { DataDirLockedError } from './db/data-lock.js'

/** A migration failed at start (the store is left as it was before that migration). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError'
}

interface SystemError { code?: string, syscall?: string, address?: string, port?: number, hostname?: string, message?: string }

/**
 * Every start failure as one line naming the problem and what to do. The stack trace
 * is for `LOG_LEVEL=debug` only (the CLI prints it after this line then).
 */
export function describeStartError (error: unknown, context: { port?: number, host?: string, databaseUrl?: string | null } = {}): string {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) return error.message
  const failure = (error ?? {}) as SystemError
  const message = firstLine(failure.message ?? String(error))
  const database = context.databaseUrl == null ? 'PostgreSQL' : `PostgreSQL at ${safeUrl(context.databaseUrl)}`
  if (error instanceof MigrationError) return `${message}; the store was left as it was before that migration: fix the cause and start again`
  switch (failure.code) {
    case 'EADDRINUSE': return `port ${failure.port ?? context.port ?? '?'} on ${failure.address ?? context.host ?? '?'} is already in use: stop the other process or choose another --port / PORT`
    case 'EADDRNOTAVAIL': return `cannot listen on ${failure.address ?? context.host ?? '?'}: no such local address; check --host / HOST`
    case 'ECONNREFUSED': return `cannot reach ${database} (connection refused): is it running? Check DATABASE_URL`
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot reach ${database}: host ${failure.hostname ?? ''} not found; check DATABASE_URL`
    case 'ETIMEDOUT': return `cannot reach ${database} (timed out): check DATABASE_URL and the network`
    case '3D000': return `${message} on ${database}: create it (createdb) or fix DATABASE_URL`
    case '28P01': case '28000': return `${database} refused the credentials (${message}): fix the user or password in DATABASE_URL`
  }
  if (/timeout exceeded when trying to connect/i.test(message)) return `cannot reach ${database} (timed out): check DATABASE_URL and the network`
  if (failure.code === 'EACCES' && failure.syscall === 'listen') return `not allowed to listen on port ${failure.port ?? context.port ?? '?'}: choose a port above 1023`
  if (failure.code === 'EACCES' || failure.code === 'EROFS' || failure.code === 'ENOSPC') return `${message}: check the --data folder and its permissions`
  return `could not start: ${message}`
}

function firstLine (text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? ''
}

/** A database URL without its password. */
function safeUrl (url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return `${parsed.host}${parsed.pathname}`
  } catch {
    return 'DATABASE_URL'
  }
}
