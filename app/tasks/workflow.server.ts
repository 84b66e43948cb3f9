// Every change to a task: status moves, edits, progress, evidence, deadline extensions.
// Each writes a task event in the same transaction; events are never edited or deleted.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql, type Transaction } from 'kysely'
import { dataDir, type DB } from '../../db/db'
import { engineOf } from '../../db/engine'
import { newId, nowIso } from '../../db/ids'
import type { Database, TaskStatus } from '../../db/schema'
import { can } from '../auth/permissions'
import { canSeeTask, type Actor } from '../auth/scope'
import { requireOwner, requireUnit } from '../auth/scope.server'
import { AppError, isStorageFull, notFound } from '../errors'
import { uploadLimits } from '../limits'
import { storedFilename } from '../documents/filename'
import { recordEventNotices } from '../notify/events.server'
import { decideTransition, type TaskAction } from './status'
import { INVALID_DUE_DATE, isLateRequest, isValidDueDate, pastDueDateProblem, todayInShanghai } from './dates'

type Trx = Transaction<Database> | DB

/** The task if the actor may see it: admins all; others their unit subtree; staff also what they own. */
export async function loadTaskInScope(db: Trx, actor: Actor, taskId: string) {
  const task = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .selectAll('tasks')
    .select('units.path as unit_path')
    .where('tasks.id', '=', taskId)
    .executeTakeFirst()
  if (!task) throw notFound()
  if (!canSeeTask(actor, { unitPath: task.unit_path, ownerId: task.owner_id })) throw notFound()
  return task
}

const fields = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null)

/**
 * Appends to the task's timeline, and notifies the people the event concerns (app/notify/events.ts)
 * in the same transaction. Timestamps are kept strictly increasing per task, so the order is exact.
 * The one place task events are written. `at`: the time of the change when the caller has one (a
 * task's creation shares its row's created_at); default now.
 */
export async function writeEvent(
  db: Trx,
  e: { taskId: string; actorId: string; type: string; before?: unknown; after?: unknown; note?: string | null; at?: string },
) {
  const last = await db
    .selectFrom('task_events')
    .select(eb => eb.fn.max('created_at').as('at'))
    .where('task_id', '=', e.taskId)
    .executeTakeFirst()
  let at = e.at ?? nowIso()
  if (last?.at && last.at >= at) at = new Date(Date.parse(last.at) + 1).toISOString()
  const id = newId()
  await db
    .insertInto('task_events')
    .values({
      id,
      task_id: e.taskId,
      actor_id: e.actorId,
      type: e.type,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      note: e.note ?? null,
      created_at: at,
    })
    .execute()
  await recordEventNotices(
    db,
    e.taskId,
    { id, type: e.type, actorId: e.actorId, before: fields(e.before), after: fields(e.after), note: e.note ?? null },
    at,
  )
}

function requireManage(actor: Actor) {
  if (!can(actor.role, 'task:manage')) throw new AppError(403, '只有督办人可以执行此操作。')
}

/** Whether a task shows what was done: any evidence, or a progress update with a note. */
async function showsWork(db: Trx, taskId: string): Promise<boolean> {
  const evidence = await db.selectFrom('task_evidence').select('id').where('task_id', '=', taskId).limit(1).executeTakeFirst()
  if (evidence) return true
  const note = await db
    .selectFrom('task_events')
    .select('id')
    .where('task_id', '=', taskId)
    .where('type', '=', 'progress')
    .where('note', 'is not', null)
    .where('note', '!=', '')
    .limit(1)
    .executeTakeFirst()
  return !!note
}

export interface TransitionRequest {
  action: TaskAction
  reason?: string | null
  ownerId?: string | null
}

export async function transitionTask(db: DB, actor: Actor, taskId: string, input: TransitionRequest) {
  return db.transaction().execute(trx => transitionTaskInTrx(trx, actor, taskId, input))
}

