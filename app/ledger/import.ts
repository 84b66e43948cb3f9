// Ledger import, the pure half: read a sheet (already turned into rows of text), check every row
// against what the database says, and plan the changes as the same steps a person would take in
// the app (edit, post progress, move status). Nothing here touches the database; ledger.server.ts
// loads the context, and applies the plan through the task workflow in one transaction.
import type { Role, TaskStatus } from '../../db/schema'
import { canOwnTasks, isUnder } from '../auth/scope'
import { decideTransition, type TaskAction } from '../tasks/status'
import { zh } from '../ui/zh'
import { headerOf, LEDGER_COLUMNS, type LedgerKey } from './columns'
import { restoreFormula } from './csv'
import { progressCell } from './rows'

export interface LedgerIssue {
  /** Row number as the spreadsheet shows it (the header is usually row 1). */
  row: number
  /** Column header, or '' for the whole row or file. */
  column: string
  message: string
}

export interface ParsedLedgerRow {
  row: number
  /** Only the columns the file has; a missing column means "leave as it is". */
  cells: Partial<Record<LedgerKey, string>>
}

export const IMPORT_MAX_ROWS = 5000
const MAX_TEXT = 5000

// Headers other ledgers use for the same columns, so a hand-made ledger can be imported too.
const HEADER_ALIASES: Record<string, LedgerKey> = {
  编号: 'seq',
  存在问题: 'problem',
  存在的问题: 'problem',
  问题描述: 'problem',
  改进措施: 'measure',
  整改任务: 'measure',
  责任部门: 'unit',
  牵头单位: 'unit',
  责任领导: 'owner',
  整改期限: 'due',
  完成时限: 'due',
  整改进度: 'progress',
  进展情况: 'progress',
  整改状态: 'status',
  状态: 'status',
  任务ID: 'taskId',
}

function normaliseHeader(h: string): string {
  return h.replace(/[（(][^）)]*[）)]/g, '').replace(/\s+/g, '')
}

function keyOfHeader(h: string): LedgerKey | undefined {
  const n = normaliseHeader(h)
  return LEDGER_COLUMNS.find(c => c.header === n)?.key ?? HEADER_ALIASES[n]
}

/** Finds the header row (within the first rows, so a title line above it is fine) and reads the rows below it. */
export function readLedgerTable(table: readonly (readonly string[])[]): { rows: ParsedLedgerRow[]; errors: LedgerIssue[] } {
  let headerIndex = -1
  let best = 0
  for (let i = 0; i < Math.min(table.length, 10); i++) {
    const hits = table[i].filter(h => keyOfHeader(String(h ?? ''))).length
    if (hits > best && table[i].some(h => keyOfHeader(String(h ?? '')) === 'unit')) {
      best = hits
      headerIndex = i
    }
  }
  if (headerIndex < 0) return { rows: [], errors: [{ row: 1, column: '', message: zh.ledger.import.noHeader }] }
  const headerRow = headerIndex + 1
  const columns = new Map<number, LedgerKey>()
  const seen = new Map<LedgerKey, number>()
  const errors: LedgerIssue[] = []
  table[headerIndex].forEach((h, col) => {
    const key = keyOfHeader(String(h ?? ''))
    if (!key) return
    if (seen.has(key)) errors.push({ row: headerRow, column: headerOf(key), message: zh.ledger.import.duplicateColumn(headerOf(key)) })
    seen.set(key, col)
    columns.set(col, key)
  })
  if (!seen.has('problem') && !seen.has('measure')) errors.push({ row: headerRow, column: '', message: zh.ledger.import.missingColumns })
  if (errors.length) return { rows: [], errors }

  const rows: ParsedLedgerRow[] = []
  for (let i = headerIndex + 1; i < table.length; i++) {
    const record = table[i]
    if (!record.some(v => String(v ?? '').trim())) continue
    const cells: ParsedLedgerRow['cells'] = {}
    for (const [col, key] of columns) cells[key] = restoreFormula(String(record[col] ?? '').trim())
    rows.push({ row: i + 1, cells })
  }
  if (rows.length > IMPORT_MAX_ROWS)
    return {
      rows: [],
      errors: [{ row: headerRow + IMPORT_MAX_ROWS + 1, column: '', message: zh.ledger.import.tooManyRows(IMPORT_MAX_ROWS) }],
    }
  return { rows, errors: [] }
}

