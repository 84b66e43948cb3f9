// Calendar rules for deadlines. Pure. Deadlines are calendar dates in Asia/Shanghai.

/** Statuses whose deadline can pass: closed, cancelled and ongoing (长期坚持: periodic updates, no single close) cannot. */
export const CAN_BE_OVERDUE = ['unassigned', 'in_progress', 'pending_review'] as const

/**
 * Whole days past the deadline, or null when not overdue. Overdue is derived, never stored.
 */
export function daysOverdue(dueDate: string | null, status: string, today: string): number | null {
  if (!dueDate || !(CAN_BE_OVERDUE as readonly string[]).includes(status)) return null
  const days = Math.round((Date.parse(today) - Date.parse(dueDate)) / 86_400_000)
  return days > 0 ? days : null
}

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}

/**
 * A deadline as stored: a real calendar date, YYYY-MM-DD, between 2000 and 2100. "9999-99-99",
 * "2026-02-30" or a spreadsheet formula would be stored as given and never fall due.
 */
export function isValidDueDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const [y, m, d] = s.split('-').map(Number)
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

export const INVALID_DUE_DATE = '整改时限应为有效日期（YYYY-MM-DD，2000–2100 年）。'
