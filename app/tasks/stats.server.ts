// Figures for dashboards and GET /api/v1/stats: tasks by status, overdue, completion rate.
// One aggregate query (the scope rule is the same as listTasks'), then a pure summary.
import type { DB } from '../../db/db'
import type { TaskStatus } from '../../db/schema'
import { CAN_BE_OVERDUE, todayInShanghai } from './dates'
import { scopedTasks } from './queries.server'
import type { Actor } from '../auth/scope'

export const TASK_STATUSES: readonly TaskStatus[] = ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled']

export interface StatsFilters {
  year?: number
  /** A unit and everything below it. */
  unitId?: string
  /** Substring of the report's agency name. */
  agency?: string
}

export interface TaskStats {
  total: number
  byStatus: Record<TaskStatus, number>
  overdue: number
  /** closed / (all but cancelled); null when there is nothing to complete. */
  completionRate: number | null
}

/** Pure: counts per status (missing ones are 0) and the overdue count → the published figures. */
export function summarizeTaskCounts(counts: Partial<Record<TaskStatus, number>>, overdue: number): TaskStats {
  const byStatus = Object.fromEntries(TASK_STATUSES.map(s => [s, Number(counts[s] ?? 0)])) as Record<TaskStatus, number>
  const total = TASK_STATUSES.reduce((n, s) => n + byStatus[s], 0)
  const countable = total - byStatus.cancelled
  const completionRate = countable > 0 ? Math.round((byStatus.closed / countable) * 10_000) / 10_000 : null
  return { total, byStatus, overdue, completionRate }
}

export async function taskStats(db: DB, actor: Actor, f: StatsFilters = {}, today = todayInShanghai()): Promise<TaskStats> {
  const q = await scopedTasks(db, actor, { unitId: f.unitId, year: f.year, agency: f.agency }, today)
  const rows = await q
    .select(eb => [
      'tasks.status',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('tasks.due_date', '<', today), eb('tasks.status', 'in', [...CAN_BE_OVERDUE])]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('overdue'),
    ])
    .groupBy('tasks.status')
    .execute()
  const counts: Partial<Record<TaskStatus, number>> = {}
  let overdue = 0
  for (const r of rows) {
    counts[r.status] = Number(r.n)
    overdue += Number(r.overdue ?? 0)
  }
  return summarizeTaskCounts(counts, overdue)
}
