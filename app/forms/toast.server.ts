// Toasts that survive the redirect after a form post (the Epic Stack's approach): the action puts
// the message in a short-lived signed cookie, the root loader reads it once and clears it.
import { randomUUID } from 'node:crypto'
import { createCookie, redirect, type Cookie } from '@remix-run/node'
import { z } from 'zod'
import { cookieSecret } from '../auth/session.server'
import type { Toast, ToastType } from './toast'

const ToastSchema = z.object({ id: z.string(), type: z.enum(['success', 'message', 'error']), description: z.string().max(1000) })

let cookies: Promise<{ plain: Cookie; secure: Cookie }> | undefined
function toastCookie(request: Request): Promise<Cookie> {
  cookies ??= cookieSecret().then(secret => {
    // A minute is plenty for the redirect that follows; a toast never waits for a later visit.
    const opts = { httpOnly: true, sameSite: 'lax' as const, path: '/', maxAge: 60, secrets: [secret] }
    return { plain: createCookie('ft_toast', opts), secure: createCookie('ft_toast', { ...opts, secure: true }) }
  })
  return cookies.then(c => (new URL(request.url).protocol === 'https:' ? c.secure : c.plain))
}

/** The Set-Cookie value that carries a toast to the next page. */
export async function toastCookieHeader(request: Request, description: string, type: ToastType = 'success'): Promise<string> {
  const toast: Toast = { id: randomUUID(), type, description }
  return (await toastCookie(request)).serialize(toast)
}

export async function redirectWithToast(
  request: Request,
  url: string,
  description: string,
  type: ToastType = 'success',
): Promise<Response> {
  return redirect(url, { headers: { 'Set-Cookie': await toastCookieHeader(request, description, type) } })
}

/** The toast a request brings, if any, and the header that clears it (so it shows once). */
export async function readToast(request: Request): Promise<{ toast: Toast | null; headers: Record<string, string> }> {
  const cookie = await toastCookie(request)
  const parsed = ToastSchema.safeParse(await cookie.parse(request.headers.get('Cookie')))
  if (!parsed.success) return { toast: null, headers: {} }
  return { toast: parsed.data, headers: { 'Set-Cookie': await cookie.serialize('', { maxAge: 0, expires: new Date(0) }) } }
}
