// The load generator, run in its own process so that its CPU is not the server's:
// `node bench/load.mjs <spec.json>` → one JSON line with autocannon's figures.
// Requests are either one fixed request or generated per request ("intake": every
// reply gets a fresh message id, so the route does real work each time). With `cpuPid`,
// the CPU that process used during the measured run (user + system, from /proc) is
// reported too: per request it moves far less with the machine's other load than req/s.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { cpuMs } from './process-cpu.mjs'

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'))

function requests () {
  if (spec.kind === 'intake') {
    const texts = spec.texts
    let n = 0
    return [{
      method: 'POST',
      path: spec.path,
      headers: spec.headers,
      setupRequest (request) {
        n++
        const body = {
          id: randomUUID(),
          from: `+1404${String(1000000 + ((n * 7919 + spec.seed) % 9000000)).padStart(7, '0')}`,
          to: spec.to[n % spec.to.length],
          body: texts[n % texts.length]
        }
        return { ...request, body: JSON.stringify(body) }
      }
    }]
  }
  if (spec.kind === 'rotate') {
    let n = 0
    return [{
      method: spec.method,
      path: spec.path,
      headers: spec.headers,
      setupRequest (request) { n++; return { ...request, body: spec.bodies[n % spec.bodies.length] } }
    }]
  }
  return [{ method: spec.method ?? 'GET', path: spec.path, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}) }]
}

function run (duration) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: spec.url,
      connections: spec.connections,
      pipelining: 1,
      duration,
      requests: requests(),
      timeout: 10
    }, (error, result) => error ? reject(error) : resolve(result))
  })
}

if (spec.warmup > 0) await run(spec.warmup)
const cpuBefore = spec.cpuPid === undefined ? null : cpuMs(spec.cpuPid)
const result = await run(spec.duration)
const cpuAfter = spec.cpuPid === undefined ? null : cpuMs(spec.cpuPid)
const serverCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
const statuses = {}
for (const [key, value] of Object.entries(result.statusCodeStats ?? {})) statuses[key] = value.count
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.total / spec.duration,
  total: result.requests.total,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  max: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statuses,
  throughputBytesPerSecond: result.throughput.average,
  serverCpuMs,
  serverCpuMsPerRequest: serverCpuMs === null || result.requests.total === 0 ? null : serverCpuMs / result.requests.total
}) + '\n')
