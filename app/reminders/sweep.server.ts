// The reminder sweep: load the tasks that can have a reminder in the window, plan, record.
// Run by the worker's job scheduler every few minutes; safe to run twice or in two workers at
// once (recording is keyed), and after a crash the next sweep covers what the dead one did not.
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import type { DB } from '../../db/db'
import type { Task } from '../../db/schema'
import { CAN_BE_OVERDUE } from '../tasks/dates'
import { dateOfDay, dayNumber } from './calendar'
import { reminderConfigFromEnv, type ReminderConfig } from './config'
import {
  buildScope,
  candidateDueDates,
  digestDue,
  planDigests,
  planTaskReminders,
  sweepWindow,
  type Person,
  type PlanTask,
  type Reminder,
  type Scope,
  type SweepWindow,
  type Workload,
} from './plan'
import { recordReminders, type RecordOptions } from './record.server'

/** settings key: the `now` of the last sweep that completed; the next sweep starts its window there. */
export const SWEPT_UNTIL_KEY = 'reminders.swept_until'

export interface SweepOptions extends RecordOptions {
  config?: ReminderConfig
  /** Tasks loaded and planned per round trip. */
  batchSize?: number
}

export interface SweepResult {
  /** Candidate tasks loaded and planned. */
  tasks: number
  /** Reminders planned (including ones recorded by an earlier sweep). */
  planned: number
  /** Notifications newly recorded by this sweep. */
  recorded: number
  emails: number
  digests: number
  batches: number
  since: string
  now: string
  durationMs: number
}

export async function readSweptUntil(db: DB): Promise<Date | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SWEPT_UNTIL_KEY).executeTakeFirst()
  const t = row ? Date.parse(row.value) : NaN
  return Number.isFinite(t) ? new Date(t) : null
}

/** Moves the marker forward only: a slow sweep finishing after a later one must not move it back. */
async function advanceSweptUntil(db: DB, now: Date): Promise<void> {
  const value = now.toISOString()
  await db
    .insertInto('settings')
    .values({ key: SWEPT_UNTIL_KEY, value })
    .onConflict(oc => oc.column('key').doUpdateSet({ value }).where('settings.value', '<', value))
    .execute()
}

/** Units and users, loaded once per sweep: who is told about a task in which unit. */
export async function loadScope(db: DB): Promise<{ scope: Scope; unitPaths: Map<string, string> }> {
  const unitPaths = new Map((await db.selectFrom('units').select(['id', 'path']).execute()).map(u => [u.id, u.path]))
  const users = await db.selectFrom('users').select(['id', 'role', 'unit_id', 'active']).execute()
  const scope = buildScope(
    users.map((u): Person => ({ id: u.id, role: u.role, unitPath: unitPaths.get(u.unit_id) ?? `/${u.unit_id}/`, active: !!u.active })),
  )
  return { scope, unitPaths }
}

const OPEN = [...CAN_BE_OVERDUE]

/**
 * Tasks updated this long before the last sweep started are looked at again: covers a change whose
 * transaction committed after that sweep read the task, and small clock differences between processes.
 */
export const CHANGED_MARGIN_MS = 10 * 60_000

type TaskRow = Pick<Task, 'id' | 'title' | 'status' | 'due_date' | 'deadline_version' | 'owner_id' | 'unit_id'>
const TASK_COLUMNS = ['id', 'title', 'status', 'due_date', 'deadline_version', 'owner_id', 'unit_id'] as const

/**
 * A sweep covers the window from the last completed sweep to now, in two passes:
 * 1. days no completed sweep has planned yet (the first sweep after midnight, or after an outage):
 *    every open task whose due date can have a reminder on those days, loaded date by date;
 * 2. the days already planned: only tasks changed since (a new deadline, owner or status).
 * So the sweep every few minutes reads a handful of rows; the first one of the day reads the
 * day's candidates once.
 */
