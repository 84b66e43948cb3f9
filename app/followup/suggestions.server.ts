// Follow-up suggestions are not verdicts: a supervisor confirms or rejects each. Confirmed evidence
// joins the earlier task's timeline; a confirmed recurrence is written on both tasks' timelines.
// Scope: a suggestion belongs to both its reports, so it is seen and decided only by someone whose
// subtree holds both (deciding writes to the earlier task's timeline).
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import type { Database, Role } from '../../db/schema'
import { can } from '../auth/permissions'
import { canSeeTask, inScope, type Actor } from '../auth/scope'
import { inSubtree } from '../auth/scope.server'
import { AppError, notFound } from '../errors'
import { loadTaskInScope, writeEvent } from '../tasks/workflow.server'
import { passageInContext, type PassageInContext } from './passage'
import type { SuggestionKind, SuggestionStatus } from './suggestion-kinds'

type Trx = DB | Transaction<Database>

/** Supervisors decide; oversight reads the queue without deciding; staff work on tasks, not on suggestions. */
export const mayDecideSuggestions = (role: Role) => can(role, 'report:review')
export const mayViewSuggestionQueue = (role: Role) => mayDecideSuggestions(role) || role === 'oversight'

/** Suggestions whose two reports are both in the actor's subtree. */
function scopedSuggestions(db: Trx, actor: Actor) {
  const q = db
    .selectFrom('followup_suggestions as s')
    .innerJoin('reports as er', 'er.id', 's.earlier_report_id')
    .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
    .innerJoin('units as eu', 'eu.id', 'er.unit_id')
    .innerJoin('units as lu', 'lu.id', 'lr.unit_id')
  return q.where(inSubtree(actor, 'eu.path')).where(inSubtree(actor, 'lu.path'))
}

/** The texts, years and tasks a suggestion connects. */
function withDetails(q: ReturnType<typeof scopedSuggestions>) {
  return q
    .innerJoin('report_items as ei', 'ei.id', 's.earlier_item_id')
    .leftJoin('report_items as li', 'li.id', 's.later_item_id')
    .leftJoin('tasks as et', 'et.item_id', 's.earlier_item_id')
    .leftJoin('tasks as lt', 'lt.item_id', 's.later_item_id')
    .leftJoin('users as decider', 'decider.id', 's.decided_by')
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
      's.decided_at',
      'decider.display_name as decided_by_name',
      'ei.title as earlier_title',
      'ei.text as earlier_text',
      'li.title as later_title',
      'li.text as later_text',
      'et.id as earlier_task_id',
      'lt.id as later_task_id',
      'er.year as earlier_year',
      'lr.year as later_year',
      'er.agency_name as earlier_agency',
      'lr.agency_name as later_agency',
      'er.filename as earlier_filename',
      'lr.filename as later_filename',
    ])
}

async function reportInScope(db: Trx, actor: Actor, reportId: string) {
  const r = await db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'units.path'])
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
  return !!r && inScope(actor, r.path)
}

/** Suggestions where this report is the earlier or the later one, with the texts and tasks involved. */
export async function listSuggestionsForReport(db: DB, actor: Actor, reportId: string) {
  if (!(await reportInScope(db, actor, reportId))) return []
  return withDetails(scopedSuggestions(db, actor))
    .where(eb => eb.or([eb('s.later_report_id', '=', reportId), eb('s.earlier_report_id', '=', reportId)]))
    .orderBy('s.kind')
    .orderBy('s.score', 'desc')
    .orderBy('s.id')
    .execute()
}

export type SuggestionRow = Awaited<ReturnType<typeof listSuggestionsForReport>>[number]

export interface QueueFilters {
  kind?: SuggestionKind
  /** Default: pending, the work still to do. */
  status?: SuggestionStatus | 'all'
  page?: number
  pageSize?: number
}

export interface QueueGroup {
  earlier: { reportId: string; year: number | null; agency: string | null; filename: string }
  later: { reportId: string; year: number | null; agency: string | null; filename: string }
  suggestions: SuggestionRow[]
}

/**
 * The review queue: suggestions across every report pair in the actor's scope, newest later report
 * first, paginated by suggestion and grouped by report pair (a pair may continue on the next page).
 */
