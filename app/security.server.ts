// HTTP hardening for the web process: secure headers on every response (pages, files, errors) and
// the cross-site request forgery check on every state-changing request. Used by app/cli/web.ts and
// tested through a real Express app (tests/hardening/security.test.ts).
import { randomBytes } from 'node:crypto'
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express'
import { bodyLimitFor, formatBytes, uploadLimits, type UploadLimits } from './limits'

/** The policy: scripts from this site, and inline ones only with the request's nonce (none without one). */
export function contentSecurityPolicy(nonce?: string): string {
  return `default-src 'self'; script-src 'self'${nonce ? ` 'nonce-${nonce}'` : ''}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'`
}

export const CSRF_REFUSED = '跨站请求被拒绝：请从本系统页面提交。'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const SESSION_COOKIE = /(?:^|;\s*)ft_session=/

/** Headers every response carries, set before any handler runs so errors and files get them too. */
export function setSecurityHeaders(res: { setHeader(name: string, value: string): unknown; locals?: Record<string, unknown> }): void {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(res.locals?.cspNonce as string | undefined))
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : null
  } catch {
    return null
  }
}

/** The hosts this request may legitimately come from: Host, and X-Forwarded-Host behind a trusted proxy. */
function ownHosts(req: Request): string[] {
  const hosts = [String(req.headers.host ?? '').toLowerCase()]
  const forwarded = req.app?.get('trust proxy fn')?.(req.socket?.remoteAddress ?? '', 0) ? req.headers['x-forwarded-host'] : undefined
  if (typeof forwarded === 'string') hosts.push(...forwarded.split(',').map(h => h.trim().toLowerCase()))
  return hosts.filter(Boolean)
}

/**
 * Why a state-changing request must be refused as cross-site, or null when it may pass.
 * API calls (/api/…) with a bearer token carry no ambient credential and are exempt. Otherwise the Origin
 * header decides (an unparsable or "null" origin is refused); without it, Sec-Fetch-Site and then
 * the Referer; a request with none of them is refused only when it carries a session cookie, since
 * then it could ride on a signed-in user's session (old browsers, privacy extensions stripping both).
 */
export function crossSiteReason(req: Request): string | null {
  if (SAFE_METHODS.has(req.method)) return null
  // Only the API authenticates by token and never by cookie; anywhere else a Bearer header proves nothing.
  if (/^Bearer\s/i.test(String(req.headers.authorization ?? '')) && req.path.startsWith('/api/')) return null
  const own = ownHosts(req)
  const origin = req.headers.origin
  if (typeof origin === 'string' && origin !== '') {
    const host = hostOf(origin)
    if (!host || !own.includes(host)) return 'origin'
    return remixRefusesOrigin(origin, req) ? 'forwarded-host' : null
  }
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string' && site !== '') return site === 'same-origin' || site === 'none' ? null : 'sec-fetch-site'
  const referer = req.headers.referer
  if (typeof referer === 'string' && referer !== '') {
    const host = hostOf(referer)
    return host && own.includes(host) ? null : 'referer'
  }
  return SESSION_COOKIE.test(String(req.headers.cookie ?? '')) ? 'no-origin-with-session' : null
}

/**
 * Remix checks the Origin again before an action: against the first X-Forwarded-Host (whoever sent
 * it, proxy trusted or not), else Host, compared as written, and throws when they differ, which
 * answered 500. What it would refuse is refused here first, as the forgery it looks like (403).
 */
function remixRefusesOrigin(origin: string, req: Request): boolean {
  const forwarded = String(req.headers['x-forwarded-host'] ?? '')
    .split(',')[0]
    .trim()
  const host = forwarded || req.headers.host
  try {
    return !host || new URL(origin).host !== host
  } catch {
    return true
  }
}

/** Methods the app answers; anything else (TRACE, CONNECT, PROPFIND…) gets 405 instead of reaching Remix. */
const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

