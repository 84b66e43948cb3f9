// Ledger rows from tasks: one row per task, in the order listTasks gives. The same rows feed the
// page, the .xlsx and the .csv, so what a person sees is what they download.
import type { TaskStatus } from '../../db/schema'
import { zh } from '../ui/zh'
import type { LedgerRow } from './columns'

/** The fields of a listTasks row the ledger needs (kept structural so this module stays pure). */
export interface LedgerTask {
  id: string
  kind: 'problem' | 'plan'
  title: string
  text: string
  status: TaskStatus
  due_date: string | null
  progress: number
  closed_at: string | null
  report_id: string
  item_seq: number
  item_answers: string
  unit_name: string
  owner_name: string | null
  agency_name: string | null
  report_year: number | null
  report_filename: string
  report_title?: string | null
  overdueDays: number | null
}

/** An item of a source report: plans point at the problems they answer by seq. */
export interface LedgerItem {
  report_id: string
  seq: number
  kind: 'problem' | 'plan'
  text: string
  answers: string
}

export interface LedgerViewRow {
  taskId: string
  kind: 'problem' | 'plan'
  /** Shown on the page as the link to the task; not a ledger column. */
  title: string
  status: TaskStatus
  overdueDays: number | null
  cells: LedgerRow
}

export function parseAnswers(json: string): number[] {
  try {
    const v = JSON.parse(json)
    return Array.isArray(v) ? v.filter(n => Number.isInteger(n)) : []
  } catch {
    return []
  }
}

/** 来源报告 as people name it: "示范市教育局 2024年度报告", else the report's title or file name. */
export function sourceLabel(t: Pick<LedgerTask, 'agency_name' | 'report_year' | 'report_filename' | 'report_title'>): string {
  if (t.agency_name) return t.report_year ? `${t.agency_name} ${t.report_year}年度报告` : t.agency_name
  return t.report_title || t.report_filename
}

/** "60%：已完成栏目改版" — empty when nothing was reported yet. */
export function progressCell(progress: number, note: string | null | undefined): string {
  const n = note?.trim()
  if (!progress && !n) return ''
  return n ? `${progress}%：${n}` : `${progress}%`
}

/** Status label, with the derived overdue days when late: "进行中（逾期 12 天）". */
export function statusCell(status: TaskStatus, overdueDays: number | null): string {
  return overdueDays ? `${zh.taskStatus[status]}（${zh.tasks.overdue(overdueDays)}）` : zh.taskStatus[status]
}

/** A timestamp's calendar date in Beijing time. */
export function shanghaiDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso))
}

export function buildLedgerRows(
  tasks: readonly LedgerTask[],
  items: readonly LedgerItem[],
  latestNotes: ReadonlyMap<string, string | null> = new Map(),
): LedgerViewRow[] {
  const byReport = new Map<string, LedgerItem[]>()
  for (const item of items) {
    const list = byReport.get(item.report_id) ?? []
    list.push(item)
    byReport.set(item.report_id, list)
  }
  const join = (texts: string[]) =>
    texts
      .map(s => s.trim())
      .filter(Boolean)
      .join('\n')
  return tasks.map((t, i) => {
    const siblings = byReport.get(t.report_id) ?? []
    let problem: string
    let measure: string
    if (t.kind === 'plan') {
      const answers = new Set(parseAnswers(t.item_answers))
      problem = join(siblings.filter(it => it.kind === 'problem' && answers.has(it.seq)).map(it => it.text))
      measure = t.text
    } else {
      problem = t.text
      measure = join(siblings.filter(it => it.kind === 'plan' && parseAnswers(it.answers).includes(t.item_seq)).map(it => it.text))
    }
    return {
      taskId: t.id,
      kind: t.kind,
      title: t.title,
      status: t.status,
      overdueDays: t.overdueDays,
      cells: {
        seq: String(i + 1),
        problem,
        measure,
        unit: t.unit_name,
        owner: t.owner_name ?? '',
        due: t.due_date ?? '',
        progress: progressCell(t.progress, latestNotes.get(t.id)),
        status: statusCell(t.status, t.overdueDays),
        closedOn: t.status === 'closed' && t.closed_at ? shanghaiDate(t.closed_at) : '',
        source: sourceLabel(t),
        taskId: t.id,
      },
    }
  })
}
