// Reminder planning. Pure: tasks, people and "now" in; the reminders due at that moment out.
//
// Catch-up without floods: a sweep covers the window (since, now], where `since` is the `now` of
// the last sweep that completed. Day-based reminders (due soon, overdue, escalation) are due for
// the whole of their local calendar day, so every day in the window counts, today included; the
// digest is due at its wall-clock moment. Of each kind only the most recent reminder due in the
// window is planned, so a worker that was down for days sends one overdue notice, not three.
// Nothing here prevents doubles: the dedupe key does (kind, task, deadline version, recipient,
// period), whatever the window, however often a sweep runs.
import type { Role } from '../../db/schema'
import { CAN_BE_OVERDUE } from '../tasks/dates'
import { dateOfDay, dayNumber, isoWeek, isoWeekday, localTime } from './calendar'
import type { ReminderConfig } from './config'
import { ancestorPaths } from '../auth/scope'

export type ReminderKind = 'due_soon' | 'overdue' | 'escalation' | 'digest' | 'prior_year_open'

export interface PlanTask {
  id: string
  title: string
  status: string
  dueDate: string | null
  deadlineVersion: number
  ownerId: string | null
  unitPath: string
}

export interface Person {
  id: string
  role: Role
  /** Materialised path of the person's unit, "/a/b/". */
  unitPath: string
  active: boolean
}

/** What one user has on their plate, for the weekly digest. */
export interface Workload {
  userId: string
  /** Open tasks they own (in progress, pending review, ongoing). */
  owned: number
  overdue: number
  /** Due within the next 7 days. */
  dueSoon: number
  /** Supervisors: unassigned tasks in their scope. */
  toAssign: number
  /** Supervisors: tasks waiting for their review. */
  toReview: number
}

export interface Reminder {
  kind: ReminderKind
  userId: string
  taskId: string | null
  /** The business key: `kind:taskId:deadlineVersion:recipientId:period` (digest: `digest:userId:week`). */
  dedupeKey: string
  taskTitle?: string
  dueDate?: string | null
  /** due_soon: whole days left at planning time (0 = due today). */
  daysLeft?: number
  /** overdue, escalation: whole days past the deadline at planning time. */
  daysOverdue?: number
  /** digest: ISO week, e.g. "2026-W48". */
  week?: string
  workload?: Workload
  /** prior_year_open: the newly extracted report that triggered it. */
  report?: { id: string; agency: string | null; year: number | null }
  /** prior_year_open: every open earlier task this person is told about (one notice for all of them). */
  tasks?: { id: string; title: string; dueDate: string | null }[]
}

/** Who is told about a task. Supervisors are the nearest ones up the unit chain; oversight is everyone above. */
export interface Scope {
  isActive(userId: string): boolean
  supervisorsFor(unitPath: string): readonly string[]
  oversightFor(unitPath: string): readonly string[]
}

const NONE: readonly string[] = Object.freeze([])

/** Unit-path prefixes of a path, nearest first: "/a/b/" → ["/a/b/", "/a/"]. */
function chain(unitPath: string): string[] {
  return [unitPath, ...ancestorPaths(unitPath).reverse()]
}

export function buildScope(people: Iterable<Person>): Scope {
  const active = new Set<string>()
  const supervisorsAt = new Map<string, string[]>()
  const oversightAt = new Map<string, string[]>()
  for (const p of people) {
    if (!p.active) continue
    active.add(p.id)
    const at = p.role === 'supervisor' ? supervisorsAt : p.role === 'oversight' ? oversightAt : null
    if (!at) continue
    const list = at.get(p.unitPath)
    if (list) list.push(p.id)
    else at.set(p.unitPath, [p.id])
  }
  // Tasks cluster in few units: answer each unit path once.
  const supCache = new Map<string, readonly string[]>()
  const ovCache = new Map<string, readonly string[]>()
  return {
    isActive: id => active.has(id),
    supervisorsFor(unitPath) {
      let r = supCache.get(unitPath)
      if (!r) {
        r = NONE
        for (const p of chain(unitPath)) {
          const s = supervisorsAt.get(p)
          if (s?.length) {
            r = [...s].sort()
            break
          }
        }
        supCache.set(unitPath, r)
      }
      return r
    },
    oversightFor(unitPath) {
      let r = ovCache.get(unitPath)
      if (!r) {
        r = chain(unitPath)
          .flatMap(p => oversightAt.get(p) ?? [])
          .sort()
        ovCache.set(unitPath, r)
      }
      return r
    },
  }
}

/** When the first sweep has no predecessor, it looks back this far (today's reminders and a digest due in the last day). */
export const FIRST_SWEEP_LOOKBACK_MS = 24 * 3_600_000

export interface SweepWindow {
  now: Date
  since: Date
  /** Local day numbers: the window covers the days fromDay … today. */
  fromDay: number
  today: number
  sinceMinutes: number
  nowMinutes: number
  nowHour: number
}

