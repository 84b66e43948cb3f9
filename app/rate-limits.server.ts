// Per-user rate limits on the expensive endpoints (issue 18, item 11): search, exports, uploads
// (report files, batch imports, evidence files, ledger workbooks) and API token creation. One
// sliding window per (user, kind), checked before a request body is parsed, answered 429 in Chinese
// with Retry-After. Kept in this process's memory: the app runs one web process, so that is every
// request (with N web processes a user would get up to N times the allowance), and a restart
// forgets the counts, which only ever errs toward letting a person work. The login has its own
// throttle in the database (app/auth/login.server.ts), since it must hold against many addresses.
import type { HeadersFunction } from '@remix-run/node'
import { zh } from './ui/zh'

export type RateLimited = 'search' | 'export' | 'upload' | 'token'
export interface RatePolicy {
  max: number
  windowSeconds: number
}

/** Generous for a person at work; a script that needs more uses the batch import or RATE_LIMITS. */
export const DEFAULT_RATE_LIMITS: Record<RateLimited, RatePolicy> = {
  search: { max: 60, windowSeconds: 60 },
  export: { max: 10, windowSeconds: 60 },
  upload: { max: 60, windowSeconds: 600 },
  token: { max: 10, windowSeconds: 3600 },
}

/**
 * The table in force: RATE_LIMITS overrides entries ("search=120/60,upload=200/600": count per
 * seconds) or switches every limit off ("off": bulk loading, the hostile-input tests). Pure.
 */
export function rateLimitsFrom(value: string | undefined): Record<RateLimited, RatePolicy> | null {
  if (value?.trim() === 'off') return null
  const table = { ...DEFAULT_RATE_LIMITS }
  for (const part of (value ?? '').split(',')) {
    const m = /^\s*(search|export|upload|token)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(part)
    if (m && Number(m[2]) > 0 && Number(m[3]) > 0) table[m[1] as RateLimited] = { max: Number(m[2]), windowSeconds: Number(m[3]) }
  }
  return table
}

/** Recent request times per "kind user", oldest first; never longer than the kind's max. */
const recent = new Map<string, number[]>()
let calls = 0

/** Counts one request; null when it may go on, else the seconds until it may. */
export function takeRate(userId: string, kind: RateLimited, now = Date.now()): number | null {
  const policy = rateLimitsFrom(process.env.RATE_LIMITS)?.[kind]
  if (!policy) return null
  if (++calls % 1000 === 0) forgetIdle(now)
  const key = `${kind} ${userId}`
  const since = now - policy.windowSeconds * 1000
  const times = (recent.get(key) ?? []).filter(t => t > since)
  if (times.length >= policy.max) {
    recent.set(key, times)
    return Math.max(1, Math.ceil((times[0] - since) / 1000))
  }
  times.push(now)
  recent.set(key, times)
  return null
}

/** Drops the windows of users who have not asked for anything within the longest window. */
function forgetIdle(now: number): void {
  const longest = Math.max(...Object.values(DEFAULT_RATE_LIMITS).map(p => p.windowSeconds)) * 1000
  for (const [key, times] of recent) if (!times.length || times[times.length - 1] < now - longest) recent.delete(key)
}

/** Tests: start every window empty. */
export function resetRateLimits(): void {
  recent.clear()
}

/** Guard for a route: throws the 429 answer (plain Chinese text, Retry-After) when `user` is over the limit. */
export function enforceRateLimit(user: { id: string }, kind: RateLimited): void {
  const wait = takeRate(user.id, kind)
  if (wait === null) return
  const policy = rateLimitsFrom(process.env.RATE_LIMITS)![kind]
  const t = zh.rateLimit
  throw new Response(t.refused(t.kinds[kind], t.per(policy.windowSeconds), policy.max, t.wait(wait)), {
    status: 429,
    headers: { 'Retry-After': String(wait), 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

/**
 * The `headers` export of the layout whose error boundary renders a page's 429 (routes/_app.tsx):
 * Remix drops a thrown response's headers unless that route passes them on.
 */
export const keepRetryAfter: HeadersFunction = ({ errorHeaders, actionHeaders, loaderHeaders }) => {
  const value = errorHeaders?.get('Retry-After') ?? actionHeaders.get('Retry-After') ?? loaderHeaders.get('Retry-After')
  const headers = new Headers()
  if (value) headers.set('Retry-After', value)
  return headers
}
