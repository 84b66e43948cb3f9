// Deleting a failed upload: by its uploader, or by a reviewer (supervisor, admin) of the unit it is
// filed in. The stored bytes (report_sources) and anything hanging off the report go with it; an
// import batch keeps its line, marked as deleted. A report that was extracted is never deleted here.
import type { DB } from '../../db/db'
import { can } from '../auth/permissions'
import type { SessionUser } from '../auth/session.server'
import { AppError, notFound } from '../errors'
import { deleteReportProblem } from './list'
import { getReportForUser } from './queries.server'

export async function deleteFailedReport(db: DB, user: SessionUser, reportId: string): Promise<{ filename: string }> {
  const found = await getReportForUser(db, { id: reportId, user })
  if (!found) throw notFound()
  const row = await db
    .selectFrom('reports')
    .select(['status', 'uploaded_by', 'filename'])
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow()
  const problem = deleteReportProblem(
    { status: row.status, uploadedBy: row.uploaded_by, filedInScope: found.filedInScope },
    { id: user.id, mayReview: can(user.role, 'report:review') },
  )
  if (problem) throw new AppError(row.status === 'failed' ? 403 : 409, problem)
  await db.transaction().execute(async trx => {
    // Checked again inside: a retry may have picked the report up meanwhile.
    const still = await trx.selectFrom('reports').select('status').where('id', '=', reportId).executeTakeFirst()
    if (still?.status !== 'failed') throw new AppError(409, '这份报告的状态已变化，不能删除，请刷新后查看。')
    if (await trx.selectFrom('tasks').select('id').where('report_id', '=', reportId).limit(1).executeTakeFirst())
      throw new AppError(409, '这份报告已有整改任务，不能删除。')
    await trx
      .updateTable('import_batch_items')
      .set({ report_id: null, error: '处理失败，报告已删除。' })
      .where('report_id', '=', reportId)
      .execute()
    await trx
      .deleteFrom('followup_suggestions')
      .where(eb => eb.or([eb('earlier_report_id', '=', reportId), eb('later_report_id', '=', reportId)]))
      .execute()
    await trx
      .deleteFrom('report_links')
      .where(eb => eb.or([eb('earlier_report_id', '=', reportId), eb('later_report_id', '=', reportId)]))
      .execute()
    // report_sources (the stored file), report_items, publications and report events cascade.
    await trx.deleteFrom('report_sources').where('report_id', '=', reportId).execute()
    await trx.deleteFrom('report_items').where('report_id', '=', reportId).execute()
    await trx.deleteFrom('reports').where('id', '=', reportId).where('status', '=', 'failed').execute()
  })
  return { filename: row.filename }
}
