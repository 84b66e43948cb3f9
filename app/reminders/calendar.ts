// Calendar arithmetic for reminders. Pure. Dates are counted as whole days ("day numbers": days
// since 1970-01-01) so the per-task work is integer arithmetic; the time zone is applied only when
// turning an instant into the local date and wall-clock time.

const DAY_MS = 86_400_000

/** "YYYY-MM-DD" → day number. */
export function dayNumber(date: string): number {
  const y = +date.slice(0, 4)
  const m = +date.slice(5, 7)
  const d = +date.slice(8, 10)
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS)
}

/** Day number → "YYYY-MM-DD". */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1
}

/** ISO week of a day number, e.g. "2026-W48". */
export function isoWeek(day: number): string {
  const thursday = day - isoWeekday(day) + 4
  const year = new Date(thursday * DAY_MS).getUTCFullYear()
  const firstThursdayWeek = Math.floor(Date.UTC(year, 0, 4) / DAY_MS)
  const week1Monday = firstThursdayWeek - isoWeekday(firstThursdayWeek) + 1
  const week = Math.floor((thursday - week1Monday) / 7) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

export interface LocalTime {
  /** Local calendar day number. */
  day: number
  /** Local wall-clock minutes since 1970-01-01 00:00 (as if the zone were UTC): comparable, no offsets. */
  minutes: number
  hour: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The local date and wall-clock time of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const p: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const day = Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS)
  const hour = p.hour % 24
  return { day, hour, minutes: day * 1440 + hour * 60 + p.minute }
}
