// The oversight figures, assembled from what the database counted (overview) or from one agency's
// rows (agency page, compliance). Pure: data in, data out; definitions in decision 010.
import type { TaskStatus } from '../../db/schema'
import { CAN_BE_OVERDUE, daysOverdue } from '../tasks/dates'
import { TASK_STATUSES, type ComplianceIssue } from './filters'
import {
  ageBucket,
  AGE_BUCKETS,
  closedRate,
  closingTimeliness,
  daysSince,
  publicationTimeliness,
  reportDeadline,
  type AgeBucket,
  type Timeliness,
} from './rules'

// ─── Overview ───────────────────────────────────────────────────────────────────────────────────

/** What the database summed for one agency (or for all of them): tasks by status and the flags. */
export interface AgencySums {
  agencyId: string | null
  name: string | null
  byStatus: Record<TaskStatus, number>
  /** Plan tasks (the rest are problem tasks). */
  plans: number
  /** Open tasks whose deadline has passed. */
  overdue: number
  returned: number
  evidenced: number
  recurring: number
  reportsByYear: Record<number, number>
}

export interface TaskFigures {
  tasks: number
  /** Plan tasks: the commitments being tracked. */
  commitments: number
  /** Problem tasks. */
  problems: number
  byStatus: Record<TaskStatus, number>
  closed: number
  cancelled: number
  closedRate: number | null
  overdue: number
  /** Tasks returned at least once. */
  returned: number
  /** Problem tasks that are confirmed recurrences of an earlier year's problem. */
  recurring: number
  /** Commitments with confirmed evidence of completion in the next year's report. */
  evidenced: number
}

export interface OverviewRow extends TaskFigures {
  agencyId: string | null
  name: string
  /** Reports per year of the range (0 when missing). */
  reportsByYear: Record<number, number>
  reports: number
}

export const zeroByStatus = (): Record<TaskStatus, number> =>
  Object.fromEntries(TASK_STATUSES.map(s => [s, 0])) as Record<TaskStatus, number>

export function taskFigures(s: Pick<AgencySums, 'byStatus' | 'plans' | 'overdue' | 'returned' | 'evidenced' | 'recurring'>): TaskFigures {
  const tasks = TASK_STATUSES.reduce((n, st) => n + s.byStatus[st], 0)
  return {
    tasks,
    commitments: s.plans,
    problems: tasks - s.plans,
    byStatus: s.byStatus,
    closed: s.byStatus.closed,
    cancelled: s.byStatus.cancelled,
    closedRate: closedRate(s.byStatus.closed, tasks, s.byStatus.cancelled),
    overdue: s.overdue,
    returned: s.returned,
    recurring: s.recurring,
    evidenced: s.evidenced,
  }
}

/** An overview row (or the totals row, with `name`) from the database's sums. */
export function overviewRow(s: AgencySums, unknownAgency: string): OverviewRow {
  return {
    agencyId: s.agencyId,
    name: s.name ?? unknownAgency,
    reportsByYear: s.reportsByYear,
    reports: Object.values(s.reportsByYear).reduce((a, b) => a + b, 0),
    ...taskFigures(s),
  }
}

const collator = new Intl.Collator('zh-CN')

export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(rows.length / size))
  const p = Math.min(Math.max(1, page), pageCount)
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pageCount }
}

// ─── Agency page ────────────────────────────────────────────────────────────────────────────────

export interface AgencyTask {
  id: string
  year: number
  kind: 'problem' | 'plan'
  status: TaskStatus
  dueDate: string | null
  createdAt: string
  closedAt: string | null
  returned: boolean
}

export interface AgencyYear {
  year: number
  reports: number
  tasks: number
  closed: number
  cancelled: number
  closedRate: number | null
  closedOnTime: number
  closedLate: number
  /** Open and past the deadline today. */
  overdue: number
  /** Neither closed nor cancelled nor overdue: still within the deadline, or long-running (长期坚持). */
  notDue: number
  returned: number
  /** Problems the year's reports admit (extracted items). */
  problemsAdmitted: number
  /** Of those, confirmed recurrences of an earlier year's problem. */
  problemsRecurring: number
  /** Commitments (plans) the year's reports make. */
  commitments: number
}

export interface AgencyYearInput {
  years: readonly number[]
  tasks: readonly AgencyTask[]
  reports: readonly { year: number; problems: number; plans: number; recurring: number }[]
  today: string
}

export function agencyYears({ years, tasks, reports, today }: AgencyYearInput): AgencyYear[] {
  return years.map(year => {
    const mine = tasks.filter(t => t.year === year)
    const closedTasks = mine.filter(t => t.status === 'closed')
    const onTime = closedTasks.filter(t => closingTimeliness(t.closedAt ?? t.createdAt, t.dueDate) === 'on_time').length
    const cancelled = mine.filter(t => t.status === 'cancelled').length
    const yearReports = reports.filter(r => r.year === year)
    const overdue = mine.filter(t => daysOverdue(t.dueDate, t.status, today) !== null).length
    return {
      year,
      reports: yearReports.length,
      tasks: mine.length,
      closed: closedTasks.length,
      cancelled,
      closedRate: closedRate(closedTasks.length, mine.length, cancelled),
      closedOnTime: onTime,
      closedLate: closedTasks.length - onTime,
      overdue,
      notDue: mine.length - closedTasks.length - cancelled - overdue,
      returned: mine.filter(t => t.returned).length,
      problemsAdmitted: yearReports.reduce((n, r) => n + r.problems, 0),
      problemsRecurring: yearReports.reduce((n, r) => n + r.recurring, 0),
      commitments: yearReports.reduce((n, r) => n + r.plans, 0),
    }
  })
}

