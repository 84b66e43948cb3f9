// Oversight across agencies and years: the overview, one agency's years, the recurring-problems
// board and reporting compliance. Read-only; scope is always a unit subtree (admins: everything).
// Every figure is aggregated in SQL with GROUP BY; the overview reads the trigger-kept task rollup
// (migration 2026-12-01), so it sums one row per report and unit instead of every task.
import { sql } from 'kysely'
import type { DB } from '../../db/db'
import type { TaskStatus } from '../../db/schema'
import { can } from '../auth/permissions'
import { AppError, notFound } from '../errors'
import { CAN_BE_OVERDUE, todayInShanghai } from '../tasks/dates'
import { inScope, seesEverything, type Actor } from '../auth/scope'
import { pathUnder, scopeRoot, unitIdsUnder } from '../auth/scope.server'
import { zh } from '../ui/zh'
import {
  agencyYears,
  complianceRow,
  complianceSummary,
  hasIssue,
  missingReports,
  openTasksByAge,
  overviewRow,
  sortCompliance,
  taskFigures,
  zeroByStatus,
  type AgencySums,
  type AgencyTask,
  type ComplianceReport,
} from './figures'
import { TASK_STATUSES, type ComplianceIssue, type OverviewSort, type OversightQuery, type StatusFilter } from './filters'
import { groupByTopic, recurrenceTopics, type Recurrence } from './recurring'
import { defaultYearRange, yearsBetween } from './rules'

export interface OversightFilters {
  /** A unit in the actor's scope: that unit and everything below it. */
  unitId?: string
  /** Part of the agency's name (a place). */
  region?: string
  yearFrom: number
  yearTo: number
}

/** Only these report statuses count as reports: the others have no year or agency yet. */
const READ_REPORTS = ['extracted', 'confirmed'] as const

const KINDS = ['plan', 'problem'] as const
type CounterColumn = `${(typeof KINDS)[number]}_${TaskStatus}`
const COUNTERS = KINDS.flatMap(k => TASK_STATUSES.map(s => `${k}_${s}` as CounterColumn))
const OPEN_COUNTERS = KINDS.flatMap(k => CAN_BE_OVERDUE.map(s => `${k}_${s}`))

export function requireOversight(actor: Actor) {
  if (!can(actor.role, 'oversight:read')) throw new AppError(403, zh.oversight.forbidden)
}

/**
 * The unit path everything is limited to: the filter's unit (which must be in the actor's scope),
 * else the actor's own subtree; null when that is every unit (nothing to check on each row).
 */
async function oversightRoot(db: DB, actor: Actor, unitId?: string): Promise<string | null> {
  requireOversight(actor)
  return scopeRoot(db, actor, unitId, { nullWhenWholeTree: true })
}

/** A place typed by a person, safe inside LIKE: no wildcards of its own. */
const likePart = (s: string) => `%${s.replace(/[%_\\]/g, '')}%`

const agenciesNamed = (db: DB, region: string) =>
  db.selectFrom('agencies').select('agencies.id').where('agencies.name', 'like', likePart(region))

/** Report years in the actor's scope, for the year filter and its default. */
export async function oversightYears(
  db: DB,
  actor: Actor,
  today = todayInShanghai(),
): Promise<{ years: number[]; defaults: { from: number; to: number } }> {
  const path = await oversightRoot(db, actor)
  // The first and the last year, read from the (year, agency, unit, status) index in year order,
  // stopping at the first report that counts. `status || ''` is no indexed column: otherwise SQLite
  // starts from the status index and sorts every report (0.2–0.5 s at 50,000 reports).
  const edge = (dir: 'asc' | 'desc') => {
    let q = db
      .selectFrom('reports')
      .select('reports.year')
      .where('reports.year', 'is not', null)
      .where(sql<string>`reports.status || ''`, 'in', READ_REPORTS)
    if (path) q = q.where('reports.unit_id', 'in', unitIdsUnder(db, path))
    return q.orderBy('reports.year', dir).limit(1).executeTakeFirst()
  }
  const [first, last] = [await edge('asc'), await edge('desc')]
  const r = { min: first?.year ?? null, max: last?.year ?? null }
  const years = r?.min != null && r.max != null ? yearsBetween(Number(r.min), Number(r.max)).reverse() : []
  return { years, defaults: defaultYearRange(years, today) }
}