/** transitionTask inside a caller's transaction (e.g. a ledger import applying many rows at once). */
export async function transitionTaskInTrx(trx: Transaction<Database>, actor: Actor, taskId: string, input: TransitionRequest) {
  const task = await loadTaskInScope(trx, actor, taskId)
  const shownWork = input.action === 'submit' ? await showsWork(trx, taskId) : undefined
  const decision = decideTransition({
    task: { status: task.status, ownerId: task.owner_id, shownWork },
    actor,
    action: input.action,
    reason: input.reason,
    ownerId: input.ownerId,
  })
  if (!decision.ok)
    throw new AppError(decision.code === 'forbidden' ? 403 : decision.code === 'invalid_transition' ? 409 : 400, decision.message)
  const ownerId = input.action === 'assign' ? (input.ownerId ?? task.owner_id) : task.owner_id
  if (input.action === 'assign' && ownerId) await requireOwner(trx, actor, ownerId, task.unit_path)
  const now = nowIso()
  const res = await trx
    .updateTable('tasks')
    .set({
      status: decision.status,
      owner_id: ownerId,
      updated_at: now,
      closed_at: decision.status === 'closed' ? now : null,
      ...(input.action === 'verify' ? { progress: 100 } : {}),
    })
    .where('id', '=', taskId)
    .where('status', '=', task.status) // someone else moved it first: refuse rather than overwrite
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, '任务状态已被他人更新，请刷新后重试。')
  await writeEvent(trx, {
    taskId,
    actorId: actor.id,
    type: input.action,
    before: { status: task.status, owner_id: task.owner_id },
    after: { status: decision.status, owner_id: ownerId },
    note: input.reason?.trim() || null,
  })
  return { status: decision.status as TaskStatus }
}

export interface TaskPatch {
  ownerId?: string | null
  unitId?: string
  dueDate?: string | null
  priority?: 'high' | 'normal' | 'low'
  title?: string
}

const CLOSED: readonly TaskStatus[] = ['closed', 'cancelled']

export interface UpdateOptions {
  /** Today (YYYY-MM-DD): a new deadline before it is refused. Set by the task page; the API and a ledger import (which may record past work) leave it out. */
  today?: string
}

export async function updateTask(db: DB, actor: Actor, taskId: string, patch: TaskPatch, opts: UpdateOptions = {}) {
  requireManage(actor)
  return db.transaction().execute(trx => updateTaskInTrx(trx, actor, taskId, patch, opts))
}

/** updateTask inside a caller's transaction. */
export async function updateTaskInTrx(
  trx: Transaction<Database>,
  actor: Actor,
  taskId: string,
  patch: TaskPatch,
  opts: UpdateOptions = {},
) {
  requireManage(actor)
  const task = await loadTaskInScope(trx, actor, taskId)
  if (CLOSED.includes(task.status)) throw new AppError(409, '已销号或已取消的任务不能修改，请先重新打开。')
  const changes: Record<string, unknown> = {}
  const before: Record<string, unknown> = {}
  let unitPath = task.unit_path
  if (patch.unitId !== undefined && patch.unitId !== task.unit_id) {
    const unit = await requireUnit(trx, actor, patch.unitId)
    changes.unit_id = unit.id
    before.unit_id = task.unit_id
    unitPath = unit.path
  }
  const ownerId = patch.ownerId !== undefined ? patch.ownerId : task.owner_id
  if (ownerId && (ownerId !== task.owner_id || changes.unit_id))
    await requireOwner(trx, actor, ownerId, unitPath, { kept: ownerId === task.owner_id })
  if (ownerId !== task.owner_id) {
    changes.owner_id = ownerId
    before.owner_id = task.owner_id
    if (ownerId && task.status === 'unassigned') changes.status = 'in_progress'
    if (!ownerId && task.status === 'in_progress') changes.status = 'unassigned'
    if (changes.status) before.status = task.status
  }
  if (patch.dueDate !== undefined && patch.dueDate !== task.due_date) {
    if (patch.dueDate !== null && !isValidDueDate(patch.dueDate)) throw new AppError(400, INVALID_DUE_DATE)
    const past = opts.today ? pastDueDateProblem(patch.dueDate, opts.today) : null
    if (past) throw new AppError(400, past)
    changes.due_date = patch.dueDate
    changes.deadline_version = task.deadline_version + 1
    before.due_date = task.due_date
  }
  if (patch.priority !== undefined && patch.priority !== task.priority) {
    changes.priority = patch.priority
    before.priority = task.priority
  }
  if (patch.title !== undefined && patch.title.trim() && patch.title.trim() !== task.title) {
    changes.title = patch.title.trim()
    before.title = task.title
  }
  if (Object.keys(changes).length === 0) return { changed: false }
  await trx
    .updateTable('tasks')
    .set({ ...changes, updated_at: nowIso() })
    .where('id', '=', taskId)
    .execute()
  const type = changes.owner_id !== undefined ? 'reassigned' : changes.due_date !== undefined ? 'deadline_changed' : 'updated'
  await writeEvent(trx, { taskId, actorId: actor.id, type, before, after: changes })
  return { changed: true }
}

function mayWorkOn(actor: Actor, task: { owner_id: string | null }) {
  return task.owner_id === actor.id || can(actor.role, 'task:manage')
}

export async function addProgress(db: DB, actor: Actor, taskId: string, input: { progress: number; note: string }) {
  return db.transaction().execute(trx => addProgressInTrx(trx, actor, taskId, input))
}

