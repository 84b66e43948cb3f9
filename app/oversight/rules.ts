// The rules behind the oversight figures (decision 010). Pure: dates are YYYY-MM-DD calendar days
// in Asia/Shanghai, timestamps ISO strings.
import { agencyParts } from '../agencies/match'
import { todayInShanghai } from '../tasks/dates'

/** The first report year under the 2019 revision of the disclosure regulation (条例). */
export const REGULATION_2019_FIRST_YEAR = 2019

/**
 * A government (人民政府, a development zone's 管委会, or its general office reporting for it), as
 * opposed to one of its departments. The follow-up engine's agency parts decide: a name that is
 * only places plus 政府/办/管委会 is the place's government.
 */
export function isGovernmentLevel(agencyName: string | null | undefined): boolean {
  if (!agencyName) return false
  const parts = agencyParts(agencyName)
  // "人民政府" alone names no place: not known to be a government.
  return parts.places.length > 0 && parts.organ === '政府'
}

/**
 * The publication deadline of the annual report on `year`. Since the 2019 regulation: departments
 * by 31 January of the next year, governments by 31 March. Before it (2008 regulation): 31 March
 * for everyone. An unknown agency is held to the department deadline.
 */
export function reportDeadline(year: number, agencyName: string | null | undefined): string {
  const next = year + 1
  if (year >= REGULATION_2019_FIRST_YEAR && !isGovernmentLevel(agencyName)) return `${next}-01-31`
  return `${next}-03-31`
}

export type Timeliness = 'on_time' | 'late' | 'unknown'

/** Was the report published by its deadline? Unknown when the report states no publication date. */
export function publicationTimeliness(
  year: number,
  publishedAt: string | null | undefined,
  agencyName: string | null | undefined,
): Timeliness {
  const day = publishedAt?.slice(0, 10)
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return 'unknown'
  return day <= reportDeadline(year, agencyName) ? 'on_time' : 'late'
}

/**
 * Share of tasks closed out (销号) among those still meant to be done: closed / (all − cancelled),
 * the same rule as the dashboard's completion rate (taskStats). Null when nothing is to be done.
 */
export function closedRate(closed: number, total: number, cancelled: number): number | null {
  const countable = total - cancelled
  return countable > 0 ? Math.round((closed / countable) * 10_000) / 10_000 : null
}

/** Whole days from an ISO timestamp's Shanghai date to `today`. */
export function daysSince(iso: string, today: string): number {
  const day = todayInShanghai(new Date(iso))
  return Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000)
}

export type ClosingTimeliness = 'on_time' | 'late'

/**
 * A closed task was closed on time when its Shanghai close-out date is on or before its deadline.
 * A task without a deadline cannot be late.
 */
export function closingTimeliness(closedAt: string, dueDate: string | null): ClosingTimeliness {
  if (!dueDate) return 'on_time'
  return todayInShanghai(new Date(closedAt)) <= dueDate ? 'on_time' : 'late'
}

export const AGE_BUCKETS = [
  { key: 'd30', upTo: 30 },
  { key: 'd90', upTo: 90 },
  { key: 'd180', upTo: 180 },
  { key: 'd365', upTo: 365 },
  { key: 'older', upTo: Infinity },
] as const
export type AgeBucket = (typeof AGE_BUCKETS)[number]['key']

/** The age bucket of an open task that has been open for `days` days (bucket upper bounds are inclusive). */
export function ageBucket(days: number): AgeBucket {
  return AGE_BUCKETS.find(b => days <= b.upTo)!.key
}

/** The default year range: the latest `span` years that have reports, or the last `span` years before this one. */
export function defaultYearRange(years: readonly number[], today: string, span = 5): { from: number; to: number } {
  const to = years.length ? Math.max(...years) : Number(today.slice(0, 4)) - 1
  return { from: to - span + 1, to }
}

/** Years from..to, inclusive. */
export function yearsBetween(from: number, to: number): number[] {
  const out: number[] = []
  for (let y = from; y <= to; y++) out.push(y)
  return out
}
