// The ledger's filters live in the query string, so a filtered view can be bookmarked, and the
// export link carries exactly the filter the person is looking at.
import type { TaskStatus } from '../../db/schema'
import type { TaskFilters } from '../tasks/queries.server'

const STATUSES: readonly TaskStatus[] = ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled']
const FILTER_KEYS = ['status', 'unit', 'owner', 'year', 'overdue', 'q'] as const

export interface LedgerQuery {
  status: TaskStatus[]
  unit: string
  owner: string
  year: string
  /** '1' only overdue, '0' only not overdue, '' all. */
  overdue: '' | '1' | '0'
  q: string
}

export function readLedgerQuery(params: URLSearchParams): LedgerQuery {
  const year = params.get('year')?.trim() ?? ''
  const overdue = params.get('overdue')
  return {
    status: params.getAll('status').filter((s): s is TaskStatus => (STATUSES as readonly string[]).includes(s)),
    unit: params.get('unit')?.trim() ?? '',
    owner: params.get('owner')?.trim() ?? '',
    year: /^\d{4}$/.test(year) ? year : '',
    overdue: overdue === '1' || overdue === '0' ? overdue : '',
    q: (params.get('q') ?? '').trim().slice(0, 100),
  }
}

export function toTaskFilters(q: LedgerQuery): TaskFilters {
  return {
    ...(q.status.length ? { status: q.status } : {}),
    ...(q.unit ? { unitId: q.unit } : {}),
    ...(q.owner ? { ownerId: q.owner } : {}),
    ...(q.year ? { year: Number(q.year) } : {}),
    ...(q.overdue ? { overdue: q.overdue === '1' } : {}),
    ...(q.q ? { q: q.q } : {}),
  }
}

/** The query string of a filter (without format), for export links. */
export function ledgerSearch(q: LedgerQuery): string {
  const p = new URLSearchParams()
  for (const key of FILTER_KEYS) {
    const v = q[key]
    if (Array.isArray(v)) v.forEach(s => p.append(key, s))
    else if (v) p.set(key, v)
  }
  return p.toString()
}