export const MAX_YEARS = 30

/** The filters of a page's query string, with the default year range filled in. */
export async function resolveFilters(db: DB, actor: Actor, q: OversightQuery, today = todayInShanghai()) {
  const { years, defaults } = await oversightYears(db, actor, today)
  const yearTo = q.to ? Number(q.to) : defaults.to
  // One column per year on the page and in the export: at most MAX_YEARS of them.
  const yearFrom = Math.max(q.from ? Number(q.from) : defaults.from, yearTo - MAX_YEARS + 1)
  const filters: OversightFilters = {
    unitId: q.unit || undefined,
    region: q.region || undefined,
    yearFrom: Math.min(yearFrom, yearTo),
    yearTo,
  }
  return { filters, years }
}

/** How many levels below the actor's own unit the unit filter lists (a province: its cities and their districts). */
export const UNIT_FILTER_DEPTH = 2

/**
 * Units the actor may filter by, indented by depth under the actor's own unit: the levels down to
 * UNIT_FILTER_DEPTH (a province's 10,000 agencies would make a list nobody can use; an agency is
 * found with the place filter or from its city), and the selected unit wherever it lies.
 */
export async function oversightUnits(db: DB, actor: Actor, selectedId?: string): Promise<{ id: string; name: string; depth: number }[]> {
  requireOversight(actor)
  type U = { id: string; name: string; path: string }
  const cols = ['id', 'name', 'path'] as const
  let level: U[] = seesEverything(actor)
    ? await db.selectFrom('units').select(cols).where('parent_id', 'is', null).execute()
    : await db.selectFrom('units').select(cols).where('id', '=', actor.unitId).execute()
  const units: U[] = [...level]
  for (let d = 0; d < UNIT_FILTER_DEPTH && level.length; d++) {
    const parents = level.map(u => u.id)
    level = []
    for (let i = 0; i < parents.length; i += 1000)
      level.push(
        ...(await db
          .selectFrom('units')
          .select(cols)
          .where('parent_id', 'in', parents.slice(i, i + 1000))
          .execute()),
      )
    units.push(...level)
  }
  if (selectedId && !units.some(u => u.id === selectedId)) {
    const selected = await db.selectFrom('units').select(cols).where('id', '=', selectedId).executeTakeFirst()
    if (selected && inScope(actor, selected.path)) units.push(selected)
  }
  units.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const depthOf = (p: string) => p.split('/').filter(Boolean).length
  const base = units.length ? Math.min(...units.map(u => depthOf(u.path))) : 0
  return units.map(u => ({ id: u.id, name: u.name, depth: depthOf(u.path) - base }))
}

async function agencyNames(db: DB, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('agencies')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + 5000))
      .execute()
    for (const r of rows) names.set(r.id, r.name)
  }
  return names
}

// ─── Overview ───────────────────────────────────────────────────────────────────────────────────

export interface OverviewFilters extends OversightFilters {
  status?: StatusFilter | ''
  sort?: OverviewSort
  dir?: 'asc' | 'desc'
  /** 1-based; with pageSize. */
  page?: number
  /** Rows per page; none: every row (exports). */
  pageSize?: number
}

const UNION_COLUMNS = [...TASK_STATUSES, 'plans', 'returned', 'evidenced', 'recurring', 'overdue', 'reports'] as const

/** ORDER BY of a sort key; rows without a rate always last, then by name. */
function orderBy(sort: OverviewSort, dir: 'asc' | 'desc') {
  const d = sql.raw(dir === 'asc' ? 'ASC' : 'DESC')
  const tasks = sql.raw(TASK_STATUSES.map(s => `g.${s}`).join(' + '))
  switch (sort) {
    case 'name':
      return sql`a.name ${d}, g.agency_id`
    case 'tasks':
      return sql`${tasks} ${d}, a.name, g.agency_id`
    case 'commitments':
      return sql`g.plans ${d}, a.name, g.agency_id`
    case 'problems':
      return sql`(${tasks} - g.plans) ${d}, a.name, g.agency_id`
    case 'closedRate': {
      const countable = sql`(${tasks} - g.cancelled)`
      return sql`case when ${countable} > 0 then 0 else 1 end, case when ${countable} > 0 then g.closed * 1.0 / ${countable} end ${d}, a.name, g.agency_id`
    }
    default:
      return sql`${sql.ref(`g.${sort}`)} ${d}, a.name, g.agency_id`
  }
}

