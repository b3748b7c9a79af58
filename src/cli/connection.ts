import { createOmbudsClient, type OmbudsClient, OmbudsError } from '@ombuds/client'
import type { Command } from 'commander'
import { type ClientConfig, ConfigError, loadClientConfig } from '../config.js'
import { CliFailure } from './exit.js'

/** The options every command that talks to a running server takes. */
export interface ConnectionFlags { url?: string, key?: string }

export function withConnectionOptions (command: Command): Command {
  return command
    .option('--url <url>', 'the server (OMBUDS_URL, default http://127.0.0.1:8080)')
    .option('--key <key>', 'API key, am_live_… (OMBUDS_KEY)')
}

export interface Connection {
  client: OmbudsClient
  config: ClientConfig
}

/** The client for these flags; without a key it stops with one line saying how to give one. */
export function connect (flags: ConnectionFlags): Connection {
  let config: ClientConfig
  try {
    config = loadClientConfig({
      ...(flags.url !== undefined ? { url: flags.url } : {}),
      ...(flags.key !== undefined ? { key: flags.key } : {})
    })
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(error.message, { cause: error })
    throw error
  }
  if (config.key === null) throw new CliFailure('an API key is required: pass --key am_live_… or set OMBUDS_KEY')
  return { client: createOmbudsClient({ baseUrl: config.url, apiKey: config.key }), config }
}

/**
 * Runs an API call, turning its failures into one line: the API's message, code and
 * request id, or why the server could not be reached.
 */
export async function calling<T> (connection: Connection, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw new CliFailure(describeApiFailure(error, connection.config.url), { cause: error })
  }
}

export function describeApiFailure (error: unknown, url: string): string {
  if (error instanceof CliFailure) return error.message
  if (error instanceof OmbudsError) {
    const details = error.details === undefined ? '' : ` (${Object.entries(error.details).map(([field, reason]) => `${field}: ${reason}`).join('; ')})`
    return `${error.message}${details} [${error.code}, HTTP ${error.status}${error.requestId !== null ? `, request ${error.requestId}` : ''}]`
  }
  // fetch fails with a TypeError whose cause says why (ECONNREFUSED, ENOTFOUND, a bad port…).
  const cause = (error as { cause?: { code?: string, message?: string } } | null)?.cause
  if (error instanceof TypeError && cause !== undefined) {
    const reason = cause.code === 'ECONNREFUSED' ? 'connection refused: is it running?' : cause.code ?? cause.message ?? error.message
    return `cannot reach ${url}: ${reason} (check --url / OMBUDS_URL)`
  }
  return error instanceof Error ? error.message.split('\n', 1)[0] ?? '' : String(error)
}
