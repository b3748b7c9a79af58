/** PostgreSQL's "try again" answers: deadlock_detected and serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001'])

function isRetryable (error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && RETRYABLE.has(code)
}

/**
 * Runs a unit of work (one statement, or a whole transaction) again when PostgreSQL
 * aborted it as a deadlock victim or a serialization failure: the work was rolled back
 * entirely, so running it again is safe. Bulk writes also take their row locks in a
 * fixed order (sorted keys), which makes this rare; it stays for what ordering cannot
 * cover (two imports whose files interleave the same addresses across batches).
 */
export async function retryOnConflict<T> (work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error
      // Jittered, growing pause so the two victims do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt))
    }
  }
}
