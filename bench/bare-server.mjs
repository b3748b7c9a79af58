// The ceilings of the first-page and whatcounts-report scenarios: a bare Fastify route on
// the same machine that answers with the same JSON, held in memory (no auth, no store, no
// schema). `path` answers the parsed JSON (Fastify serializes it on every request, as any
// route returning an object); /bytes answers the file's text as it is (no serialization at
// all), for the record. With a database URL it also serves /db: the same JSON after one
// `SELECT 1` round trip through pg — the floor cost of any route that reads the store once.
// `node bench/bare-server.mjs <port> <file with the JSON> <path> [database url]`
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import pg from 'pg'

const [port, file, path, databaseUrl] = process.argv.slice(2)
const text = readFileSync(file, 'utf8')
const page = JSON.parse(text)
const app = Fastify({ logger: false })
app.get(path, async () => page)
app.get('/bytes', async (_request, reply) => await reply.type('application/json; charset=utf-8').send(text))
if (databaseUrl !== undefined) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 })
  app.get('/db', async () => {
    await pool.query('SELECT 1')
    return page
  })
}
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.stdout.write('ready\n')
