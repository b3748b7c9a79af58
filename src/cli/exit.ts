/** The exit codes of `ombuds`, as docs/cli.md lists them. */
export const EXIT = Object.freeze({
  /** Done. */
  ok: 0,
  /** The command ran and failed: the API answered an error, the server or store was unreachable, a file was bad. */
  failed: 1,
  /** The command line is wrong: unknown command or option, a missing or bad argument. */
  usage: 2
})

/** A command line that parses but cannot run as given (e.g. options that exclude each other). */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** A failure already worded for the operator (one line); `cause` keeps the original for LOG_LEVEL=debug. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure'
}
