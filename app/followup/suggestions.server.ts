// Follow-up suggestions are not verdicts: a supervisor confirms or rejects each. Confirmed evidence
// joins the earlier task's timeline; a confirmed recurrence is written on both tasks' timelines.
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import { can } from '../auth/permissions'
import { AppError, notFound } from '../errors'
import { writeEvent, type Actor } from '../tasks/workflow.server'

async function reportInScope(db: DB, actor: Actor, reportId: string) {
  const r = await db.selectFrom('reports').innerJoin('units', 'units.id', 'reports.unit_id').select(['reports.id', 'units.path']).where('reports.id', '=', reportId).executeTakeFirst()
  return !!r && (actor.role === 'admin' || r.path.startsWith(actor.unitPath))
}

/** Suggestions where this report is the earlier or the later one, with the texts and tasks involved. */
export async function listSuggestionsForReport(db: DB, actor: Actor, reportId: string) {
  if (!(await reportInScope(db, actor, reportId))) return []
  return db
    .selectFrom('followup_suggestions as s')
    .innerJoin('report_items as ei', 'ei.id', 's.earlier_item_id')
    .leftJoin('report_items as li', 'li.id', 's.later_item_id')
    .leftJoin('tasks as et', 'et.item_id', 's.earlier_item_id')
    .leftJoin('tasks as lt', 'lt.item_id', 's.later_item_id')
    .innerJoin('reports as er', 'er.id', 's.earlier_report_id')
    .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
    .select([
      's.id',
      's.kind',
      's.status',
      's.score',
      's.passage',
      's.start_offset',
      's.end_offset',
      's.earlier_report_id',
      's.later_report_id',
      'ei.title as earlier_title',
      'ei.text as earlier_text',
      'li.title as later_title',
      'et.id as earlier_task_id',
      'lt.id as later_task_id',
      'er.year as earlier_year',
      'lr.year as later_year',
    ])
    .where(eb => eb.or([eb('s.later_report_id', '=', reportId), eb('s.earlier_report_id', '=', reportId)]))
    .orderBy('s.kind')
    .orderBy('s.score', 'desc')
    .execute()
}

export async function decideSuggestion(db: DB, actor: Actor, suggestionId: string, confirm: boolean) {
  if (!can(actor.role, 'report:review')) throw new AppError(403, '只有督办人可以确认或驳回对照结果。')
  return db.transaction().execute(async trx => {
    const s = await trx.selectFrom('followup_suggestions').selectAll().where('id', '=', suggestionId).executeTakeFirst()
    if (!s || !(await reportInScope(trx, actor, s.later_report_id))) throw notFound()
    if (s.status !== 'pending') throw new AppError(409, '该对照结果已处理。')
    const now = nowIso()
    await trx.updateTable('followup_suggestions').set({ status: confirm ? 'confirmed' : 'rejected', decided_by: actor.id, decided_at: now }).where('id', '=', s.id).where('status', '=', 'pending').execute()
    if (!confirm) return { status: 'rejected' as const }
    const earlierTask = await trx.selectFrom('tasks').select('id').where('item_id', '=', s.earlier_item_id).executeTakeFirst()
    const laterTask = s.later_item_id ? await trx.selectFrom('tasks').select('id').where('item_id', '=', s.later_item_id).executeTakeFirst() : undefined
    const event = (taskId: string, type: string, after: unknown) => writeEvent(trx, { taskId, actorId: actor.id, type, after, note: s.passage })
    if (s.kind === 'evidence' && earlierTask) await event(earlierTask.id, 'followup_evidence', { later_report_id: s.later_report_id, start: s.start_offset, end: s.end_offset, score: s.score })
    if (s.kind === 'recurring') {
      if (earlierTask) await event(earlierTask.id, 'recurred', { later_report_id: s.later_report_id, later_task_id: laterTask?.id ?? null })
      if (laterTask) await event(laterTask.id, 'recurs', { earlier_report_id: s.earlier_report_id, earlier_task_id: earlierTask?.id ?? null })
    }
    return { status: 'confirmed' as const }
  })
}
