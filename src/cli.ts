import { runCli } from './cli/program.js'

// A reader that stops early (`ombuds complaints export | head`) is not a failure: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(0)
})

// The `ombuds` command (bin/ombuds.js runs the compiled copy of this file).
process.exitCode = await runCli(process.argv.slice(2))