/**
 * Per agency with reports or tasks in the range: one query over the task rollup and the reports,
 * grouped, filtered, sorted and paged in the database, with the row count and the totals of all
 * rows (window functions), so a page of 100 rows out of 10,000 agencies costs one scan.
 */
export async function overview(db: DB, actor: Actor, f: OverviewFilters, today = todayInShanghai()) {
  const path = await oversightRoot(db, actor, f.unitId)
  const years = yearsBetween(f.yearFrom, f.yearTo)
  const unitInScope = (col: string) => (path ? sql`and ${sql.ref(col)} in (select id from units where ${pathUnder('path', path)})` : sql``)
  const inRegion = (col: string) =>
    f.region ? sql`and ${sql.ref(col)} in (select id from agencies where name like ${likePart(f.region)})` : sql``
  const yearCols = years.map((_, i) => `y${i}`)
  // Three short lists, each grouped by agency on its own, then added up: the task figures (per
  // agency, year and unit, migration 2026-12-06), the open tasks past their deadline, and the reports.
  const zeros = (cols: readonly string[]) => sql.raw(cols.map(c => `0 as ${c}`).join(', '))
  const taskBranch = sql`select nullif(r.agency_id, '') as agency_id,
      ${sql.raw(TASK_STATUSES.map(s => `sum(r.plan_${s} + r.problem_${s}) as ${s}`).join(', '))},
      sum(${sql.raw(TASK_STATUSES.map(s => `r.plan_${s}`).join(' + '))}) as plans,
      sum(r.returned) as returned, sum(r.evidenced) as evidenced, sum(r.recurring) as recurring,
      ${zeros(['overdue', 'reports', ...yearCols])}
    from oversight_agency_year r
    where r.year >= ${f.yearFrom} and r.year <= ${f.yearTo} ${unitInScope('r.unit_id')} ${inRegion('r.agency_id')}
    group by r.agency_id`
  const overdueBranch = sql`select nullif(o.agency_id, '') as agency_id,
      ${zeros([...TASK_STATUSES, 'plans', 'returned', 'evidenced', 'recurring'])}, sum(o.open) as overdue, ${zeros(['reports', ...yearCols])}
    from oversight_open_due o
    where o.due_date < ${today} and o.year >= ${f.yearFrom} and o.year <= ${f.yearTo} ${unitInScope('o.unit_id')} ${inRegion('o.agency_id')}
    group by o.agency_id`
  const reportBranch = sql`select p.agency_id,
      ${zeros([...TASK_STATUSES, 'plans', 'returned', 'evidenced', 'recurring', 'overdue'])},
      count(*) as reports ${sql.join(
        years.map((y, i) => sql`, sum(case when p.year = ${y} then 1 else 0 end) as ${sql.raw(yearCols[i])}`),
        sql``,
      )}
    from reports p
    where p.year >= ${f.yearFrom} and p.year <= ${f.yearTo} and p.status in ('extracted', 'confirmed') ${unitInScope('p.unit_id')} ${inRegion('p.agency_id')}
    group by p.agency_id`
  const columns = [...UNION_COLUMNS, ...yearCols]
  const having = !f.status
    ? sql``
    : f.status === 'overdue'
      ? sql`having sum(u.overdue) > 0`
      : sql`having sum(${sql.ref(`u.${f.status}`)}) > 0`
  const limit = f.pageSize ? sql`limit ${f.pageSize} offset ${(Math.max(1, f.page ?? 1) - 1) * f.pageSize}` : sql``
  const { rows } = await sql<Record<string, unknown>>`
    select g.*, a.name from (
      select u.agency_id, ${sql.raw(columns.map(c => `sum(u.${c}) as ${c}`).join(', '))},
        count(*) over () as row_count, ${sql.raw(columns.map(c => `sum(sum(u.${c})) over () as total_${c}`).join(', '))}
      from (${taskBranch} union all ${overdueBranch} union all ${reportBranch}) u
      group by u.agency_id
      ${having}
    ) g
    left join agencies a on a.id = g.agency_id
    order by ${orderBy(f.sort ?? 'overdue', f.dir ?? 'desc')}
    ${limit}`.execute(db)

  const sums = (r: Record<string, unknown>, prefix: '' | 'total_'): AgencySums => {
    const byStatus = zeroByStatus()
    for (const s of TASK_STATUSES) byStatus[s] = Number(r[`${prefix}${s}`] ?? 0)
    const n = (c: string) => Number(r[`${prefix}${c}`] ?? 0)
    return {
      agencyId: prefix ? null : ((r.agency_id as string | null) ?? null),
      name: prefix ? zh.oversight.totals : ((r.name as string | null) ?? null),
      byStatus,
      plans: n('plans'),
      overdue: n('overdue'),
      returned: n('returned'),
      evidenced: n('evidenced'),
      recurring: n('recurring'),
      reportsByYear: Object.fromEntries(years.map((y, i) => [y, n(yearCols[i])])),
    }
  }
  const count = rows.length ? Number(rows[0].row_count) : 0
  const totals = overviewRow(rows.length ? sums(rows[0], 'total_') : { ...sums({}, 'total_') }, zh.oversight.unknownAgency)
  return {
    years,
    rows: rows.map(r => overviewRow(sums(r, ''), zh.oversight.unknownAgency)),
    totals,
    count,
    page: f.pageSize ? Math.max(1, f.page ?? 1) : 1,
    pageCount: f.pageSize ? Math.max(1, Math.ceil(count / f.pageSize)) : 1,
  }
}

