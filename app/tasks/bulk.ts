// Bulk changes on the task list (选中多项 → 责任人 / 责任单位 / 整改时限): what the request means,
// checked before anything is written, and the result message. Pure; applying it is bulk.server.ts,
// which changes each task through the same updateTask as the task page.
import { INVALID_DUE_DATE, isValidDueDate, pastDueDateProblem } from './dates'

/** At most this many tasks in one bulk change (one transaction, a notice per task). */
export const BULK_MAX = 200

export interface BulkRequest {
  taskIds: string[]
  /** undefined: leave as is. */
  ownerId?: string
  unitId?: string
  dueDate?: string
}

export type BulkPlan =
  { ok: true; taskIds: string[]; patch: { ownerId?: string; unitId?: string; dueDate?: string } } | { ok: false; message: string }

/** Checks a bulk request: some tasks, not too many, at least one change, a real date not before today. */
export function planBulkChange(input: BulkRequest, today: string): BulkPlan {
  const taskIds = [...new Set(input.taskIds.map(s => s.trim()).filter(Boolean))]
  if (!taskIds.length) return { ok: false, message: '请先勾选要修改的任务。' }
  if (taskIds.length > BULK_MAX) return { ok: false, message: `一次最多修改 ${BULK_MAX} 项任务，请分批进行。` }
  const ownerId = input.ownerId?.trim() || undefined
  const unitId = input.unitId?.trim() || undefined
  const dueDate = input.dueDate?.trim() || undefined
  if (!ownerId && !unitId && !dueDate) return { ok: false, message: '请选择要修改的责任人、责任单位或整改时限。' }
  if (dueDate) {
    if (!isValidDueDate(dueDate)) return { ok: false, message: INVALID_DUE_DATE }
    const past = pastDueDateProblem(dueDate, today)
    if (past) return { ok: false, message: past }
  }
  return { ok: true, taskIds, patch: { ...(ownerId ? { ownerId } : {}), ...(unitId ? { unitId } : {}), ...(dueDate ? { dueDate } : {}) } }
}

/** What changed, in words (for the result message). */
export function describePatch(
  patch: { ownerId?: string; unitId?: string; dueDate?: string },
  names: { owner?: string | null; unit?: string | null },
): string {
  const parts: string[] = []
  if (patch.unitId) parts.push(`责任单位改为“${names.unit ?? '所选单位'}”`)
  if (patch.ownerId) parts.push(`责任人改为“${names.owner ?? '所选人员'}”`)
  if (patch.dueDate) parts.push(`整改时限改为 ${patch.dueDate}`)
  return parts.join('，')
}

/** `ownerChanged`: a new owner hears of each task (as on the task page); other changes are recorded in each task's timeline. */
export function bulkDoneMessage(changed: number, unchanged: number, what: string, ownerChanged = false): string {
  const tail = unchanged ? `；另有 ${unchanged} 项本来就是如此，未改动` : ''
  return `已修改 ${changed} 项任务：${what}${tail}。已记入各任务动态${ownerChanged && changed ? '，新责任人已收到通知' : ''}。`
}

/** A refusal names the task that stopped it; nothing was changed. */
export function bulkRefusedMessage(taskTitle: string, reason: string): string {
  return `未做任何修改。任务“${taskTitle}”：${reason.replace(/。$/, '')}。请调整后重试。`
}
