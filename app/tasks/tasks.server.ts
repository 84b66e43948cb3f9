// Tasks: created once per confirmed item (or imported ledger row), only by createTask; every change
// leaves a task event (writeEvent; it notifies, see app/notify/events.ts).
import type { Insertable, Transaction } from 'kysely'
import type { DB } from '../../db/db'
import type { Database, TaskTable } from '../../db/schema'
import { newId } from '../../db/ids'
import type { SessionUser } from '../auth/session.server'
import { canOwnTasks, inScope, isUnder, type Actor } from '../auth/scope'
import { AppError } from '../errors'
import type { AssignedTask } from '../notify/events'
import { recordConfirmNotices } from '../notify/events.server'
import { defaultDueDate, todayInShanghai } from './dates'
import { returnedReasonFromTimeline } from './status'
import { loadTaskInScope, writeEvent } from './workflow.server'
import { zh } from '../ui/zh'

/** A new task's row; its creator and times are createTask's. */
export type NewTask = Omit<Insertable<TaskTable>, 'created_by' | 'created_at' | 'updated_at' | 'closed_at'>

/**
 * The one place tasks are made: the row and its 'created' event (through writeEvent), in the
 * caller's transaction. False when the item already has its task (tasks.item_id is unique), and then
 * nothing is written.
 */
export async function createTask(
  trx: Transaction<Database>,
  task: NewTask,
  by: { actorId: string; at: string; note?: string | null },
): Promise<boolean> {
  const res = await trx
    .insertInto('tasks')
    .values({ ...task, created_by: by.actorId, created_at: by.at, updated_at: by.at, closed_at: null })
    .onConflict(oc => oc.column('item_id').doNothing())
    .executeTakeFirst()
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false
  const after = { status: task.status, owner_id: task.owner_id ?? null, unit_id: task.unit_id, due_date: task.due_date ?? null }
  await writeEvent(trx, { taskId: task.id, actorId: by.actorId, type: 'created', after, note: by.note ?? null, at: by.at })
  return true
}

/**
 * Confirms an extracted report: one task per item, exactly once. Confirming again (or a double
 * click racing itself) creates nothing new, because tasks.item_id is unique. No task is born
 * overdue: an item's deadline already past on `now` (an old report's default) becomes today plus
 * the days of its priority.
 */
export async function confirmReport(db: DB, user: SessionUser, reportId: string, now = new Date()): Promise<{ created: number } | null> {
  return db.transaction().execute(trx => confirmReportInTrx(trx, user, reportId, now))
}

