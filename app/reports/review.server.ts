// Correcting an extraction before it is confirmed: edit, merge, split, delete, add, assign, and
// the report's agency and year. Deadlines set here are never in the past; owners are people of the
// item's unit whose role may own tasks.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Database } from '../../db/schema'
import { suggestDue } from '../extract/deadline'
import { can } from '../auth/permissions'
import { inScope, type Actor } from '../auth/scope'
import { requireOwner, requireUnit } from '../auth/scope.server'
import { AppError, notFound } from '../errors'
import { fileAgency } from '../agencies/registry.server'
import { namesAnAgency } from '../agencies/resolve'
import { requestFollowUp, type FollowUpRequest } from '../followup/link.server'
import { defaultDueDate, INVALID_DUE_DATE, isValidDueDate, pastDueDateProblem, todayInShanghai } from '../tasks/dates'
import { cleanSelection, mergeSpans, splitSpan, titleFromText, yearProblem } from './review'

type Trx = Transaction<Database>

/** The report, if the actor may review it and it is still open for correction. */
async function reviewableReport(trx: Trx, actor: Actor, reportId: string) {
  if (!can(actor.role, 'report:review')) throw new AppError(403, '只有督办人可以修改提取结果。')
  const report = await trx
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'reports.status', 'reports.text', 'reports.unit_id', 'reports.year', 'units.path'])
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
  if (!report || !inScope(actor, report.path)) throw notFound()
  if (report.status !== 'extracted')
    throw new AppError(409, report.status === 'confirmed' ? '报告已确认，提取结果不能再修改。' : '报告尚未提取完成。')
  return { ...report, text: report.text ?? '' }
}

async function itemOf(trx: Trx, reportId: string, itemId: string) {
  const item = await trx
    .selectFrom('report_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('report_id', '=', reportId)
    .executeTakeFirst()
  if (!item) throw notFound()
  return item
}

async function nextSeq(trx: Trx, reportId: string): Promise<number> {
  const row = await trx
    .selectFrom('report_items')
    .select(eb => eb.fn.max('seq').as('m'))
    .where('report_id', '=', reportId)
    .executeTakeFirst()
  return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1
}

export interface ItemPatch {
  title?: string
  text?: string
  kind?: 'problem' | 'plan'
  /** The version the editor was opened with: a save over a newer change (a merge, another save) is refused. */
  version?: number
}

export const STALE_ITEM = '该条在您编辑期间已被修改（例如合并或拆分），未保存您的修改。编辑框已显示最新内容，请核对后重新保存。'

export async function editItem(db: DB, actor: Actor, reportId: string, itemId: string, patch: ItemPatch) {
  return db.transaction().execute(async trx => {
    await reviewableReport(trx, actor, reportId)
    const item = await itemOf(trx, reportId, itemId)
    if (patch.version !== undefined && patch.version !== item.version) throw new AppError(409, STALE_ITEM)
    // A person has looked at it: the extractor's doubt no longer applies.
    const set: Record<string, string | number | null> = { confidence: null, version: item.version + 1 }
    if (patch.title !== undefined) {
      if (!patch.title.trim()) throw new AppError(400, '标题不能为空。')
      set.title = patch.title.trim().slice(0, 200)
    }
    if (patch.text !== undefined) {
      if (!patch.text.trim()) throw new AppError(400, '内容不能为空。')
      set.text = patch.text.trim()
    }
    if (patch.kind !== undefined) set.kind = patch.kind
    // Compare-and-set: of two saves racing from the same version, the second is refused.
    const res = await trx
      .updateTable('report_items')
      .set(set)
      .where('id', '=', itemId)
      .where('version', '=', item.version)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, STALE_ITEM)
  })
}

export async function deleteItem(db: DB, actor: Actor, reportId: string, itemId: string) {
  return db.transaction().execute(async trx => {
    await reviewableReport(trx, actor, reportId)
    await itemOf(trx, reportId, itemId)
    await trx.deleteFrom('report_items').where('id', '=', itemId).execute()
  })
}