export function sweepWindow(now: Date, since: Date | null | undefined, config: ReminderConfig): SweepWindow {
  let from = since ?? new Date(now.getTime() - FIRST_SWEEP_LOOKBACK_MS)
  if (from.getTime() > now.getTime()) from = now
  const n = localTime(now, config.timeZone)
  const s = localTime(from, config.timeZone)
  return { now, since: from, fromDay: s.day, today: n.day, sinceMinutes: s.minutes, nowMinutes: n.minutes, nowHour: n.hour }
}

const REMINDED = new Set<string>(CAN_BE_OVERDUE)

/**
 * The business key of a reminder: kind, task, deadline version, recipient and period. Reminders
 * that fall due on a given day start with that day (the planner's own arithmetic, so the same
 * reminder always gets the same key): the keys one sweep records are then neighbours in the unique
 * index, and recording writes a few index pages instead of one random page per reminder.
 */
function push(
  out: Reminder[],
  seen: Set<string>,
  r: Omit<Reminder, 'dedupeKey'>,
  period: number | string,
  version: number,
  sendDay?: number,
) {
  const dedupeKey = `${sendDay === undefined ? '' : `${dateOfDay(sendDay)}:`}${r.kind}:${r.taskId}:${version}:${r.userId}:${period}`
  if (seen.has(dedupeKey)) return
  seen.add(dedupeKey)
  out.push({ ...r, dedupeKey })
}

/**
 * The reminders one task has due in the window, appended to `out`. Closed, cancelled and ongoing
 * tasks (and tasks without a deadline) get none. Cheap on purpose: it runs for every candidate task.
 */
export function planTaskReminders(task: PlanTask, scope: Scope, w: SweepWindow, config: ReminderConfig, out: Reminder[] = []): Reminder[] {
  if (!task.dueDate || !REMINDED.has(task.status)) return out
  const due = dayNumber(task.dueDate)
  const { today, fromDay } = w
  const owner = task.status !== 'unassigned' && task.ownerId && scope.isActive(task.ownerId) ? task.ownerId : null
  const seen = new Set<string>()
  const base = { taskId: task.id, taskTitle: task.title, dueDate: task.dueDate }

  const left = due - today
  if (left >= 0) {
    // The most recent offset already reached is the smallest one not below the days left.
    let before = -1
    for (const b of config.beforeDays) if (b >= left && (before < 0 || b < before)) before = b
    if (before >= 0 && due - before >= fromDay) {
      // Without an owner, the supervisors are reminded so that someone assigns it.
      const to = owner ? [owner] : scope.supervisorsFor(task.unitPath)
      for (const userId of to)
        push(out, seen, { ...base, kind: 'due_soon', userId, daysLeft: left }, before, task.deadlineVersion, due - before)
    }
    return out
  }

  const overdue = -left
  const every = config.overdueEveryDays
  // Overdue notices on days 1, 1+every, 1+2·every… after the deadline; the period numbers them.
  const period = Math.floor((overdue - 1) / every)
  if (due + 1 + period * every >= fromDay) {
    const to = owner ? [owner, ...scope.supervisorsFor(task.unitPath)] : scope.supervisorsFor(task.unitPath)
    for (const userId of to)
      push(out, seen, { ...base, kind: 'overdue', userId, daysOverdue: overdue }, period, task.deadlineVersion, due + 1 + period * every)
  }
  // Escalation to oversight on day escalateAfter+1, then on the same weekly rhythm.
  const e = config.escalateAfterDays
  if (overdue > e) {
    const q = Math.floor((overdue - e - 1) / every)
    if (due + e + 1 + q * every >= fromDay) {
      for (const userId of scope.oversightFor(task.unitPath))
        push(out, seen, { ...base, kind: 'escalation', userId, daysOverdue: overdue }, q, task.deadlineVersion, due + e + 1 + q * every)
    }
  }
  return out
}

/** The digest moment due in the window, if any: the latest configured weekday/hour ≤ now, after since. */
export function digestDue(w: SweepWindow, config: ReminderConfig): { week: string; day: number } | null {
  const { weekday, hour } = config.digest
  let back = (isoWeekday(w.today) - weekday + 7) % 7
  if (back === 0 && w.nowHour < hour) back = 7
  const day = w.today - back
  const moment = day * 1440 + hour * 60
  if (moment <= w.sinceMinutes || moment > w.nowMinutes) return null
  return { week: isoWeek(day), day }
}

const hasWork = (l: Workload) => l.owned + l.toAssign + l.toReview > 0

export function planDigests(workloads: Iterable<Workload>, scope: Scope, w: SweepWindow, config: ReminderConfig): Reminder[] {
  const due = digestDue(w, config)
  if (!due) return []
  const out: Reminder[] = []
  for (const l of workloads) {
    if (!hasWork(l) || !scope.isActive(l.userId)) continue
    out.push({ kind: 'digest', userId: l.userId, taskId: null, dedupeKey: `digest:${l.userId}:${due.week}`, week: due.week, workload: l })
  }
  return out
}