/** confirmReport inside a caller's transaction (the API applies per-item settings in the same one). */
export async function confirmReportInTrx(
  trx: Transaction<Database>,
  user: SessionUser,
  reportId: string,
  at = new Date(),
): Promise<{ created: number } | null> {
  {
    const report = await trx
      .selectFrom('reports')
      .innerJoin('units', 'units.id', 'reports.unit_id')
      .select(['reports.id', 'reports.status', 'reports.unit_id', 'reports.agency_name', 'reports.year', 'units.path'])
      .where('reports.id', '=', reportId)
      .executeTakeFirst()
    if (!report || !inScope(user, report.path)) return null
    // Only an extracted report is confirmed; confirming again (or a ledger-import source report) creates nothing.
    if (report.status !== 'extracted') return { created: 0 }
    const items = await trx.selectFrom('report_items').selectAll().where('report_id', '=', reportId).orderBy('seq').execute()
    // Every owner must belong to the unit the task is created in (however the item got its settings).
    const ownerIds = [...new Set(items.map(i => i.owner_id).filter((o): o is string => !!o))]
    const unitIds = [...new Set(items.filter(i => i.owner_id).map(i => i.unit_id ?? report.unit_id))]
    const unitPaths = new Map(
      unitIds.length
        ? (await trx.selectFrom('units').select(['id', 'path']).where('id', 'in', unitIds).execute()).map(u => [u.id, u.path])
        : [],
    )
    const owners = ownerIds.length
      ? await trx
          .selectFrom('users')
          .innerJoin('units', 'units.id', 'users.unit_id')
          .select(['users.id', 'users.role', 'users.active', 'units.path'])
          .where('users.id', 'in', ownerIds)
          .execute()
      : []
    // The same rules as requireOwner (app/auth/scope.server.ts), for every item at once, naming the items.
    const usable = new Set(owners.filter(o => o.active && inScope(user, o.path)).map(o => o.id))
    const unusable = items.filter(i => i.owner_id && !usable.has(i.owner_id))
    if (unusable.length) throw new AppError(400, zh.scope.itemOwnersUnusable(unusable.map(i => i.title.slice(0, 20))))
    const ownerPaths = new Map(owners.map(o => [o.id, o.path]))
    const misplaced = items.filter(i => {
      const ownerPath = i.owner_id ? ownerPaths.get(i.owner_id) : undefined
      const unitPath = unitPaths.get(i.unit_id ?? report.unit_id)
      return i.owner_id && !(ownerPath && unitPath && isUnder(ownerPath, unitPath))
    })
    if (misplaced.length)
      throw new AppError(400, `以下各条的责任人不属于其责任单位，请先改正：${misplaced.map(i => i.title.slice(0, 20)).join('、')}`)
    const notOwners = new Set(owners.filter(o => !canOwnTasks(o.role)).map(o => o.id))
    const wrongRole = items.filter(i => i.owner_id && notOwners.has(i.owner_id))
    if (wrongRole.length)
      throw new AppError(
        400,
        `以下各条的责任人是监督方或系统管理员，不能担任责任人，请先改正：${wrongRole.map(i => i.title.slice(0, 20)).join('、')}`,
      )
    const today = todayInShanghai(at)
    const now = at.toISOString()
    let created = 0
    const assigned: AssignedTask[] = []
    for (const item of items) {
      const id = newId()
      const dueDate = defaultDueDate(item.due_date, item.priority, today)
      // The review may have set unit, owner and priority on the item; an owner means work has started.
      const status = item.owner_id ? 'in_progress' : 'unassigned'
      const task = {
        id,
        report_id: reportId,
        item_id: item.id,
        kind: item.kind,
        title: item.title,
        text: item.text,
        unit_id: item.unit_id ?? report.unit_id,
        owner_id: item.owner_id,
        due_date: dueDate,
        priority: item.priority,
        status,
      } as const
      if (await createTask(trx, task, { actorId: user.id, at: now })) {
        created++
        if (item.owner_id) assigned.push({ id, title: item.title, ownerId: item.owner_id, dueDate })
      }
    }
    await trx.updateTable('reports').set({ status: 'confirmed', updated_at: now }).where('id', '=', reportId).execute()
    // Owners chosen at review hear of their new tasks now, one notice each, with the confirmation.
    await recordConfirmNotices(trx, { id: report.id, agency: report.agency_name, year: report.year }, assigned, user.id, now)
    return { created }
  }
}

export { daysOverdue, todayInShanghai } from './dates'

/** The task with its names and timeline, if the user may see it (the same scope rule as every change). */
export async function getTaskForUser(db: DB, { id, user }: { id: string; user: Actor }) {
  try {
    await loadTaskInScope(db, user, id)
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null
    throw err
  }
  const task = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .leftJoin('users as owner', 'owner.id', 'tasks.owner_id')
    .innerJoin('reports', 'reports.id', 'tasks.report_id')
    .selectAll('tasks')
    .select([
      'units.name as unit_name',
      'units.path as unit_path',
      'owner.display_name as owner_name',
      'reports.filename as report_filename',
      'reports.agency_name',
      'reports.year as report_year',
    ])
    .where('tasks.id', '=', id)
    .executeTakeFirstOrThrow()
  const events = await db
    .selectFrom('task_events')
    .leftJoin('users', 'users.id', 'task_events.actor_id')
    .select([
      'task_events.id',
      'task_events.type',
      'task_events.before',
      'task_events.after',
      'task_events.note',
      'task_events.created_at',
      'users.display_name as actor_name',
    ])
    .where('task_id', '=', id)
    .orderBy('task_events.created_at')
    .execute()
  return { task, events, returnedReason: returnedReasonFromTimeline(task.status, events) }
}