export async function runSweep(db: DB, now: Date = new Date(), opts: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now()
  const config = opts.config ?? reminderConfigFromEnv()
  const batchSize = opts.batchSize ?? 2000
  const marker = await readSweptUntil(db)
  const w = sweepWindow(now, marker, config)
  // With a marker, the completed sweep planned every task for the days up to its own day.
  const coveredDay = marker ? w.fromDay : w.fromDay - 1
  const { scope, unitPaths } = await loadScope(db)
  const result: SweepResult = {
    tasks: 0,
    planned: 0,
    recorded: 0,
    emails: 0,
    digests: 0,
    batches: 0,
    since: w.since.toISOString(),
    now: now.toISOString(),
    durationMs: 0,
  }

  const record = async (reminders: Reminder[]) => {
    result.planned += reminders.length
    const r = await recordReminders(db, reminders, opts)
    result.recorded += r.recorded
    result.emails += r.emails
  }
  const planAndRecord = async (rows: TaskRow[], window: SweepWindow) => {
    result.tasks += rows.length
    result.batches++
    const reminders: Reminder[] = []
    for (const t of rows) {
      const task: PlanTask = {
        id: t.id,
        title: t.title,
        status: t.status,
        dueDate: t.due_date,
        deadlineVersion: t.deadline_version,
        ownerId: t.owner_id,
        unitPath: unitPaths.get(t.unit_id) ?? `/${t.unit_id}/`,
      }
      planTaskReminders(task, scope, window, config, reminders)
    }
    if (reminders.length) await record(reminders)
  }

  if (coveredDay < w.today) {
    const newDays: SweepWindow = { ...w, fromDay: coveredDay + 1 }
    const earliest = await earliestOpenDueDate(db)
    if (earliest) {
      const c = candidateDueDates(newDays, config, earliest)
      const dates = c.dates ?? everyDate(earliest, c.upTo)
      for await (const rows of tasksDueOn(db, dates, batchSize)) await planAndRecord(rows, newDays)
    }
  }

  if (marker) {
    const changedSince = new Date(marker.getTime() - CHANGED_MARGIN_MS).toISOString()
    let after = ''
    for (;;) {
      const rows = await db
        .selectFrom('tasks')
        .select(TASK_COLUMNS)
        .where('updated_at', '>=', changedSince)
        .where('status', 'in', OPEN)
        .where('due_date', 'is not', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      if (!rows.length) break
      await planAndRecord(rows, w)
      if (rows.length < batchSize) break
      after = rows[rows.length - 1].id
    }
  }

  if (digestDue(w, config)) {
    const digests = planDigests(await loadWorkloads(db, scope, unitPaths, w), scope, w, config)
    result.digests = digests.length
    await record(digests)
  }

  await advanceSweptUntil(db, now)
  result.durationMs = Math.round(performance.now() - started)
  return result
}

function everyDate(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) out.push(dateOfDay(d))
  return out
}

/** Open tasks due on the given dates, in batches: keyset on id within each date, so the (status, due_date) index serves every query. */
async function* tasksDueOn(db: DB, dates: string[], batchSize: number): AsyncGenerator<TaskRow[]> {
  let buffer: TaskRow[] = []
  for (const date of dates) {
    let after = ''
    for (;;) {
      const rows = await db
        .selectFrom('tasks')
        .select(TASK_COLUMNS)
        .where('status', 'in', OPEN)
        .where('due_date', '=', date)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      buffer.push(...rows)
      while (buffer.length >= batchSize) yield buffer.splice(0, batchSize)
      if (rows.length < batchSize) break
      after = rows[rows.length - 1].id
    }
  }
  if (buffer.length) yield buffer
}

async function earliestOpenDueDate(db: DB): Promise<string | null> {
  let earliest: string | null = null
  // One indexed MIN per status (tasks_due_idx is on (status, due_date)).
  for (const status of OPEN) {
    const row = await db
      .selectFrom('tasks')
      .select(eb => eb.fn.min('due_date').as('d'))
      .where('status', '=', status)
      .where('due_date', 'is not', null)
      .executeTakeFirst()
    const d = row?.d ?? null
    if (d && (!earliest || d < earliest)) earliest = d
  }
  return earliest
}

/** Per-user workload for the digest, aggregated in SQL (the same rules as summariseWorkload). */
export async function loadWorkloads(db: DB, scope: Scope, units: Map<string, string>, w: SweepWindow): Promise<Workload[]> {
  const today = dateOfDay(w.today)
  const inWeek = dateOfDay(w.today + 7)
  const byUser = new Map<string, Workload>()
  const of = (userId: string) => {
    let l = byUser.get(userId)
    if (!l) byUser.set(userId, (l = { userId, owned: 0, overdue: 0, dueSoon: 0, toAssign: 0, toReview: 0 }))
    return l
  }
  const owners = await db
    .selectFrom('tasks')
    .select([
      'owner_id',
      eb => eb.fn.countAll<number>().as('owned'),
      sql<number>`sum(case when status <> 'ongoing' and due_date < ${today} then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when status <> 'ongoing' and due_date >= ${today} and due_date <= ${inWeek} then 1 else 0 end)`.as('due_soon'),
    ])
    .where('status', 'in', ['in_progress', 'pending_review', 'ongoing'])
    .where('owner_id', 'is not', null)
    .groupBy('owner_id')
    .execute()
  for (const o of owners) {
    const l = of(o.owner_id!)
    l.owned += Number(o.owned)
    l.overdue += Number(o.overdue ?? 0)
    l.dueSoon += Number(o.due_soon ?? 0)
  }
  const waiting = await db
    .selectFrom('tasks')
    .select(['unit_id', 'status', eb => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['unassigned', 'pending_review'])
    .groupBy(['unit_id', 'status'])
    .execute()
  for (const g of waiting) {
    for (const s of scope.supervisorsFor(units.get(g.unit_id) ?? `/${g.unit_id}/`)) {
      if (g.status === 'unassigned') of(s).toAssign += Number(g.n)
      else of(s).toReview += Number(g.n)
    }
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1))
}