// ---- cell parsers ----------------------------------------------------------------------------

/** 2025-12-31, 2025/12/31, 2025.12.31, 2025年12月31日, 20251231 → 2025-12-31; '' → null. */
export function parseLedgerDate(cell: string): { ok: true; value: string | null } | { ok: false } {
  const s = cell.trim()
  if (!s) return { ok: true, value: null }
  const m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/) ?? s.match(/^(\d{4})(\d{2})(\d{2})$/)
  if (!m) return { ok: false }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 2000 || y > 2100) return { ok: false }
  return { ok: true, value: date.toISOString().slice(0, 10) }
}

// Words other ledgers use in 完成情况 for the same statuses.
const STATUS_SYNONYMS: Record<string, TaskStatus> = {
  未分派: 'unassigned',
  整改中: 'in_progress',
  推进中: 'in_progress',
  未完成: 'in_progress',
  已完成: 'closed',
  已整改: 'closed',
  持续推进: 'ongoing',
  长期推进: 'ongoing',
}

/** "进行中", "进行中（逾期 3 天）" (the derived overdue note is ignored), "已取消：原因" (a reason after a colon). */
export function parseLedgerStatus(cell: string): { ok: true; status: TaskStatus | null; reason: string | null } | { ok: false } {
  const s = cell.trim()
  if (!s) return { ok: true, status: null, reason: null }
  const m = s.match(/^([^（(：:]+?)\s*(?:[（(]\s*逾期[^）)]*[）)])?\s*(?:[：:]\s*([\s\S]*))?$/)
  if (!m) return { ok: false }
  const label = m[1].replace(/\s+/g, '')
  const status = (Object.keys(zh.taskStatus) as TaskStatus[]).find(k => zh.taskStatus[k] === label) ?? STATUS_SYNONYMS[label]
  if (!status) return { ok: false }
  return { ok: true, status, reason: m[2]?.trim() || null }
}

/** "60%：已完成栏目改版", "60%", "60", or a note alone (the percentage stays). '' → nothing to report. */
export function parseLedgerProgress(cell: string): { ok: true; progress: number | null; note: string } | { ok: false } {
  const s = cell.trim()
  if (!s) return { ok: true, progress: null, note: '' }
  const m = s.match(/^(\d{1,3}(?:\.\d+)?)\s*[%％]?\s*(?:[：:，,；;、]\s*)?([\s\S]*)$/)
  if (m && (/[%％]/.test(s) || !m[2])) {
    const progress = Math.round(Number(m[1]))
    if (progress > 100) return { ok: false }
    return { ok: true, progress, note: m[2].trim() }
  }
  return { ok: true, progress: null, note: s }
}

// ---- planning ----------------------------------------------------------------------------------

export interface LedgerActor {
  id: string
  role: Role
  unitId: string
  unitPath: string
}

export interface ScopeUnit {
  id: string
  name: string
  path: string
}

export interface ScopeUser {
  id: string
  username: string
  display_name: string
  /** Absent: taken as a role that may own tasks (the workflow checks again when the row is applied). */
  role?: Role
  unit_path: string
}

/** A task named in the file, as the database has it now (only tasks the actor may see). */
export interface CurrentTask {
  id: string
  status: TaskStatus
  unit_id: string
  unit_name: string
  unit_path: string
  owner_id: string | null
  owner_name: string | null
  due_date: string | null
  progress: number
  latest_note: string | null
  /** The 问题 and 整改措施 cells an export writes for it. */
  problem: string
  measure: string
}

export interface LedgerContext {
  actor: LedgerActor
  /** Units the actor manages (the subtree of their unit; all for an admin). */
  units: readonly ScopeUnit[]
  /** Active users in those units. */
  users: readonly ScopeUser[]
  tasks: ReadonlyMap<string, CurrentTask>
}

