import type { Readable } from 'node:stream'
import { CsvError, Parser } from 'csv-parse'
import { AppError } from '../../errors.js'
import type { ImportRow } from '../../modules/suppressions/domain-complaints.service.js'

/**
 * Mailgun's presentation rules: its date format, its paging links and its CSV import
 * format. Pure parsing and formatting; what the rows mean is the suppressions service's.
 */

/** `Sun, 26 Jan 2025 07:29:06 UTC`: RFC 1123 with the zone written `UTC`, as Mailgun answers. */
export function formatMailgunDate (date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC')
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 }
const RFC_2822 = /^(?:[a-z]{3,9},?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([a-z]{1,3})|([+-])(\d{2}):?(\d{2}))?\s*(?:\([^)]*\))?$/i
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * A complaint time in any form Mailgun's clients send: RFC 2822 with `GMT`, `UTC`, `UT`,
 * a US zone or a numeric offset (`+0000`, PHP's `-0700`), with or without the day name
 * and seconds; or RFC 3339 (what `JSON.stringify(new Date())` gives). Null when neither.
 */
export function parseMailgunDate (text: string): Date | null {
  const value = text.trim()
  const rfc = RFC_2822.exec(value)
  if (rfc !== null) {
    const [, day, monthName, yearText, hour, minute, second, zoneName, sign, offsetHours, offsetMinutes] = rfc
    const month = MONTHS.indexOf((monthName as string).toLowerCase())
    let year = Number(yearText)
    if ((yearText as string).length === 2) year += year < 50 ? 2000 : 1900
    let offset = 0
    if (zoneName !== undefined) {
      const known = ZONES[zoneName.toLowerCase()]
      if (known === undefined) return null
      offset = known
    } else if (sign !== undefined) {
      offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes))
    }
    return checkedDate(year, month, Number(day), Number(hour), Number(minute), Number(second ?? 0), 0, offset)
  }
  const iso = ISO_8601.exec(value)
  if (iso !== null) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso
    let offset = 0
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const digits = zone.replace(':', '')
      offset = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
    }
    const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
    return checkedDate(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), millis, offset)
  }
  return null
}

function checkedDate (
  year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number
): Date | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  const utc = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), millis)
  // Reject 31 Feb and the like: the calendar day must survive the round trip.
  if (new Date(utc).getUTCDate() !== day) return null
  return new Date(utc - offsetMinutes * 60_000)
}

/** The query string of a paging link, in Mailgun's parameter order (`address` percent-encoded). */
export function pagingQuery (params: Array<[string, string]>): string {
  return new URLSearchParams(params).toString()
}

export const MAX_IMPORT_BYTES = 25 * 1024 * 1024

/**
 * csv-parse's stream, pushing each record (an array of fields) with the line it ended on.
 * Records are pushed synchronously as the parser finds them, so `info.lines` is that
 * record's line; reading it here avoids csv-parse's per-record `info` objects.
 */
class NumberedCsvParser extends Parser {
  override push (chunk: unknown, encoding?: BufferEncoding): boolean {
    return super.push(chunk === null ? null : [chunk, this.info.lines], encoding)
  }
}

/**
 * Reads a complaints CSV (`address,created_at`) as it streams in: header names trimmed and
 * case-insensitive, a UTF-8 BOM, CRLF, quoted fields, a space after the comma, empty
 * `created_at` (now) and extra columns are all accepted; empty lines are skipped. Each
 * row carries its line number; a row that cannot be read is 400 naming its line. The file
 * is never held in memory: rows are produced as the parser reads the stream.
 */
export async function * readComplaintCsv (file: Readable): AsyncGenerator<ImportRow> {
  const parser = new NumberedCsvParser({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true })
  file.on('error', (error) => parser.destroy(error))
  file.pipe(parser)
  let addressColumn = -1
  let createdAtColumn = -1
  let lastDateText = ''
  let lastDate: Date | null = null
  try {
    for await (const [fields, line] of parser as AsyncIterable<[string[], number]>) {
      if (addressColumn < 0) {
        const header = fields.map((name) => name.trim().toLowerCase())
        addressColumn = header.indexOf('address')
        createdAtColumn = header.indexOf('created_at')
        if (addressColumn < 0) {
          throw new AppError('VALIDATION_FAILED', 'line 1: the header must name the columns address,created_at', { 'line 1': 'the header must name an address column' })
        }
        continue
      }
      const address = fields[addressColumn] ?? ''
      if (address === '') throw new AppError('VALIDATION_FAILED', `line ${line}: address is empty`, { [`line ${line}`]: 'address is empty' })
      const createdAtText = createdAtColumn < 0 ? '' : fields[createdAtColumn] ?? ''
      let createdAt: Date | null = null
      if (createdAtText !== '') {
        // Exports often repeat a date: parse each distinct text once in a row.
        if (createdAtText !== lastDateText) {
          lastDateText = createdAtText
          lastDate = parseMailgunDate(createdAtText)
        }
        if (lastDate === null) {
          throw new AppError('VALIDATION_FAILED', `line ${line}: created_at ${JSON.stringify(createdAtText)} is not an RFC 2822 date`, { [`line ${line}`]: 'created_at is not an RFC 2822 date' })
        }
        createdAt = lastDate
      }
      yield { line, address, createdAt }
    }
    if (addressColumn < 0) throw new AppError('VALIDATION_FAILED', 'the file is empty: it must start with the header address,created_at', { file: 'is empty' })
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines
      throw new AppError('VALIDATION_FAILED', `line ${String(line ?? '?')}: ${error.message}`, { [`line ${String(line ?? '?')}`]: error.message })
    }
    throw error
  } finally {
    file.unpipe(parser)
    parser.destroy()
  }
}
