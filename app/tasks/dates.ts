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
