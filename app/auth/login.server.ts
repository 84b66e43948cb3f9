// Password login with rate limiting that holds across web processes (attempts live in the database).
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { verifyPassword } from './password.server'

export const LOGIN_WINDOW_MINUTES = 15
export const MAX_FAILURES_PER_USER = 5
export const MAX_FAILURES_PER_IP = 30

export type LoginResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'locked' }

export async function attemptLogin(db: DB, input: { username: string; password: string; ip: string }): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase()
  const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000).toISOString()
  const failures = await db
    .selectFrom('login_attempts')
    .select(eb => [
      eb.fn.sum<number>(eb.case().when('username', '=', username).then(1).else(0).end()).as('user_failures'),
      eb.fn.countAll<number>().as('ip_failures'),
    ])
    .where('success', '=', 0)
    .where('created_at', '>', since)
    .where(eb => eb.or([eb('username', '=', username), eb('ip', '=', input.ip)]))
    .executeTakeFirst()
  const userFailures = Number(failures?.user_failures ?? 0)
  const ipFailures = Number(failures?.ip_failures ?? 0)
  if (userFailures >= MAX_FAILURES_PER_USER || ipFailures >= MAX_FAILURES_PER_IP) return { ok: false, reason: 'locked' }

  const user = await db.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', username).executeTakeFirst()
  // Verify against a dummy hash when the user does not exist, so timing does not reveal usernames.
  const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH)
  const ok = !!user && !!user.active && valid
  await db.insertInto('login_attempts').values({ id: newId(), username, ip: input.ip, success: ok ? 1 : 0, created_at: nowIso() }).execute()
  return ok ? { ok: true, userId: user.id } : { ok: false, reason: 'invalid' }
}

// scrypt hash of a random string; never matches.
const DUMMY_HASH = 'scrypt$32768$8$1$2bQm6s6tqk3rD8n8w3Uq2A==$n0vQ1zq0h0pQXzQ9oK8m3yS3m1r6z0yN0b2fX1y8w4E='
