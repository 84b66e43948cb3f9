// Bulk changes on the task list: every selected task is changed through updateTaskInTrx, the task
// page's own path (scope and role checked per task, the owner checked against the unit, a task event
// written and its people notified), all in one transaction: the first refusal rolls everything back
// and is reported with the task's title.
import type { DB } from '../../db/db'
import type { Actor } from '../auth/scope'
import { AppError } from '../errors'
import { bulkDoneMessage, bulkRefusedMessage, describePatch, planBulkChange, type BulkRequest } from './bulk'
import { todayInShanghai } from './dates'
import { updateTaskInTrx } from './workflow.server'

export type BulkResult = { ok: true; changed: number; unchanged: number; message: string } | { ok: false; status: number; message: string }

export async function bulkUpdateTasks(db: DB, actor: Actor, input: BulkRequest, now = new Date()): Promise<BulkResult> {
  const today = todayInShanghai(now)
  const plan = planBulkChange(input, today)
  if (!plan.ok) return { ok: false, status: 400, message: plan.message }
  let current: string | null = null
  try {
    const counts = await db.transaction().execute(async trx => {
      let changed = 0
      for (const id of plan.taskIds) {
        current = id
        const r = await updateTaskInTrx(trx, actor, id, plan.patch, { today })
        if (r.changed) changed++
      }
      return { changed, unchanged: plan.taskIds.length - changed }
    })
    const [owner, unit] = await Promise.all([
      plan.patch.ownerId
        ? db.selectFrom('users').select('display_name').where('id', '=', plan.patch.ownerId).executeTakeFirst()
        : undefined,
      plan.patch.unitId ? db.selectFrom('units').select('name').where('id', '=', plan.patch.unitId).executeTakeFirst() : undefined,
    ])
    return {
      ok: true,
      ...counts,
      message: bulkDoneMessage(
        counts.changed,
        counts.unchanged,
        describePatch(plan.patch, { owner: owner?.display_name, unit: unit?.name }),
        !!plan.patch.ownerId,
      ),
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    // A task out of scope is "not found" like on its own page: named by nothing the actor may not see.
    const title =
      current && err.status !== 404
        ? (await db.selectFrom('tasks').select('title').where('id', '=', current).executeTakeFirst())?.title
        : null
    return {
      ok: false,
      status: err.status,
      message: title
        ? bulkRefusedMessage(title, err.message)
        : `未做任何修改：${err.message.replace(/。$/, '')}（所选任务中有您无权修改或已不存在的任务）。`,
    }
  }
}
