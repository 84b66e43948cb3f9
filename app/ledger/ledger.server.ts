// The ledger (台账): the page's rows, the .xlsx/.csv export of a filter, and the import that
// creates or updates tasks from such a file, all or nothing, through the task workflow.
import { createHash } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Database } from '../../db/schema'
import { can } from '../auth/permissions'
import { isZip } from '../documents/zip'
import { AppError } from '../errors'
import { uploadLimits } from '../limits'
import { listTasks, type TaskFilters } from '../tasks/queries.server'
import { createTask, todayInShanghai } from '../tasks/tasks.server'
import { addProgressInTrx, transitionTaskInTrx, updateTaskInTrx } from '../tasks/workflow.server'
import { canSeeTask, type Actor } from '../auth/scope'
import { inSubtree, listPeople } from '../auth/scope.server'
import { zh } from '../ui/zh'
import { LEDGER_HEADERS, rowCells } from './columns'
import { CsvError, decodeCsvBytes, parseCsv, writeCsv } from './csv'
import {
  planLedgerImport,
  readLedgerTable,
  yearOfSource,
  type CurrentTask,
  type ImportStep,
  type LedgerIssue,
  type NewTaskInput,
  type PlannedRow,
  type RowChange,
} from './import'
import { buildLedgerRows, type LedgerItem, type LedgerTask, type LedgerViewRow } from './rows'
import { readLedgerXlsx, writeLedgerXlsx, XlsxError } from './xlsx.server'

/** The database or a transaction (a Transaction is a Kysely instance too). */
type Conn = DB

export const EXPORT_MAX_ROWS = 10_000
export const IMPORT_MAX_BYTES = uploadLimits().ledgerBytes

/** Splits long id lists so no engine meets its bound-parameter limit. */
function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Items of the given reports, so a plan's row can show the problems it answers and vice versa. */
async function itemsOf(db: Conn, reportIds: readonly string[]): Promise<LedgerItem[]> {
  const out: LedgerItem[] = []
  for (const ids of chunks([...new Set(reportIds)])) {
    out.push(
      ...(await db
        .selectFrom('report_items')
        .select(['report_id', 'seq', 'kind', 'text', 'answers'])
        .where('report_id', 'in', ids)
        .execute()),
    )
  }
  return out
}

/** The latest progress note written for each task. */
async function latestNotes(db: Conn, taskIds: readonly string[]): Promise<Map<string, string | null>> {
  const notes = new Map<string, string | null>()
  for (const ids of chunks(taskIds)) {
    const rows = await db
      .selectFrom('task_events')
      .select(['task_id', 'note'])
      .where('task_id', 'in', ids)
      .where('type', '=', 'progress')
      .where('note', 'is not', null)
      .orderBy('created_at')
      .execute()
    for (const r of rows) notes.set(r.task_id, r.note)
  }
  return notes
}

async function ledgerRowsFor(db: Conn, tasks: readonly LedgerTask[]): Promise<LedgerViewRow[]> {
  const [items, notes] = await Promise.all([
    itemsOf(
      db,
      tasks.map(t => t.report_id),
    ),
    latestNotes(
      db,
      tasks.map(t => t.id),
    ),
  ])
  return buildLedgerRows(tasks, items, notes)
}

/** The ledger rows of a filter, in the actor's scope: what the page shows and the export writes. */
export async function loadLedger(
  db: DB,
  actor: Actor,
  filters: TaskFilters,
  opts: { limit?: number } = {},
): Promise<{ rows: LedgerViewRow[]; truncated: boolean }> {
  const limit = Math.min(opts.limit ?? EXPORT_MAX_ROWS, EXPORT_MAX_ROWS)
  const tasks = await listTasks(db, actor, { ...filters, sort: 'due', limit: limit + 1, offset: 0 })
  const truncated = tasks.length > limit
  return { rows: await ledgerRowsFor(db, tasks.slice(0, limit)), truncated }
}

