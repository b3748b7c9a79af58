import type { ListQuery, Schemas } from '@ombuds/client'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_SOURCES, COMPLAINT_STATUSES } from '../domain.js'
import { calling, connect, type ConnectionFlags, withConnectionOptions } from './connection.js'
import { exportList, type ExportFlags, withExportOptions } from './export.js'
import { writeJsonLine, writeTable } from './output.js'

/** Every field of a complaint, in the API's order: the CSV export's columns. */
const COMPLAINT_COLUMNS = [
  'id', 'org_id', 'status', 'category', 'source', 'channel', 'reporter_number', 'reporter_email', 'phone_number_id', 'domain_id',
  'campaign_id', 'list_id', 'outbound_message_id', 'inbound_message_id', 'excerpt', 'feedback_type', 'resolution_note',
  'resolved_at', 'created_at', 'updated_at'
] as const satisfies ReadonlyArray<keyof Schemas['Complaint']>

interface FilterFlags {
  status?: ListQuery<'listComplaints'>['status']
  category?: ListQuery<'listComplaints'>['category']
  source?: ListQuery<'listComplaints'>['source']
  channel?: ListQuery<'listComplaints'>['channel']
  reporter?: string
  createdAfter?: string
  createdBefore?: string
  campaignId?: string
  phoneNumberId?: string
  domainId?: string
}

/** `ombuds complaints list` and `ombuds complaints export` (a customer key with complaints:read). */
export function addComplaintCommands (program: Command): void {
  const complaints = program.command('complaints').description('Complaints of the key\'s organization.')

  withFilters(withConnectionOptions(complaints.command('list')
    .description('The newest complaints: a table for people, JSON lines with --json.')
    .addOption(new Option('--limit <n>', 'how many, or "all"').default(20).argParser(parseLimit))
    .option('--json', 'print each complaint as one JSON object per line')))
    .action(async (flags: ConnectionFlags & FilterFlags & { limit: number, json?: boolean }) => {
      const connection = connect(flags)
      const rows: Array<Schemas['Complaint']> = []
      await calling(connection, async () => {
        let count = 0
        for await (const complaint of connection.client.paginate('listComplaints', { ...filterQuery(flags), limit: Math.min(flags.limit, 100) })) {
          if (flags.json === true) writeJsonLine(complaint)
          else rows.push(complaint)
          if (++count >= flags.limit) break
        }
      })
      if (flags.json !== true) {
        writeTable(['id', 'created_at', 'status', 'category', 'source', 'channel', 'reporter', 'excerpt'],
          rows.map((complaint) => ({ ...complaint, reporter: complaint.reporter_number ?? complaint.reporter_email })), 40)
      }
    })

  withFilters(withExportOptions(withConnectionOptions(complaints.command('export')
    .description('Every complaint matching the filters, page after page, as CSV or JSON lines (a progress bar on stderr).'))))
    .action(async (flags: ConnectionFlags & FilterFlags & ExportFlags) => {
      await exportList(connect(flags), 'listComplaints', filterQuery(flags), COMPLAINT_COLUMNS, flags, 'exporting complaints')
    })
}

/** `--limit`: a whole number from 1, or `all`. */
function parseLimit (value: string): number {
  if (value === 'all') return Infinity
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a whole number from 1, or "all"')
  return Number(value)
}

function withFilters (command: Command): Command {
  return command
    .addOption(new Option('--status <status>', 'only this status').choices(COMPLAINT_STATUSES))
    .addOption(new Option('--category <category>', 'only this category').choices(COMPLAINT_CATEGORIES))
    .addOption(new Option('--source <source>', 'only complaints that came this way').choices(COMPLAINT_SOURCES))
    .addOption(new Option('--channel <channel>', 'sms or email').choices(CHANNELS))
    .option('--reporter <address>', 'only this reporter (a phone number in any notation, or an email address)')
    .option('--created-after <time>', 'created at or after this time (RFC 3339, e.g. 2026-12-01T00:00:00Z)')
    .option('--created-before <time>', 'created before this time (RFC 3339)')
    .option('--campaign-id <id>', 'only this campaign')
    .option('--phone-number-id <id>', 'only complaints about this sending number')
    .option('--domain-id <id>', 'only complaints about this sending domain')
}

function filterQuery (flags: FilterFlags): ListQuery<'listComplaints'> {
  const query: ListQuery<'listComplaints'> = {}
  if (flags.status !== undefined) query.status = flags.status
  if (flags.category !== undefined) query.category = flags.category
  if (flags.source !== undefined) query.source = flags.source
  if (flags.channel !== undefined) query.channel = flags.channel
  if (flags.reporter !== undefined) query.reporter = flags.reporter
  if (flags.createdAfter !== undefined) query.created_after = flags.createdAfter
  if (flags.createdBefore !== undefined) query.created_before = flags.createdBefore
  if (flags.campaignId !== undefined) query.campaign_id = flags.campaignId
  if (flags.phoneNumberId !== undefined) query.phone_number_id = flags.phoneNumberId
  if (flags.domainId !== undefined) query.domain_id = flags.domainId
  return query
}