/** Merges `otherId` into `itemId`: one item spanning both passages, verbatim from the document. */
export async function mergeItems(db: DB, actor: Actor, reportId: string, itemId: string, otherId: string) {
  if (itemId === otherId) throw new AppError(400, '请选择另一条进行合并。')
  return db.transaction().execute(async trx => {
    const report = await reviewableReport(trx, actor, reportId)
    const a = await itemOf(trx, reportId, itemId)
    const b = await itemOf(trx, reportId, otherId)
    if (a.kind !== b.kind) throw new AppError(400, '问题和整改措施不能合并，请先修改类型。')
    const span = mergeSpans({ start: a.start_offset, end: a.end_offset }, { start: b.start_offset, end: b.end_offset })
    const answers = [...new Set([...JSON.parse(a.answers), ...JSON.parse(b.answers)])]
    await trx
      .updateTable('report_items')
      .set({
        start_offset: span.start,
        end_offset: span.end,
        text: report.text.slice(span.start, span.end),
        answers: JSON.stringify(answers),
        confidence: null,
        version: a.version + 1,
      })
      .where('id', '=', a.id)
      .execute()
    await trx.deleteFrom('report_items').where('id', '=', b.id).execute()
  })
}

/** Splits an item at a document offset into two items of the same kind. */
export async function splitItem(db: DB, actor: Actor, reportId: string, itemId: string, at: number) {
  return db.transaction().execute(async trx => {
    const report = await reviewableReport(trx, actor, reportId)
    const item = await itemOf(trx, reportId, itemId)
    const parts = splitSpan(report.text, { start: item.start_offset, end: item.end_offset }, at)
    if (!parts) throw new AppError(400, '拆分位置必须在该条内容的中间。')
    const [left, right] = parts
    const leftText = report.text.slice(left.start, left.end)
    const rightText = report.text.slice(right.start, right.end)
    await trx
      .updateTable('report_items')
      .set({
        start_offset: left.start,
        end_offset: left.end,
        text: leftText,
        title: titleFromText(leftText),
        confidence: null,
        version: item.version + 1,
      })
      .where('id', '=', item.id)
      .execute()
    const id = newId()
    await trx
      .insertInto('report_items')
      .values({
        id,
        report_id: reportId,
        seq: await nextSeq(trx, reportId),
        kind: item.kind,
        title: titleFromText(rightText),
        text: rightText,
        start_offset: right.start,
        end_offset: right.end,
        answers: item.answers,
        due_date: item.due_date,
        unit_id: item.unit_id,
        owner_id: item.owner_id,
        priority: item.priority,
        created_at: nowIso(),
      })
      .execute()
    return { id }
  })
}

/**
 * Adds an item from a passage the supervisor selected in the document. Without a deadline it gets
 * the default one, as extracted items do: what its text says, else the year after the report's,
 * and never a day already past.
 */
export async function addItemFromSelection(
  db: DB,
  actor: Actor,
  reportId: string,
  input: { start: number; end: number; kind: 'problem' | 'plan'; dueDate: string | null },
  now = new Date(),
) {
  const today = todayInShanghai(now)
  if (input.dueDate && !isValidDueDate(input.dueDate)) throw new AppError(400, INVALID_DUE_DATE)
  const past = pastDueDateProblem(input.dueDate, today)
  if (past) throw new AppError(400, past)
  return db.transaction().execute(async trx => {
    const report = await reviewableReport(trx, actor, reportId)
    const span = cleanSelection(report.text, input)
    if (!span) throw new AppError(400, '请先在原文中选中一段文字。')
    const text = report.text.slice(span.start, span.end)
    const dueDate = input.dueDate ?? defaultDueDate(suggestDue(text, report.year), 'normal', today)
    const id = newId()
    await trx
      .insertInto('report_items')
      .values({
        id,
        report_id: reportId,
        seq: await nextSeq(trx, reportId),
        kind: input.kind,
        title: titleFromText(text),
        text,
        start_offset: span.start,
        end_offset: span.end,
        answers: '[]',
        due_date: dueDate,
        created_at: nowIso(),
      })
      .execute()
    return { id }
  })
}

export interface Assignment {
  unitId?: string | null
  ownerId?: string | null
  dueDate?: string | null
  priority?: 'high' | 'normal' | 'low'
}

