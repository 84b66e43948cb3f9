// Part of the follow-up step (app/followup/link.server.ts runFollowUp): when a report of agency A
// for year Y has been extracted, the open tasks from A's reports of earlier years remind their
// owners and supervisors, so unfinished work is not forgotten when the next report comes.
import type { DB } from '../../db/db'
import type { Report } from '../../db/schema'
import { unitIdsInLineWith } from '../auth/scope.server'
import { reportUnitPath } from '../org/org.server'
import { CAN_BE_OVERDUE } from '../tasks/dates'
import { planPriorYearReminders, type PlanTask } from './plan'
import { recordReminders, type RecordResult } from './record.server'
import { loadScope } from './sweep.server'

/** The report's row as the follow-up step has already read it. */
export type PriorYearReport = Pick<Report, 'id' | 'agency_id' | 'agency_name' | 'year'>

export async function notifyOpenPriorYearTasks(db: DB, reportOrId: string | PriorYearReport): Promise<RecordResult & { tasks: number }> {
  const report =
    typeof reportOrId === 'string'
      ? await db.selectFrom('reports').select(['id', 'agency_id', 'agency_name', 'year']).where('id', '=', reportOrId).executeTakeFirst()
      : reportOrId
  if (!report?.agency_id || report.year === null) return { tasks: 0, recorded: 0, emails: 0 }
  // Only reports and tasks of units on one line with this report's: a report filed in another tree
  // (a forged next year, another province's copy) neither reminds nor silences this tree's work.
  const path = await reportUnitPath(db, report.id)
  if (!path) return { tasks: 0, recorded: 0, emails: 0 }
  // Only the agency's newest report reminds: an older one filed late, or one re-linked after an
  // agency merge, would remind about tasks its successor has already reminded about.
  const newer = await db
    .selectFrom('reports')
    .select('id')
    .where('agency_id', '=', report.agency_id)
    .where('unit_id', 'in', unitIdsInLineWith(db, path))
    .where('year', '>', report.year)
    .where('status', 'in', ['extracted', 'confirmed'])
    .limit(1)
    .executeTakeFirst()
  if (newer) return { tasks: 0, recorded: 0, emails: 0 }
  const rows = await db
    .selectFrom('tasks')
    .innerJoin('reports', 'reports.id', 'tasks.report_id')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select(['tasks.id', 'tasks.title', 'tasks.status', 'tasks.due_date', 'tasks.deadline_version', 'tasks.owner_id', 'units.path'])
    .where('reports.agency_id', '=', report.agency_id)
    .where('tasks.unit_id', 'in', unitIdsInLineWith(db, path))
    .where('reports.year', '<', report.year)
    .where('tasks.status', 'in', [...CAN_BE_OVERDUE])
    .orderBy('tasks.id')
    .execute()
  if (!rows.length) return { tasks: 0, recorded: 0, emails: 0 }
  const tasks = rows.map((t): PlanTask => ({
    id: t.id,
    title: t.title,
    status: t.status,
    dueDate: t.due_date,
    deadlineVersion: t.deadline_version,
    ownerId: t.owner_id,
    unitPath: t.path,
  }))
  const { scope } = await loadScope(db)
  const reminders = planPriorYearReminders(tasks, scope, { id: report.id, agency: report.agency_name, year: report.year })
  return { tasks: rows.length, ...(await recordReminders(db, reminders)) }
}