/** Open tasks (awaiting close-out: 待分派, 进行中, 待核验) by how long ago they were created. */
export function openTasksByAge(
  tasks: readonly Pick<AgencyTask, 'status' | 'createdAt'>[],
  today: string,
): { bucket: AgeBucket; count: number }[] {
  const counts = new Map<AgeBucket, number>(AGE_BUCKETS.map(b => [b.key, 0]))
  for (const t of tasks) {
    if (!(CAN_BE_OVERDUE as readonly string[]).includes(t.status)) continue
    const b = ageBucket(Math.max(0, daysSince(t.createdAt, today)))
    counts.set(b, counts.get(b)! + 1)
  }
  return AGE_BUCKETS.map(b => ({ bucket: b.key, count: counts.get(b.key)! }))
}

// ─── Compliance ─────────────────────────────────────────────────────────────────────────────────

export type FollowUpState = 'yes' | 'no' | 'na'

/**
 * Does the report account for last year's commitments? 'na' when the system holds no report of the
 * agency for the year before, or that report made no commitment; 'yes' when at least one of those
 * commitments has evidence in this report that no supervisor rejected; otherwise 'no'.
 */
export function followUpState(previousPlans: number | null, evidence: number): FollowUpState {
  if (!previousPlans) return 'na'
  return evidence > 0 ? 'yes' : 'no'
}

export interface ComplianceReport {
  reportId: string
  agencyId: string | null
  agencyName: string
  year: number
  title: string | null
  publishedAt: string | null
  problems: number
  plans: number
  /** Commitments in the agency's report of the year before (null: no such report). */
  previousPlans: number | null
  /** Evidence suggestions (not rejected) linking those commitments to this report. */
  evidence: number
}

export interface ComplianceRow {
  reportId: string
  agencyId: string | null
  agencyName: string
  year: number
  title: string | null
  publishedAt: string | null
  deadline: string
  timeliness: Timeliness
  problems: number
  plans: number
  followUp: FollowUpState
}

export function complianceRow(r: ComplianceReport): ComplianceRow {
  return {
    reportId: r.reportId,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    year: r.year,
    title: r.title,
    publishedAt: r.publishedAt,
    deadline: reportDeadline(r.year, r.agencyName),
    timeliness: publicationTimeliness(r.year, r.publishedAt, r.agencyName),
    problems: r.problems,
    plans: r.plans,
    followUp: followUpState(r.previousPlans, r.evidence),
  }
}

export function hasIssue(row: ComplianceRow, issue: ComplianceIssue): boolean {
  switch (issue) {
    case 'late':
      return row.timeliness === 'late'
    case 'unknownDate':
      return row.timeliness === 'unknown'
    case 'noProblems':
      return row.problems === 0
    case 'noPlans':
      return row.plans === 0
    case 'noFollowUp':
      return row.followUp === 'no'
  }
}

export interface ComplianceSummary {
  reports: number
  onTime: number
  late: number
  unknownDate: number
  noProblems: number
  noPlans: number
  followUpYes: number
  followUpNo: number
  missing: number
}

export function complianceSummary(rows: readonly ComplianceRow[], missing: number): ComplianceSummary {
  return {
    reports: rows.length,
    onTime: rows.filter(r => r.timeliness === 'on_time').length,
    late: rows.filter(r => r.timeliness === 'late').length,
    unknownDate: rows.filter(r => r.timeliness === 'unknown').length,
    noProblems: rows.filter(r => r.problems === 0).length,
    noPlans: rows.filter(r => r.plans === 0).length,
    followUpYes: rows.filter(r => r.followUp === 'yes').length,
    followUpNo: rows.filter(r => r.followUp === 'no').length,
    missing,
  }
}

export interface MissingReport {
  agencyId: string
  agencyName: string
  year: number
}

/**
 * Every (agency, year) of the range with no report, for the agencies that have a report in any
 * year: from the agency's first known report on (it is not asked for years before the system knows
 * of it), and only once the year's publication deadline has passed.
 */
export function missingReports(
  agencies: readonly { id: string; name: string; years: readonly number[] }[],
  years: readonly number[],
  today: string,
): MissingReport[] {
  const out: MissingReport[] = []
  for (const a of agencies) {
    if (!a.years.length) continue
    const have = new Set(a.years)
    const first = Math.min(...a.years)
    for (const y of years)
      if (y >= first && !have.has(y) && reportDeadline(y, a.name) < today) out.push({ agencyId: a.id, agencyName: a.name, year: y })
  }
  return out.sort((x, y) => collator.compare(x.agencyName, y.agencyName) || x.year - y.year)
}

/** The missing years of each agency on one line, as the page and its export show them. */
export function missingByAgency(missing: readonly MissingReport[]): { agencyId: string; agencyName: string; years: number[] }[] {
  const out = new Map<string, { agencyId: string; agencyName: string; years: number[] }>()
  for (const m of missing) {
    const a = out.get(m.agencyId) ?? { agencyId: m.agencyId, agencyName: m.agencyName, years: [] }
    a.years.push(m.year)
    out.set(m.agencyId, a)
  }
  return [...out.values()]
}

export function sortCompliance(rows: readonly ComplianceRow[]): ComplianceRow[] {
  return [...rows].sort((a, b) => collator.compare(a.agencyName, b.agencyName) || b.year - a.year || a.reportId.localeCompare(b.reportId))
}
