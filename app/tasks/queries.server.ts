// The one way to list tasks: pages, the ledger, exports and the API all filter through here; and
// the one way to read one task with its timeline, evidence and extension requests (getTaskDetail).
import type { DB } from '../../db/db'
import type { ExpressionBuilder } from 'kysely'
import type { Database, TaskStatus } from '../../db/schema'
import { CAN_BE_OVERDUE, daysOverdue, isLateRequest, todayInShanghai } from './dates'
import { RETURN_STATE_EVENTS, returnedReason } from './status'
import type { Actor } from '../auth/scope'
import { pathUnder, taskVisible } from '../auth/scope.server'
import { getTaskForUser } from './tasks.server'

export interface TaskFilters {
  status?: TaskStatus[]
  ownerId?: string
  /** A unit and everything below it. */
  unitId?: string
  reportId?: string
  /** The year the source report covers. */
  year?: number
  agency?: string
  /** Deadline on or before this date (YYYY-MM-DD). */
  dueBefore?: string
  /** true: only overdue (deadline passed, not closed or cancelled); false: only not overdue. */
  overdue?: boolean
  /** Staff's "my tasks": owned by me, or unassigned in my unit. */
  mine?: boolean
  /** Only tasks returned to their owner and not submitted again (已退回, status.ts). */
  returned?: boolean
  /** Substring of title or text. */
  q?: string
  sort?: 'due' | 'updated' | 'created' | 'status'
  limit?: number
  offset?: number
}

/**
 * Tasks the actor may see, narrowed by the filters: the base of every task list and every figure.
 * Scope: admins everything; others their unit subtree, plus what they own.
 */
export async function scopedTasks(db: DB, actor: Actor, f: Omit<TaskFilters, 'sort' | 'limit' | 'offset'> = {}, today = todayInShanghai()) {
  let q = db.selectFrom('tasks').innerJoin('units', 'units.id', 'tasks.unit_id').innerJoin('reports', 'reports.id', 'tasks.report_id')
  q = q.where(taskVisible(actor))
  if (f.mine)
    q = q.where(eb =>
      eb.or([eb('tasks.owner_id', '=', actor.id), eb.and([eb('tasks.unit_id', '=', actor.unitId), eb('tasks.owner_id', 'is', null)])]),
    )
  if (f.status?.length) q = q.where('tasks.status', 'in', f.status)
  if (f.ownerId) q = q.where('tasks.owner_id', '=', f.ownerId)
  if (f.unitId) {
    const unit = await db.selectFrom('units').select('path').where('id', '=', f.unitId).executeTakeFirst()
    // An unknown unit matches nothing (the scope above already keeps a known one within the actor's).
    q = q.where(pathUnder('units.path', unit?.path ?? '/nonexistent/'))
  }
  if (f.reportId) q = q.where('tasks.report_id', '=', f.reportId)
  if (f.dueBefore) q = q.where('tasks.due_date', '<=', f.dueBefore)
  if (f.year) q = q.where('reports.year', '=', f.year)
  if (f.agency) q = q.where('reports.agency_name', 'like', `%${f.agency}%`)
  if (f.q) q = q.where(eb => eb.or([eb('tasks.title', 'like', `%${f.q}%`), eb('tasks.text', 'like', `%${f.q}%`)]))
  if (f.returned)
    q = q
      .where('tasks.status', '=', 'in_progress')
      .where(eb => eb(lastStateEvent(eb as unknown as ExpressionBuilder<Database, 'tasks'>, 'type'), '=', 'return'))
  if (f.overdue !== undefined) {
    const open = [...CAN_BE_OVERDUE]
    q = f.overdue
      ? q.where('tasks.due_date', '<', today).where('tasks.status', 'in', open)
      : q.where(eb => eb.or([eb('tasks.due_date', 'is', null), eb('tasks.due_date', '>=', today), eb('tasks.status', 'not in', open)]))
  }
  return q
}