/** Sets responsible unit, owner, deadline and priority on one or many items before confirmation. */
export async function assignItems(db: DB, actor: Actor, reportId: string, itemIds: string[], a: Assignment, now = new Date()) {
  if (!itemIds.length) throw new AppError(400, '请至少选择一条。')
  if (a.dueDate && !isValidDueDate(a.dueDate)) throw new AppError(400, INVALID_DUE_DATE)
  const past = pastDueDateProblem(a.dueDate, todayInShanghai(now))
  if (past) throw new AppError(400, past)
  return db.transaction().execute(async trx => {
    const report = await reviewableReport(trx, actor, reportId)
    if (a.unitId) await requireUnit(trx, actor, a.unitId)
    // Whichever of unit and owner this request leaves as it is: the owner must belong to each item's
    // unit (its own, or the report's when it has none), or the owner could be someone of another
    // unit, who would then manage the task (outside attack, 2026-12-07).
    if (a.unitId !== undefined || a.ownerId !== undefined) {
      const items = await trx
        .selectFrom('report_items')
        .select(['id', 'unit_id', 'owner_id'])
        .where('report_id', '=', reportId)
        .where('id', 'in', itemIds)
        .execute()
      const pairs = new Map<string, { ownerId: string; unitId: string; kept: boolean }>()
      for (const i of items) {
        const ownerId = a.ownerId !== undefined ? a.ownerId : i.owner_id
        if (!ownerId) continue
        const unitId = (a.unitId !== undefined ? a.unitId : i.unit_id) ?? report.unit_id
        pairs.set(`${ownerId}:${unitId}`, { ownerId, unitId, kept: a.ownerId === undefined })
      }
      if (a.ownerId && !pairs.size)
        pairs.set(`${a.ownerId}:${report.unit_id}`, { ownerId: a.ownerId, unitId: a.unitId ?? report.unit_id, kept: false })
      const unitIds = [...new Set([...pairs.values()].map(p => p.unitId))]
      const paths = new Map(
        unitIds.length
          ? (await trx.selectFrom('units').select(['id', 'path']).where('id', 'in', unitIds).execute()).map(u => [u.id, u.path])
          : [],
      )
      for (const p of pairs.values()) await requireOwner(trx, actor, p.ownerId, paths.get(p.unitId) ?? '/nonexistent/', { kept: p.kept })
    }
    const set: Record<string, string | null> = {}
    if (a.unitId !== undefined) set.unit_id = a.unitId
    if (a.ownerId !== undefined) set.owner_id = a.ownerId
    if (a.dueDate !== undefined) set.due_date = a.dueDate
    if (a.priority !== undefined) set.priority = a.priority
    if (!Object.keys(set).length) return { updated: 0 }
    const res = await trx
      .updateTable('report_items')
      .set(set)
      .where('report_id', '=', reportId)
      .where('id', 'in', itemIds)
      .executeTakeFirst()
    return { updated: Number(res.numUpdatedRows) }
  })
}

/**
 * Corrects the report's agency and year (the extraction missed or misread them), while it is under
 * review or after confirmation. The name is filed like an extracted one, so it joins (or founds)
 * its agency and is learnt as an alias; the follow-up between years runs again for the report.
 */
export async function correctReportMetadata(
  db: DB,
  actor: Actor,
  reportId: string,
  input: { agencyName: string; year: number },
  now = new Date(),
): Promise<{ followUps: FollowUpRequest[] }> {
  const agencyName = input.agencyName.replace(/\s+/g, '').trim()
  if (!namesAnAgency(agencyName) || agencyName.length > 100)
    throw new AppError(400, '请填写报告机关的完整名称（如“某某市某某局”，不超过 100 字）。')
  const problem = yearProblem(input.year, now)
  if (problem) throw new AppError(400, problem)
  if (!can(actor.role, 'report:review')) throw new AppError(403, '只有督办人可以修改报告信息。')
  const scoped = await db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.status', 'units.path'])
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
  if (!scoped || !inScope(actor, scoped.path)) throw notFound()
  if (scoped.status !== 'extracted' && scoped.status !== 'confirmed') throw new AppError(409, '报告尚未提取完成。')
  // Filed before the transaction, as processing does: a new name's resolution takes its place's lock on its own.
  const agencyId = await fileAgency(db, agencyName)
  return db.transaction().execute(async trx => {
    await trx
      .updateTable('reports')
      .set({
        agency_name: agencyName,
        agency_id: agencyId,
        year: input.year,
        agency_confidence: null,
        year_confidence: null,
        updated_at: nowIso(),
      })
      .where('id', '=', reportId)
      .execute()
    return { followUps: await requestFollowUp(trx, [reportId]) }
  })
}

/** Items without an owner, which would become tasks 待分派: shown to the supervisor before confirming. */
export async function unownedItems(db: DB, reportId: string): Promise<Array<{ id: string; title: string }>> {
  return db
    .selectFrom('report_items')
    .select(['id', 'title'])
    .where('report_id', '=', reportId)
    .where('owner_id', 'is', null)
    .orderBy('seq')
    .execute()
}
