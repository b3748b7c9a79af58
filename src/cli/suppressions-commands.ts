import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { type ListQuery, OmbudsError, type Schemas } from '@ombuds/client'
import { type Command, Option } from 'commander'
import { CHANNELS, SUPPRESSION_REASONS, SUPPRESSION_SCOPES } from '../domain.js'
import { connect, type Connection, type ConnectionFlags, describeApiFailure, withConnectionOptions } from './connection.js'
import { CliFailure } from './exit.js'
import { exportList, type ExportFlags, withExportOptions } from './export.js'
import { startProgress } from './progress.js'
import { inputFormat, RECORD_FORMATS, type RecordFormat, readRecords } from './records.js'

const SUPPRESSION_COLUMNS = [
  'id', 'org_id', 'channel', 'address', 'scope', 'phone_number_id', 'domain_id', 'reason', 'complaint_id', 'created_at'
] as const satisfies ReadonlyArray<keyof Schemas['Suppression']>

/** The fields an imported row may have: the native API's, nothing else. */
const IMPORT_FIELDS: ReadonlyArray<keyof Schemas['NewSuppression']> = ['channel', 'address', 'phone_number_id', 'domain_id']
/** The native API's largest batch. */
const BATCH_SIZE = 1000

interface FilterFlags {
  channel?: ListQuery<'listSuppressions'>['channel']
  reason?: ListQuery<'listSuppressions'>['reason']
  scope?: ListQuery<'listSuppressions'>['scope']
  phoneNumberId?: string
  domainId?: string
  address?: string
}

/** `ombuds suppressions export` and `ombuds suppressions import` (a customer key with suppressions:read / :write). */
export function addSuppressionCommands (program: Command): void {
  const suppressions = program.command('suppressions').description('The do-not-contact list of the key\'s organization.')

  withExportOptions(withConnectionOptions(suppressions.command('export')
    .description('Every suppression matching the filters, page after page, as CSV or JSON lines (a progress bar on stderr).')
    .addOption(new Option('--channel <channel>', 'sms or email').choices(CHANNELS))
    .addOption(new Option('--reason <reason>', 'only this reason').choices(SUPPRESSION_REASONS))
    .addOption(new Option('--scope <scope>', 'only this scope').choices(SUPPRESSION_SCOPES))
    .option('--phone-number-id <id>', 'only suppressions scoped to this sending number')
    .option('--domain-id <id>', 'only suppressions scoped to this sending domain')
    .option('--address <address>', 'only this address')))
    .action(async (flags: ConnectionFlags & FilterFlags & ExportFlags) => {
      const query: ListQuery<'listSuppressions'> = {}
      if (flags.channel !== undefined) query.channel = flags.channel
      if (flags.reason !== undefined) query.reason = flags.reason
      if (flags.scope !== undefined) query.scope = flags.scope
      if (flags.phoneNumberId !== undefined) query.phone_number_id = flags.phoneNumberId
      if (flags.domainId !== undefined) query.domain_id = flags.domainId
      if (flags.address !== undefined) query.address = flags.address
      await exportList(connect(flags), 'listSuppressions', query, SUPPRESSION_COLUMNS, flags, 'exporting suppressions')
    })

  withConnectionOptions(suppressions.command('import').argument('<file>', 'a CSV file with a header row, or JSON lines')
    .description('Add the suppressions of a file of any size, in batches of 1,000 through the API. The fields are channel, address and ' +
      'optionally phone_number_id or domain_id (a CSV header row names them). Each batch carries an Idempotency-Key made from its ' +
      'position and rows: after a failure, fix the file and run the same command again; batches already sent are not sent twice (within 24 h).')
    .addOption(new Option('--format <format>', 'the file\'s format (default: jsonl for .jsonl/.ndjson/.json, else csv)').choices(RECORD_FORMATS)))
    .action(async (file: string, flags: ConnectionFlags & { format?: RecordFormat }) => {
      await importSuppressions(connect(flags), file, inputFormat(file, flags.format))
    })
}

async function importSuppressions (connection: Connection, file: string, format: RecordFormat): Promise<void> {
  const size = await stat(file).then((stats) => stats.size, (error: unknown) => { throw new CliFailure(`cannot read ${file}: ${(error as Error).message}`) })
  const progress = startProgress('importing suppressions', size)
  let batch: Array<Schemas['NewSuppression']> = []
  let lines: number[] = []
  let batches = 0
  let replayed = 0
  let rows = 0
  const send = async (bytesRead: number): Promise<void> => {
    const idempotencyKey = `ombuds-import-${createHash('sha256').update(`${batches}\n${JSON.stringify(batch)}`).digest('hex')}`
    try {
      const { response } = await connection.client.POST('/v1/suppressions', {
        params: { header: { 'idempotency-key': idempotencyKey } }, body: { suppressions: batch }
      })
      if (response.headers.get('idempotent-replayed') === 'true') replayed++
    } catch (error) {
      throw new CliFailure(`${file}: ${describeBatchFailure(error, lines, connection)}; the ${rows.toLocaleString('en')} rows before this batch are stored: ` +
        'fix the file and run the same command again (batches already sent are not sent twice)', { cause: error })
    }
    batches++
    rows += batch.length
    progress.advance(batch.length, bytesRead)
    batch = []
    lines = []
  }
  try {
    let bytesRead = 0
    for await (const record of readRecords(file, format)) {
      const unknown = Object.keys(record.fields).find((field) => !(IMPORT_FIELDS as readonly string[]).includes(field))
      if (unknown !== undefined) throw new CliFailure(`${file}, line ${record.line}: unknown field "${unknown}" (the fields are ${IMPORT_FIELDS.join(', ')})`)
      for (const field of ['channel', 'address']) {
        if (record.fields[field] === undefined) throw new CliFailure(`${file}, line ${record.line}: "${field}" is required`)
      }
      batch.push(record.fields as unknown as Schemas['NewSuppression'])
      lines.push(record.line)
      bytesRead = record.bytesRead
      if (batch.length === BATCH_SIZE) await send(bytesRead)
    }
    if (batch.length > 0) await send(size)
    progress.finish(true)
  } catch (error) {
    progress.finish(false)
    throw error
  }
  process.stdout.write(`Imported ${rows.toLocaleString('en')} rows in ${batches} batches` +
    (replayed > 0 ? ` (${replayed} already sent by an earlier run, not sent twice)` : '') + '\n')
}

/** An API error about a batch, with `suppressions[i].field` turned into the file's line. */
function describeBatchFailure (error: unknown, lines: readonly number[], connection: Connection): string {
  if (!(error instanceof OmbudsError) || error.details === undefined) return describeApiFailure(error, connection.config.url)
  const where = Object.entries(error.details).map(([field, reason]) => {
    const match = /^suppressions\[(\d+)\]\.?(.*)$/.exec(field)
    return match === null ? `${field}: ${reason}` : `line ${lines[Number(match[1])] ?? '?'}: ${match[2] ?? ''} ${reason}`.trim()
  }).join('; ')
  return `${where} [${error.code}, HTTP ${error.status}${error.requestId !== null ? `, request ${error.requestId}` : ''}]`
}