/** addProgress inside a caller's transaction. */
export async function addProgressInTrx(
  trx: Transaction<Database>,
  actor: Actor,
  taskId: string,
  input: { progress: number; note: string },
) {
  const task = await loadTaskInScope(trx, actor, taskId)
  if (!mayWorkOn(actor, task)) throw new AppError(403, '只有责任人或督办人可以填报进展。')
  if (CLOSED.includes(task.status) || task.status === 'unassigned') throw new AppError(409, '该任务当前不能填报进展。')
  const progress = Math.max(0, Math.min(100, Math.round(input.progress)))
  await trx.updateTable('tasks').set({ progress, updated_at: nowIso() }).where('id', '=', taskId).execute()
  await writeEvent(trx, {
    taskId,
    actorId: actor.id,
    type: 'progress',
    before: { progress: task.progress },
    after: { progress },
    note: input.note.trim() || null,
  })
  return { progress }
}

// Evidence files: type and size limits, stored under the data directory by id, served only
// through a permission check (never by a path the user gave).
export const EVIDENCE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain; charset=utf-8',
  zip: 'application/zip',
  ofd: 'application/ofd',
}

export function evidenceMaxBytes(): number {
  return uploadLimits().evidenceBytes
}

export function evidencePath(evidenceId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(evidenceId)) throw notFound()
  return path.join(dataDir(), 'evidence', evidenceId)
}

export async function addEvidenceFile(db: DB, actor: Actor, taskId: string, file: { filename: string; bytes: Uint8Array }) {
  const ext = path.extname(file.filename).slice(1).toLowerCase()
  const mime = EVIDENCE_TYPES[ext]
  if (!mime) throw new AppError(415, `不支持的佐证材料类型“.${ext || '无扩展名'}”，请上传 PDF、Word、Excel、图片、文本或压缩包。`)
  if (file.bytes.byteLength === 0) throw new AppError(400, '佐证材料文件是空的。')
  if (file.bytes.byteLength > evidenceMaxBytes())
    throw new AppError(413, `佐证材料超过大小上限（${Math.round(evidenceMaxBytes() / 1048576)} MB）。`)
  const id = newId()
  const target = evidencePath(id)
  return db
    .transaction()
    .execute(async trx => {
      const task = await loadTaskInScope(trx, actor, taskId)
      if (!mayWorkOn(actor, task)) throw new AppError(403, '只有责任人或督办人可以上传佐证材料。')
      if (CLOSED.includes(task.status)) throw new AppError(409, '已销号或已取消的任务不能再上传佐证材料。')
      // The file is written before the row commits; a crash in between leaves an orphan file, never a row without its file.
      writeEvidenceFile(target, file.bytes)
      const name = storedFilename(file.filename, `evidence.${ext}`)
      await trx
        .insertInto('task_evidence')
        .values({
          id,
          task_id: taskId,
          kind: 'file',
          filename: name,
          mime,
          size_bytes: file.bytes.byteLength,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          url: null,
          title: null,
          uploaded_by: actor.id,
          created_at: nowIso(),
        })
        .execute()
      await writeEvent(trx, { taskId, actorId: actor.id, type: 'evidence', after: { evidence_id: id, filename: name } })
      return { id, filename: name }
    })
    .catch(err => {
      // The row did not commit (a refusal, a full disk, a database error): no file may stay behind it.
      fs.rmSync(target, { force: true })
      throw err
    })
}

/** Writes an evidence file whole or not at all; a full disk is a clear refusal (507), not a server error. */
function writeEvidenceFile(target: string, bytes: Uint8Array) {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, bytes)
  } catch (err) {
    fs.rmSync(target, { force: true })
    if (isStorageFull(err)) throw new AppError(507, '服务器存储空间不足，佐证材料未保存。请稍后重试，或联系管理员清理存储空间。')
    throw err
  }
}