export type Overview = Awaited<ReturnType<typeof overview>>

// ─── Agency page ────────────────────────────────────────────────────────────────────────────────

interface RecurrenceRowFilter {
  path: string | null
  agencyId?: string
  region?: string
  yearFrom?: number
  yearTo?: number
  includePending: boolean
  limit: number
}

/** Recurrence suggestions whose later report is in scope, with both problems' texts. */
async function loadRecurrences(db: DB, f: RecurrenceRowFilter): Promise<{ rows: Recurrence[]; truncated: boolean }> {
  let q = db
    .selectFrom('followup_suggestions as s')
    .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
    .innerJoin('reports as er', 'er.id', 's.earlier_report_id')
    .innerJoin('report_items as ei', 'ei.id', 's.earlier_item_id')
    .innerJoin('report_items as li', 'li.id', 's.later_item_id')
    .leftJoin('agencies as a', 'a.id', 'lr.agency_id')
    .leftJoin('tasks as lt', 'lt.item_id', 's.later_item_id')
    .select([
      's.id',
      's.status',
      'lr.agency_id',
      'a.name as agency_name',
      'lr.agency_name as report_agency_name',
      'er.id as earlier_report_id',
      'er.year as earlier_year',
      'ei.title as earlier_title',
      'ei.text as earlier_text',
      'lr.id as later_report_id',
      'lr.year as later_year',
      'li.title as later_title',
      'li.text as later_text',
      'lt.id as later_task_id',
    ])
    .where('s.kind', '=', 'recurring')
    .where('s.status', 'in', f.includePending ? ['confirmed', 'pending'] : ['confirmed'])
    .orderBy('lr.year', 'desc')
    .orderBy('s.id')
    .limit(f.limit + 1)
  if (f.path) q = q.where('lr.unit_id', 'in', unitIdsUnder(db, f.path))
  if (f.agencyId) q = q.where('lr.agency_id', '=', f.agencyId)
  if (f.region) q = q.where('lr.agency_id', 'in', agenciesNamed(db, f.region))
  if (f.yearFrom !== undefined) q = q.where('lr.year', '>=', f.yearFrom)
  if (f.yearTo !== undefined) q = q.where('lr.year', '<=', f.yearTo)
  const rows = await q.execute()
  return {
    truncated: rows.length > f.limit,
    rows: rows.slice(0, f.limit).map(r => ({
      suggestionId: r.id,
      status: r.status === 'confirmed' ? 'confirmed' : 'pending',
      agencyId: r.agency_id,
      agencyName: r.agency_name ?? r.report_agency_name ?? zh.oversight.unknownAgency,
      earlierReportId: r.earlier_report_id,
      earlierYear: r.earlier_year,
      earlierTitle: r.earlier_title,
      earlierText: r.earlier_text,
      laterReportId: r.later_report_id,
      laterYear: r.later_year,
      laterTitle: r.later_title,
      laterText: r.later_text,
      laterTaskId: r.later_task_id,
    })),
  }
}

