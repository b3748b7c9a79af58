import { type Command, Option } from 'commander'
import { ROLES, type Role } from '../modules/api-keys/scopes.js'
import { calling, connect, type ConnectionFlags, withConnectionOptions } from './connection.js'
import { UsageError } from './exit.js'
import { writeJsonLine, writeTable } from './output.js'
import { createPlatformKey, withStoreOptions } from './store-commands.js'

interface JsonFlag { json?: boolean }
interface KeyCreateFlags extends ConnectionFlags, JsonFlag {
  org?: string
  role?: Role
  label?: string
  platform?: boolean
  data?: string
  databaseUrl?: string
}
const JSON_HELP = 'print JSON (one object per line) instead of text'

/** Platform administration through the API: organizations, their keys, numbers and domains (a platform key). */
export function addAdminCommands (program: Command): void {
  const orgs = program.command('orgs').description('Organizations (platform key).')
  withConnectionOptions(orgs.command('create').argument('<name>', 'the organization\'s name')
    .description('Create an organization; prints its id.')
    .option('--json', JSON_HELP))
    .action(async (name: string, flags: ConnectionFlags & JsonFlag) => {
      const connection = connect(flags)
      const { data } = await calling(connection, async () => await connection.client.POST('/v1/admin/orgs', { body: { name } }))
      if (flags.json === true) writeJsonLine(data.data)
      else process.stdout.write(`${data.data.id}\n`)
    })
  withConnectionOptions(orgs.command('list')
    .description('List every organization.')
    .option('--name <text>', 'only names containing this text')
    .option('--json', JSON_HELP))
    .action(async (flags: ConnectionFlags & JsonFlag & { name?: string }) => {
      const connection = connect(flags)
      const rows = await calling(connection, async () => {
        const all = []
        for await (const org of connection.client.paginate('listOrganizations', flags.name !== undefined ? { name: flags.name } : {})) all.push(org)
        return all
      })
      if (flags.json === true) rows.forEach(writeJsonLine)
      else writeTable(['id', 'realm_id', 'name', 'created_at'], rows)
    })

  const keys = program.command('keys').description('API keys.')
  withStoreOptions(withConnectionOptions(keys.command('create')
    .description('Create a key for an organization through the API (platform key); prints the new key, shown once.\n' +
      'With --platform: a platform key written straight into the store (--data or --database-url), for the operator ' +
      'who lost every key; stop a server using the same embedded store first.')
    .option('--org <id>', 'the organization')
    .addOption(new Option('--role <role>', 'the key\'s role').choices(ROLES))
    .option('--label <text>', 'a label shown in key listings')
    .option('--platform', 'a platform key, created in the store directly (no server needed)')
    .option('--json', JSON_HELP)))
    .action(async (flags: KeyCreateFlags) => {
      if (flags.platform === true) {
        if (flags.org !== undefined || flags.role !== undefined) throw new UsageError('--platform creates a platform key: it takes neither --org nor --role')
        await createPlatformKey(flags)
        return
      }
      if (flags.data !== undefined || flags.databaseUrl !== undefined) throw new UsageError('--data and --database-url go with --platform')
      if (flags.org === undefined || flags.role === undefined) throw new UsageError('keys create needs --org ID and --role owner|admin|member (or --platform)')
      const connection = connect(flags)
      const { org, role, label } = flags
      const { data } = await calling(connection, async () => await connection.client.POST('/v1/admin/orgs/{org_id}/api-keys', {
        params: { path: { org_id: org } }, body: { role, ...(label !== undefined ? { label } : {}) }
      }))
      if (flags.json === true) writeJsonLine(data.data)
      else process.stdout.write(`${data.data.plaintext}\n`)
    })
  withConnectionOptions(keys.command('revoke').argument('<id>', 'the key\'s id')
    .description('Revoke a key (platform key): it stops working at once.'))
    .action(async (id: string, flags: ConnectionFlags) => {
      const connection = connect(flags)
      await calling(connection, async () => await connection.client.DELETE('/v1/admin/api-keys/{id}', { params: { path: { id } } }))
      process.stdout.write(`Revoked ${id}\n`)
    })

  withConnectionOptions(program.command('numbers').description('Phone numbers an organization sends from.')
    .command('add').argument('<number>', 'E.164, e.g. +14155550123')
    .description('Register a phone number for an organization (platform key); prints its id.')
    .requiredOption('--org <id>', 'the organization')
    .option('--json', JSON_HELP))
    .action(async (number: string, flags: ConnectionFlags & JsonFlag & { org: string }) => {
      const connection = connect(flags)
      const { data } = await calling(connection, async () => await connection.client.POST('/v1/admin/orgs/{org_id}/phone-numbers', {
        params: { path: { org_id: flags.org } }, body: { number }
      }))
      if (flags.json === true) writeJsonLine(data.data)
      else process.stdout.write(`${data.data.id}\n`)
    })

  withConnectionOptions(program.command('domains').description('Domains an organization sends email from.')
    .command('add').argument('<name>', 'e.g. mail.example.com')
    .description('Register a sending domain for an organization (platform key); prints its id.')
    .requiredOption('--org <id>', 'the organization')
    .option('--json', JSON_HELP))
    .action(async (name: string, flags: ConnectionFlags & JsonFlag & { org: string }) => {
      const connection = connect(flags)
      const { data } = await calling(connection, async () => await connection.client.POST('/v1/admin/orgs/{org_id}/domains', {
        params: { path: { org_id: flags.org } }, body: { name }
      }))
      if (flags.json === true) writeJsonLine(data.data)
      else process.stdout.write(`${data.data.id}\n`)
    })
}
