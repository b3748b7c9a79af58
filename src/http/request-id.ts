import { randomFillSync } from 'node:crypto'
import { monotonicFactory } from 'ulid'

/**
 * Request ids are ULIDs, as AgentMessage's are. The ulid package's default generator asks
 * the OS for one random byte per character (sixteen getrandom calls whenever the
 * millisecond changes); this one draws the same bytes from a pooled buffer refilled 4 KiB
 * at a time. Still cryptographically random, still monotonic within a millisecond.
 */
const pool = new Uint8Array(4096)
let next = pool.length

function pooledRandom (): number {
  if (next >= pool.length) {
    randomFillSync(pool)
    next = 0
  }
  return (pool[next++] as number) / 256
}

export const newRequestId = monotonicFactory(pooledRandom)
