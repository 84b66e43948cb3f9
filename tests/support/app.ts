// Calls route loaders and actions directly, as the Remix server would, with a real session cookie.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Points the app's database at a fresh SQLite file. Call before importing any route module. */
export function useFreshAppDatabase(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-app-'))
  process.env.DATABASE_URL = path.join(dir, 'app.sqlite')
  process.env.DATA_DIR = dir
  return dir
}

export async function sessionCookieFor(userId: string): Promise<string> {
  const { createUserSession } = await import('../../app/auth/session.server')
  const res = await createUserSession(new Request('http://localhost/login'), userId, '/')
  return res.headers.get('Set-Cookie')!.split(';')[0]
}

export function request(url: string, init: { cookie?: string; method?: string; form?: Record<string, string> } = {}): Request {
  const headers = new Headers()
  if (init.cookie) headers.set('Cookie', init.cookie)
  const body = init.form ? new URLSearchParams(init.form) : undefined
  if (body) headers.set('Content-Type', 'application/x-www-form-urlencoded')
  return new Request(`http://localhost${url}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
}

/** Runs a loader/action and returns the HTTP status, whether it returned or threw a Response. */
export async function statusOf(fn: () => Promise<unknown>): Promise<number> {
  try {
    const r = await fn()
    return r instanceof Response ? r.status : 200
  } catch (e) {
    if (e instanceof Response) return e.status
    throw e
  }
}

/** The words of the toast a page action's redirect carries (the signed ft_toast cookie), if any. */
export function toastOf(r: Response): string | null {
  const m = /(?:^|,\s*)ft_toast=([^;]+)/.exec(r.headers.get('Set-Cookie') ?? '')
  if (!m) return null
  const value = decodeURIComponent(m[1])
  return JSON.parse(Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64').toString('utf8')).description
}
