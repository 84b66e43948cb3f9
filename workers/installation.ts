// One queue prefix, one installation. Two installations that share a Redis with the same
// QUEUE_PREFIX would take each other's jobs without a word (a report of one processed against the
// other's database). The worker records which database its prefix serves in Redis and says so
// loudly when another database already holds it.
import { createHash } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import type { Redis } from 'ioredis'
import { dataDir, isPostgresUrl } from '../db/db'

/** Names the database this process works on: PostgreSQL's address and database (no password), or the SQLite file on this host. Pure but for the host name. */
export function installationIdentity(env: Record<string, string | undefined> = process.env, host = os.hostname()): string {
  const url = env.DATABASE_URL
  if (url && isPostgresUrl(url)) {
    try {
      const u = new URL(url)
      return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}${env.DATABASE_SCHEMA ? `#${env.DATABASE_SCHEMA}` : ''}`
    } catch {
      return 'postgres:unparsable'
    }
  }
  const file = url
    ? url.replace(/^sqlite:(\/\/)?/, '')
    : path.join(env.DATA_DIR ? path.resolve(env.DATA_DIR) : dataDir(), 'follow-through.sqlite')
  return `sqlite://${host}${path.resolve(file)}`
}

export type PrefixClaim = { ok: true } | { ok: false; heldBy: string }

/**
 * Claims `prefix` for this installation (kept a week, renewed at each start); answers who holds it
 * when it is another installation. The identity is stored as a short hash with its readable form.
 */
export async function claimQueuePrefix(redis: Redis, prefix: string, identity: string): Promise<PrefixClaim> {
  const key = `${prefix}:installation`
  const value = `${createHash('sha256').update(identity).digest('hex').slice(0, 16)} ${identity}`
  const set = await redis.set(key, value, 'EX', 7 * 24 * 3600, 'NX')
  if (set === 'OK') return { ok: true }
  const held = await redis.get(key)
  if (held === null || held === value) {
    await redis.set(key, value, 'EX', 7 * 24 * 3600)
    return { ok: true }
  }
  return { ok: false, heldBy: held.slice(held.indexOf(' ') + 1) }
}
