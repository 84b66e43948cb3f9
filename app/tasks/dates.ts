// Calendar rules for deadlines. Pure. Deadlines are calendar dates in Asia/Shanghai.

/** Whole days past the deadline, or null when not overdue. Overdue is derived, never stored. */
export function daysOverdue(dueDate: string | null, status: string, today: string): number | null {
  if (!dueDate || status === 'closed' || status === 'cancelled') return null
  const days = Math.round((Date.parse(today) - Date.parse(dueDate)) / 86_400_000)
  return days > 0 ? days : null
}

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}
