// Reads of reports, always within the user's scope (a unit subtree).
import { sql, type SqlBool } from 'kysely'
import type { DB } from '../../db/db'
import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../../db/schema'
import type { SessionUser } from '../auth/session.server'
import { REPORTS_PER_PAGE, type ReportFilters } from './list'
import { likePattern } from '../search/query'
import { inScope, seesEverything } from '../auth/scope'
import { inSubtree, taskVisible } from '../auth/scope.server'

/**
 * The reports a user may read: those filed in their unit subtree, and those their tasks come from
 * (a task of their subtree, or one they own) — a department's staff read the city's report that
 * gave them the work. Reading one is not reviewing it: see `filedInScope`.
 */
function scoped<T extends { where: Function }>(q: T, user: SessionUser): T {
  if (seesEverything(user)) return q
  return q.where((eb: ExpressionBuilder<Database, 'reports' | 'units'>) =>
    eb.or([
      inSubtree(user, 'units.path')(),
      eb(
        'reports.id',
        'in',
        eb
          .selectFrom('tasks')
          .innerJoin('units as task_units', 'task_units.id', 'tasks.unit_id')
          .select('tasks.report_id')
          .where(taskVisible(user, { unitPath: 'task_units.path' })),
      ),
    ]),
  ) as T
}

/** Whether a report is filed in the user's subtree: only then may they review or confirm it (with the permission). */
export function filedInScope(user: SessionUser, reportUnitPath: string): boolean {
  return inScope(user, reportUnitPath)
}

export async function listReportsForUser(db: DB, user: SessionUser) {
  const q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(eb => [
      'reports.id',
      'reports.filename',
      'reports.title',
      'reports.status',
      'reports.error',
      'reports.agency_name',
      'reports.year',
      'reports.created_at',
      eb
        .selectFrom('report_items')
        .whereRef('report_items.report_id', '=', 'reports.id')
        .where('kind', '=', 'problem')
        .select(e => e.fn.countAll<number>().as('n'))
        .as('problems'),
      eb
        .selectFrom('report_items')
        .whereRef('report_items.report_id', '=', 'reports.id')
        .where('kind', '=', 'plan')
        .select(e => e.fn.countAll<number>().as('n'))
        .as('plans'),
    ])
    .orderBy('reports.created_at', 'desc')
    .limit(500)
  return scoped(q, user).execute()
}

/** One page of the report list, filtered (status, year, agency, search in title/agency/file name), newest first, with the total. */
export async function pageReportsForUser(db: DB, user: SessionUser, f: ReportFilters, perPage = REPORTS_PER_PAGE) {
  let base = scoped(db.selectFrom('reports').innerJoin('units', 'units.id', 'reports.unit_id'), user)
  if (f.status) base = base.where('reports.status', '=', f.status)
  if (f.year) base = base.where('reports.year', '=', f.year)
  if (f.agencyId) base = base.where('reports.agency_id', '=', f.agencyId)
  if (f.q) {
    const like = likePattern(f.q)
    base = base.where(eb =>
      eb.or([
        sql<SqlBool>`reports.title like ${like} escape '\\'`,
        sql<SqlBool>`reports.agency_name like ${like} escape '\\'`,
        sql<SqlBool>`reports.filename like ${like} escape '\\'`,
      ]),
    )
  }
  const total = Number((await base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const pageCount = Math.max(1, Math.ceil(total / perPage))
  const page = Math.min(f.page, pageCount)
  const rows = await base
    .select(eb => [
      'reports.id',
      'reports.filename',
      'reports.title',
      'reports.status',
      'reports.error',
      'reports.agency_name',
      'reports.year',
      'reports.created_at',
      'reports.uploaded_by',
      'units.path as unit_path',
      eb
        .selectFrom('report_items')
        .whereRef('report_items.report_id', '=', 'reports.id')
        .where('kind', '=', 'problem')
        .select(e => e.fn.countAll<number>().as('n'))
        .as('problems'),
      eb
        .selectFrom('report_items')
        .whereRef('report_items.report_id', '=', 'reports.id')
        .where('kind', '=', 'plan')
        .select(e => e.fn.countAll<number>().as('n'))
        .as('plans'),
    ])
    .orderBy('reports.created_at', 'desc')
    .orderBy('reports.id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute()
  return { rows, total, page, pageCount }
}

/** The agencies of the reports a user may read, for the list's agency filter. */
export async function reportAgenciesForUser(db: DB, user: SessionUser) {
  return scoped(
    db.selectFrom('reports').innerJoin('units', 'units.id', 'reports.unit_id').innerJoin('agencies', 'agencies.id', 'reports.agency_id'),
    user,
  )
    .select(['agencies.id', 'agencies.name'])
    .distinct()
    .orderBy('agencies.name')
    .limit(500)
    .execute()
}

export async function getReportForUser(db: DB, { id, user }: { id: string; user: SessionUser }) {
  const q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select([
      'reports.id',
      'reports.filename',
      'reports.status',
      'reports.error',
      'reports.text',
      'reports.encoding',
      'reports.format',
      'reports.agency_name',
      'reports.agency_confidence',
      'reports.year',
      'reports.year_confidence',
      'reports.sections',
      'reports.published_at',
      'reports.title',
      'reports.created_at',
      'reports.unit_id',
      'units.name as unit_name',
      'units.path as unit_path',
    ])
    .where('reports.id', '=', id)
  const found = await scoped(q, user).executeTakeFirst()
  if (!found) return null
  const { unit_path, ...report } = found
  const items = await db.selectFrom('report_items').selectAll().where('report_id', '=', id).orderBy('seq').execute()
  return { report, items, filedInScope: filedInScope(user, unit_path) }
}

/**
 * Every year a report is for, newest first: one probe of the (year, …) index per year, where
 * DISTINCT would read every report (10 ms a page at 10,000 reports on PostgreSQL).
 */
export async function reportYears(db: DB): Promise<number[]> {
  const { rows } = await sql<{ year: number }>`
    with recursive y(year) as (
      select (select year from reports where year is not null order by year desc limit 1)
      union all
      select (select r.year from reports r where r.year < y.year order by r.year desc limit 1) from y where y.year is not null
    )
    select year from y where year is not null`.execute(db)
  return rows.map(r => Number(r.year))
}

/** Reports extracted and not yet confirmed, in the user's scope, oldest first (the 待办 page), with their number. */
export async function reportsAwaitingReview(db: DB, user: SessionUser, limit = 5) {
  const base = scoped(
    db.selectFrom('reports').innerJoin('units', 'units.id', 'reports.unit_id').where('reports.status', '=', 'extracted'),
    user,
  )
  const [rows, count] = await Promise.all([
    base
      .select(['reports.id', 'reports.filename', 'reports.agency_name', 'reports.year', 'reports.title', 'reports.created_at'])
      .orderBy('reports.created_at')
      .orderBy('reports.id')
      .limit(limit)
      .execute(),
    base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { count: Number(count.n), rows }
}

/** The tasks of a confirmed report that the user may see (id and item), for the review page. */
export function visibleTasksOfReport(db: DB, user: SessionUser, reportId: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select(['tasks.id', 'tasks.item_id'])
    .where('tasks.report_id', '=', reportId)
    .where(taskVisible(user))
    .execute()
}

export async function agencyIdOfReport(db: DB, reportId: string): Promise<string | null> {
  return (await db.selectFrom('reports').select('agency_id').where('id', '=', reportId).executeTakeFirst())?.agency_id ?? null
}
