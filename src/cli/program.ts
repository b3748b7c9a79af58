import { createRequire } from 'node:module'
import { Command, CommanderError } from 'commander'
import { debugEnabled } from '../config.js'
import { describeStartError } from '../start-errors.js'
import { CliFailure, EXIT, UsageError } from './exit.js'
import { addAdminCommands } from './admin-commands.js'
import { addComplaintCommands } from './complaints-commands.js'
import { addMailgunCommands } from './mailgun-commands.js'
import { addStoreCommands } from './store-commands.js'
import { addSuppressionCommands } from './suppressions-commands.js'

/**
 * Runs `ombuds` with these arguments and answers its exit code (see ./exit.ts). Every
 * failure is one line on stderr; `LOG_LEVEL=debug` adds the stack.
 */
export async function runCli (argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return EXIT.ok
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; commander has printed what it had to.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    if (error instanceof UsageError) {
      process.stderr.write(`ombuds: ${error.message}\n${HELP_HINT}\n`)
      return EXIT.usage
    }
    process.stderr.write(`ombuds: ${error instanceof CliFailure ? error.message : describeStartError(error)}\n`)
    if (debugEnabled() && error instanceof Error) {
      const original = error instanceof CliFailure && error.cause instanceof Error ? error.cause : error
      process.stderr.write(`${original.stack ?? ''}\n`)
    }
    return EXIT.failed
  }
}

const HELP_HINT = '(run "ombuds --help" or "ombuds <command> --help" for usage)'

function buildProgram (): Command {
  const program = new Command('ombuds')
    .description('Complaints and suppression service: run it (serve, migrate) and operate it from the command line.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => { write(`ombuds: ${text.replace(/^error: /, '')}`) } })
    .addHelpText('after', `
Exit codes: 0 done, 1 failed (one line on stderr: the API's error code and request id), 2 wrong command line.
Documentation: docs/cli.md`)
  addStoreCommands(program)
  addAdminCommands(program)
  addComplaintCommands(program)
  addSuppressionCommands(program)
  addMailgunCommands(program)
  return program
}

/** The package's version (package.json sits two folders up from both src/cli and dist/cli). */
function version (): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version
}
