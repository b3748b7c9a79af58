import type { CursorListOperation, ListQuery } from '@ombuds/client'
import { type Command, Option } from 'commander'
import { calling, type Connection } from './connection.js'
import { startProgress } from './progress.js'
import { formatRows, openSink, RECORD_FORMATS, type RecordFormat } from './records.js'

/** `client.pages` of any list: its rows as plain records (the columns say which fields to write). */
type AnyListPages = (operationId: CursorListOperation, query: Record<string, unknown>) => AsyncGenerator<RecordPage>
interface RecordPage { data: Array<Record<string, unknown>>, meta: { total: number } }

export interface ExportFlags { format: RecordFormat, out?: string }

export function withExportOptions (command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'csv (a header row, then one row per record) or jsonl (one JSON object per line)').choices(RECORD_FORMATS).default('csv'))
    .option('--out <file>', 'write to this file (written as FILE.partial, renamed when complete) instead of stdout')
}

/**
 * Streams every page of a list to stdout or a file: one page in memory at a time, each
 * written before the next is asked for, so the export's memory stays flat whatever its size.
 */
export async function exportList<Op extends CursorListOperation> (
  connection: Connection, operationId: Op, query: ListQuery<Op>, columns: readonly string[], flags: ExportFlags, action: string
): Promise<void> {
  const sink = openSink(flags.out)
  const progress = startProgress(action, null)
  try {
    if (flags.format === 'csv') await sink.write(columns.join(',') + '\n')
    await calling(connection, async () => {
      // 100 rows a page is the API's largest page.
      const pages = (connection.client.pages as AnyListPages)(operationId, { ...query, limit: 100 })
      let first = true
      for await (const page of pages) {
        if (first) progress.setTotal(page.meta.total)
        first = false
        await sink.write(formatRows(page.data, columns, flags.format))
        progress.advance(page.data.length)
      }
    })
    await sink.close()
    progress.finish(true)
  } catch (error) {
    progress.finish(false)
    await sink.abort()
    throw error
  }
}