export interface RowChange {
  column: string
  before: string
  after: string
}

/** One thing to do to a task, exactly as the workflow functions take it. */
export type ImportStep =
  | { op: 'update'; column: string; patch: { unitId?: string; ownerId?: string | null; dueDate?: string | null } }
  | { op: 'progress'; column: string; progress: number; note: string }
  | { op: 'transition'; column: string; action: TaskAction; reason: string | null; ownerId?: string | null }

export interface NewTaskInput {
  kind: 'problem' | 'plan'
  /** For a plan: the problem it answers, kept as an item of the import's source report. */
  problem: string
  text: string
  unitId: string
  dueDate: string | null
  source: string
}

export type PlannedRow =
  | { row: number; kind: 'update'; taskId: string; changes: RowChange[]; steps: ImportStep[] }
  | { row: number; kind: 'create'; create: NewTaskInput; changes: RowChange[]; steps: ImportStep[] }
  | { row: number; kind: 'unchanged'; taskId: string }

export interface ImportPlan {
  rows: PlannedRow[]
  errors: LedgerIssue[]
  warnings: LedgerIssue[]
}

const CLOSED: readonly TaskStatus[] = ['closed', 'cancelled']
const NEW_TASK_STATUSES: readonly TaskStatus[] = ['unassigned', 'in_progress', 'ongoing']

/** The single move of the status machine that goes from one status to another, if there is one. */
export function actionBetween(from: TaskStatus, to: TaskStatus): TaskAction | null {
  if (to === 'in_progress')
    return from === 'unassigned'
      ? 'assign'
      : from === 'pending_review'
        ? 'return'
        : CLOSED.includes(from) || from === 'ongoing'
          ? 'reopen'
          : null
  if (to === 'pending_review') return from === 'in_progress' ? 'submit' : null
  if (to === 'closed') return from === 'pending_review' ? 'verify' : null
  if (to === 'ongoing') return ['unassigned', 'in_progress', 'pending_review'].includes(from) ? 'ongoing' : null
  if (to === 'cancelled') return CLOSED.includes(from) ? null : 'cancel'
  return null
}

/** The year a source label names ("…2024年…"), for the default deadline and the report's year. */
export function yearOfSource(source: string): number | null {
  const m = source.match(/((?:19|20)\d{2})\s*年/)
  return m ? Number(m[1]) : null
}

// ---- one function per column: read the cell, check it against the context, say what it asks for ----

/** Reports a problem with one cell of the row being planned (`''`: the whole row). */
export type CellFail = (key: LedgerKey | '', message: string) => void

const t = zh.ledger.import

/**
 * 任务编号: the task the row is about, as the database has it now; undefined for a new task (no id),
 * and then too for an id already used on an earlier row (`firstRowOfId`) or unknown, which fail.
 */
export function planTaskIdCell(
  taskId: string,
  row: number,
  firstRowOfId: Map<string, number>,
  tasks: LedgerContext['tasks'],
  fail: CellFail,
): CurrentTask | undefined {
  if (!taskId) return undefined
  const first = firstRowOfId.get(taskId)
  if (first !== undefined) fail('taskId', t.duplicateId(first))
  else firstRowOfId.set(taskId, row)
  const current = tasks.get(taskId)
  if (!current && first === undefined) fail('taskId', t.unknownId)
  return current
}

/** The units in scope by name (two units may share one), for planUnitCell. */
export function unitsByNameOf(units: readonly ScopeUnit[]): Map<string, ScopeUnit[]> {
  const byName = new Map<string, ScopeUnit[]>()
  for (const u of units) byName.set(u.name, [...(byName.get(u.name) ?? []), u])
  return byName
}

/**
 * 责任单位: the task's unit after the row, by name among the units in scope. Unchanged or absent: the
 * task's own; a new task without one: the actor's unit (or the first in scope).
 */
