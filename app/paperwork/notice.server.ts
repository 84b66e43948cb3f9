// 督办单: issuing one for an overdue task (a task event, which notifies the owner through the event
// writer) and reading the latest issued one back for the printable page and the PDF, in scope.
import type { DB } from '../../db/db'
import { can } from '../auth/permissions'
import { AppError } from '../errors'
import { absoluteLink, appUrl } from '../notify/links'
import { taskLink } from '../notify/events'
import { daysOverdue, isValidDueDate, todayInShanghai } from '../tasks/dates'
import { loadTaskInScope, writeEvent } from '../tasks/workflow.server'
import type { Actor } from '../auth/scope'
import { buildSupervisionNotice, defaultReplyBy, noticeNumber, type NoticeFacts, type SupervisionNotice } from './notice'
import { listTasks } from '../tasks/queries.server'
import { reportName } from './rectification'

export const NOTICE_EVENT = 'supervision_notice'

interface IssuedFacts {
  number: string
  issued_on: string
  reply_by: string
  issuer_unit: string
}

/** The reply date asked for (default REPLY_DAYS after today): a real date, today or later. */
function replyDate(asked: string | null | undefined, today: string): string {
  const replyBy = asked?.trim() || defaultReplyBy(today)
  if (!isValidDueDate(replyBy) || replyBy < today) throw new AppError(400, '回复时限应为今天或以后的有效日期（YYYY-MM-DD）。')
  return replyBy
}

/** Issues a 督办单 for an overdue task in the actor's scope: supervisors and admins only. */
export async function issueSupervisionNotice(
  db: DB,
  actor: Actor & { unitName: string },
  taskId: string,
  input: { replyBy?: string | null },
  today = todayInShanghai(),
) {
  if (!can(actor.role, 'task:manage')) throw new AppError(403, '只有督办人可以签发督办单。')
  const replyBy = replyDate(input.replyBy, today)
  return db.transaction().execute(async trx => {
    const task = await loadTaskInScope(trx, actor, taskId)
    if (!daysOverdue(task.due_date, task.status, today)) throw new AppError(409, '该任务未逾期，不需要签发督办单。')
    const year = today.slice(0, 4)
    const issued = await trx
      .selectFrom('task_events')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('type', '=', NOTICE_EVENT)
      .where('created_at', '>=', `${year}-01-01`)
      .executeTakeFirstOrThrow()
    const after: IssuedFacts = {
      number: noticeNumber(today, Number(issued.n) + 1),
      issued_on: today,
      reply_by: replyBy,
      issuer_unit: actor.unitName,
    }
    await writeEvent(trx, { taskId, actorId: actor.id, type: NOTICE_EVENT, after })
    return after
  })
}

/** The task's latest 督办单 as issued (or, before any, a preview for today), for anyone who may see the task. */
export async function loadSupervisionNotice(
  db: DB,
  actor: Actor & { unitName: string },
  taskId: string,
  today = todayInShanghai(),
): Promise<{ notice: SupervisionNotice; issued: boolean; overdue: number | null; canIssue: boolean }> {
  const task = await loadTaskInScope(db, actor, taskId)
  const [extra, last] = await Promise.all([
    db
      .selectFrom('tasks')
      .innerJoin('units', 'units.id', 'tasks.unit_id')
      .innerJoin('reports', 'reports.id', 'tasks.report_id')
      .leftJoin('users', 'users.id', 'tasks.owner_id')
      .select([
        'units.name as unit_name',
        'users.display_name as owner_name',
        'reports.agency_name',
        'reports.year',
        'reports.title',
        'reports.filename',
        'reports.agency_id',
        'reports.id as report_id',
      ])
      .where('tasks.id', '=', taskId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('task_events')
      .select(['after'])
      .where('task_id', '=', taskId)
      .where('type', '=', NOTICE_EVENT)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ])
  const issued = last?.after ? (JSON.parse(last.after) as IssuedFacts) : null
  const on = issued?.issued_on ?? today
  const overdue = daysOverdue(task.due_date, task.status, today)
  const facts: NoticeFacts = {
    taskId,
    title: task.title,
    text: task.text,
    reportName: reportName({
      id: extra.report_id,
      agencyId: extra.agency_id,
      agencyName: extra.agency_name,
      year: extra.year,
      title: extra.title,
      filename: extra.filename,
      unitName: extra.unit_name,
    }),
    unitName: extra.unit_name,
    ownerName: extra.owner_name,
    dueDate: task.due_date,
    status: task.status,
    progress: task.progress,
    // as of the day it was issued
    daysOverdue: daysOverdue(task.due_date, issued ? 'in_progress' : task.status, on),
    issuerUnit: issued?.issuer_unit ?? actor.unitName,
    number: issued?.number ?? '（预览，尚未签发）',
    issuedOn: on,
    replyBy: issued?.reply_by ?? defaultReplyBy(today),
    link: absoluteLink(appUrl(), taskLink(taskId)),
  }
  return { notice: buildSupervisionNotice(facts), issued: !!issued, overdue, canIssue: can(actor.role, 'task:manage') && !!overdue }
}

/** At most this many notices at once (one PDF of as many pages). */
export const NOTICE_BATCH_MAX = 100

/** Issues a 督办单 for each task; each is its own transaction, and a task that cannot have one (not overdue, out of scope) is reported, not fatal. */
export async function issueSupervisionNotices(
  db: DB,
  actor: Actor & { unitName: string },
  taskIds: readonly string[],
  input: { replyBy?: string | null },
  today = todayInShanghai(),
) {
  if (!can(actor.role, 'task:manage')) throw new AppError(403, '只有督办人可以签发督办单。')
  const ids = [...new Set(taskIds)]
  if (!ids.length) throw new AppError(400, '请至少选择一项任务。')
  if (ids.length > NOTICE_BATCH_MAX) throw new AppError(400, `一次最多签发 ${NOTICE_BATCH_MAX} 份督办单。`)
  const replyBy = replyDate(input.replyBy, today)
  const issued: Array<{ taskId: string; number: string }> = []
  const refused: Array<{ taskId: string; message: string }> = []
  for (const taskId of ids) {
    try {
      issued.push({ taskId, number: (await issueSupervisionNotice(db, actor, taskId, { replyBy }, today)).number })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      refused.push({ taskId, message: err.message })
    }
  }
  return { issued, refused }
}

/** Overdue tasks in the actor's scope, most overdue first, with the date of their latest 督办单. */
export async function overdueTasksForNotice(db: DB, actor: Actor, today = todayInShanghai()) {
  const rows = (await listTasks(db, actor, { overdue: true, sort: 'due', limit: 500 }, today)).sort(
    (a, b) => (b.overdueDays ?? 0) - (a.overdueDays ?? 0),
  )
  const last = rows.length
    ? await db
        .selectFrom('task_events')
        .select(eb => ['task_id', eb.fn.max('created_at').as('at')])
        .where('type', '=', NOTICE_EVENT)
        .where(
          'task_id',
          'in',
          rows.map(r => r.id),
        )
        .groupBy('task_id')
        .execute()
    : []
  return rows.map(r => ({
    id: r.id,
    title: r.title,
    unitName: r.unit_name,
    ownerName: r.owner_name,
    dueDate: r.due_date,
    overdueDays: r.overdueDays,
    lastNotice: last.find(l => l.task_id === r.id)?.at ?? null,
  }))
}
