// Personal API tokens. The token is shown once; only its sha256 is stored, so a leaked database
// does not leak usable tokens. The API accepts only `Authorization: Bearer …` (never the session
// cookie), which keeps cross-site request forgery out of the API.
import { createHash, randomBytes } from 'node:crypto'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { db as appDb } from '../db.server'
import { AppError } from '../errors'
import type { SessionUser } from './session.server'

/** A recognisable prefix lets secret scanners (and people) spot a leaked token. */
export const TOKEN_PREFIX = 'ft_'
const TOKEN_SHAPE = /^ft_[A-Za-z0-9_-]{43}$/
const TOUCH_INTERVAL_MS = 60_000
export const TOKEN_NAME_MAX = 100

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Tokens a user may hold unrevoked at once: enough for every script, few enough that a leak is findable. */
export const MAX_ACTIVE_TOKENS = 20

export async function createApiToken(
  db: DB,
  userId: string,
  name: string,
): Promise<{ id: string; name: string; token: string; createdAt: string }> {
  const active = await db
    .selectFrom('api_tokens')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow()
  if (Number(active.n) >= MAX_ACTIVE_TOKENS)
    throw new AppError(409, `最多可同时持有 ${MAX_ACTIVE_TOKENS} 个有效令牌，请先撤销不再使用的令牌。`)
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const id = newId()
  const createdAt = nowIso()
  const clean =
    name
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .slice(0, TOKEN_NAME_MAX) || 'API'
  await db
    .insertInto('api_tokens')
    .values({ id, user_id: userId, name: clean, token_hash: hashToken(token), created_at: createdAt, last_used_at: null, revoked_at: null })
    .execute()
  return { id, name: clean, token, createdAt }
}

export async function listApiTokens(db: DB, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute()
}

/** Revokes one of the user's own tokens. False when the token is not theirs (or does not exist). Revoking twice is harmless. */
export async function revokeApiToken(db: DB, userId: string, tokenId: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'revoked_at'])
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return false
  if (!row.revoked_at)
    await db.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute()
  return true
}

/** The active user a token belongs to, or null for an unknown, revoked or malformed token or an inactive user. */
export async function userForToken(db: DB, token: string, now = new Date()): Promise<SessionUser | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.unit_id',
      'users.active',
      'units.name as unit_name',
      'units.path as unit_path',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row || row.revoked_at || !row.active) return null
  // Recording every request would make each API read a write; once a minute is enough to see use.
  const stale = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString()
  if (!row.last_used_at || row.last_used_at < stale) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.token_id)
      .where(eb => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', stale)]))
      .execute()
  }
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitPath: row.unit_path,
  }
}

/** Guard for /api/v1: the Bearer token's user, or a 401 AppError. */
export async function requireApiUser(request: Request, db: DB = appDb): Promise<SessionUser> {
  const header = request.headers.get('Authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw new AppError(401, '缺少 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>。')
  const user = await userForToken(db, match[1])
  if (!user) throw new AppError(401, 'API 令牌无效、已撤销，或其用户已停用。')
  return user
}