export function planUnitCell(
  cell: string | undefined,
  current: CurrentTask | undefined,
  ctx: LedgerContext,
  unitsByName: ReadonlyMap<string, ScopeUnit[]>,
  fail: CellFail,
): ScopeUnit | undefined {
  let unit: ScopeUnit | undefined = current ? { id: current.unit_id, name: current.unit_name, path: current.unit_path } : undefined
  const unitCell = cell ?? ''
  if (cell !== undefined && unitCell !== (current?.unit_name ?? '')) {
    const matches = unitsByName.get(unitCell) ?? []
    if (!unitCell) {
      if (current) fail('unit', t.unitRequired)
    } else if (matches.length === 0) fail('unit', t.unknownUnit(unitCell))
    else if (matches.length > 1) fail('unit', t.ambiguousUnit(unitCell))
    else unit = matches[0]
  }
  if (!current && !unit) unit = ctx.units.find(u => u.id === ctx.actor.unitId) ?? ctx.units[0]
  return unit
}

/**
 * 责任人: "姓名", "用户名" or "姓名（用户名）", among the people of the task's unit (after the row) and
 * below it. `ownerId` undefined: leave as it is; null: no owner (an emptied cell).
 */
export function planOwnerCell(
  cell: string | undefined,
  current: CurrentTask | undefined,
  unit: ScopeUnit | undefined,
  users: readonly ScopeUser[],
  fail: CellFail,
): { ownerId: string | null | undefined; ownerLabel: string } {
  let ownerId: string | null | undefined // undefined: leave as it is
  let ownerLabel = ''
  const ownerCell = cell ?? ''
  if (cell !== undefined && ownerCell !== (current?.owner_name ?? '')) {
    if (!ownerCell) {
      ownerId = null
    } else if (unit) {
      const m = ownerCell.match(/^(.+?)\s*[（(]\s*([^）)]+?)\s*[）)]$/)
      const matchesCell = (u: ScopeUser) =>
        m ? u.username === m[2].toLowerCase() : u.display_name === ownerCell || u.username === ownerCell.toLowerCase()
      const inUnit = users.filter(u => isUnder(u.unit_path, unit.path) && matchesCell(u))
      if (inUnit.length === 1 && inUnit[0].role && !canOwnTasks(inUnit[0].role)) fail('owner', zh.scope.ownerRole)
      else if (inUnit.length === 1) {
        ownerId = inUnit[0].id
        ownerLabel = inUnit[0].display_name
      } else if (inUnit.length > 1) fail('owner', t.ambiguousOwner(ownerCell))
      else if (users.some(matchesCell)) fail('owner', t.ownerNotInUnit(ownerCell, unit.name))
      else fail('owner', t.unknownOwner(ownerCell))
    }
  }
  return { ownerId, ownerLabel }
}

/** 整改时限: the new deadline (null: none), or undefined to leave it as it is. */
export function planDueCell(cell: string | undefined, current: CurrentTask | undefined, fail: CellFail): string | null | undefined {
  if (cell === undefined || cell === (current?.due_date ?? '')) return undefined
  const d = parseLedgerDate(cell)
  if (!d.ok) fail('due', t.badDate(cell))
  else if (!current || d.value !== current.due_date) return d.value
  return undefined
}

/** The 整改进展 cell an export writes for the task now ('' for a new task). */
export function progressNowOf(current: CurrentTask | undefined): string {
  return current ? progressCell(current.progress, current.latest_note) : ''
}

/** 整改进展: a progress report to post (the percentage kept when the cell has a note alone), or undefined. */
export function planProgressCell(
  cell: string | undefined,
  current: CurrentTask | undefined,
  fail: CellFail,
): { progress: number; note: string } | undefined {
  if (cell === undefined || cell === progressNowOf(current)) return undefined
  const p = parseLedgerProgress(cell)
  if (!p.ok) fail('progress', t.badProgress(cell))
  else if (p.progress !== null || p.note) {
    const pct = p.progress ?? current?.progress ?? 0
    if (!current || pct !== current.progress || (p.note && p.note !== (current.latest_note ?? ''))) return { progress: pct, note: p.note }
  }
  return undefined
}

