import { describe, expect, it } from 'vitest'
import { afterFailure, DEFAULT_RETRY_POLICY, isPermanentEmailError, retryDelayMs, retryPolicyFromEnv } from './backoff'

const MIN = 60_000

describe('email retry schedule', () => {
  it('doubles from one minute and stops growing at six hours', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(n => retryDelayMs(n) / MIN)
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360])
    expect(retryDelayMs(1000)).toBe(6 * 60 * MIN)
  })

  it('retries a transient failure at now + the wait, and gives up after the last attempt', () => {
    const now = new Date('2026-11-27T00:00:00Z')
    expect(afterFailure(1, false, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-27T00:01:00Z') })
    expect(afterFailure(3, false, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-11-27T00:04:00Z') })
    expect(afterFailure(7, false, now).status).toBe('pending')
    expect(afterFailure(8, false, now)).toEqual({ status: 'failed' })
    expect(afterFailure(9, false, now)).toEqual({ status: 'failed' })
  })

  it('gives up at once on a permanent error', () => {
    expect(afterFailure(1, true, new Date())).toEqual({ status: 'failed' })
  })

  it('tells permanent SMTP errors from transient ones', () => {
    expect(isPermanentEmailError({ responseCode: 550, message: 'mailbox unavailable' })).toBe(true)
    expect(isPermanentEmailError({ code: 'EENVELOPE' })).toBe(true)
    expect(isPermanentEmailError({ responseCode: 451 })).toBe(false)
    expect(isPermanentEmailError({ code: 'ESOCKET' })).toBe(false)
    expect(isPermanentEmailError(new Error('connect ECONNREFUSED'))).toBe(false)
    expect(isPermanentEmailError(null)).toBe(false)
  })

  it('reads the policy from the environment, with defaults for missing or bad values', () => {
    expect(retryPolicyFromEnv({})).toEqual(DEFAULT_RETRY_POLICY)
    expect(retryPolicyFromEnv({ OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_MS: '10', OUTBOX_RETRY_CAP_MS: 'x' })).toEqual({
      baseMs: 10,
      capMs: DEFAULT_RETRY_POLICY.capMs,
      maxAttempts: 3,
    })
    expect(retryPolicyFromEnv({ OUTBOX_MAX_ATTEMPTS: '0' }).maxAttempts).toBe(1)
  })
})
