import { Redis } from 'ioredis'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Removes every key under a test's (or a bench's) queue prefix. */
export async function deletePrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: null })
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    if (keys.length) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
  await redis.quit()
}

export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, intervalMs))
  }
}

/**
 * The environment for a private redis-server a test starts: the test's own, without libfaketime.
 * The suite is run with the clock moved (`faketime`) to prove the app keeps one clock; Redis's
 * clock is not the app's, and libfaketime cannot initialise inside redis-server (jemalloc).
 */
export function redisServerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = {} as NodeJS.ProcessEnv
  for (const [k, v] of Object.entries(env)) if (k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME') && !k.startsWith('DONT_FAKE')) out[k] = v
  return out
}