/** 完成情况: the status the person asked for (null: none, the status follows the other edits) and its reason. */
export function planStatusCell(
  cell: string | undefined,
  current: CurrentTask | undefined,
  fail: CellFail,
): { target: TaskStatus | null; reason: string | null } {
  if (cell === undefined) return { target: null, reason: null }
  const s = parseLedgerStatus(cell)
  if (!s.ok) fail('status', t.badStatus(cell))
  // Only a status the person changed is a move they asked for; otherwise it follows the other edits.
  else if (s.status !== (current?.status ?? null)) return { target: s.status, reason: s.reason }
  return { target: null, reason: null }
}

/**
 * 问题 and 整改措施 of a task named in the file: the report's words, which an import never rewrites.
 * The column of an edited text (a warning, not an error), else null.
 */
export function editedTextColumn(cells: ParsedLedgerRow['cells'], current: CurrentTask | undefined): LedgerKey | null {
  if (!current) return null
  const measureEdited = cells.measure !== undefined && cells.measure !== current.measure
  const problemEdited = cells.problem !== undefined && cells.problem !== current.problem
  return measureEdited ? 'measure' : problemEdited ? 'problem' : null
}

/** 问题 and 整改措施 of a new task: the texts it is made of, there and not too long; and its 完成情况 one a new task may have. */
export function checkNewTaskTexts(cells: ParsedLedgerRow['cells'], target: TaskStatus | null, fail: CellFail): void {
  const problem = cells.problem ?? ''
  const measure = cells.measure ?? ''
  if (!problem && !measure) fail('problem', t.textRequired)
  if (problem.length > MAX_TEXT || measure.length > MAX_TEXT)
    fail(problem.length > MAX_TEXT ? 'problem' : 'measure', t.textTooLong(MAX_TEXT))
  if (target && !NEW_TASK_STATUSES.includes(target)) fail('status', t.newStatus)
}

// ---- the plan ----------------------------------------------------------------------------------

