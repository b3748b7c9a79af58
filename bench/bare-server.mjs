// The ceiling of the first-page scenario: a bare Fastify route on the same machine that
// answers with the same 20-complaint JSON, held in memory (no auth, no store, no schema).
// With a database URL it also serves /db: the same JSON after one `SELECT 1` round trip
// through pg — the floor cost of any route that reads the store once.
// `node bench/bare-server.mjs <port> <file with the JSON> [database url]`
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import pg from 'pg'

const [port, file, databaseUrl] = process.argv.slice(2)
const page = JSON.parse(readFileSync(file, 'utf8'))
const app = Fastify({ logger: false })
app.get('/v1/complaints', async () => page)
if (databaseUrl !== undefined) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 })
  app.get('/db', async () => {
    await pool.query('SELECT 1')
    return page
  })
}
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.stdout.write('ready\n')