/** What the filter selects can be chosen from: units and owners in scope, report years with tasks. */
export async function ledgerFilterOptions(db: DB, actor: Actor) {
  const units = db.selectFrom('units').select(['id', 'name', 'path']).where(inSubtree(actor, 'units.path')).orderBy('path')
  const years = db
    .selectFrom('tasks')
    .innerJoin('reports', 'reports.id', 'tasks.report_id')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select('reports.year')
    .distinct()
    .where('reports.year', 'is not', null)
    .where(inSubtree(actor, 'units.path'))
    .orderBy('reports.year', 'desc')
  const [u, people, y] = await Promise.all([units.execute(), listPeople(db, actor, { activeOnly: true }), years.execute()])
  const o = people.map(p => ({ id: p.id, display_name: p.display_name, unit_name: p.unit_name }))
  const depthOf = (path: string) => path.split('/').filter(Boolean).length
  const base = u.length ? Math.min(...u.map(x => depthOf(x.path))) : 0
  return {
    units: u.map(x => ({ id: x.id, name: x.name, depth: depthOf(x.path) - base })),
    owners: o.map(x => ({ id: x.id, name: x.display_name, unit: x.unit_name })),
    years: y.map(x => x.year as number),
  }
}

export interface LedgerFile {
  filename: string
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

export async function exportLedger(
  db: DB,
  actor: Actor,
  filters: TaskFilters,
  format: 'xlsx' | 'csv',
  today = todayInShanghai(),
): Promise<LedgerFile> {
  if (!can(actor.role, 'ledger:export')) throw new AppError(403, zh.errors.forbidden)
  const { rows } = await loadLedger(db, actor, filters)
  const cells = rows.map(r => rowCells(r.cells))
  const filename = `${zh.ledger.fileBase}-${today}.${format}`
  if (format === 'csv')
    return { filename, contentType: 'text/csv; charset=utf-8', body: new TextEncoder().encode(writeCsv([LEDGER_HEADERS, ...cells])) }
  return {
    filename,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await writeLedgerXlsx(rows.map(r => r.cells)),
  }
}

// ---- import ------------------------------------------------------------------------------------

export interface ImportPreviewRow {
  row: number
  action: 'create' | 'update'
  /** The task's title, or the new task's text. */
  label: string
  changes: RowChange[]
}

export type ImportOutcome =
  | {
      ok: true
      dryRun: boolean
      applied: number
      created: number
      updated: number
      unchanged: number
      preview: ImportPreviewRow[]
      warnings: LedgerIssue[]
    }
  | { ok: false; errors: LedgerIssue[]; warnings: LedgerIssue[] }

/** The file's rows of text: .xlsx by its zip signature, otherwise CSV in whatever encoding Excel used. */
async function readTable(file: { filename: string; bytes: Uint8Array }): Promise<string[][]> {
  const ext = file.filename.toLowerCase().split('.').pop() ?? ''
  if (!['xlsx', 'csv', 'txt'].includes(ext)) throw new AppError(415, zh.ledger.import.badType)
  if (file.bytes.byteLength === 0) throw new AppError(400, zh.ledger.import.noFile)
  if (file.bytes.byteLength > IMPORT_MAX_BYTES) throw new AppError(413, zh.ledger.import.tooLarge(IMPORT_MAX_BYTES / 1048576))
  try {
    if (isZip(file.bytes)) return await readLedgerXlsx(file.bytes)
    if (ext === 'xlsx') throw new XlsxError('not a zip')
    return parseCsv(decodeCsvBytes(file.bytes))
  } catch (err) {
    if (err instanceof XlsxError || err instanceof CsvError) throw new AppError(400, zh.ledger.import.unreadable)
    throw err
  }
}

/** The tasks a file names, as the actor may see them (the same rule as the task workflow's scope check). */
async function currentTasks(trx: Conn, actor: Actor, ids: readonly string[]): Promise<Map<string, CurrentTask & { title: string }>> {
  const found: (LedgerTask & { title: string; unit_id: string; unit_path: string; owner_id: string | null })[] = []
  for (const part of chunks([...new Set(ids)])) {
    const rows = await trx
      .selectFrom('tasks')
      .innerJoin('units', 'units.id', 'tasks.unit_id')
      .leftJoin('users as owner', 'owner.id', 'tasks.owner_id')
      .innerJoin('reports', 'reports.id', 'tasks.report_id')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select([
        'tasks.id',
        'tasks.kind',
        'tasks.title',
        'tasks.text',
        'tasks.status',
        'tasks.due_date',
        'tasks.progress',
        'tasks.closed_at',
        'tasks.report_id',
        'tasks.unit_id',
        'tasks.owner_id',
        'units.name as unit_name',
        'units.path as unit_path',
        'owner.display_name as owner_name',
        'reports.agency_name',
        'reports.year as report_year',
        'reports.filename as report_filename',
        'report_items.seq as item_seq',
        'report_items.answers as item_answers',
      ])
      .where('tasks.id', 'in', part)
      .execute()
    for (const r of rows) {
      if (canSeeTask(actor, { unitPath: r.unit_path, ownerId: r.owner_id })) found.push({ ...r, overdueDays: null })
    }
  }
  const [items, notes] = await Promise.all([
    itemsOf(
      trx,
      found.map(t => t.report_id),
    ),
    latestNotes(
      trx,
      found.map(t => t.id),
    ),
  ])
  const rows = buildLedgerRows(found, items, notes)
  const map = new Map<string, CurrentTask & { title: string }>()
  found.forEach((t, i) => {
    map.set(t.id, {
      id: t.id,
      title: t.title,
      status: t.status,
      unit_id: t.unit_id,
      unit_name: t.unit_name,
      unit_path: t.unit_path,
      owner_id: t.owner_id,
      owner_name: t.owner_name,
      due_date: t.due_date,
      progress: t.progress,
      latest_note: notes.get(t.id) ?? null,
      problem: rows[i].cells.problem,
      measure: rows[i].cells.measure,
    })
  })
  return map
}

async function scopeOf(trx: Conn, actor: Actor) {
  const units = await trx.selectFrom('units').select(['id', 'name', 'path']).where(inSubtree(actor, 'units.path')).execute()
  const users = (await listPeople(trx, actor, { activeOnly: true })).map(p => ({
    id: p.id,
    username: p.username,
    display_name: p.display_name,
    role: p.role,
    unit_path: p.unit_path,
  }))
  return { units, users }
}

function titleOf(text: string): string {
  const first = text
    .trim()
    .split(/[。；;！!？?\n]/)[0]
    .trim()
  return (first || text.trim()).slice(0, 40)
}

/**
 * New rows become tasks of a source report made for this import: one per distinct 来源报告 in the
 * file (agency and year read from the label), holding the rows' texts as its items, so every task
 * keeps a report, an item, and the filters by year and agency keep working. See docs/decisions/005.
 */
async function createImportedTasks(
  trx: Transaction<Database>,
  actor: Actor,
  filename: string,
  rows: readonly (PlannedRow & { kind: 'create' })[],
): Promise<Map<number, string>> {
  const taskIdOfRow = new Map<number, string>()
  const bySource = new Map<string, (PlannedRow & { kind: 'create' })[]>()
  for (const r of rows) bySource.set(r.create.source, [...(bySource.get(r.create.source) ?? []), r])
  const now = nowIso()
  for (const [source, group] of bySource) {
    const reportId = newId()
    const items: {
      id: string
      seq: number
      kind: 'problem' | 'plan'
      text: string
      answers: number[]
      start: number
      end: number
      row?: PlannedRow & { kind: 'create' }
      create?: NewTaskInput
    }[] = []
    let text = ''
    const add = (kind: 'problem' | 'plan', body: string, answers: number[], row?: PlannedRow & { kind: 'create' }) => {
      if (text) text += '\n\n'
      const start = text.length
      text += body
      items.push({ id: newId(), seq: items.length, kind, text: body, answers, start, end: text.length, row })
      return items.length - 1
    }
    for (const r of group) {
      const answers = r.create.kind === 'plan' && r.create.problem ? [add('problem', r.create.problem, [])] : []
      add(r.create.kind, r.create.text, answers, r)
    }
    const agency = source ? source.replace(/\s*(?:19|20)\d{2}\s*年[\s\S]*$/, '').trim() || source : null
    await trx
      .insertInto('reports')
      .values({
        id: reportId,
        filename: `${zh.ledger.import.sourceDefault}：${filename}`,
        format: 'ledger',
        size_bytes: new TextEncoder().encode(text).byteLength,
        // Unique per import, so it never collides with (or "deduplicates" against) an uploaded report.
        sha256: createHash('sha256').update(`ledger-import:${reportId}`).digest('hex'),
        encoding: 'UTF-8',
        text,
        status: 'confirmed',
        error: null,
        agency_id: null,
        agency_name: agency,
        year: source ? yearOfSource(source) : null,
        published_at: null,
        title: source || null,
        unit_id: actor.unitId,
        uploaded_by: actor.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    for (const item of items) {
      await trx
        .insertInto('report_items')
        .values({
          id: item.id,
          report_id: reportId,
          seq: item.seq,
          kind: item.kind,
          title: titleOf(item.text),
          text: item.text,
          start_offset: item.start,
          end_offset: item.end,
          answers: JSON.stringify(item.answers),
          due_date: item.row?.create.dueDate ?? null,
          created_at: now,
        })
        .execute()
      if (!item.row) continue
      const c = item.row.create
      const taskId = newId()
      const task = {
        id: taskId,
        report_id: reportId,
        item_id: item.id,
        kind: c.kind,
        title: titleOf(c.text),
        text: c.text,
        unit_id: c.unitId,
        owner_id: null,
        due_date: c.dueDate,
        priority: 'normal',
        status: 'unassigned',
      } as const
      await createTask(trx, task, { actorId: actor.id, at: now, note: zh.ledger.import.createdNote(filename, item.row.row) })
      taskIdOfRow.set(item.row.row, taskId)
    }
  }
  return taskIdOfRow
}

async function runStep(trx: Transaction<Database>, actor: Actor, taskId: string, step: ImportStep) {
  if (step.op === 'update') return updateTaskInTrx(trx, actor, taskId, step.patch)
  if (step.op === 'progress') return addProgressInTrx(trx, actor, taskId, { progress: step.progress, note: step.note })
  return transitionTaskInTrx(trx, actor, taskId, { action: step.action, reason: step.reason, ownerId: step.ownerId })
}

class RollBack extends Error {}

/**
 * Imports a ledger file. Every row is checked first; then all changes are made in one transaction
 * through the same workflow functions the pages use (so scope, permissions and task events are
 * exactly theirs). Any error, from the checks or from the workflow, and nothing is applied.
 * `dryRun` does all of it and rolls back: the "检查" step shows precisely what "确认导入" will do.
 */
export async function importLedger(
  db: DB,
  actor: Actor,
  file: { filename: string; bytes: Uint8Array },
  opts: { dryRun?: boolean } = {},
): Promise<ImportOutcome> {
  if (!can(actor.role, 'task:manage')) throw new AppError(403, zh.errors.forbidden)
  const table = await readTable(file)
  const read = readLedgerTable(table)
  if (read.errors.length) return { ok: false, errors: read.errors, warnings: [] }

  let outcome: ImportOutcome | undefined
  try {
    await db.transaction().execute(async trx => {
      const ids = read.rows.map(r => r.cells.taskId?.trim()).filter((id): id is string => !!id)
      const tasks = await currentTasks(trx, actor, ids)
      const scope = await scopeOf(trx, actor)
      const plan = planLedgerImport(read.rows, { actor, units: scope.units, users: scope.users, tasks })
      if (plan.errors.length) {
        outcome = { ok: false, errors: plan.errors, warnings: plan.warnings }
        throw new RollBack()
      }
      const creates = plan.rows.filter((r): r is PlannedRow & { kind: 'create' } => r.kind === 'create')
      const created = await createImportedTasks(trx, actor, file.filename, creates)
      const errors: LedgerIssue[] = []
      for (const r of plan.rows) {
        if (r.kind === 'unchanged') continue
        const taskId = r.kind === 'create' ? created.get(r.row)! : r.taskId
        for (const step of r.steps) {
          try {
            await runStep(trx, actor, taskId, step)
          } catch (err) {
            if (!(err instanceof AppError)) throw err
            errors.push({ row: r.row, column: step.column, message: err.message })
            break
          }
        }
      }
      const preview = plan.rows
        .filter((r): r is Exclude<PlannedRow, { kind: 'unchanged' }> => r.kind !== 'unchanged')
        .map(r => ({
          row: r.row,
          action: r.kind,
          label: r.kind === 'create' ? titleOf(r.create.text) : (tasks.get(r.taskId)?.title ?? ''),
          changes: r.changes,
        }))
      const counts = {
        created: creates.length,
        updated: plan.rows.filter(r => r.kind === 'update').length,
        unchanged: plan.rows.filter(r => r.kind === 'unchanged').length,
      }
      outcome = errors.length
        ? { ok: false, errors, warnings: plan.warnings }
        : { ok: true, dryRun: !!opts.dryRun, applied: counts.created + counts.updated, ...counts, preview, warnings: plan.warnings }
      if (errors.length || opts.dryRun) throw new RollBack()
    })
  } catch (err) {
    if (!(err instanceof RollBack)) throw err
  }
  return outcome!
}
