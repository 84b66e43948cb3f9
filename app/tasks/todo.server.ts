// 待办 for one person: each list of todo.ts counted and its first few tasks listed, through the same
// scoped task queries as the task list (so a count here is what the list behind its link shows).
import type { DB } from '../../db/db'
import type { SessionUser } from '../auth/session.server'
import { reportsAwaitingReview } from '../reports/queries.server'
import { todayInShanghai } from './dates'
import { listTasks, scopedTasks, type TaskFilters, type TaskRow } from './queries.server'
import { addDays, NAV_COUNTED, TODO_SHOWN, todoPlan, type TaskTodo, type TodoKey } from './todo'

export interface TodoList {
  key: TodoKey
  count: number
  href: string
  tasks: TaskRow[]
  reports?: Awaited<ReturnType<typeof reportsAwaitingReview>>['rows']
  extensions?: PendingExtension[]
}

export interface PendingExtension {
  id: string
  taskId: string
  taskTitle: string
  newDueDate: string
  reason: string
  createdAt: string
  requesterName: string | null
}

export async function todoFor(db: DB, user: SessionUser, today = todayInShanghai()): Promise<TodoList[]> {
  const plan = todoPlan(user.role)
  const lists: TodoList[] = []
  if (plan.reviewReports) {
    const { count, rows } = await reportsAwaitingReview(db, user, TODO_SHOWN)
    lists.push({ key: 'reviewReports', count, href: '/reports', tasks: [], reports: rows })
  }
  if (plan.extensions) lists.push(await pendingExtensions(db, user, today))
  for (const t of plan.tasks) {
    const { f, href } = filtersOf(t, user, today)
    const count = await countTasks(db, user, f, today)
    const tasks = count ? await listTasks(db, user, { ...f, sort: 'due', limit: TODO_SHOWN }, today) : []
    lists.push({ key: t.key, count, href, tasks })
  }
  return lists
}

/** A task list of the plan as task-list filters, and the link to the whole list. */
function filtersOf(t: TaskTodo, user: SessionUser, today: string): { f: TaskFilters; href: string } {
  const f: TaskFilters = { status: t.status, overdue: t.overdue, returned: t.returned, ownerId: t.mine ? user.id : undefined }
  if (t.dueWithinDays === undefined) return { f, href: t.href }
  f.dueBefore = addDays(today, t.dueWithinDays)
  f.overdue = false
  return { f, href: `${t.href}&due=${f.dueBefore}` }
}

async function countTasks(db: DB, user: SessionUser, f: TaskFilters, today: string): Promise<number> {
  const row = await (await scopedTasks(db, user, f, today)).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Extension requests waiting for a decision, on tasks in the user's scope. */
async function pendingExtensionsIn(db: DB, user: SessionUser, today: string) {
  const tasks = (await scopedTasks(db, user, {}, today)).select('tasks.id')
  return db
    .selectFrom('task_extensions as x')
    .innerJoin('tasks as t', 't.id', 'x.task_id')
    .where('x.status', '=', 'pending')
    .where('x.task_id', 'in', tasks)
}

/** Extension requests waiting for a decision on tasks in the user's scope, oldest first. */
async function pendingExtensions(db: DB, user: SessionUser, today: string): Promise<TodoList> {
  const base = await pendingExtensionsIn(db, user, today)
  const count = await base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .leftJoin('users as u', 'u.id', 'x.requested_by')
    .select(['x.id', 'x.task_id', 't.title', 'x.new_due_date', 'x.reason', 'x.created_at', 'u.display_name'])
    .orderBy('x.created_at')
    .orderBy('x.id')
    .limit(TODO_SHOWN)
    .execute()
  return {
    key: 'extensions',
    count: Number(count.n),
    href: '/tasks?status=in_progress',
    tasks: [],
    extensions: rows.map(r => ({
      id: r.id,
      taskId: r.task_id,
      taskTitle: r.title,
      newDueDate: r.new_due_date,
      reason: r.reason,
      createdAt: r.created_at,
      requesterName: r.display_name,
    })),
  }
}

/** For the navigation on every page: how many things wait for this person to act (todo.ts NAV_COUNTED). */
export async function countTodo(db: DB, user: SessionUser, today = todayInShanghai()): Promise<number> {
  const plan = todoPlan(user.role)
  let n = 0
  if (plan.reviewReports) n += (await reportsAwaitingReview(db, user, 0)).count
  if (plan.extensions)
    n += Number(
      (await (await pendingExtensionsIn(db, user, today)).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    )
  for (const t of plan.tasks) if (NAV_COUNTED.includes(t.key)) n += await countTasks(db, user, filtersOf(t, user, today).f, today)
  return n
}
