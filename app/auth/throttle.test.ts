import { describe, expect, it } from 'vitest'
import { ADDRESS_POLICY, nextAttempt, PAIR_POLICY, waitAfter } from './throttle'

describe('login throttling', () => {
  it('lets a few failures through, then doubles the wait up to a cap (never a hard lock)', () => {
    expect([1, 2, 3, 4].map(f => waitAfter(f, PAIR_POLICY))).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 8].map(f => waitAfter(f, PAIR_POLICY))).toEqual([2_000, 4_000, 8_000, 16_000])
    expect(waitAfter(100, PAIR_POLICY)).toBe(15 * 60_000)
    expect(waitAfter(40, ADDRESS_POLICY)).toBe(0)
    expect(waitAfter(41, ADDRESS_POLICY)).toBe(1_000)
  })

  it('refuses while waiting, allows after, and forgets old failures', () => {
    const t0 = new Date('2026-12-07T08:00:00Z')
    let state = null as ReturnType<typeof nextAttempt> extends infer R ? (R extends { next: infer N } ? N : never) | null : never
    for (let i = 0; i < 5; i++) {
      const r = nextAttempt(state, new Date(t0.getTime() + i), PAIR_POLICY)
      expect(r.allowed).toBe(true)
      if (r.allowed) state = r.next
    }
    expect(state!.failures).toBe(5)
    const early = nextAttempt(state, new Date(t0.getTime() + 1_000), PAIR_POLICY)
    expect(early).toEqual({ allowed: false, retryAfterMs: 1_004 })
    const later = nextAttempt(state, new Date(t0.getTime() + 2_500), PAIR_POLICY)
    expect(later.allowed && later.next.failures).toBe(6)
    const muchLater = nextAttempt(state, new Date(t0.getTime() + 16 * 60_000), PAIR_POLICY)
    expect(muchLater.allowed && muchLater.next.failures).toBe(1)
  })
})
