import { runCli } from './cli/program.js'

// The `ombuds` command (bin/ombuds.js runs the compiled copy of this file).
process.exitCode = await runCli(process.argv.slice(2))
