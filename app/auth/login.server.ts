// Password login, throttled across web processes (decision 020). Before the password is checked,
// the attempt is counted against two keys — the (user, address) pair and the address — with a
// compare-and-set update, so simultaneous guesses cannot all pass on the same count; after a few
// failures each key must wait, twice as long after each further failure (app/auth/throttle.ts). A
// success clears the pair and gives back its count to the address. Nobody is locked out from
// elsewhere: failures from other addresses only slow those addresses down.
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { verifyPassword } from './password.server'
import { ADDRESS_POLICY, nextAttempt, PAIR_POLICY, type ThrottlePolicy } from './throttle'
import { zh } from '../ui/zh'

export type LoginResult =
  { ok: true; userId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; retryAfterMs: number }

const pairKey = (username: string, ip: string) => `pair:${username}|${ip}`
const addressKey = (ip: string) => `addr:${ip}`

/**
 * Counts one attempt against `key`, or says how long it must wait. Compare-and-set on the row as
 * read: of two attempts that read the same state, one writes and the other is refused as too fast.
 */
async function countAttempt(
  db: DB,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  await db
    .insertInto('login_throttle')
    .values({ key, failures: 0, blocked_until: null, updated_at: new Date(0).toISOString() })
    .onConflict(oc => oc.column('key').doNothing())
    .execute()
  const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirstOrThrow()
  const step = nextAttempt({ failures: row.failures, blockedUntil: row.blocked_until, updatedAt: row.updated_at }, now, policy)
  if (!step.allowed) return { ok: false, retryAfterMs: step.retryAfterMs }
  const r = await db
    .updateTable('login_throttle')
    .set({ failures: step.next.failures, blocked_until: step.next.blockedUntil, updated_at: step.next.updatedAt })
    .where('key', '=', key)
    .where('failures', '=', row.failures)
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1 ? { ok: true } : { ok: false, retryAfterMs: 1_000 }
}

export async function attemptLogin(
  db: DB,
  input: { username: string; password: string; ip: string },
  now = new Date(),
): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase()
  const pair = await countAttempt(db, pairKey(username, input.ip), PAIR_POLICY, now)
  if (!pair.ok) return { ok: false, reason: 'locked', retryAfterMs: pair.retryAfterMs }
  const address = await countAttempt(db, addressKey(input.ip), ADDRESS_POLICY, now)
  if (!address.ok) return { ok: false, reason: 'locked', retryAfterMs: address.retryAfterMs }

  const user = await db.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', username).executeTakeFirst()
  // Verify against a dummy hash when the user does not exist, so timing does not reveal usernames.
  const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH)
  const ok = !!user && !!user.active && valid
  await db
    .insertInto('login_attempts')
    .values({ id: newId(), username, ip: input.ip, success: ok ? 1 : 0, created_at: nowIso() })
    .execute()
  if (!ok) return { ok: false, reason: 'invalid' }
  // A success is not a failure: the pair starts afresh, the address gets its count back.
  await db.deleteFrom('login_throttle').where('key', '=', pairKey(username, input.ip)).execute()
  await db
    .updateTable('login_throttle')
    .set(eb => ({
      failures: eb
        .case()
        .when('failures', '>', 0)
        .then(eb('failures', '-', 1))
        .else(0)
        .end(),
    }))
    .where('key', '=', addressKey(input.ip))
    .execute()
  return { ok: true, userId: user.id }
}

/** A Chinese message for a throttled attempt: how long to wait, in seconds or minutes. */
export function waitMessage(retryAfterMs: number): string {
  return `尝试过于频繁，请 ${zh.rateLimit.wait(Math.max(1, Math.ceil(retryAfterMs / 1000)))}后再试。`
}

// scrypt hash of a random string; never matches.
const DUMMY_HASH = 'scrypt$32768$8$1$2bQm6s6tqk3rD8n8w3Uq2A==$n0vQ1zq0h0pQXzQ9oK8m3yS3m1r6z0yN0b2fX1y8w4E='
