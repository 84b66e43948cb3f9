// 督办单: issuing one for an overdue task (a task event, which notifies the owner through the event
// writer) and reading the latest issued one back for the printable page and the PDF, in scope.
import type { DB } from '../../db/db'
import { can } from '../auth/permissions'
import { AppError } from '../errors'
import { absoluteLink, appUrl } from '../notify/links'
import { taskLink } from '../notify/events'
import { daysOverdue, isValidDueDate, todayInShanghai } from '../tasks/dates'
import { loadTaskInScope, writeEvent, type Actor } from '../tasks/workflow.server'
import { buildSupervisionNotice, defaultReplyBy, noticeNumber, type NoticeFacts, type SupervisionNotice } from './notice'
import { reportName } from './rectification'

export const NOTICE_EVENT = 'supervision_notice'

interface IssuedFacts {
  number: string
  issued_on: string
  reply_by: string
  issuer_unit: string
}

/** Issues a 督办单 for an overdue task in the actor's scope: supervisors and admins only. */
export async function issueSupervisionNotice(db: DB, actor: Actor & { unitName: string }, taskId: string, input: { replyBy?: string | null }, today = todayInShanghai()) {
  if (!can(actor.role, 'task:manage')) throw new AppError(403, '只有督办人可以签发督办单。')
  const replyBy = input.replyBy?.trim() || defaultReplyBy(today)
  if (!isValidDueDate(replyBy) || replyBy < today) throw new AppError(400, '回复时限应为今天或以后的有效日期（YYYY-MM-DD）。')
  return db.transaction().execute(async trx => {
    const task = await loadTaskInScope(trx, actor, taskId)
    if (!daysOverdue(task.due_date, task.status, today)) throw new AppError(409, '该任务未逾期，不需要签发督办单。')
    const year = today.slice(0, 4)
    const issued = await trx.selectFrom('task_events').select(eb => eb.fn.countAll<number>().as('n')).where('type', '=', NOTICE_EVENT).where('created_at', '>=', `${year}-01-01`).executeTakeFirstOrThrow()
    const after: IssuedFacts = { number: noticeNumber(today, Number(issued.n) + 1), issued_on: today, reply_by: replyBy, issuer_unit: actor.unitName }
    await writeEvent(trx, { taskId, actorId: actor.id, type: NOTICE_EVENT, after })
    return after
  })
}

/** The task's latest 督办单 as issued (or, before any, a preview for today), for anyone who may see the task. */
export async function loadSupervisionNotice(db: DB, actor: Actor & { unitName: string }, taskId: string, today = todayInShanghai()): Promise<{ notice: SupervisionNotice; issued: boolean; overdue: number | null; canIssue: boolean }> {
  const task = await loadTaskInScope(db, actor, taskId)
  const [extra, last] = await Promise.all([
    db
      .selectFrom('tasks')
      .innerJoin('units', 'units.id', 'tasks.unit_id')
      .innerJoin('reports', 'reports.id', 'tasks.report_id')
      .leftJoin('users', 'users.id', 'tasks.owner_id')
      .select(['units.name as unit_name', 'users.display_name as owner_name', 'reports.agency_name', 'reports.year', 'reports.title', 'reports.filename', 'reports.agency_id', 'reports.id as report_id'])
      .where('tasks.id', '=', taskId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('task_events').select(['after']).where('task_id', '=', taskId).where('type', '=', NOTICE_EVENT).orderBy('created_at', 'desc').limit(1).executeTakeFirst(),
  ])
  const issued = last?.after ? (JSON.parse(last.after) as IssuedFacts) : null
  const on = issued?.issued_on ?? today
  const overdue = daysOverdue(task.due_date, task.status, today)
  const facts: NoticeFacts = {
    taskId,
    title: task.title,
    text: task.text,
    reportName: reportName({ id: extra.report_id, agencyId: extra.agency_id, agencyName: extra.agency_name, year: extra.year, title: extra.title, filename: extra.filename, unitName: extra.unit_name }),
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
