import { stat } from 'node:fs/promises'
import type { Command } from 'commander'
import { connect, type Connection, type ConnectionFlags, describeApiFailure, withConnectionOptions } from './connection.js'
import { CliFailure } from './exit.js'
import { startProgress } from './progress.js'
import { csvLine, readRecords } from './records.js'

/**
 * Rows per upload: far below the route's 25 MB limit, and each upload is one transaction
 * on the server, so a failure costs at most this many rows of work to send again.
 */
const ROWS_PER_UPLOAD = 20_000

/** `ombuds mailgun import`: a Mailgun complaints export, through the Mailgun-compatible API. */
export function addMailgunCommands (program: Command): void {
  withConnectionOptions(program.command('mailgun').description('The Mailgun-compatible API.')
    .command('import').argument('<file>', 'a CSV file with the header address,created_at (Mailgun\'s complaints export)')
    .description('Import complaints of a sending domain from a CSV file of any size (uploads of 20,000 rows). ' +
      'Running it again adds nothing twice: an address already suppressed for the domain keeps its row.')
    .requiredOption('--domain <domain>', 'the sending domain, by name or id'))
    .action(async (file: string, flags: ConnectionFlags & { domain: string }) => {
      await importMailgunComplaints(connect(flags), file, flags.domain)
    })
}

async function importMailgunComplaints (connection: Connection, file: string, domain: string): Promise<void> {
  const size = await stat(file).then((stats) => stats.size, (error: unknown) => { throw new CliFailure(`cannot read ${file}: ${(error as Error).message}`) })
  const progress = startProgress(`importing Mailgun complaints into ${domain}`, size)
  // The Mailgun dialect authenticates like Mailgun: Basic, user "api", the key as password.
  const authorization = `Basic ${Buffer.from(`api:${connection.config.key ?? ''}`).toString('base64')}`
  let rows: string[] = []
  let lines: number[] = []
  let uploaded = 0
  const upload = async (bytesRead: number): Promise<void> => {
    const form = new FormData()
    form.append('file', new Blob(['address,created_at\n', ...rows], { type: 'text/csv' }), 'complaints.csv')
    try {
      await connection.client.POST('/v3/{domain}/complaints/import', { params: { path: { domain } }, body: form as never, headers: { authorization } })
    } catch (error) {
      // The server counts lines in the upload (its header is line 1): name the file's line instead.
      const message = describeApiFailure(error, connection.config.url).replace(/\bline (\d+)/g, (text, line: string) => {
        const fileLine = lines[Number(line) - 2]
        return fileLine === undefined ? text : `line ${fileLine}`
      })
      throw new CliFailure(`${file}: ${message}; the ${uploaded.toLocaleString('en')} rows before line ${lines[0] ?? '?'} are stored: ` +
        'fix the file and run the same command again (rows already stored are not added twice)', { cause: error })
    }
    uploaded += rows.length
    progress.advance(rows.length, bytesRead)
    rows = []
    lines = []
  }
  try {
    for await (const record of readRecords(file, 'csv')) {
      lines.push(record.line)
      rows.push(csvLine([record.fields.address, record.fields.created_at]))
      if (rows.length === ROWS_PER_UPLOAD) await upload(record.bytesRead)
    }
    if (rows.length > 0) await upload(size)
    progress.finish(true)
  } catch (error) {
    progress.finish(false)
    throw error
  }
  process.stdout.write(`Imported ${uploaded.toLocaleString('en')} complaints into ${domain}\n`)
}
