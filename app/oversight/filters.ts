// The oversight pages' filters live in the query string: a view can be bookmarked or sent on, and
// every export link carries exactly the filter the person is looking at. Pure.
import type { TaskStatus } from '../../db/schema'

export const TASK_STATUSES: readonly TaskStatus[] = ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled']

/** Agencies with at least one task in this status (or overdue) in the year range. */
export type StatusFilter = TaskStatus | 'overdue'

export const OVERVIEW_SORTS = [
  'name',
  'reports',
  'tasks',
  'commitments',
  'problems',
  'closedRate',
  'overdue',
  'returned',
  'recurring',
  'evidenced',
] as const
export type OverviewSort = (typeof OVERVIEW_SORTS)[number]

export const COMPLIANCE_ISSUES = ['late', 'unknownDate', 'noProblems', 'noPlans', 'noFollowUp'] as const
export type ComplianceIssue = (typeof COMPLIANCE_ISSUES)[number]

export interface OversightQuery {
  /** A unit id: that unit and everything below it. */
  unit: string
  /** Part of the agency's name, e.g. a place (示范市, 赣州). */
  region: string
  /** Report years, inclusive; '' = the default range. */
  from: string
  to: string
  status: StatusFilter | ''
  sort: OverviewSort
  dir: 'asc' | 'desc'
  page: number
  /** Recurring board: also show recurrences no supervisor has confirmed yet. */
  pending: boolean
  /** Compliance: only rows with this shortcoming. */
  issue: ComplianceIssue | ''
}

const YEAR = /^(19|20)\d{2}$/

export function readOversightQuery(params: URLSearchParams): OversightQuery {
  const year = (key: string) => {
    const v = params.get(key)?.trim() ?? ''
    return YEAR.test(v) ? v : ''
  }
  let from = year('from')
  let to = year('to')
  if (from && to && from > to) [from, to] = [to, from]
  const status = params.get('status') ?? ''
  const sort = params.get('sort') ?? ''
  const dir = params.get('dir')
  const page = Number(params.get('page'))
  const issue = params.get('issue') ?? ''
  return {
    unit: params.get('unit')?.trim().slice(0, 64) ?? '',
    region: (params.get('region') ?? '').trim().slice(0, 30),
    from,
    to,
    status: status === 'overdue' || (TASK_STATUSES as readonly string[]).includes(status) ? (status as StatusFilter) : '',
    sort: (OVERVIEW_SORTS as readonly string[]).includes(sort) ? (sort as OverviewSort) : 'overdue',
    dir: dir === 'asc' || dir === 'desc' ? dir : sort === 'name' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page > 1 ? page : 1,
    pending: params.get('pending') === '1',
    issue: (COMPLIANCE_ISSUES as readonly string[]).includes(issue) ? (issue as ComplianceIssue) : '',
  }
}

const DEFAULTS: OversightQuery = readOversightQuery(new URLSearchParams())

/** The query string of a filter (defaults left out), with some keys replaced, e.g. a sort link or the export. */
export function oversightSearch(q: OversightQuery, change: Partial<OversightQuery> = {}): string {
  const merged = { ...q, ...change }
  const p = new URLSearchParams()
  if (merged.unit) p.set('unit', merged.unit)
  if (merged.region) p.set('region', merged.region)
  if (merged.from) p.set('from', merged.from)
  if (merged.to) p.set('to', merged.to)
  if (merged.status) p.set('status', merged.status)
  if (merged.sort !== DEFAULTS.sort || merged.dir !== (merged.sort === 'name' ? 'asc' : 'desc')) {
    p.set('sort', merged.sort)
    p.set('dir', merged.dir)
  }
  if (merged.pending) p.set('pending', '1')
  if (merged.issue) p.set('issue', merged.issue)
  if (merged.page > 1) p.set('page', String(merged.page))
  return p.toString()
}

/** The link that sorts by `key`: the other direction when already sorted by it, else its natural one. */
export function sortLink(q: OversightQuery, key: OverviewSort): string {
  const dir = q.sort === key ? (q.dir === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc'
  return oversightSearch(q, { sort: key, dir, page: 1 })
}