export async function addEvidenceLink(db: DB, actor: Actor, taskId: string, input: { url: string; title?: string }) {
  let url: URL
  try {
    url = new URL(input.url.trim())
  } catch {
    throw new AppError(400, '链接格式不正确。')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError(400, '只能添加 http 或 https 链接。')
  return db.transaction().execute(async trx => {
    const task = await loadTaskInScope(trx, actor, taskId)
    if (!mayWorkOn(actor, task)) throw new AppError(403, '只有责任人或督办人可以添加佐证材料。')
    if (CLOSED.includes(task.status)) throw new AppError(409, '已销号或已取消的任务不能再添加佐证材料。')
    const id = newId()
    const title = input.title?.trim().slice(0, 200) || null
    await trx
      .insertInto('task_evidence')
      .values({
        id,
        task_id: taskId,
        kind: 'link',
        filename: null,
        mime: null,
        size_bytes: null,
        sha256: null,
        url: url.href,
        title,
        uploaded_by: actor.id,
        created_at: nowIso(),
      })
      .execute()
    await writeEvent(trx, { taskId, actorId: actor.id, type: 'evidence', after: { evidence_id: id, url: url.href, title } })
    return { id }
  })
}

/** The stored file of an evidence item, if the actor may see its task. */
export async function getEvidenceFile(db: DB, actor: Actor, evidenceId: string) {
  const ev = await db.selectFrom('task_evidence').selectAll().where('id', '=', evidenceId).where('kind', '=', 'file').executeTakeFirst()
  if (!ev) throw notFound()
  await loadTaskInScope(db, actor, ev.task_id)
  return { path: evidencePath(ev.id), filename: ev.filename ?? 'evidence', mime: ev.mime ?? 'application/octet-stream' }
}

/**
 * The owner asks for a later deadline, also once it has passed: such a request is marked late
 * (逾期申请, derived by isLateRequest) for the supervisor who decides it. The new date may not lie
 * in the past.
 */
export async function requestExtension(
  db: DB,
  actor: Actor,
  taskId: string,
  input: { newDueDate: string; reason: string },
  now = new Date(),
) {
  const today = todayInShanghai(now)
  if (!isValidDueDate(input.newDueDate)) throw new AppError(400, '请填写新的整改时限（有效日期，YYYY-MM-DD）。')
  if (!input.reason.trim()) throw new AppError(400, '申请延期需要填写原因。')
  const past = pastDueDateProblem(input.newDueDate, today)
  if (past) throw new AppError(400, `新的${past}`)
  return db.transaction().execute(async trx => {
    const task = await loadTaskInScope(trx, actor, taskId)
    if (task.owner_id !== actor.id) throw new AppError(403, '只有责任人可以申请延期。')
    if (CLOSED.includes(task.status)) throw new AppError(409, '已销号或已取消的任务不能申请延期。')
    if (task.due_date && input.newDueDate <= task.due_date) throw new AppError(400, '新的整改时限必须晚于当前时限。')
    const pending = await trx
      .selectFrom('task_extensions')
      .select('id')
      .where('task_id', '=', taskId)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (pending) throw new AppError(409, '已有一份待审批的延期申请。')
    const id = newId()
    await trx
      .insertInto('task_extensions')
      .values({
        id,
        task_id: taskId,
        requested_by: actor.id,
        old_due_date: task.due_date,
        new_due_date: input.newDueDate,
        reason: input.reason.trim(),
        status: 'pending',
        decided_by: null,
        decision_note: null,
        created_at: now.toISOString(),
        decided_at: null,
      })
      .execute()
    const late = isLateRequest(task.due_date, now.toISOString())
    await writeEvent(trx, {
      taskId,
      actorId: actor.id,
      type: 'extension_requested',
      before: { due_date: task.due_date },
      after: { due_date: input.newDueDate, ...(late ? { late: true } : {}) },
      note: input.reason.trim(),
    })
    return { id, late }
  })
}

export async function decideExtension(db: DB, actor: Actor, extensionId: string, input: { approve: boolean; note?: string }) {
  requireManage(actor)
  return db.transaction().execute(async trx => {
    const ext = await trx.selectFrom('task_extensions').selectAll().where('id', '=', extensionId).executeTakeFirst()
    if (!ext) throw notFound()
    const task = await loadTaskInScope(trx, actor, ext.task_id)
    if (ext.status !== 'pending') throw new AppError(409, '该延期申请已处理。')
    const now = nowIso()
    await trx
      .updateTable('task_extensions')
      .set({
        status: input.approve ? 'approved' : 'refused',
        decided_by: actor.id,
        decision_note: input.note?.trim() || null,
        decided_at: now,
      })
      .where('id', '=', extensionId)
      .where('status', '=', 'pending')
      .execute()
    if (input.approve) {
      await trx
        .updateTable('tasks')
        .set({ due_date: ext.new_due_date, deadline_version: task.deadline_version + 1, updated_at: now })
        .where('id', '=', task.id)
        .execute()
    }
    await writeEvent(trx, {
      taskId: task.id,
      actorId: actor.id,
      type: input.approve ? 'extension_approved' : 'extension_refused',
      before: { due_date: task.due_date },
      after: { due_date: input.approve ? ext.new_due_date : task.due_date },
      note: input.note?.trim() || null,
    })
    return { approved: input.approve }
  })
}
