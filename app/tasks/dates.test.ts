import { describe, expect, it } from 'vitest'
import { daysOverdue, todayInShanghai } from './dates'

describe('overdue is derived', () => {
  it('counts whole days past the deadline for open tasks only', () => {
    expect(daysOverdue('2026-11-20', 'in_progress', '2026-11-23')).toBe(3)
    expect(daysOverdue('2026-11-23', 'in_progress', '2026-11-23')).toBeNull()
    expect(daysOverdue('2026-11-24', 'in_progress', '2026-11-23')).toBeNull()
    expect(daysOverdue('2026-11-20', 'closed', '2026-11-23')).toBeNull()
    expect(daysOverdue('2026-11-20', 'cancelled', '2026-11-23')).toBeNull()
    expect(daysOverdue('2026-11-20', 'ongoing', '2026-11-23')).toBeNull()
    expect(daysOverdue('2026-11-20', 'pending_review', '2026-11-23')).toBe(3)
    expect(daysOverdue(null, 'in_progress', '2026-11-23')).toBeNull()
  })
  it('uses the Shanghai calendar day', () => {
    expect(todayInShanghai(new Date('2026-11-23T15:59:00Z'))).toBe('2026-11-23')
    expect(todayInShanghai(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24')
  })
})