export const securityMiddleware: RequestHandler = (req, res, next) => {
  // A fresh nonce for this response's inline scripts (app/entry.server.tsx puts it on them).
  res.locals.cspNonce = randomBytes(16).toString('base64')
  // The client address as Express sees it (honouring TRUST_PROXY); a client cannot forge this header.
  req.headers['x-ft-client-ip'] = req.ip ?? 'unknown'
  setSecurityHeaders(res)
  if (!ALLOWED_METHODS.includes(req.method)) {
    res.setHeader('Allow', ALLOWED_METHODS.join(', '))
    res.status(405).type('text/plain; charset=utf-8').send('不支持的请求方法。')
    return
  }
  if (crossSiteReason(req)) {
    res.status(403).type('text/plain; charset=utf-8').send(CSRF_REFUSED)
    return
  }
  next()
}

/** How long a refused body is read and thrown away, so the client sees the answer (see refuseBody). */
const LINGER_MS = 3000

/**
 * Answers before the body is read. The unread body is then read and discarded (Node does this for
 * a response that ends before its request) for at most LINGER_MS, and the connection closed:
 * closing at once with unread bytes would make the kernel reset the connection, and the client
 * would lose the answer. Discarding holds no memory; the time bound stops an endless body.
 */
function refuseBody(req: Request, res: Response, status: 411 | 413, message: string): void {
  res.setHeader('Cache-Control', 'no-store')
  res.once('finish', () => {
    if (req.complete) return
    req.resume()
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS)
    timer.unref()
    req.once('end', () => clearTimeout(timer))
    req.socket.once('close', () => clearTimeout(timer))
  })
  if (/text\/html/.test(String(req.headers.accept ?? ''))) {
    const back = req.path.startsWith('/') && !req.path.startsWith('//') ? req.path : '/'
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>提交未被接受</title><body style="font-family:sans-serif;padding:1.5rem;line-height:1.6"><h1 style="font-size:1.2rem">提交未被接受</h1><p>${message}</p><p><a href="${encodeURI(back)}">返回上一页</a></p></body></html>`,
      )
  } else {
    res.status(status).type('text/plain; charset=utf-8').send(message)
  }
}

/**
 * The request body limit, enforced from the headers before anything reads the body: a body longer
 * than its route allows (see bodyLimitFor) is refused with 413, a body of unknown length (chunked)
 * with 411, so no request can make the web process hold or parse more than its route's limit.
 * (Browsers and the documented API clients always send Content-Length.)
 */
export function bodyLimitMiddleware(limits: UploadLimits = uploadLimits()): RequestHandler {
  return (req, res, next) => {
    const limit = bodyLimitFor(req.method, req.path, limits)
    const declared = req.headers['content-length']
    const chunked = req.headers['transfer-encoding'] !== undefined
    if (chunked && declared === undefined) {
      if (limit === 0) return refuseBody(req, res, 413, '此类请求不接受请求体。')
      return refuseBody(req, res, 411, '请求须注明内容长度（Content-Length）。')
    }
    const length = declared === undefined ? 0 : Number(declared)
    if (!Number.isSafeInteger(length) || length < 0) return refuseBody(req, res, 413, '请求的内容长度无效。')
    if (length > limit)
      return refuseBody(
        req,
        res,
        413,
        limit === 0 ? '此类请求不接受请求体。' : `提交的内容超过大小上限（${formatBytes(limit)}），未被接受。`,
      )
    next()
  }
}

/**
 * Pages and API answers show a signed-in user's data: no shared or browser cache keeps them.
 * Mounted after the static files (which are cached, and would otherwise inherit this). The public
 * progress pages (/p/…, app/publish/) show only what was published and set their own caching.
 */
export const noStore: RequestHandler = (req, res, next) => {
  if (!req.path.startsWith('/p/')) res.setHeader('Cache-Control', 'private, no-store')
  next()
}

/** Last resort: an error no route handled answers 500 in Chinese, with the secure headers, no stack trace. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  console.error('[web] unhandled error:', (err as Error)?.stack ?? err)
  if (res.headersSent) return next(err)
  setSecurityHeaders(res)
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500
  res
    .status(status)
    .type('text/plain; charset=utf-8')
    .send(status === 500 ? '服务器内部错误，请稍后重试。' : '请求无法处理。')
}
