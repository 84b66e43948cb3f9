import { describe, expect, it } from 'vitest'
import { daysOverdue, isValidDueDate, todayInShanghai } from './dates'

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

describe('isValidDueDate', () => {
  it('accepts real calendar dates only', () => {
    for (const ok of ['2026-12-31', '2028-02-29', '2000-01-01']) expect(isValidDueDate(ok), ok).toBe(true)
    for (const bad of ['9999-99-99', '2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '=HYPERLINK("http://evil","x")', '2026-1-1', '1999-12-31', '2101-01-01', '', null, 20261231]) expect(isValidDueDate(bad), String(bad)).toBe(false)
  })
})
