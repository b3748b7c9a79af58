// The ceiling of the first-page scenario: a bare Fastify route on the same machine that
// answers with the same 20-complaint JSON, held in memory (no auth, no store, no schema).
// `node bench/bare-server.mjs <port> <file with the JSON>`
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const [port, file] = process.argv.slice(2)
const page = JSON.parse(readFileSync(file, 'utf8'))
const app = Fastify({ logger: false })
app.get('/v1/complaints', async () => page)
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.stdout.write('ready\n')