export async function listSuggestionQueue(db: DB, actor: Actor, filters: QueueFilters = {}) {
  if (!mayViewSuggestionQueue(actor.role)) throw new AppError(403, '只有督办人和监督方可以查看跨年对照。')
  const status = filters.status ?? 'pending'
  const pageSize = Math.min(Math.max(filters.pageSize ?? 30, 1), 200)
  const filtered = <Q extends ReturnType<typeof scopedSuggestions>>(q: Q): Q => {
    let r = q
    if (filters.kind) r = r.where('s.kind', '=', filters.kind) as Q
    if (status !== 'all') r = r.where('s.status', '=', status) as Q
    return r
  }
  const { n } = await filtered(scopedSuggestions(db, actor))
    .select(eb => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(n)
  const pageCount = Math.max(1, Math.ceil(total / pageSize))
  const page = Math.min(Math.max(Math.trunc(filters.page ?? 1) || 1, 1), pageCount)
  const rows = await withDetails(filtered(scopedSuggestions(db, actor)))
    .orderBy('lr.created_at', 'desc')
    .orderBy('s.later_report_id')
    .orderBy('s.earlier_report_id')
    .orderBy('s.kind')
    .orderBy('s.score', 'desc')
    .orderBy('s.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
  const groups: QueueGroup[] = []
  for (const r of rows) {
    const last = groups.at(-1)
    if (last && last.earlier.reportId === r.earlier_report_id && last.later.reportId === r.later_report_id) {
      last.suggestions.push(r)
      continue
    }
    groups.push({
      earlier: { reportId: r.earlier_report_id, year: r.earlier_year, agency: r.earlier_agency, filename: r.earlier_filename },
      later: { reportId: r.later_report_id, year: r.later_year, agency: r.later_agency, filename: r.later_filename },
      suggestions: [r],
    })
  }
  return { groups, total, page, pageCount, pageSize, status, kind: filters.kind ?? null, canDecide: mayDecideSuggestions(actor.role) }
}

/** The navigation's count stops here (it shows 99+): every page asks, and a province holds tens of thousands. */
export const PENDING_COUNT_CAP = 100

/**
 * Pending suggestions a supervisor could decide, for the count beside the navigation link, at most
 * PENDING_COUNT_CAP; 0 for anyone who cannot decide.
 */
export async function countPendingSuggestions(db: DB, actor: Actor): Promise<number> {
  if (!mayDecideSuggestions(actor.role)) return 0
  const { n } = await db
    .selectFrom(scopedSuggestions(db, actor).where('s.status', '=', 'pending').select('s.id').limit(PENDING_COUNT_CAP).as('p'))
    .select(eb => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n)
}

const rootOf = (path: string) => `/${path.split('/')[1]}/`

export interface TaskEvidenceSuggestion {
  id: string
  status: SuggestionStatus
  score: number
  later: { year: number | null; agency: string | null; reportId: string | null }
  context: PassageInContext
  canDecide: boolean
}

export interface TaskRecurrenceSuggestion {
  id: string
  status: SuggestionStatus
  score: number
  /** Whether this task's problem is the earlier or the later one of the pair. */
  thisIs: 'earlier' | 'later'
  other: { year: number | null; agency: string | null; title: string; text: string; taskId: string | null; reportId: string | null }
  canDecide: boolean
}

/**
 * What the next year's report says about a task (evidence it was done) and where its problem
 * recurs (either direction), for the task page. Rejected suggestions are left out. Whoever may see
 * the task sees these; links to the other report or task only when the viewer may open them, and
 * only suggestions within the task's own organisation tree.
 */
export async function listSuggestionsForTask(
  db: DB,
  actor: Actor,
  taskId: string,
): Promise<{ evidence: TaskEvidenceSuggestion[]; recurring: TaskRecurrenceSuggestion[] }> {
  const task = await loadTaskInScope(db, actor, taskId)
  const source = await db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select('units.path')
    .where('reports.id', '=', task.report_id)
    .executeTakeFirstOrThrow()
  const tree = `${rootOf(source.path)}%`
  const rows = await db
    .selectFrom('followup_suggestions as s')
    .innerJoin('reports as er', 'er.id', 's.earlier_report_id')
    .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
    .innerJoin('units as eu', 'eu.id', 'er.unit_id')
    .innerJoin('units as lu', 'lu.id', 'lr.unit_id')
    .innerJoin('report_items as ei', 'ei.id', 's.earlier_item_id')
    .leftJoin('report_items as li', 'li.id', 's.later_item_id')
    .leftJoin('tasks as et', 'et.item_id', 's.earlier_item_id')
    .leftJoin('tasks as lt', 'lt.item_id', 's.later_item_id')
    .leftJoin('units as etu', 'etu.id', 'et.unit_id')
    .leftJoin('units as ltu', 'ltu.id', 'lt.unit_id')
    .select([
      's.id',
      's.kind',
      's.status',
      's.score',
      's.start_offset',
      's.end_offset',
      's.earlier_item_id',
      's.earlier_report_id',
      's.later_report_id',
      'eu.path as earlier_report_path',
      'lu.path as later_report_path',
      'er.year as earlier_year',
      'lr.year as later_year',
      'er.agency_name as earlier_agency',
      'lr.agency_name as later_agency',
      'ei.title as earlier_title',
      'ei.text as earlier_text',
      'li.title as later_title',
      'li.text as later_text',
      'et.id as earlier_task_id',
      'et.owner_id as earlier_task_owner',
      'etu.path as earlier_task_path',
      'lt.id as later_task_id',
      'lt.owner_id as later_task_owner',
      'ltu.path as later_task_path',
    ])
    .where('s.status', '!=', 'rejected')
    .where('eu.path', 'like', tree)
    .where('lu.path', 'like', tree)
    .where(eb =>
      eb.or([
        eb('s.earlier_item_id', '=', task.item_id),
        eb.and([eb('s.kind', '=', 'recurring'), eb('s.later_report_id', '=', task.report_id), eb('s.later_item_id', '=', task.item_id)]),
      ]),
    )
    .orderBy('s.score', 'desc')
    .orderBy('s.id')
    .execute()

  const canDecide = (r: (typeof rows)[number]) =>
    r.status === 'pending' &&
    mayDecideSuggestions(actor.role) &&
    inScope(actor, r.earlier_report_path) &&
    inScope(actor, r.later_report_path)
  const taskVisible = (id: string | null, path: string | null, owner: string | null) =>
    id && path && canSeeTask(actor, { unitPath: path, ownerId: owner }) ? id : null

  const evidenceRows = rows.filter(r => r.kind === 'evidence' && r.start_offset !== null && r.end_offset !== null)
  const laterIds = [...new Set(evidenceRows.map(r => r.later_report_id))]
  const texts = new Map<string, string>()
  if (laterIds.length)
    for (const r of await db.selectFrom('reports').select(['id', 'text']).where('id', 'in', laterIds).execute())
      texts.set(r.id, r.text ?? '')

  const evidence = evidenceRows.map(r => ({
    id: r.id,
    status: r.status,
    score: r.score,
    later: { year: r.later_year, agency: r.later_agency, reportId: inScope(actor, r.later_report_path) ? r.later_report_id : null },
    context: passageInContext(texts.get(r.later_report_id) ?? '', r.start_offset!, r.end_offset!),
    canDecide: canDecide(r),
  }))
  const recurring = rows
    .filter(r => r.kind === 'recurring')
    .map(r => {
      const thisIs = r.earlier_item_id === task.item_id ? ('earlier' as const) : ('later' as const)
      const other =
        thisIs === 'earlier'
          ? {
              year: r.later_year,
              agency: r.later_agency,
              title: r.later_title ?? '',
              text: r.later_text ?? '',
              taskId: taskVisible(r.later_task_id, r.later_task_path, r.later_task_owner),
              reportId: inScope(actor, r.later_report_path) ? r.later_report_id : null,
            }
          : {
              year: r.earlier_year,
              agency: r.earlier_agency,
              title: r.earlier_title,
              text: r.earlier_text,
              taskId: taskVisible(r.earlier_task_id, r.earlier_task_path, r.earlier_task_owner),
              reportId: inScope(actor, r.earlier_report_path) ? r.earlier_report_id : null,
            }
      return { id: r.id, status: r.status, score: r.score, thisIs, other, canDecide: canDecide(r) }
    })
  return { evidence, recurring }
}

export async function decideSuggestion(db: DB, actor: Actor, suggestionId: string, confirm: boolean) {
  if (!mayDecideSuggestions(actor.role)) throw new AppError(403, '只有督办人可以确认或驳回对照结果。')
  return db.transaction().execute(async trx => {
    const s = await scopedSuggestions(trx, actor).selectAll('s').where('s.id', '=', suggestionId).executeTakeFirst()
    if (!s) throw notFound()
    if (s.status !== 'pending') throw new AppError(409, '该对照结果已由他人处理，请刷新后查看。')
    const now = nowIso()
    const res = await trx
      .updateTable('followup_suggestions')
      .set({ status: confirm ? 'confirmed' : 'rejected', decided_by: actor.id, decided_at: now })
      .where('id', '=', s.id)
      .where('status', '=', 'pending') // decided by someone else meanwhile: refuse rather than write twice
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, '该对照结果已由他人处理，请刷新后查看。')
    if (!confirm) return { status: 'rejected' as const }
    const earlierTask = await trx.selectFrom('tasks').select('id').where('item_id', '=', s.earlier_item_id).executeTakeFirst()
    const laterTask = s.later_item_id
      ? await trx.selectFrom('tasks').select('id').where('item_id', '=', s.later_item_id).executeTakeFirst()
      : undefined
    // Each timeline quotes the other side: the later passage on the earlier task, the earlier problem on the later task.
    const event = (taskId: string, type: string, after: unknown, note: string | null) =>
      writeEvent(trx, { taskId, actorId: actor.id, type, after, note })
    if (s.kind === 'evidence' && earlierTask)
      await event(
        earlierTask.id,
        'followup_evidence',
        { later_report_id: s.later_report_id, suggestion_id: s.id, start: s.start_offset, end: s.end_offset, score: s.score },
        s.passage,
      )
    if (s.kind === 'recurring') {
      if (earlierTask)
        await event(
          earlierTask.id,
          'recurred',
          { later_report_id: s.later_report_id, later_task_id: laterTask?.id ?? null, suggestion_id: s.id },
          s.passage,
        )
      if (laterTask) {
        const earlierItem = await trx.selectFrom('report_items').select('text').where('id', '=', s.earlier_item_id).executeTakeFirst()
        await event(
          laterTask.id,
          'recurs',
          { earlier_report_id: s.earlier_report_id, earlier_task_id: earlierTask?.id ?? null, suggestion_id: s.id },
          earlierItem?.text ?? null,
        )
      }
    }
    return { status: 'confirmed' as const }
  })
}

const FOLLOWUP_EVENT_TYPES = new Set(['followup_evidence', 'recurred', 'recurs'])

export interface FollowupEventLinks {
  /** Reports named by follow-up events: their year, and whether the viewer may open them. */
  reports: Record<string, { year: number | null; agency: string | null; open: boolean }>
  /** Tasks named by follow-up events that the viewer may open. */
  tasks: Record<string, boolean>
}

/** What a task's follow-up events point at (the other year's report and task), resolved for this viewer. */
export async function followupEventLinks(
  db: DB,
  actor: Actor,
  events: Array<{ type: string; after: string | null }>,
): Promise<FollowupEventLinks> {
  const reportIds = new Set<string>()
  const taskIds = new Set<string>()
  for (const e of events) {
    if (!FOLLOWUP_EVENT_TYPES.has(e.type) || !e.after) continue
    const after = JSON.parse(e.after) as Record<string, unknown>
    for (const k of ['later_report_id', 'earlier_report_id']) if (typeof after[k] === 'string') reportIds.add(after[k] as string)
    for (const k of ['later_task_id', 'earlier_task_id']) if (typeof after[k] === 'string') taskIds.add(after[k] as string)
  }
  const links: FollowupEventLinks = { reports: {}, tasks: {} }
  if (reportIds.size) {
    const rows = await db
      .selectFrom('reports')
      .innerJoin('units', 'units.id', 'reports.unit_id')
      .select(['reports.id', 'reports.year', 'reports.agency_name', 'units.path'])
      .where('reports.id', 'in', [...reportIds])
      .execute()
    for (const r of rows) links.reports[r.id] = { year: r.year, agency: r.agency_name, open: inScope(actor, r.path) }
  }
  if (taskIds.size) {
    const rows = await db
      .selectFrom('tasks')
      .innerJoin('units', 'units.id', 'tasks.unit_id')
      .select(['tasks.id', 'tasks.owner_id', 'units.path'])
      .where('tasks.id', 'in', [...taskIds])
      .execute()
    for (const t of rows) links.tasks[t.id] = canSeeTask(actor, { unitPath: t.path, ownerId: t.owner_id })
  }
  return links
}