export function planLedgerImport(rows: readonly ParsedLedgerRow[], ctx: LedgerContext): ImportPlan {
  const errors: LedgerIssue[] = []
  const warnings: LedgerIssue[] = []
  const planned: PlannedRow[] = []
  const firstRowOfId = new Map<string, number>()
  const H = headerOf
  const unitsByName = unitsByNameOf(ctx.units)

  for (const { row, cells } of rows) {
    const rowErrors: LedgerIssue[] = []
    const fail: CellFail = (key, message) => rowErrors.push({ row, column: key ? H(key) : '', message })

    // Which task (if any) the row is about.
    const taskId = cells.taskId?.trim() || ''
    const current = planTaskIdCell(taskId, row, firstRowOfId, ctx.tasks, fail)
    // A row about an unknown (or repeated) task: its other cells would only add noise.
    if (rowErrors.length) {
      errors.push(...rowErrors)
      continue
    }

    const unit = planUnitCell(cells.unit, current, ctx, unitsByName, fail)
    const { ownerId, ownerLabel } = planOwnerCell(cells.owner, current, unit, ctx.users, fail)
    const dueDate = planDueCell(cells.due, current, fail)
    const progressNow = progressNowOf(current)
    const progress = planProgressCell(cells.progress, current, fail)
    const { target, reason } = planStatusCell(cells.status, current, fail)
    const edited = editedTextColumn(cells, current)
    if (edited) warnings.push({ row, column: H(edited), message: t.textKept })
    const problem = cells.problem ?? ''
    const measure = cells.measure ?? ''
    if (!current && !taskId) checkNewTaskTexts(cells, target, fail)

    if (rowErrors.length) {
      errors.push(...rowErrors)
      continue
    }

    // Simulate the steps on the task's status, so an impossible move is reported now, per row.
    const steps: ImportStep[] = []
    const changes: RowChange[] = []
    let status: TaskStatus = current?.status ?? 'unassigned'
    let owner: string | null = current?.owner_id ?? null
    const step = (action: TaskAction, to: TaskStatus): boolean => {
      const decision = decideTransition({ task: { status, ownerId: owner }, actor: ctx.actor, action, reason, ownerId: owner })
      if (!decision.ok) {
        fail('status', decision.code === 'reason_required' ? t.reasonRequired(zh.taskStatus[to]) : decision.message)
        return false
      }
      steps.push({ op: 'transition', column: H('status'), action, reason, ...(action === 'assign' ? { ownerId: owner } : {}) })
      status = decision.status
      return true
    }
    const move = (to: TaskStatus): boolean => {
      const action = actionBetween(status, to)
      if (!action) {
        fail('status', to === 'unassigned' ? t.toUnassigned : t.badMove(zh.taskStatus[status], zh.taskStatus[to]))
        return false
      }
      return step(action, to)
    }

    const patch: { unitId?: string; ownerId?: string | null; dueDate?: string | null } = {}
    if (current && unit && unit.id !== current.unit_id) {
      patch.unitId = unit.id
      changes.push({ column: H('unit'), before: current.unit_name, after: unit.name })
      const keptOwner = ownerId === undefined && current.owner_id ? ctx.users.find(u => u.id === current!.owner_id) : undefined
      if (keptOwner && !isUnder(keptOwner.unit_path, unit.path)) fail('owner', t.ownerNotInUnit(keptOwner.display_name, unit.name))
    }
    if (ownerId !== undefined && ownerId !== (current?.owner_id ?? null)) {
      patch.ownerId = ownerId
      changes.push({ column: H('owner'), before: current?.owner_name ?? '', after: ownerLabel })
    }
    if (dueDate !== undefined && current) {
      patch.dueDate = dueDate
      changes.push({ column: H('due'), before: current.due_date ?? '', after: dueDate ?? '' })
    }
    // A closed or cancelled task is reopened first: nothing else about it may change until then.
    if (target !== null && target !== status && CLOSED.includes(status)) step('reopen', target)
    if (Object.keys(patch).length && !rowErrors.length) {
      const column = H(patch.unitId ? 'unit' : patch.ownerId !== undefined ? 'owner' : 'due')
      if (CLOSED.includes(status)) rowErrors.push({ row, column, message: t.closedTask })
      else {
        steps.push({ op: 'update', column, patch })
        // updateTask moves the status with the owner: a first owner starts the work, none puts it back.
        if (patch.ownerId !== undefined) {
          owner = patch.ownerId
          if (owner && status === 'unassigned') status = 'in_progress'
          if (!owner && status === 'in_progress') status = 'unassigned'
        }
      }
    }
    if (progress && !rowErrors.length) {
      if (status === 'unassigned' || CLOSED.includes(status))
        fail('progress', status === 'unassigned' ? t.progressNeedsOwner : t.closedTask)
      else {
        steps.push({ op: 'progress', column: H('progress'), ...progress })
        changes.push({
          column: H('progress'),
          before: progressNow,
          after: progressCell(progress.progress, progress.note || current?.latest_note),
        })
      }
    }
    if (target !== null && target !== status && !rowErrors.length) move(target)
    if (current && status !== current.status)
      changes.push({ column: H('status'), before: zh.taskStatus[current.status], after: zh.taskStatus[status] })
    else if (!current && status !== 'unassigned') changes.push({ column: H('status'), before: '', after: zh.taskStatus[status] })

    if (rowErrors.length) {
      errors.push(...rowErrors)
      continue
    }
    if (!current) {
      const source = (cells.source ?? '').trim()
      const year = yearOfSource(source)
      const create: NewTaskInput = {
        kind: measure ? 'plan' : 'problem',
        problem: measure ? problem : '',
        text: measure || problem,
        unitId: unit!.id,
        // The product's default deadline: 31 December of the year after the report's year.
        dueDate: dueDate !== undefined ? dueDate : year ? `${year + 1}-12-31` : null,
        source,
      }
      changes.unshift(
        { column: H(create.kind === 'plan' ? 'measure' : 'problem'), before: '', after: create.text },
        { column: H('unit'), before: '', after: unit!.name },
      )
      planned.push({ row, kind: 'create', create, changes, steps })
    } else if (steps.length) planned.push({ row, kind: 'update', taskId: current.id, changes, steps })
    else planned.push({ row, kind: 'unchanged', taskId: current.id })
  }
  return { rows: planned, errors, warnings }
}