export interface AgencyFilters {
  unitId?: string
  yearFrom?: number
  yearTo?: number
}

/** One agency's years in the actor's scope; 404 when the agency is unknown or nothing of it is in scope. */
export async function agency(db: DB, actor: Actor, agencyId: string, f: AgencyFilters = {}, today = todayInShanghai()) {
  const path = await oversightRoot(db, actor, f.unitId)
  const row = await db.selectFrom('agencies').select(['id', 'name']).where('id', '=', agencyId).executeTakeFirst()
  if (!row) throw notFound()
  const inRange = <QB extends { where: Function }>(q: QB, col: 'reports.year'): QB => {
    let out = q
    if (f.yearFrom !== undefined) out = out.where(col, '>=', f.yearFrom)
    if (f.yearTo !== undefined) out = out.where(col, '<=', f.yearTo)
    return out
  }
  let reportsQ = db
    .selectFrom('reports')
    .select(['reports.id', 'reports.year', 'reports.title', 'reports.filename', 'reports.published_at', 'reports.status'])
    .where('reports.agency_id', '=', agencyId)
    .where('reports.status', 'in', READ_REPORTS)
    .where('reports.year', 'is not', null)
    .orderBy('reports.year')
  let tasksQ = db
    .selectFrom('tasks')
    .innerJoin('reports', 'reports.id', 'tasks.report_id')
    .select(['tasks.id', 'tasks.kind', 'tasks.status', 'tasks.due_date', 'tasks.created_at', 'tasks.closed_at', 'reports.year'])
    .where('reports.agency_id', '=', agencyId)
    .where('reports.year', 'is not', null)
  if (path) {
    reportsQ = reportsQ.where('reports.unit_id', 'in', unitIdsUnder(db, path))
    tasksQ = tasksQ.where('tasks.unit_id', 'in', unitIdsUnder(db, path))
  }
  reportsQ = inRange(reportsQ, 'reports.year')
  tasksQ = inRange(tasksQ, 'reports.year')
  const [reports, tasks, aliases] = await Promise.all([
    reportsQ.execute(),
    tasksQ.execute(),
    db.selectFrom('agency_aliases').select('alias').where('agency_id', '=', agencyId).orderBy('alias').execute(),
  ])
  if (!seesEverything(actor) && !reports.length && !tasks.length) throw notFound()

  const taskIds = tasks.map(t => t.id)
  const returned = new Set<string>()
  for (let i = 0; i < taskIds.length; i += 5000) {
    const rows = await db
      .selectFrom('task_events')
      .select('task_id')
      .distinct()
      .where('type', '=', 'return')
      .where('task_id', 'in', taskIds.slice(i, i + 5000))
      .execute()
    for (const r of rows) returned.add(r.task_id)
  }
  const reportIds = reports.map(r => r.id)
  const itemCounts = reportIds.length
    ? await db
        .selectFrom('report_items')
        .select(eb => ['report_id', 'kind', eb.fn.countAll<number>().as('n')])
        .where('report_id', 'in', reportIds)
        .groupBy(['report_id', 'kind'])
        .execute()
    : []
  const recurringItems = reportIds.length
    ? await db
        .selectFrom('followup_suggestions')
        .select(eb => ['later_report_id', eb.fn.count<number>('later_item_id').distinct().as('n')])
        .where('kind', '=', 'recurring')
        .where('status', '=', 'confirmed')
        .where('later_report_id', 'in', reportIds)
        .groupBy('later_report_id')
        .execute()
    : []
  const { rows: recurrences } = await loadRecurrences(db, {
    path,
    agencyId,
    yearFrom: f.yearFrom,
    yearTo: f.yearTo,
    includePending: true,
    limit: 1000,
  })

  const agencyTasks: AgencyTask[] = tasks.map(t => ({
    id: t.id,
    year: Number(t.year),
    kind: t.kind,
    status: t.status,
    dueDate: t.due_date,
    createdAt: t.created_at,
    closedAt: t.closed_at,
    returned: returned.has(t.id),
  }))
  const perReport = reports.map(r => ({
    year: Number(r.year),
    problems: Number(itemCounts.find(c => c.report_id === r.id && c.kind === 'problem')?.n ?? 0),
    plans: Number(itemCounts.find(c => c.report_id === r.id && c.kind === 'plan')?.n ?? 0),
    recurring: Number(recurringItems.find(c => c.later_report_id === r.id)?.n ?? 0),
  }))
  const known = [...reports.map(r => Number(r.year)), ...agencyTasks.map(t => t.year)]
  const from = f.yearFrom ?? (known.length ? Math.min(...known) : 0)
  const to = f.yearTo ?? (known.length ? Math.max(...known) : -1)
  const years = agencyYears({ years: yearsBetween(from, to), tasks: agencyTasks, reports: perReport, today })
  const counts = { plan: zeroByStatus(), problem: zeroByStatus() }
  for (const t of agencyTasks) counts[t.kind][t.status]++
  return {
    agency: { id: row.id, name: row.name, aliases: aliases.map(a => a.alias).filter(a => a !== row.name) },
    reports: reports.map(r => ({
      id: r.id,
      year: Number(r.year),
      title: r.title ?? r.filename,
      publishedAt: r.published_at,
      status: r.status,
    })),
    years,
    totals: {
      ...taskFigures({
        byStatus: Object.fromEntries(TASK_STATUSES.map(st => [st, counts.plan[st] + counts.problem[st]])) as Record<TaskStatus, number>,
        plans: agencyTasks.filter(t => t.kind === 'plan').length,
        overdue: years.reduce((n, y) => n + y.overdue, 0),
        returned: returned.size,
        evidenced: 0,
        recurring: 0,
      }),
      closedOnTime: years.reduce((n, y) => n + y.closedOnTime, 0),
      closedLate: years.reduce((n, y) => n + y.closedLate, 0),
    },
    recurrences: recurrences.map(r => ({ ...r, topics: recurrenceTopics(r) })),
    openByAge: openTasksByAge(agencyTasks, today),
  }
}

