import { describe, expect, it } from 'vitest'
import { addDays, daysOverdue, defaultDueDate, isLateRequest, isValidDueDate, pastDueDateProblem, todayInShanghai } from './dates'

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
    for (const bad of [
      '9999-99-99',
      '2026-02-30',
      '2027-02-29',
      '2026-13-01',
      '2026-00-10',
      '=HYPERLINK("http://evil","x")',
      '2026-1-1',
      '1999-12-31',
      '2101-01-01',
      '',
      null,
      20261231,
    ])
      expect(isValidDueDate(bad), String(bad)).toBe(false)
  })
})

describe('default deadlines are never in the past', () => {
  const today = '2026-12-07'
  it('keeps a suggested deadline that is still ahead (today included)', () => {
    expect(defaultDueDate('2027-12-31', 'normal', today)).toBe('2027-12-31')
    expect(defaultDueDate(today, 'high', today)).toBe(today)
  })
  it('replaces a past or missing one by today plus the days of the priority', () => {
    expect(defaultDueDate('2019-12-31', 'normal', today)).toBe('2027-03-07')
    expect(defaultDueDate('2019-12-31', 'high', today)).toBe('2027-01-06')
    expect(defaultDueDate(null, 'low', today)).toBe('2027-06-05')
    expect(defaultDueDate('2026-02-30', undefined, today)).toBe('2027-03-07')
    expect(defaultDueDate(null, 'unheard-of', today)).toBe('2027-03-07')
  })
  it('adds calendar days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })
  it('refuses a date a person sets before today, in Chinese', () => {
    expect(pastDueDateProblem('2026-12-06', today)).toBe('整改时限不能早于今天（2026-12-07）。')
    expect(pastDueDateProblem(today, today)).toBeNull()
    expect(pastDueDateProblem(null, today)).toBeNull()
  })
})

describe('isLateRequest', () => {
  it('marks an extension asked for after the deadline (Shanghai date), not one asked on or before it', () => {
    expect(isLateRequest('2026-12-06', '2026-12-07T01:00:00.000Z')).toBe(true)
    expect(isLateRequest('2026-12-07', '2026-12-07T01:00:00.000Z')).toBe(false)
    // 16:30 UTC on the 6th is already the 7th in Shanghai
    expect(isLateRequest('2026-12-06', '2026-12-06T16:30:00.000Z')).toBe(true)
    expect(isLateRequest(null, '2026-12-07T01:00:00.000Z')).toBe(false)
  })
})
