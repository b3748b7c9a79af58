import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { CliFailure } from './exit.js'

export const RECORD_FORMATS = ['csv', 'jsonl'] as const
export type RecordFormat = typeof RECORD_FORMATS[number]

/** One CSV line (RFC 4180): a field with a comma, quote or line break is quoted; null is empty. */
export function csvLine (values: readonly unknown[]): string {
  return values.map((value) => {
    const text = value === null || value === undefined ? '' : String(value)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }).join(',') + '\n'
}

/** The rows of one page in the export format (the CSV header is written once by the caller). */
export function formatRows (rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[], format: RecordFormat): string {
  return rows.map((row) => format === 'csv' ? csvLine(columns.map((column) => row[column])) : `${JSON.stringify(row)}\n`).join('')
}

export interface Sink {
  /** Resolves once the stream can take more (backpressure), so memory stays flat. */
  write (chunk: string): Promise<void>
  /** Done: a file appears under its name only now. */
  close (): Promise<void>
  /** Failed: a file is removed rather than left half written. */
  abort (): Promise<void>
}

/** stdout, or a file written as `FILE.partial` and renamed when complete. */
export function openSink (path: string | undefined): Sink {
  const partial = path === undefined ? null : `${path}.partial`
  const stream = partial === null ? process.stdout : createWriteStream(partial)
  return {
    async write (chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain')
    },
    async close () {
      if (partial === null || path === undefined) return
      stream.end()
      await once(stream, 'finish')
      await rename(partial, path)
    },
    async abort () {
      if (partial === null) return
      stream.destroy()
      await rm(partial, { force: true })
    }
  }
}

/** A record of an input file, with its line (for messages) and how many bytes of the file are read (for progress). */
export interface FileRecord {
  fields: Record<string, unknown>
  line: number
  bytesRead: number
}

/** The format of an input file: as asked, else `.jsonl`/`.ndjson`/`.json` are JSON lines and anything else CSV. */
export function inputFormat (path: string, asked: RecordFormat | undefined): RecordFormat {
  return asked ?? (/\.(jsonl|ndjson|json)$/i.test(path) ? 'jsonl' : 'csv')
}

/**
 * Streams the records of a CSV file (the header row names the fields; empty cells are
 * left out) or of a JSON-lines file (one object per line; blank lines skipped).
 */
export async function * readRecords (path: string, format: RecordFormat): AsyncGenerator<FileRecord, void, undefined> {
  const input = createReadStream(path)
  const opened = once(input, 'open')
  opened.catch(() => {}) // the error is thrown by the iteration below
  try {
    await opened
  } catch (error) {
    throw new CliFailure(`cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  if (format === 'jsonl') {
    yield * readJsonLines(path, input)
    return
  }
  const parser = input.pipe(parse({
    columns: (header: string[]) => header.map((name) => name.trim()), bom: true, skip_empty_lines: true, trim: true, info: true
  }))
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>, info: { lines: number } }>) {
      const fields = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''))
      yield { fields, line: info.lines, bytesRead: input.bytesRead }
    }
  } catch (error) {
    throw new CliFailure(`${path}: ${(error as Error).message}`, { cause: error })
  }
}

async function * readJsonLines (path: string, input: ReadStream): AsyncGenerator<FileRecord, void, undefined> {
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let fields: unknown
    try {
      fields = JSON.parse(text)
    } catch {
      throw new CliFailure(`${path}, line ${line}: not a JSON object`)
    }
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new CliFailure(`${path}, line ${line}: not a JSON object`)
    yield { fields: fields as Record<string, unknown>, line, bytesRead: input.bytesRead }
  }
}