export async function listTasks(db: DB, actor: Actor, f: TaskFilters = {}, today = todayInShanghai()) {
  let q = (await scopedTasks(db, actor, f, today))
    .leftJoin('users as owner', 'owner.id', 'tasks.owner_id')
    .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
    .select([
      'tasks.id',
      'tasks.report_id',
      'tasks.item_id',
      'tasks.kind',
      'tasks.title',
      'tasks.text',
      'tasks.status',
      'tasks.due_date',
      'tasks.priority',
      'tasks.progress',
      'tasks.owner_id',
      'tasks.unit_id',
      'tasks.created_at',
      'tasks.updated_at',
      'tasks.closed_at',
      'units.name as unit_name',
      'owner.display_name as owner_name',
      'reports.filename as report_filename',
      'reports.agency_name',
      'reports.year as report_year',
      'report_items.seq as item_seq',
      'report_items.answers as item_answers',
      // The latest event that decides 已退回 (status.ts), read only for tasks in progress.
      eb => eb.case().when('tasks.status', '=', 'in_progress').then(lastStateEvent(eb, 'type')).end().as('state_event_type'),
      eb => eb.case().when('tasks.status', '=', 'in_progress').then(lastStateEvent(eb, 'note')).end().as('state_event_note'),
    ])
  switch (f.sort ?? 'due') {
    case 'updated':
      q = q.orderBy('tasks.updated_at', 'desc')
      break
    case 'created':
      q = q.orderBy('tasks.created_at', 'desc')
      break
    case 'status':
      q = q.orderBy('tasks.status').orderBy('tasks.due_date')
      break
    default:
      q = q.orderBy('tasks.due_date').orderBy('reports.id').orderBy('report_items.seq')
  }
  const rows = await q
    .limit(Math.min(f.limit ?? 1000, 10_000))
    .offset(f.offset ?? 0)
    .execute()
  return rows.map(({ state_event_type, state_event_note, ...r }) => ({
    ...r,
    overdueDays: daysOverdue(r.due_date, r.status, today),
    returnedReason: returnedReason(r.status, state_event_type ? { type: state_event_type, note: state_event_note } : null),
  }))
}

/** The type or note of a task's latest event among RETURN_STATE_EVENTS (one indexed lookup on task_id, created_at). */
function lastStateEvent(eb: ExpressionBuilder<Database, 'tasks'>, column: 'type' | 'note') {
  return eb
    .selectFrom('task_events as se')
    .select(`se.${column}`)
    .whereRef('se.task_id', '=', 'tasks.id')
    .where('se.type', 'in', [...RETURN_STATE_EVENTS])
    .orderBy('se.created_at', 'desc')
    .limit(1)
    .$asScalar()
}

export type TaskRow = Awaited<ReturnType<typeof listTasks>>[number]

/**
 * One task as its page and the API show it: the task (scoped like every read: a task the actor may
 * not see is null, "not found"), its timeline, its evidence and its extension requests (each marked
 * `late`, 逾期申请, when asked for after the deadline had passed), and its days overdue on `today`.
 */
export async function getTaskDetail(db: DB, actor: Actor, taskId: string, today = todayInShanghai()) {
  const found = await getTaskForUser(db, { id: taskId, user: actor })
  if (!found) return null
  const { task } = found
  const [evidence, extensions] = await Promise.all([
    db
      .selectFrom('task_evidence')
      .leftJoin('users', 'users.id', 'task_evidence.uploaded_by')
      .select([
        'task_evidence.id',
        'task_evidence.kind',
        'task_evidence.filename',
        'task_evidence.mime',
        'task_evidence.size_bytes',
        'task_evidence.url',
        'task_evidence.title',
        'task_evidence.created_at',
        'users.display_name as uploader',
      ])
      .where('task_evidence.task_id', '=', task.id)
      .orderBy('task_evidence.created_at')
      .execute(),
    db
      .selectFrom('task_extensions')
      .leftJoin('users', 'users.id', 'task_extensions.requested_by')
      .select([
        'task_extensions.id',
        'task_extensions.old_due_date',
        'task_extensions.new_due_date',
        'task_extensions.reason',
        'task_extensions.status',
        'task_extensions.decision_note',
        'task_extensions.created_at',
        'task_extensions.decided_at',
        'users.display_name as requester',
      ])
      .where('task_extensions.task_id', '=', task.id)
      .orderBy('task_extensions.created_at')
      .execute(),
  ])
  return {
    ...found,
    evidence,
    extensions: extensions.map(x => ({ ...x, late: isLateRequest(x.old_due_date, x.created_at) })),
    overdue: daysOverdue(task.due_date, task.status, today),
  }
}

export type TaskDetail = NonNullable<Awaited<ReturnType<typeof getTaskDetail>>>
