// POST /api/v1/reports/:id/confirm: confirm the report (one task per item, once) and apply the
// caller's per-item unit, owner, deadline and priority through the ordinary workflow functions.
import { ZodError, type ZodIssue } from 'zod'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import type { Database } from '../../db/schema'
import { inScope } from '../auth/scope'
import { requireOwner, requireUnit } from '../auth/scope.server'
import type { SessionUser } from '../auth/session.server'
import { AppError, notFound } from '../errors'
import { confirmReportInTrx } from '../tasks/tasks.server'
import { transitionTaskInTrx, updateTaskInTrx, type TaskPatch } from '../tasks/workflow.server'

export interface ItemSetting {
  id: string
  unitId?: string
  ownerId?: string | null
  dueDate?: string | null
  priority?: 'high' | 'normal' | 'low'
}

async function reportTasks(db: DB, reportId: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
    .select([
      'tasks.id',
      'tasks.item_id',
      'tasks.status',
      'tasks.unit_id',
      'tasks.owner_id',
      'tasks.due_date',
      'tasks.priority',
      'units.path as unit_path',
    ])
    .where('tasks.report_id', '=', reportId)
    .orderBy('report_items.seq')
    .execute()
}

/**
 * Every setting is checked before anything is written, so a bad owner or unit leaves the report
 * unconfirmed (400 with the offending fields). Settings equal to what a task already has are
 * skipped: confirming twice with the same body creates and records nothing new.
 */
export async function confirmReportWithSettings(db: DB, user: SessionUser, reportId: string, settings: ItemSetting[], now = new Date()) {
  const report = await db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'reports.status', 'units.path'])
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
  if (!report || !inScope(user, report.path)) throw notFound()
  if (report.status !== 'extracted' && report.status !== 'confirmed') throw new AppError(409, '报告尚未提取完成或处理失败，不能确认。')

  const itemIds = new Set((await db.selectFrom('report_items').select('id').where('report_id', '=', reportId).execute()).map(r => r.id))
  const existing = new Map((await reportTasks(db, reportId)).map(t => [t.item_id, t]))
  const issues: ZodIssue[] = []
  const fail = (path: (string | number)[], message: string) => issues.push({ code: 'custom', path, message })
  const seen = new Set<string>()
  for (const [i, s] of settings.entries()) {
    if (!itemIds.has(s.id)) fail(['items', i, 'id'], '不是该报告的条目。')
    if (seen.has(s.id)) fail(['items', i, 'id'], '同一条目重复出现。')
    seen.add(s.id)
    let unitPath = existing.get(s.id)?.unit_path ?? report.path
    // The same checks (and messages) as every other path that sets a unit or an owner, as field errors.
    const check = async (field: string, run: () => Promise<unknown>) => {
      try {
        await run()
        return true
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        fail(['items', i, field], err.message)
        return false
      }
    }
    if (s.unitId) {
      const unitId = s.unitId
      await check('unitId', async () => (unitPath = (await requireUnit(db, user, unitId)).path))
    }
    if (s.ownerId) {
      const ownerId = s.ownerId
      await check('ownerId', () => requireOwner(db, user, ownerId, unitPath))
    }
  }
  if (issues.length) throw new ZodError(issues)

  // The tasks and their settings in one transaction: a crash in between leaves neither.
  const result = await db.transaction().execute(async trx => {
    const confirmed = await confirmReportInTrx(trx, user, reportId, now)
    if (!confirmed) throw notFound()
    await applySettings(trx, user, reportId, settings)
    return confirmed
  })
  const final = await reportTasks(db, reportId)
  return {
    created: result.created,
    tasks: final.map(t => ({
      id: t.id,
      itemId: t.item_id,
      status: t.status,
      unitId: t.unit_id,
      ownerId: t.owner_id,
      dueDate: t.due_date,
      priority: t.priority,
    })),
  }
}

/** Each item's unit, owner, deadline and priority, through the workflow's own checks and events. */
// A deadline the caller sets explicitly is taken as given (a script may record past work); only the pages refuse past dates.
async function applySettings(trx: Transaction<Database>, user: SessionUser, reportId: string, settings: ItemSetting[]) {
  const tasks = new Map((await reportTasks(trx, reportId)).map(t => [t.item_id, t]))
  for (const s of settings) {
    const task = tasks.get(s.id)
    if (!task) continue
    const patch: TaskPatch = {}
    if (s.unitId !== undefined && s.unitId !== task.unit_id) patch.unitId = s.unitId
    if (s.dueDate !== undefined && s.dueDate !== task.due_date) patch.dueDate = s.dueDate
    if (s.priority !== undefined && s.priority !== task.priority) patch.priority = s.priority
    const ownerChanges = s.ownerId !== undefined && s.ownerId !== task.owner_id
    // A first owner is an assignment (待分派 → 进行中); changing an owner is a reassignment.
    const assign = ownerChanges && !!s.ownerId && task.status === 'unassigned' && patch.unitId === undefined
    if (ownerChanges && !assign) patch.ownerId = s.ownerId
    if (Object.keys(patch).length) await updateTaskInTrx(trx, user, task.id, patch)
    if (assign) await transitionTaskInTrx(trx, user, task.id, { action: 'assign', ownerId: s.ownerId })
  }
}
