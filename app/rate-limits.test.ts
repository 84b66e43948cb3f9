// The per-user rate limits' sliding window and the RATE_LIMITS override (app/rate-limits.server.ts).
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS, enforceRateLimit, rateLimitsFrom, resetRateLimits, takeRate } from './rate-limits.server'

afterEach(() => {
  delete process.env.RATE_LIMITS
  resetRateLimits()
})

describe('rate limits', () => {
  it('a user gets the allowance within the window, then the seconds until the oldest request leaves it', () => {
    const { max } = DEFAULT_RATE_LIMITS.token
    const t0 = 1_000_000_000
    for (let i = 0; i < max; i++) expect(takeRate('u1', 'token', t0 + i * 1000)).toBeNull()
    expect(takeRate('u1', 'token', t0 + max * 1000)).toBe(3600 - max)
    // another user, and another kind, are counted apart
    expect(takeRate('u2', 'token', t0 + max * 1000)).toBeNull()
    expect(takeRate('u1', 'search', t0 + max * 1000)).toBeNull()
    // once the first request is an hour old, one more fits
    expect(takeRate('u1', 'token', t0 + 3600 * 1000 + 1)).toBeNull()
    expect(takeRate('u1', 'token', t0 + 3600 * 1000 + 2)).toBe(1)
  })

  it('refused requests do not count (waiting is enough to get through again)', () => {
    process.env.RATE_LIMITS = 'search=2/60'
    const t0 = 5_000_000
    expect(takeRate('u', 'search', t0)).toBeNull()
    expect(takeRate('u', 'search', t0 + 10_000)).toBeNull()
    for (let s = 11; s < 60; s += 7) expect(takeRate('u', 'search', t0 + s * 1000)).toBeGreaterThan(0)
    expect(takeRate('u', 'search', t0 + 60_001)).toBeNull()
  })

  it('RATE_LIMITS overrides entries, ignores what it cannot read, and "off" switches them off', () => {
    expect(rateLimitsFrom('search=5/10, upload = 7/70,token=0/5,nonsense,export=x/1')).toEqual({
      ...DEFAULT_RATE_LIMITS,
      search: { max: 5, windowSeconds: 10 },
      upload: { max: 7, windowSeconds: 70 },
    })
    expect(rateLimitsFrom(undefined)).toEqual(DEFAULT_RATE_LIMITS)
    expect(rateLimitsFrom('off')).toBeNull()
  })

  it('the guard throws 429 with Retry-After and a Chinese message that says the limit and the wait', async () => {
    process.env.RATE_LIMITS = 'upload=1/600'
    enforceRateLimit({ id: 'g' }, 'upload')
    let thrown: unknown
    try {
      enforceRateLimit({ id: 'g' }, 'upload')
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Response)
    const res = thrown as Response
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(590)
    expect(await res.text()).toBe('上传文件过于频繁（每 10 分钟最多 1 次），请 10 分钟后再试。')
  })
})
