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

/** How far ahead a deadline is set when none still lies ahead, by the task's priority (days from today). */
export const DEFAULT_DEADLINE_DAYS: Record<string, number> = { high: 30, normal: 90, low: 180 }

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The deadline a task or review item starts with: the suggested one (from the report's text, or
 * 31 December of the year after the report's) while it is today or later; otherwise today plus the
 * days of its priority, so no task is born overdue (an old report's suggestion lies in the past).
 */
export function defaultDueDate(suggested: string | null | undefined, priority: string | null | undefined, today: string): string {
  if (suggested && isValidDueDate(suggested) && suggested >= today) return suggested
  return addDays(today, DEFAULT_DEADLINE_DAYS[priority ?? 'normal'] ?? DEFAULT_DEADLINE_DAYS.normal)
}

/** The Chinese refusal of a deadline a person sets before today, or null. */
export function pastDueDateProblem(date: string | null | undefined, today: string): string | null {
  return date && date < today ? `整改时限不能早于今天（${today}）。` : null
}

/**
 * Whether an extension was asked for after the deadline had passed (逾期申请). Derived, like
 * overdue: the deadline it asked to move, against the Shanghai date it was asked on.
 */
export function isLateRequest(oldDueDate: string | null, requestedAt: string): boolean {
  return !!oldDueDate && oldDueDate < todayInShanghai(new Date(requestedAt))
}
