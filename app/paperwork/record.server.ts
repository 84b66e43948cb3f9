// What the documents offices file are written from: a report's tasks as the record shows them
// (status, owner, deadline, closure, progress notes, evidence, confirmed follow-up evidence), read
// within the actor's scope. The pure modules beside this one turn it into documents.
import type { DB } from '../../db/db'
import type { TaskStatus } from '../../db/schema'
import { itemAnswers } from '../reports/reports.server'
import { listTasks } from '../tasks/queries.server'
import { todayInShanghai } from '../tasks/dates'
import type { Actor } from '../auth/scope'
import { inSubtree } from '../auth/scope.server'

export interface RecordEvidence {
  /** A file's name, or a link's title (its address when it has none). */
  name: string
  kind: 'file' | 'link'
  createdAt: string
}

export interface RecordTask {
  id: string
  kind: 'problem' | 'plan'
  /** The item's place in its report (problems and measures in reading order). */
  seq: number
  /** Seqs of the problems this measure answers. */
  answers: number[]
  title: string
  text: string
  status: TaskStatus
  progress: number
  dueDate: string | null
  /** The close-out (销号) date, YYYY-MM-DD in Beijing time. */
  closedOn: string | null
  unitName: string
  ownerName: string | null
  overdueDays: number | null
  evidence: RecordEvidence[]
  /** Progress notes and submission notes, oldest first. */
  notes: Array<{ note: string; progress: number | null; on: string }>
  /** Passages of later reports a supervisor confirmed as evidence that this was done. */
  confirmedEvidence: Array<{ passage: string; laterYear: number | null; on: string }>
}

export interface RecordReport {
  id: string
  agencyId: string | null
  agencyName: string | null
  year: number | null
  title: string | null
  filename: string
  unitName: string
}

export interface ReportRecord {
  report: RecordReport
  tasks: RecordTask[]
}

const day = (iso: string) => todayInShanghai(new Date(iso))

/** The report if the actor's scope (a unit subtree; admins everything) holds it. */
export async function reportInScope(db: DB, actor: Actor, reportId: string): Promise<RecordReport | null> {
  let q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select([
      'reports.id',
      'reports.agency_id',
      'reports.agency_name',
      'reports.year',
      'reports.title',
      'reports.filename',
      'units.name as unit_name',
    ])
    .where('reports.id', '=', reportId)
  q = q.where(inSubtree(actor, 'units.path'))
  const r = await q.executeTakeFirst()
  return r
    ? {
        id: r.id,
        agencyId: r.agency_id,
        agencyName: r.agency_name,
        year: r.year,
        title: r.title,
        filename: r.filename,
        unitName: r.unit_name,
      }
    : null
}

/** A report and its tasks (those the actor may see), in the report's reading order; null when out of scope. */
export async function loadReportRecord(db: DB, actor: Actor, reportId: string, today = todayInShanghai()): Promise<ReportRecord | null> {
  const report = await reportInScope(db, actor, reportId)
  if (!report) return null
  const rows = (await listTasks(db, actor, { reportId, limit: 10_000 }, today)).sort((a, b) => a.item_seq - b.item_seq)
  const ids = rows.map(r => r.id)
  const itemIds = rows.map(r => r.item_id)
  const [evidence, events, confirmed] = ids.length
    ? await Promise.all([
        db
          .selectFrom('task_evidence')
          .select(['task_id', 'kind', 'filename', 'title', 'url', 'created_at'])
          .where('task_id', 'in', ids)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
        db
          .selectFrom('task_events')
          .select(['task_id', 'type', 'after', 'note', 'created_at'])
          .where('task_id', 'in', ids)
          .where('type', 'in', ['progress', 'submit'])
          .orderBy('created_at')
          .execute(),
        db
          .selectFrom('followup_suggestions as s')
          .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
          .select(['s.earlier_item_id', 's.passage', 's.decided_at', 'lr.year'])
          .where('s.earlier_item_id', 'in', itemIds)
          .where('s.kind', '=', 'evidence')
          .where('s.status', '=', 'confirmed')
          .orderBy('s.decided_at')
          .execute(),
      ])
    : [[], [], []]
  const tasks: RecordTask[] = rows.map(r => ({
    id: r.id,
    kind: r.kind,
    seq: r.item_seq,
    answers: itemAnswers({ answers: r.item_answers }),
    title: r.title,
    text: r.text,
    status: r.status,
    progress: r.progress,
    dueDate: r.due_date,
    closedOn: r.status === 'closed' && r.closed_at ? day(r.closed_at) : null,
    unitName: r.unit_name,
    ownerName: r.owner_name,
    overdueDays: r.overdueDays,
    evidence: evidence
      .filter(e => e.task_id === r.id)
      .map(e => ({ name: (e.kind === 'file' ? e.filename : (e.title ?? e.url)) ?? '佐证材料', kind: e.kind, createdAt: e.created_at })),
    notes: events
      .filter(e => e.task_id === r.id && e.note?.trim())
      .map(e => ({ note: e.note!.trim(), progress: e.type === 'progress' ? progressOf(e.after) : null, on: day(e.created_at) })),
    confirmedEvidence: confirmed
      .filter(c => c.earlier_item_id === r.item_id && c.passage?.trim())
      .map(c => ({ passage: c.passage!.trim(), laterYear: c.year, on: c.decided_at ? day(c.decided_at) : '' })),
  }))
  return { report, tasks }
}

function progressOf(after: string | null): number | null {
  try {
    const p = after ? (JSON.parse(after) as { progress?: unknown }).progress : null
    return typeof p === 'number' ? p : null
  } catch {
    return null
  }
}
