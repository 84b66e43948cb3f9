// Server-side sessions: the cookie holds only a signed random id; the row in `sessions` is the truth,
// so logout and revocation take effect at once on every web process.
import { randomBytes } from 'node:crypto'
import { createCookie, redirect, type Cookie } from '@remix-run/node'
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import type { Role } from '../../db/schema'
import { db } from '../db.server'
import { installChineseValidationMessages } from '../http.server'
import { can, type Permission } from './permissions'

export interface SessionUser {
  id: string
  username: string
  displayName: string
  role: Role
  unitId: string
  unitName: string
  unitPath: string
}

// Every route passes through this module, so user-facing validation messages become Chinese here.
installChineseValidationMessages()

const SESSION_DAYS = 7
const COOKIE_NAME = 'ft_session'

async function sessionSecret(database: DB): Promise<string> {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET
  // Generated once and kept in the database so every web process (and restarts) share it.
  const fresh = randomBytes(32).toString('hex')
  await database
    .insertInto('settings')
    .values({ key: 'session_secret', value: fresh })
    .onConflict(oc => oc.column('key').doNothing())
    .execute()
  const row = await database.selectFrom('settings').select('value').where('key', '=', 'session_secret').executeTakeFirstOrThrow()
  return row.value
}

let secret: Promise<string> | undefined
/** The secret that signs this site's cookies: the session's, and the toast's (app/forms/toast.server.ts). */
export function cookieSecret(): Promise<string> {
  secret ??= sessionSecret(db)
  return secret
}

let cookies: Promise<{ plain: Cookie; secure: Cookie }> | undefined
function sessionCookies(): Promise<{ plain: Cookie; secure: Cookie }> {
  cookies ??= cookieSecret().then(secret => {
    const opts = { httpOnly: true, sameSite: 'lax' as const, path: '/', maxAge: SESSION_DAYS * 86400, secrets: [secret] }
    return { plain: createCookie(COOKIE_NAME, opts), secure: createCookie(COOKIE_NAME, { ...opts, secure: true }) }
  })
  return cookies
}

/** Secure cookies whenever the request came over HTTPS (directly or via a trusted proxy). */
async function cookieFor(request: Request): Promise<Cookie> {
  const c = await sessionCookies()
  return new URL(request.url).protocol === 'https:' ? c.secure : c.plain
}

/**
 * A new random session id at every sign-in (never one the browser brought, so a planted cookie
 * cannot be fixed onto the victim's session), and the session the request came with is ended.
 */
export async function createUserSession(request: Request, userId: string, redirectTo: string): Promise<Response> {
  const previous = await sessionIdFrom(request)
  if (previous) await db.deleteFrom('sessions').where('id', '=', previous).execute()
  const id = randomBytes(32).toString('base64url')
  const expires = new Date(Date.now() + SESSION_DAYS * 86400_000)
  await db.insertInto('sessions').values({ id, user_id: userId, expires_at: expires.toISOString(), created_at: nowIso() }).execute()
  const cookie = await cookieFor(request)
  return redirect(safeRedirect(redirectTo), { headers: { 'Set-Cookie': await cookie.serialize(id, { expires }) } })
}

/** The id of the session a request carries (signed cookie), or null. */
export async function sessionIdFrom(request: Request): Promise<string | null> {
  const cookie = await cookieFor(request)
  const value = await cookie.parse(request.headers.get('Cookie'))
  return typeof value === 'string' ? value : null
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const sid = await sessionIdFrom(request)
  return sid ? userForSession(db, sid) : null
}

/** The active user a session id belongs to, or null for an unknown or expired session or a deactivated user. */
export async function userForSession(database: DB, sid: string, now = new Date()): Promise<SessionUser | null> {
  const row = await database
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.unit_id',
      'users.active',
      'units.name as unit_name',
      'units.path as unit_path',
      'sessions.expires_at',
    ])
    .where('sessions.id', '=', sid)
    .executeTakeFirst()
  if (!row || !row.active || row.expires_at < now.toISOString()) return null
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

/** Guard for pages and actions: redirects to login when signed out, 403 when the role lacks the permission. */
export async function requireUser(request: Request, permission?: Permission): Promise<SessionUser> {
  const user = await getUser(request)
  if (!user) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  if (permission && !can(user.role, permission))
    throw new Response('无权执行此操作。', {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  return user
}

export async function logout(request: Request): Promise<Response> {
  const sid = await sessionIdFrom(request)
  if (sid) await db.deleteFrom('sessions').where('id', '=', sid).execute()
  const cookie = await cookieFor(request)
  return redirect('/login', { headers: { 'Set-Cookie': await cookie.serialize('', { maxAge: 0, expires: new Date(0) }) } })
}

/**
 * A path of this site to go to after signing in, or the fallback. Only "/" followed by a character
 * that cannot start another origin: no "//" or "/\\" (protocol-relative), and no control character
 * or backslash anywhere, since browsers drop tabs and newlines from URLs ("/\t/evil.example" becomes
 * "//evil.example") and read "\\" as "/". Checked again by parsing against a dummy origin.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/reports'): string {
  if (typeof to !== 'string' || to.length > 2000) return fallback
  if (!/^\/(?![/\\])[^\u0000-\u001f\u007f\\]*$/.test(to)) return fallback
  try {
    const u = new URL(to, 'http://this.invalid')
    if (u.origin !== 'http://this.invalid') return fallback
  } catch {
    return fallback
  }
  return to
}