export type AgencyPage = Awaited<ReturnType<typeof agency>>

// ─── Recurring problems board ───────────────────────────────────────────────────────────────────

export const BOARD_LIMIT = 5000

export async function recurringBoard(db: DB, actor: Actor, f: OversightFilters & { includePending?: boolean }) {
  const path = await oversightRoot(db, actor, f.unitId)
  const { rows, truncated } = await loadRecurrences(db, {
    path,
    region: f.region,
    yearFrom: f.yearFrom,
    yearTo: f.yearTo,
    includePending: !!f.includePending,
    limit: BOARD_LIMIT,
  })
  return {
    groups: groupByTopic(rows, zh.oversight.recurring.wording),
    recurrences: rows.length,
    agencies: new Set(rows.map(r => r.agencyId ?? r.agencyName)).size,
    truncated,
  }
}

export type RecurringBoard = Awaited<ReturnType<typeof recurringBoard>>

// ─── Reporting compliance ───────────────────────────────────────────────────────────────────────

export async function compliance(db: DB, actor: Actor, f: OversightFilters & { issue?: ComplianceIssue | '' }, today = todayInShanghai()) {
  const path = await oversightRoot(db, actor, f.unitId)
  const years = yearsBetween(f.yearFrom, f.yearTo)
  /** Reports in scope and region, of the years given. */
  const reportsOf = (from: number, to: number) => {
    let q = db
      .selectFrom('reports')
      .where('reports.year', '>=', from)
      .where('reports.year', '<=', to)
      .where('reports.status', 'in', READ_REPORTS)
    if (path) q = q.where('reports.unit_id', 'in', unitIdsUnder(db, path))
    if (f.region) q = q.where('reports.agency_id', 'in', agenciesNamed(db, f.region))
    return q
  }
  const inRange = () => reportsOf(f.yearFrom, f.yearTo).select('reports.id')

  const [reports, items, previous, evidence, known] = await Promise.all([
    reportsOf(f.yearFrom, f.yearTo)
      .leftJoin('agencies', 'agencies.id', 'reports.agency_id')
      .select([
        'reports.id',
        'reports.agency_id',
        'agencies.name as agency',
        'reports.agency_name',
        'reports.year',
        'reports.title',
        'reports.filename',
        'reports.published_at',
      ])
      .execute(),
    db
      .selectFrom('report_items')
      .select(eb => ['report_id', 'kind', eb.fn.countAll<number>().as('n')])
      .where('report_id', 'in', inRange())
      .groupBy(['report_id', 'kind'])
      .execute(),
    // Commitments of each agency's reports of the year before.
    reportsOf(f.yearFrom - 1, f.yearTo - 1)
      .leftJoin('report_items as i', join => join.onRef('i.report_id', '=', 'reports.id').on('i.kind', '=', 'plan'))
      .select(eb => ['reports.agency_id', 'reports.year', eb.fn.count<number>('i.id').as('plans')])
      .where('reports.agency_id', 'is not', null)
      .groupBy(['reports.agency_id', 'reports.year'])
      .execute(),
    // Evidence (not rejected) that this report accounts for last year's commitments.
    db
      .selectFrom('followup_suggestions as s')
      .innerJoin('reports as er', 'er.id', 's.earlier_report_id')
      .innerJoin('reports as lr', 'lr.id', 's.later_report_id')
      .select(eb => ['s.later_report_id', eb.fn.countAll<number>().as('n')])
      .where('s.kind', '=', 'evidence')
      .where('s.status', '<>', 'rejected')
      .whereRef('er.year', '=', sql`lr.year - 1`)
      .where('s.later_report_id', 'in', inRange())
      .groupBy('s.later_report_id')
      .execute(),
    // Every year each agency in scope has reported, for the missing reports.
    (() => {
      let q = db
        .selectFrom('reports')
        .innerJoin('agencies', 'agencies.id', 'reports.agency_id')
        .select(['reports.agency_id', 'agencies.name', 'reports.year'])
        .distinct()
        .where('reports.year', 'is not', null)
        .where('reports.status', 'in', READ_REPORTS)
      if (path) q = q.where('reports.unit_id', 'in', unitIdsUnder(db, path))
      if (f.region) q = q.where('reports.agency_id', 'in', agenciesNamed(db, f.region))
      return q.execute()
    })(),
  ])
  const count = new Map<string, number>()
  for (const i of items) count.set(`${i.report_id}:${i.kind}`, Number(i.n))
  const prevPlans = new Map<string, number>()
  for (const p of previous) prevPlans.set(`${p.agency_id}:${p.year}`, (prevPlans.get(`${p.agency_id}:${p.year}`) ?? 0) + Number(p.plans))
  const evidenceOf = new Map(evidence.map(e => [e.later_report_id, Number(e.n)]))
  const all = reports.map(r => {
    const input: ComplianceReport = {
      reportId: r.id,
      agencyId: r.agency_id,
      agencyName: r.agency ?? r.agency_name ?? zh.oversight.unknownAgency,
      year: Number(r.year),
      title: r.title ?? r.filename,
      publishedAt: r.published_at,
      problems: count.get(`${r.id}:problem`) ?? 0,
      plans: count.get(`${r.id}:plan`) ?? 0,
      previousPlans: r.agency_id ? (prevPlans.get(`${r.agency_id}:${Number(r.year) - 1}`) ?? null) : null,
      evidence: evidenceOf.get(r.id) ?? 0,
    }
    return complianceRow(input)
  })
  const byAgency = new Map<string, { id: string; name: string; years: number[] }>()
  for (const k of known) {
    if (!k.agency_id) continue
    const a = byAgency.get(k.agency_id) ?? { id: k.agency_id, name: k.name, years: [] }
    a.years.push(Number(k.year))
    byAgency.set(k.agency_id, a)
  }
  const missing = missingReports([...byAgency.values()], years, today)
  const issue = f.issue
  const rows = sortCompliance(issue ? all.filter(r => hasIssue(r, issue)) : all)
  return { years, rows, missing, summary: complianceSummary(all, missing.length) }
}

export type Compliance = Awaited<ReturnType<typeof compliance>>
