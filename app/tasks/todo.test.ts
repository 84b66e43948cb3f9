import { describe, expect, it } from 'vitest'
import { addDays, NAV_COUNTED, todoPlan } from './todo'

describe('待办 by role', () => {
  it('managers see reports to review, extensions, submissions, unassigned, overdue and due soon', () => {
    const p = todoPlan('supervisor')
    expect(p.reviewReports).toBe(true)
    expect(p.extensions).toBe(true)
    expect(p.tasks.map(t => t.key)).toEqual(['pendingReview', 'unassigned', 'overdue', 'dueSoon'])
    expect(p.tasks.every(t => !t.mine)).toBe(true)
  })
  it('staff see only their own: returned to them, overdue, due soon', () => {
    const p = todoPlan('staff')
    expect(p.reviewReports || p.extensions).toBe(false)
    expect(p.tasks.map(t => t.key)).toEqual(['returned', 'overdue', 'dueSoon'])
    expect(p.tasks.every(t => t.mine)).toBe(true)
  })
  it('oversight act on nothing: they watch what is late', () => {
    const p = todoPlan('oversight')
    expect(p.tasks.map(t => t.key)).toEqual(['overdue'])
    expect(p.tasks.some(t => NAV_COUNTED.includes(t.key))).toBe(false)
  })
  it('counts days on the calendar', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08')
  })
})