const OWNED = new Set(['in_progress', 'pending_review', 'ongoing'])

/** Workload per user computed from tasks (the sweep computes the same in SQL over all tasks). */
export function summariseWorkload(tasks: Iterable<PlanTask>, scope: Scope, today: number): Workload[] {
  const byUser = new Map<string, Workload>()
  const of = (userId: string) => {
    let l = byUser.get(userId)
    if (!l) byUser.set(userId, (l = { userId, owned: 0, overdue: 0, dueSoon: 0, toAssign: 0, toReview: 0 }))
    return l
  }
  for (const t of tasks) {
    if (t.ownerId && OWNED.has(t.status)) {
      const l = of(t.ownerId)
      l.owned++
      if (t.dueDate && t.status !== 'ongoing') {
        const d = dayNumber(t.dueDate)
        if (d < today) l.overdue++
        else if (d <= today + 7) l.dueSoon++
      }
    }
    if (t.status === 'unassigned') for (const s of scope.supervisorsFor(t.unitPath)) of(s).toAssign++
    if (t.status === 'pending_review') for (const s of scope.supervisorsFor(t.unitPath)) of(s).toReview++
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1))
}

export interface PlanInput {
  tasks: Iterable<PlanTask>
  people: Iterable<Person> | Scope
  now: Date
  /** The `now` of the last completed sweep; default: a day before now. */
  since?: Date | null
  config: ReminderConfig
  /** Digest workloads; computed from `tasks` when absent. */
  workloads?: Workload[]
}

/** Every reminder due at `now` for these tasks and people. */
export function planReminders(input: PlanInput): Reminder[] {
  const scope = 'supervisorsFor' in input.people ? (input.people as Scope) : buildScope(input.people as Iterable<Person>)
  const w = sweepWindow(input.now, input.since, input.config)
  const tasks = [...input.tasks]
  const out: Reminder[] = []
  for (const t of tasks) planTaskReminders(t, scope, w, input.config, out)
  if (digestDue(w, input.config))
    out.push(...planDigests(input.workloads ?? summariseWorkload(tasks, scope, w.today), scope, w, input.config))
  return out
}

/**
 * The due dates that can have a task reminder in the window, so the sweep loads only those tasks
 * (most tasks have nothing due on a given day). Returns null when the window is long enough that
 * every overdue date qualifies: then the caller loads by range (`due_date <= upTo`).
 */
export function candidateDueDates(
  w: SweepWindow,
  config: ReminderConfig,
  earliestDue: string,
): { dates: string[]; upTo: string } | { dates: null; upTo: string } {
  const maxBefore = Math.max(0, ...config.beforeDays)
  const upTo = dateOfDay(w.today + maxBefore)
  const every = config.overdueEveryDays
  if (w.today - w.fromDay + 1 >= every) return { dates: null, upTo }
  const earliest = dayNumber(earliestDue)
  const days = new Set<number>()
  for (let x = w.fromDay; x <= w.today; x++) {
    for (const b of config.beforeDays) if (x + b >= w.today) days.add(x + b)
    for (let d = x - 1; d >= earliest; d -= every) days.add(d)
    for (let d = x - config.escalateAfterDays - 1; d >= earliest; d -= every) days.add(d)
  }
  return { dates: [...days].sort((a, b) => a - b).map(dateOfDay), upTo }
}

/**
 * A new report of an agency arrived: its open tasks from earlier years remind their owner and the
 * supervisors, one notice per person listing all of their tasks (four open tasks are one notice,
 * not four). Keyed by the new report and the person, so processing that report again changes nothing.
 */
export function planPriorYearReminders(
  tasks: Iterable<PlanTask>,
  scope: Scope,
  report: { id: string; agency: string | null; year: number | null },
): Reminder[] {
  const byUser = new Map<string, PlanTask[]>()
  for (const task of tasks) {
    if (!REMINDED.has(task.status)) continue
    const owner = task.status !== 'unassigned' && task.ownerId && scope.isActive(task.ownerId) ? task.ownerId : null
    const to = owner ? [owner, ...scope.supervisorsFor(task.unitPath)] : scope.supervisorsFor(task.unitPath)
    for (const userId of new Set(to)) {
      const list = byUser.get(userId)
      if (list) list.push(task)
      else byUser.set(userId, [task])
    }
  }
  return [...byUser].map(([userId, mine]) => {
    const one = mine.length === 1 ? mine[0] : null
    return {
      kind: 'prior_year_open' as const,
      userId,
      taskId: one?.id ?? null,
      dedupeKey: `prior_year_open:${report.id}:${userId}`,
      taskTitle: one?.title,
      dueDate: one?.dueDate,
      report,
      tasks: mine.map(t => ({ id: t.id, title: t.title, dueDate: t.dueDate })),
    }
  })
}
